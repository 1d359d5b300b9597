import type { LoaderFunctionArgs } from "@remix-run/node";
import { AreaPending } from "../components/AreaPending.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";

export const meta = () => pageTitle("Materialien");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function Page() {
  return <AreaPending title="Materialien" text="OnePager, Kurzvideos, Podcasts und Hintergrundwissen, von der Moderation ausgewählt und aktuell gehalten." />;
}
