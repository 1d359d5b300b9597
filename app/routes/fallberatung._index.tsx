import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDateTime } from "../domain/time.ts";
import { FormError } from "../components/Field.tsx";
import { requireUser } from "../auth/session.server.ts";
import { caseOverview, takeSeat } from "../models/cases/consultations.server.ts";
import { InputError } from "../models/errors.server.ts";
import { modeLabels, phaseLabels, roleLabels } from "../domain/cases/phases.ts";
import "../styles/cases.css";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Kollegiale Fallberatung",
    matches,
    "Vertrauliche Kollegiale Fallberatung: einen Fall einbringen oder andere mit deinem Blick unterstützen.",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  return caseOverview(actor);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const caseId = String((await request.formData()).get("caseId") ?? "");
  try {
    await takeSeat(actor, caseId);
    return redirect(`/fallberatung/${caseId}`);
  } catch (error) {
    if (error instanceof InputError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
}

function when(c: { mode: "live" | "async"; scheduledAt: string | Date | null; asyncDays?: number | null }) {
  if (c.mode === "live") return c.scheduledAt ? `Live am ${formatDateTime(c.scheduledAt)}` : "Live";
  return c.asyncDays ? `Asynchron über ${c.asyncDays} Tage` : modeLabels.async;
}

export default function Consultations() {
  const { mine, seats } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="page">
      <div className="page-head">
        <h1>Kollegiale Fallberatung</h1>
        <Link to="/fallberatung/neu" className="button">
          Fall einbringen
        </Link>
      </div>
      <p className="lead">
        Bring einen Fall aus deiner Praxis in eine kleine Gruppe von Lernbegleiterinnen und Lernbegleitern. Ihr beratet
        in sechs festen Phasen – live oder über einige Tage. Was gesagt wird, bleibt in der Gruppe: Nur die
        Teilnehmenden können die Beratung lesen.
      </p>
      <FormError message={result?.error} />

      <h2>Deine Fallberatungen</h2>
      {mine.length === 0 ? (
        <p className="empty">
          Du nimmst noch an keiner Fallberatung teil. Bring einen Fall ein oder übernimm unten einen freien Platz.
        </p>
      ) : (
        <ul className="case-list">
          {mine.map((c) => (
            <li key={c.id} className="card case-list__item">
              <h3>
                <Link to={`/fallberatung/${c.id}`}>
                  {c.purgedAt ? "Abgeschlossene Fallberatung (Inhalte gelöscht)" : c.topic}
                </Link>
              </h3>
              <p className="hint">
                {roleLabels[c.role]} · {when(c)} ·{" "}
                {c.closedAt
                  ? "abgeschlossen"
                  : c.agreedAt
                    ? `Phase: ${phaseLabels[c.phase]}`
                    : "Einladung – bitte Vertraulichkeit bestätigen"}
              </p>
            </li>
          ))}
        </ul>
      )}

      <h2>Freie Plätze</h2>
      {seats.length === 0 ? (
        <p className="empty">Gerade sucht keine Fallberatung Beratende. Schau später wieder vorbei.</p>
      ) : (
        <ul className="case-list">
          {seats.map((c) => (
            <li key={c.id} className="card case-list__item">
              <h3>{c.topic}</h3>
              <p className="hint">
                {when(c)} · {c.free === 1 ? "1 Platz frei" : `${c.free} Plätze frei`}
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="caseId" value={c.id} />
                <button type="submit" className="button button--quiet" aria-label={`Platz übernehmen: ${c.topic}`}>
                  Platz übernehmen
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
