import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { checkUnsubscribe, unsubscribe } from "../models/notifications/unsubscribe.server.ts";
import { groupInfo } from "../domain/notifications/groups.ts";

/**
 * The one-click unsubscribe link from every notification mail, usable without logging in: the signature in the
 * link stands in for the login. GET only asks (mail scanners open links); POST turns the type off — from the button
 * here or from the mail program itself (RFC 8058, body "List-Unsubscribe=One-Click", no Origin header).
 */
export const meta: MetaFunction = ({ matches }) => pageTitle("Benachrichtigungen abbestellen", matches);

function linkParams(request: Request) {
  const q = new URL(request.url).searchParams;
  return { m: q.get("m"), art: q.get("art"), sig: q.get("sig") };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const check = await checkUnsubscribe(linkParams(request));
  if (!check.ok) return data({ ok: false as const, message: check.message }, 400);
  return {
    ok: true as const,
    label: check.label,
    digest: check.target.startsWith("digest_"),
    groups: check.groups.map((g) => groupInfo[g].label),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await unsubscribe(linkParams(request));
  if (!result.ok) return data({ done: false as const, message: result.message }, 400);
  return { done: true as const, label: result.label };
}

export default function Unsubscribe() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { search } = useLocation();
  const busy = useNavigation().state === "submitting";
  if (result?.done) {
    return (
      <div className="page page--narrow">
        <h1>Abbestellt</h1>
        <p className="notice notice--ok" role="status">
          „{result.label}“ ist abbestellt. Dazu bekommst du keine Benachrichtigungen mehr.
        </p>
        <p>
          Du kannst das jederzeit wieder ändern:{" "}
          <Link to="/benachrichtigungen/einstellungen">Benachrichtigungen einstellen</Link> (nach der Anmeldung).
        </p>
      </div>
    );
  }
  const message = result && !result.done ? result.message : !page.ok ? page.message : null;
  if (message || !page.ok) {
    return (
      <div className="page page--narrow">
        <h1>Abbestellen nicht möglich</h1>
        <p className="notice notice--error" role="alert">
          {message}
        </p>
        <p>
          <Link to="/benachrichtigungen/einstellungen">Zu den Einstellungen für Benachrichtigungen</Link>
        </p>
      </div>
    );
  }
  if (page.digest && page.groups.length === 0) {
    return (
      <div className="page page--narrow">
        <h1>Benachrichtigungen abbestellen</h1>
        <p className="notice notice--ok" role="status">
          Die „{page.label}“ ist bereits abbestellt: Keine Art von Benachrichtigung steht zurzeit darauf.
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>Benachrichtigungen abbestellen</h1>
      <p>
        Möchtest du „{page.label}“ abbestellen?{" "}
        {page.digest
          ? "Dann bekommst du zu diesen Arten keine Benachrichtigungen mehr – weder per E-Mail noch im Netzwerk:"
          : "Dann bekommst du dazu keine Benachrichtigungen mehr – weder per E-Mail noch im Netzwerk."}
      </p>
      {page.digest && page.groups.length ? (
        <ul>
          {page.groups.map((label) => (
            <li key={label}>{label}</li>
          ))}
        </ul>
      ) : null}
      <Form method="post" action={`/benachrichtigungen/abbestellen${search}`}>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Wird abbestellt …" : "Ja, abbestellen"}
        </button>
      </Form>
      <p className="hint">Andere Arten von Benachrichtigungen bleiben, wie sie sind.</p>
    </div>
  );
}
