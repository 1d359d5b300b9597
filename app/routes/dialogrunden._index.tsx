import type { MetaFunction } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { listRounds } from "../models/rounds/rounds.server.ts";
import { roundsPageSchema } from "../schemas/rounds.ts";
import { RoundList } from "../components/rounds/RoundList.tsx";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Dialogrunden",
    matches,
    "Kommende und vergangene Dialogrunden: online miteinander sprechen, Fragen vorab stellen und Ergebnisse nachlesen.",
  );

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const { seite } = roundsPageSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listRounds(actor, seite);
}

export default function Rounds() {
  const { upcoming, past, page, pages, may } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <div className="page-head">
        <h1>Dialogrunden</h1>
        {may.schedule ? (
          <Link to="/dialogrunden/neu" className="button">
            Neue Dialogrunde
          </Link>
        ) : null}
      </div>
      <p className="lead">
        Online-Dialogrunden zu den Themen, die die Praxis bewegen – mit Chat, Wortmeldungen und gemeinsamem Protokoll.
        Die Ergebnisse stehen danach allen in den Materialien zur Verfügung.
      </p>
      <section aria-labelledby="kommende-titel">
        <h2 id="kommende-titel">Kommende Runden</h2>
        {upcoming.length ? (
          <RoundList rounds={upcoming} />
        ) : (
          <p className="empty">Gerade ist keine Dialogrunde geplant. Schau bald wieder vorbei!</p>
        )}
      </section>
      <section aria-labelledby="vergangene-titel">
        <h2 id="vergangene-titel">Vergangene Runden</h2>
        {past.length ? <RoundList rounds={past} past /> : <p className="empty">Noch keine vergangenen Runden.</p>}
        {pages > 1 ? (
          <nav aria-label="Seiten" className="pagination">
            {page > 1 ? <Link to={`?seite=${page - 1}`}>← Neuere</Link> : null}
            <span>
              Seite {page} von {pages}
            </span>
            {page < pages ? <Link to={`?seite=${page + 1}`}>Ältere →</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
