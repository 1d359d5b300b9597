import type { MetaFunction } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { AreaPending } from "../components/AreaPending.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Mitglieder", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function Page() {
  return <AreaPending title="Mitglieder" text="Finde Kolleginnen und Kollegen, die sich mit einem Thema auskennen." />;
}
