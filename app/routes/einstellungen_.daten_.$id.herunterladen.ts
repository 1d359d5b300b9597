import { createReadableStreamFromReadable, data, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/session.server.ts";
import { getExportDownload } from "../models/privacy/export.server.ts";

/** /einstellungen/daten/:id/herunterladen — the export's zip, for its member only (anyone else: 403). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const download = await getExportDownload(actor, params.id ?? "");
  if (download === "forbidden") throw data("Dieser Export gehört jemand anderem.", { status: 403 });
  if (!download) throw data(null, { status: 404 });
  return new Response(createReadableStreamFromReadable(download.open()), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(download.size),
      "Content-Disposition": `attachment; filename="${download.name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
