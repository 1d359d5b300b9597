import type { LoaderFunctionArgs } from "@remix-run/node";
import { AreaPending } from "../components/AreaPending.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";

export const meta = () => pageTitle("Dialogrunden");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function Page() {
  return <AreaPending title="Dialogrunden" text="Online-Dialogrunden zu den Themen, die die Praxis bewegen – mit Ergebnissen für das ganze Netzwerk." />;
}
