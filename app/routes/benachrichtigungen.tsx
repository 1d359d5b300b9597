import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatDateTime } from "../domain/time.ts";
import { Avatar } from "../components/Avatar.tsx";
import { requireUser } from "../auth/session.server.ts";
import { listNotifications, markNotificationsRead } from "../models/discussions/notifications.server.ts";
import { notificationReadSchema } from "../schemas/notifications.ts";
import { parseForm } from "../schemas/form.ts";
import "../styles/notifications.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Benachrichtigungen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const page = Math.min(
    10_000,
    Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("seite") ?? "1", 10) || 1),
  );
  return { ...(await listNotifications(actor.id, page)), page };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = parseForm(notificationReadSchema, await request.formData());
  if (!form.ok) throw data("Unbekannte Aktion.", { status: 400 });
  await markNotificationsRead(actor.id, form.data.intent === "all" ? "all" : [form.data.id]);
  return { ok: true };
}

const describe: Record<string, (actor: string) => string> = {
  // Watchers and the author of the post answered both get "reply": say only what is true for both.
  reply: (a) => `${a} hat geantwortet`,
  answer: (a) => `Deine Frage hat eine Antwort von ${a}`,
  mention: (a) => `${a} hat dich erwähnt`,
  accepted: (a) => `${a} hat deine Antwort als Lösung markiert`,
};

/** Case consultations: fixed texts that name no case content (not even the topic). */
const caseTexts: Record<string, string> = {
  case_invite: "Du bist zu einer Kollegialen Fallberatung eingeladen",
  case_seat: "Jemand hat einen freien Platz in deiner Fallberatung übernommen",
  case_phase: "In deiner Fallberatung hat eine neue Phase begonnen",
  case_reminder: "Eine Phase deiner Fallberatung endet bald",
};

const describeRound: Record<string, string> = {
  round_reminder: "Erinnerung: Die Dialogrunde beginnt bald",
  round_promoted: "Du bist von der Warteliste nachgerückt",
  round_outcome: "Das Ergebnis der Dialogrunde ist veröffentlicht",
  round_changed: "Die Dialogrunde wurde geändert",
  round_cancelled: "Die Dialogrunde ist abgesagt",
};

export default function Notifications() {
  const { items, hasMore, page } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const unread = items.some((n) => !n.readAt);
  return (
    <div className="page page--narrow">
      <div className="page-head">
        <h1>Benachrichtigungen</h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="intent" value="all" />
            <button type="submit" className="button button--quiet" disabled={busy}>
              Alle als gelesen markieren
            </button>
          </Form>
        ) : null}
      </div>
      <p>
        <Link to="/benachrichtigungen/einstellungen">Einstellen, wie du benachrichtigt wirst</Link> – sofort per E-Mail,
        als tägliche oder wöchentliche Zusammenfassung, nur hier oder gar nicht.
      </p>
      {items.length === 0 ? (
        <p className="empty">
          {page > 1
            ? "Auf dieser Seite gibt es keine Benachrichtigungen mehr."
            : "Keine Benachrichtigungen. Beobachte Diskussionen oder Themenräume, um von neuen Antworten zu erfahren."}
        </p>
      ) : (
        <ul className="notification-list">
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? "notification" : "notification notification--unread"}>
              <p className="notification__line">
                {/* Decorative: the name is in the text beside it. Anonymous authors were never stored: a plain disc. */}
                {!n.caseId && !n.roundId && !n.bookmarkId ? <Avatar face={n.actor} size="s" /> : null}
                {!n.readAt ? <span className="badge badge--unread">Neu</span> : null}{" "}
                {/* The link marks it read on the way (see benachrichtigungen_.$id.tsx). */}
                <Link to={`/benachrichtigungen/${n.id}`}>
                  {n.bookmarkId
                    ? "Erinnerung aus deiner Merkliste"
                    : n.caseId
                      ? (caseTexts[n.type] ?? "Neuigkeiten in deiner Fallberatung")
                      : n.roundId
                        ? `${describeRound[n.type] ?? "Neuigkeiten zur Dialogrunde"}: „${n.roundTitle}“`
                        : `${(describe[n.type] ?? describe.reply)(n.actorName ?? "Ein Mitglied")}: „${n.threadTitle}“`}
                </Link>
              </p>
              {n.preview && !n.caseId ? <p className="hint">{n.preview}</p> : null}
              {n.bookmarkNote ? <p className="hint">Deine Notiz: {n.bookmarkNote}</p> : null}
              <div className="notification__meta">
                <p className="hint">{formatDateTime(n.createdAt)}</p>
                {!n.readAt ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="one" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="button button--quiet" disabled={busy}>
                      Als gelesen markieren
                    </button>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {page > 1 || hasMore ? (
        <nav aria-label="Seiten" className="pagination">
          {page > 1 ? <Link to={page === 2 ? "/benachrichtigungen" : `?seite=${page - 1}`}>← Neuere</Link> : null}
          <span>Seite {page}</span>
          {hasMore ? <Link to={`?seite=${page + 1}`}>Ältere →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
