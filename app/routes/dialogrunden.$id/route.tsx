import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { pageTitle } from "../../components/meta.ts";
import { formatDateTime } from "../../domain/time.ts";
import { FormError } from "../../components/Field.tsx";
import { requireUser } from "../../auth/session.server.ts";
import { getRoundView } from "../../models/rounds/rounds.server.ts";
import { chatForOutcome } from "../../models/rounds/host.server.ts";
import { statusLabels } from "../../domain/rounds/types.ts";
import { Avatar } from "../../components/Avatar.tsx";
import { LiveRoom } from "../../components/rounds/LiveRoom.tsx";
import { Questions } from "../../components/rounds/Questions.tsx";
import { OutcomeEditor } from "../../components/rounds/OutcomeEditor.tsx";
import { useRoundChanges } from "../../components/rounds/useRoundChanges.ts";
import { roundAction, type ActionResult } from "./actions.server.ts";
import "../../styles/rounds.css";
import "../../styles/rounds-page.css";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) =>
  pageTitle(data?.view.round.title ?? "Dialogrunde", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const view = await getRoundView(actor, params.id ?? "");
  if (!view) throw data(null, { status: 404 });
  const chat = view.may.host && view.round.status === "closed" ? await chatForOutcome(actor, view.round.id) : [];
  return { view, chat, me: { id: actor.id, name: actor.displayName } };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  return roundAction(actor, params.id ?? "", await request.formData());
}

export default function RoundPage() {
  const { view, chat, me } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const { round, may, my } = view;
  const status = round.status;
  // The server pushes "opened", "edited" and "cancelled" to everyone signed up and the hosts: the page reloads at
  // once (registrants waiting for the host are let into the room without delay).
  const announcement = useRoundChanges(round.id);

  const registrationMessage = result?.form === "registration" ? result : null;
  const roundMessage = result?.form === "round" ? result : null;
  // A fresh confirmation replaces the standing line, so the page does not say the same thing twice.
  const confirmed = !!(registrationMessage?.ok && registrationMessage.message);
  return (
    <div className="page round-page">
      <p className="breadcrumb">
        <Link to="/dialogrunden">Dialogrunden</Link> › {round.title}
      </p>
      <div className="page-head">
        <h1>{round.title}</h1>
        <p>
          <span className={status === "live" ? "badge badge--warning" : "badge"}>{statusLabels[status]}</span>
        </p>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {params.get("geplant") ? (
        <p className="notice notice--ok" role="status">
          Die Dialogrunde ist geplant.
        </p>
      ) : null}
      {params.get("geaendert") && status === "scheduled" ? (
        <p className="notice notice--ok" role="status">
          Die Änderungen sind gespeichert. Wer angemeldet ist oder wartet, bekommt Bescheid.
        </p>
      ) : null}
      {params.get("unveraendert") ? (
        <p className="notice" role="status">
          Es gab nichts zu ändern.
        </p>
      ) : null}
      {status === "cancelled" ? (
        <p className="notice notice--error" role="status">
          Diese Dialogrunde ist abgesagt.
          {params.get("abgesagt") ? " Alle, die angemeldet waren oder gewartet haben, bekommen Bescheid." : ""}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Wann</dt>
        <dd>
          {formatDateTime(round.startsAt)} bis {formatDateTime(round.endsAt)} Uhr
        </dd>
        <dt>Gastgebende</dt>
        <dd className="people-inline">
          {view.hosts.map((h) => (
            <span key={h.id} className="person">
              <Avatar face={h} size="s" />
              {h.name}
            </span>
          ))}
        </dd>
        <dt>Plätze</dt>
        <dd>
          {view.registeredCount} von {round.capacity} belegt
          {view.waitingCount ? `, ${view.waitingCount} auf der Warteliste` : ""}
        </dd>
        <dt>Anmeldeschluss</dt>
        <dd>{formatDateTime(round.registrationDeadline)} Uhr</dd>
      </dl>
      {round.description ? <p className="round-description">{round.description}</p> : null}

      {status === "published" && round.outcomeMaterialId ? (
        <section aria-labelledby="ergebnis-titel" className="card">
          <h2 id="ergebnis-titel">Ergebnis</h2>
          <p>
            <Link to={`/materialien/${round.outcomeMaterialId}`}>Das Ergebnis in den Materialien lesen</Link>
            {round.outcomeThreadId ? (
              <>
                {" · "}
                <Link to={`/diskussionen/${round.outcomeThreadId}`}>Weiterdiskutieren</Link>
              </>
            ) : null}
          </p>
        </section>
      ) : null}

      <section aria-labelledby="teilnahme-titel" className="card">
        <h2 id="teilnahme-titel">Teilnahme</h2>
        {registrationMessage?.ok && registrationMessage.message ? (
          <p className="notice notice--ok" role="status">
            {registrationMessage.message}
          </p>
        ) : null}
        <FormError message={registrationMessage?.errors?.form} />
        {may.host ? <p>Du bist Gastgeberin oder Gastgeber dieser Runde und brauchst dich nicht anzumelden.</p> : null}
        {my.status === "registered" && !confirmed && status !== "cancelled" ? <p>Du bist angemeldet.</p> : null}
        {my.status === "waiting" && !confirmed && status !== "cancelled" ? (
          <p>Du stehst auf Platz {my.waitingPlace} der Warteliste und rückst automatisch nach, wenn jemand absagt.</p>
        ) : null}
        <div className="round-actions">
          {may.register ? (
            <Form method="post">
              <button type="submit" name="intent" value="register" className="button" disabled={busy}>
                {view.registeredCount >= round.capacity ? "Auf die Warteliste" : "Anmelden"}
              </button>
            </Form>
          ) : null}
          {may.cancel ? (
            params.get("absagen") ? (
              <Form method="post" className="confirm">
                <p>Wirklich absagen? Dein Platz geht an die Warteliste.</p>
                <button type="submit" name="intent" value="cancel" className="button button--danger" disabled={busy}>
                  Ja, absagen
                </button>{" "}
                <Link to=".">Nein, angemeldet bleiben</Link>
              </Form>
            ) : (
              <Link to="?absagen=1" className="button button--quiet">
                Absagen
              </Link>
            )
          ) : null}
          {(!my.status || my.status === "cancelled") && !may.host && status !== "cancelled" ? (
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value={my.watching ? "unwatch" : "watch"}
                className="button button--quiet"
                disabled={busy}
              >
                {my.watching ? "Nicht mehr beobachten" : "Beobachten (Ergebnis per Benachrichtigung)"}
              </button>
            </Form>
          ) : null}
          <a href={`/dialogrunden/${round.id}.ics`} className="button button--quiet" download>
            {status === "cancelled" ? "Absage für den Kalender (.ics)" : "In den Kalender (.ics)"}
          </a>
        </div>
        {round.conferenceUrl ? (
          <p className="hint">
            Ton und Bild: <a href={round.conferenceUrl}>Link zum Konferenzsystem</a>
          </p>
        ) : round.hasConferenceUrl ? (
          <p className="hint">Den Link zum Konferenzsystem sehen alle, die angemeldet sind.</p>
        ) : null}
        {!may.register && !my.status && !may.host && status === "scheduled" ? (
          <p className="hint">Die Anmeldung ist geschlossen.</p>
        ) : null}
      </section>

      {may.host ? (
        <section aria-labelledby="moderation-titel" className="card">
          <h2 id="moderation-titel">Raum</h2>
          <FormError message={roundMessage?.errors?.form} />
          {status === "scheduled" || status === "closed" ? (
            <Form method="post" className="round-actions">
              <button type="submit" name="intent" value="open" className="button" disabled={busy}>
                {status === "closed" ? "Raum wieder öffnen" : "Raum öffnen"}
              </button>
            </Form>
          ) : null}
          {status === "live" ? (
            params.get("schliessen") ? (
              <Form method="post" className="confirm">
                <p>
                  Raum für alle schließen? Chat und Wortmeldungen enden; danach kannst du das Ergebnis veröffentlichen.
                </p>
                <button type="submit" name="intent" value="close" className="button button--danger" disabled={busy}>
                  Ja, Raum schließen
                </button>{" "}
                <Link to=".">Abbrechen</Link>
              </Form>
            ) : (
              <Link to="?schliessen=1" className="button button--quiet">
                Raum schließen
              </Link>
            )
          ) : null}
          {status === "published" ? <p className="hint">Das Ergebnis ist veröffentlicht.</p> : null}
          {may.change ? (
            <RoundChangeTools
              roundId={round.id}
              confirming={!!params.get("runde-absagen")}
              registered={view.registeredCount}
              waiting={view.waitingCount}
              busy={busy}
            />
          ) : null}
        </section>
      ) : null}

      {status === "live" && may.join ? (
        <LiveRoom
          key={round.id}
          roundId={round.id}
          me={me}
          isHost={may.host}
          agenda={view.agenda}
          conferenceUrl={round.conferenceUrl}
        />
      ) : status === "live" && my.removed ? (
        <p className="notice notice--error">Die Moderation hat dich aus dieser Runde entfernt.</p>
      ) : status === "live" ? (
        <p className="notice">Die Runde läuft gerade. Der Raum ist für angemeldete Teilnehmende.</p>
      ) : status === "scheduled" && my.status === "registered" ? (
        <p className="hint">
          Der Raum öffnet, sobald die Gastgebenden ihn freigeben. Diese Seite lässt dich dann sofort hinein.
        </p>
      ) : null}

      {view.agenda.length && status !== "live" ? (
        <section aria-labelledby="agenda-titel" className="card">
          <h2 id="agenda-titel">Tagesordnung</h2>
          <ol>
            {view.agenda.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ol>
        </section>
      ) : null}

      {status === "closed" && may.host ? (
        <OutcomeEditor round={round} chat={chat} result={result?.form === "outcome" ? result : undefined} busy={busy} />
      ) : null}

      <Questions
        questions={view.questions}
        mayAsk={may.ask}
        isHost={may.host}
        live={status === "live"}
        result={result}
        busy={busy}
      />
    </div>
  );
}

/** Change the round, or call it off after a confirmation step (the confirmation is its own page state: ?runde-absagen=1). */
function RoundChangeTools({
  roundId,
  confirming,
  registered,
  waiting,
  busy,
}: {
  roundId: string;
  confirming: boolean;
  registered: number;
  waiting: number;
  busy: boolean;
}) {
  const told = registered + waiting;
  return (
    <div className="round-change">
      <h3 className="round-change__title">Planung</h3>
      {confirming ? (
        <Form method="post" className="confirm">
          <input type="hidden" name="confirm" value="yes" />
          <p>
            Dialogrunde wirklich absagen?{" "}
            {told > 0
              ? `${told === 1 ? "Eine Person bekommt" : `${told} Personen bekommen`} Bescheid (im Netzwerk und, je nach Einstellung, per E-Mail).`
              : "Bisher hat sich niemand angemeldet."}{" "}
            Das lässt sich nicht rückgängig machen.
          </p>
          <div className="round-actions">
            <button type="submit" name="intent" value="cancelRound" className="button button--danger" disabled={busy}>
              Ja, Dialogrunde absagen
            </button>
            <Link to="." className="button button--quiet">
              Nein, nicht absagen
            </Link>
          </div>
        </Form>
      ) : (
        <div className="round-actions">
          <Link to={`/dialogrunden/${roundId}/bearbeiten`} className="button button--quiet">
            Dialogrunde ändern
          </Link>
          <Link to="?runde-absagen=1" className="button button--quiet">
            Dialogrunde absagen …
          </Link>
        </div>
      )}
    </div>
  );
}
