import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../env.server.ts";
import { personalCalendar } from "../models/rounds/calendar.server.ts";

/** The personal calendar feed of one's rounds. Calendar apps cannot log in, so the revocable token authorises it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const ics = await personalCalendar(url.searchParams.get("token") ?? "", env().PUBLIC_URL ?? url.origin);
  if (!ics) {
    return new Response(
      "Unbekannter oder zurückgezogener Kalender-Schlüssel. Einen neuen bekommst du in deinen Einstellungen.",
      {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  return new Response(ics, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-cache" },
  });
}
