import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { getExportDownload } from "../models/privacy/export.server.ts";

/** /einstellungen/daten/:id/herunterladen — the export's zip, for its member only (anyone else: 403). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const download = await getExportDownload(actor, params.id ?? "");
  // A resource route answers with plain responses (a thrown data() would be logged as an error).
  const text = { "Content-Type": "text/plain; charset=utf-8" };
  if (!download) return new Response("Diesen Export gibt es nicht (mehr).", { status: 404, headers: text });
  return new Response(createReadableStreamFromReadable(download.open()), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(download.size),
      "Content-Disposition": `attachment; filename="${download.name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
