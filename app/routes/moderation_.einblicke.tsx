import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { BarChart } from "../components/insights/BarChart.tsx";
import { formatDate, formatWeekRange } from "../domain/time.ts";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { formatShown, MIN_PEOPLE } from "../domain/insights.ts";
import { weeklyActivity } from "../models/insights/activity.server.ts";
import { unansweredQuestions } from "../models/insights/unanswered.server.ts";
import { trendingTags } from "../models/insights/tags.server.ts";
import { materialsMostUsed } from "../models/insights/materials.server.ts";
import { roundAttendance } from "../models/insights/rounds.server.ts";
import { zeroResultSearches } from "../models/insights/searches.server.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Einblicke – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "moderate")) throw data(null, { status: 403 });
  // PGlite runs one query at a time anyway; one after the other keeps each short.
  const activity = await weeklyActivity(actor);
  const unanswered = await unansweredQuestions(actor);
  const tags = await trendingTags(actor);
  const materials = await materialsMostUsed(actor);
  const rounds = await roundAttendance(actor);
  const searches = await zeroResultSearches(actor);
  return { activity, unanswered, tags, materials, rounds, searches };
}

/** The count of what stays out of a chart, in singular or plural as a whole sentence (German inflects the rest too). */
function Rare({ count, one, many }: { count: number; one: string; many: (count: number) => string }) {
  if (count === 0) return null;
  return <p className="hint">{count === 1 ? one : many(count)}</p>;
}

export default function Insights() {
  const { activity, unanswered, tags, materials, rounds, searches } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Einblicke in die Community</h2>
      <p className="lead">
        Wo die Praxis Unterstützung braucht – nur als Summen, nie über einzelne Personen. Eine Zahl, die weniger als{" "}
        {MIN_PEOPLE} Personen beschreibt, zeigen wir nicht; dort steht „weniger als {MIN_PEOPLE}“.
      </p>

      <section className="card" aria-labelledby="aktivitaet-titel">
        <h3 id="aktivitaet-titel">Neue Diskussionen und Antworten pro Woche</h3>
        <p className="hint">
          Die letzten 12 Kalenderwochen. Personen sind hier die verschiedenen Verfasserinnen und Verfasser der Woche,
          getrennt für Diskussionen und Antworten. Ausgeblendete und gelöschte Beiträge zählen nicht.
        </p>
        <BarChart
          caption="Neue Diskussionen und Antworten pro Woche"
          labelHeader="Woche"
          series={["Neue Diskussionen", "Antworten"]}
          rows={activity.map((w) => ({ key: w.week, label: formatWeekRange(w.week), values: [w.threads, w.replies] }))}
        />
      </section>

      <section className="card" aria-labelledby="offen-titel">
        <h3 id="offen-titel">Unbeantwortete Fragen (älter als 48 Stunden)</h3>
        <p className="hint">
          Fragen ohne jede Antwort, nach Themenraum. Personen sind die Fragenden.{" "}
          <Link to="/diskussionen?sort=offen">Offene Fragen ansehen</Link>
        </p>
        <p>
          Insgesamt: <strong>{formatShown(unanswered.total)}</strong>
        </p>
        {unanswered.rooms.length === 0 ? (
          <p className="empty">Keine Frage wartet länger als 48 Stunden auf eine Antwort.</p>
        ) : (
          <BarChart
            caption="Unbeantwortete Fragen nach Themenraum"
            labelHeader="Themenraum"
            series={["Fragen"]}
            rows={unanswered.rooms.map((r) => ({
              key: r.slug,
              label: <Link to={`/themen/${r.slug}`}>{r.room}</Link>,
              values: [r.questions],
            }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="schlagwoerter-titel">
        <h3 id="schlagwoerter-titel">Schlagwörter im Trend</h3>
        <p className="hint">
          Schlagwörter neuer Diskussionen und neu veröffentlichter Materialien der letzten {tags.days} Tage, im
          Vergleich zu den {tags.days} Tagen davor. Gezeigt werden nur Schlagwörter, die mindestens {MIN_PEOPLE}{" "}
          Personen genutzt haben.
        </p>
        {tags.tags.length === 0 ? (
          <p className="empty">Kein Schlagwort wurde in diesem Zeitraum von {MIN_PEOPLE} oder mehr Personen genutzt.</p>
        ) : (
          <BarChart
            caption={`Schlagwörter der letzten ${tags.days} Tage`}
            labelHeader="Schlagwort"
            series={[`Letzte ${tags.days} Tage`, "Zeitraum davor"]}
            rows={tags.tags.map((t) => ({ key: t.tag, label: t.tag, values: [t.uses, t.previous] }))}
          />
        )}
        <Rare
          count={tags.rare}
          one={`Ein weiteres Schlagwort wurde von weniger als ${MIN_PEOPLE} Personen genutzt.`}
          many={(n) => `${n} weitere Schlagwörter wurden von weniger als ${MIN_PEOPLE} Personen genutzt.`}
        />
      </section>

      <section className="card" aria-labelledby="materialien-titel">
        <h3 id="materialien-titel">Meistgenutzte Materialien</h3>
        <p className="hint">
          Aufrufe und Downloads der letzten {materials.days} Tage aus einem Tageszähler, der keine Personen kennt. Weil
          er nicht weiß, wie viele Personen hinter einer Zahl stehen, zeigen wir Zahlen unter {MIN_PEOPLE} nicht.
        </p>
        {materials.materials.length === 0 ? (
          <p className="empty">Noch kein Material wurde in diesem Zeitraum {MIN_PEOPLE}-mal oder öfter genutzt.</p>
        ) : (
          <BarChart
            caption={`Meistgenutzte Materialien der letzten ${materials.days} Tage`}
            labelHeader="Material"
            series={["Aufrufe", "Downloads"]}
            rows={materials.materials.map((m) => ({
              key: m.id,
              label: <Link to={`/materialien/${m.id}`}>{m.title}</Link>,
              values: [m.views, m.downloads],
            }))}
          />
        )}
        <Rare
          count={materials.rare}
          one={`Ein weiteres Material wurde seltener als ${MIN_PEOPLE}-mal genutzt.`}
          many={(n) => `${n} weitere Materialien wurden seltener als ${MIN_PEOPLE}-mal genutzt.`}
        />
      </section>

      <section className="card" aria-labelledby="runden-titel">
        <h3 id="runden-titel">Teilnahme an Dialogrunden</h3>
        <p className="hint">
          Die letzten 12 Dialogrunden, die begonnen haben: angemeldete Teilnehmende und Warteliste. Der Live-Raum führt
          bewusst keine Anwesenheitsliste; Personen sind hier die Angemeldeten.
        </p>
        {rounds.length === 0 ? (
          <p className="empty">Noch keine Dialogrunde hat stattgefunden.</p>
        ) : (
          <BarChart
            caption="Angemeldete und Warteliste der letzten Dialogrunden"
            labelHeader="Dialogrunde"
            series={["Angemeldet", "Warteliste"]}
            rows={rounds.map((r) => ({
              key: r.id,
              label: (
                <>
                  <Link to={`/dialogrunden/${r.id}`}>{r.title}</Link>
                  <br />
                  <span className="hint">
                    {formatDate(r.startsAt)}, {r.capacity} Plätze
                  </span>
                </>
              ),
              values: [r.registered, r.waiting],
            }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="suchen-titel">
        <h3 id="suchen-titel">Suchen ohne Treffer</h3>
        <p className="hint">
          Wonach in den letzten {searches.days} Tagen gesucht und nichts gefunden wurde: Hinweise auf fehlende
          Materialien oder Antworten. Die Statistik kennt keine Personen; Suchbegriffe, die seltener als {MIN_PEOPLE}
          -mal gesucht wurden, könnten von einer einzelnen Person stammen und stehen deshalb nicht hier.
        </p>
        <p>
          Suchen ohne Treffer insgesamt: <strong>{formatShown(searches.total)}</strong>
        </p>
        {searches.queries.length === 0 ? (
          <p className="empty">Kein Suchbegriff blieb {MIN_PEOPLE}-mal oder öfter ohne Treffer.</p>
        ) : (
          <BarChart
            caption={`Häufigste Suchen ohne Treffer der letzten ${searches.days} Tage`}
            labelHeader="Suchbegriff"
            series={["Suchen ohne Treffer"]}
            rows={searches.queries.map((q) => ({
              key: q.query,
              label: <Link to={`/suche?q=${encodeURIComponent(q.query)}`}>{q.query}</Link>,
              values: [q.searches],
            }))}
          />
        )}
        <Rare
          count={searches.rare}
          one={`Ein weiterer Suchbegriff blieb seltener als ${MIN_PEOPLE}-mal ohne Treffer.`}
          many={(n) => `${n} weitere Suchbegriffe blieben seltener als ${MIN_PEOPLE}-mal ohne Treffer.`}
        />
      </section>
    </div>
  );
}
