import { useEffect } from "react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatBytes } from "../components/format.ts";
import { formatDateTime } from "../domain/time.ts";
import { requireUser } from "../auth/session.server.ts";
import { EXPORT_LIFETIME_DAYS, latestExport, requestExport } from "../models/privacy/export.server.ts";
import "../styles/account.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Meine Daten herunterladen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return { current: await latestExport(actor), lifetimeDays: EXPORT_LIFETIME_DAYS };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  await requestExport(actor);
  // Back to the page (a reload must not start another export); it shows the progress.
  return redirect("/einstellungen/daten");
}

const POLL_MS = 1000;

export default function MyData() {
  const { current, lifetimeDays } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const working = current?.state === "queued" || current?.state === "running";

  // With JavaScript the page asks for the progress every second; without, the <noscript> refresh reloads it.
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [working, revalidator]);

  return (
    <div className="page page--narrow">
      <p>
        <Link to="/einstellungen">Zurück zu den Einstellungen</Link>
      </p>
      <h1>Meine Daten herunterladen</h1>
      <p>
        Du bekommst eine Zip-Datei mit allem, was das Netzwerk über dich gespeichert hat: dein Profil, deine
        Diskussionen und Beiträge (auch die anonymen, mit früheren Fassungen), Reaktionen, Entwürfe, Meldungen,
        Benachrichtigungen, Dialogrunden und Fallberatungen, an denen du mitgewirkt hast, deine Materialien und die
        Dateien, die du hochgeladen hast. Inhalte anderer Mitglieder sind nicht enthalten.
      </p>
      <p className="hint">
        Die Datei steht {lifetimeDays} Tage lang bereit und kann nur von dir heruntergeladen werden. Mehr dazu in der{" "}
        <Link to="/datenschutz">Datenschutzerklärung</Link>.
      </p>

      <section className="card" aria-labelledby="export-titel">
        <h2 id="export-titel">Dein Export</h2>
        {current && working ? (
          <>
            <noscript>
              <meta httpEquiv="refresh" content="3" />
            </noscript>
            <p id="export-stand" role="status">
              {current.state === "queued"
                ? "Dein Export wartet auf den Start …"
                : `Dein Export wird erstellt … ${current.progress} %`}
            </p>
            <progress className="export__progress" max={100} value={current.progress} aria-labelledby="export-stand" />
            <p className="hint">
              Du kannst die Seite verlassen; der Export läuft weiter.{" "}
              <Link to="/einstellungen/daten">Stand aktualisieren</Link>
            </p>
          </>
        ) : current?.state === "ready" ? (
          <>
            <p role="status">Dein Export ist fertig.</p>
            <progress className="export__progress" max={100} value={100} aria-label="Export: fertig" />
            <p>
              <a className="button" href={`/einstellungen/daten/${current.id}/herunterladen`} download>
                Zip-Datei herunterladen{current.size ? ` (${formatBytes(current.size)})` : ""}
              </a>
            </p>
            <p className="hint">
              Erstellt am {formatDateTime(current.createdAt)}
              {current.expiresAt ? `, verfügbar bis ${formatDateTime(current.expiresAt)}` : ""}.
            </p>
          </>
        ) : current?.state === "failed" ? (
          <p role="alert" className="notice notice--error">
            Der Export ist leider nicht fertig geworden. Bitte versuche es noch einmal.
          </p>
        ) : (
          <p>Du hast noch keinen Export angefordert.</p>
        )}
        {!working ? (
          <Form method="post">
            <button
              type="submit"
              className={current?.state === "ready" ? "button button--quiet" : "button"}
              disabled={busy}
            >
              {current ? "Neuen Export erstellen" : "Export erstellen"}
            </button>
            {current?.state === "ready" ? <p className="hint">Ein neuer Export ersetzt den bisherigen.</p> : null}
          </Form>
        ) : null}
      </section>
    </div>
  );
}
