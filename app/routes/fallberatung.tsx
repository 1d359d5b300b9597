import type { LoaderFunctionArgs } from "@remix-run/node";
import { AreaPending } from "../components/AreaPending.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";

export const meta = () => pageTitle("Kollegiale Fallberatung");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function Page() {
  return <AreaPending title="Kollegiale Fallberatung" text="Einen Fall aus deiner Praxis vertraulich in einer kleinen Gruppe beraten, in festen Phasen und Rollen." />;
}
