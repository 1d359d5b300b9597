import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormError, SelectField, TextareaField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { countActiveSessions } from "../models/accounts/sessions.server.ts";
import { hasFeedToken, renewFeedToken, revokeFeedToken } from "../models/library/feed.server.ts";
import { env } from "../env.server.ts";
import { hasCalendarToken, renewCalendarToken, revokeCalendarToken } from "../models/rounds/calendar.server.ts";
import { changePassword, getUser, updateProfile } from "../models/accounts/users.server.ts";
import { InputError } from "../models/errors.server.ts";
import { passwordChangeSchema, profileSchema } from "../schemas/accounts.ts";
import { legalDomainLabels } from "../domain/accounts.ts";
import { parseForm } from "../schemas/form.ts";
import { SecretAddress } from "../components/SecretAddress.tsx";
import { Avatar } from "../components/Avatar.tsx";
import { ownPicture } from "../models/avatars/pictures.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Einstellungen", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const [user, picture] = await Promise.all([getUser(actor.id), ownPicture(actor)]);
  if (!user) throw data(null, { status: 404 });
  return {
    face: { id: user.id, name: user.displayName, picture: picture?.stamp ?? null },
    profile: {
      displayName: user.displayName,
      handle: user.handle,
      email: user.email,
      roleText: user.roleText,
      legalDomain: user.legalDomain ?? "",
      region: user.region,
      bio: user.bio,
      expertise: user.expertise.join(", "),
      listed: user.listed ? "on" : "",
    },
    /** Changes with every saved profile: the form starts again from the stored values. */
    profileVersion: user.updatedAt.toISOString(),
    sessions: await countActiveSessions(actor.id),
    feed: await hasFeedToken(actor),
    calendar: await hasCalendarToken(actor),
  };
}

type Result = {
  form: "profile" | "password" | "feed" | "calendar";
  ok: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  feedUrl?: string;
};

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  try {
    if (intent === "profile") {
      const form = parseForm(profileSchema, formData);
      if (!form.ok) return data<Result>({ form: "profile", ok: false, errors: form.errors, values: form.values }, 400);
      await updateProfile(actor, actor.id, form.data);
      return data<Result>({ form: "profile", ok: true });
    }
    if (intent === "feedRenew") {
      const token = await renewFeedToken(actor);
      const base = env().PUBLIC_URL ?? new URL(request.url).origin;
      return data<Result>({ form: "feed", ok: true, feedUrl: `${base}/feeds/podcast.xml?token=${token}` });
    }
    if (intent === "feedRevoke") {
      await revokeFeedToken(actor);
      return data<Result>({ form: "feed", ok: true });
    }
    if (intent === "calendarRenew") {
      const token = await renewCalendarToken(actor);
      const base = env().PUBLIC_URL ?? new URL(request.url).origin;
      return data<Result>({ form: "calendar", ok: true, feedUrl: `${base}/feeds/dialogrunden.ics?token=${token}` });
    }
    if (intent === "calendarRevoke") {
      await revokeCalendarToken(actor);
      return data<Result>({ form: "calendar", ok: true });
    }
    if (intent === "password") {
      const form = parseForm(passwordChangeSchema, formData);
      if (!form.ok) return data<Result>({ form: "password", ok: false, errors: form.errors }, 400);
      await changePassword(actor, { ...form.data, keepSessionId: context.sessionId ?? "" });
      return data<Result>({ form: "password", ok: true });
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const values = Object.fromEntries(
      [...formData].filter(([k, v]) => typeof v === "string" && !/password/i.test(k)),
    ) as Record<string, string>;
    return data<Result>(
      {
        form: intent === "password" ? "password" : "profile",
        ok: false,
        errors: { [error.field]: error.message },
        values,
      },
      400,
    );
  }
  throw data("Unbekannte Aktion", { status: 400 });
}

const legalDomainOptions = [
  { value: "", label: "Keine Angabe" },
  ...Object.entries(legalDomainLabels).map(([value, label]) => ({ value, label })),
];

export default function Settings() {
  const { face, profile, profileVersion, sessions, feed, calendar } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const profileErrors = result?.form === "profile" ? (result.errors ?? {}) : {};
  const values =
    result?.form === "profile" && result.values
      ? { ...profile, ...result.values, listed: result.values.listed ?? "" }
      : profile;
  const passwordErrors = result?.form === "password" ? (result.errors ?? {}) : {};
  return (
    <div className="page page--narrow">
      <h1>Einstellungen</h1>
      {params.get("willkommen") ? (
        <p className="notice notice--ok" role="status">
          Schön, dass du da bist! Erzähl den anderen kurz, wer du bist – das macht den Austausch leichter.
        </p>
      ) : null}

      <section aria-labelledby="profil-titel" className="card">
        <h2 id="profil-titel">Profil</h2>
        <p className="person">
          <Avatar face={face} size="m" />
          <Link to="/einstellungen/profilbild">{face.picture ? "Profilbild ändern" : "Profilbild hochladen"}</Link>
        </p>
        {result?.form === "profile" && result.ok ? (
          <p className="notice notice--ok" role="status">
            Dein Profil ist gespeichert.
          </p>
        ) : null}
        <FormError message={profileErrors.form} />
        <Form
          method="post"
          className="form"
          noValidate
          key={result?.form === "profile" && !result.ok ? "edit" : profileVersion}
        >
          <input type="hidden" name="intent" value="profile" />
          <Field
            name="displayName"
            label="Name"
            required
            autoComplete="name"
            defaultValue={values.displayName}
            error={profileErrors.displayName}
          />
          <Field
            name="handle"
            label="Kurzname"
            required
            defaultValue={values.handle}
            error={profileErrors.handle}
            hint="Für @Erwähnungen und deine Profiladresse."
          />
          <Field
            name="roleText"
            label="Funktion"
            defaultValue={values.roleText}
            error={profileErrors.roleText}
            hint="z. B. Lernbegleiterin im Jobcenter, Qualifizierungsverantwortlicher"
          />
          <SelectField
            name="legalDomain"
            label="Rechtskreis"
            options={legalDomainOptions}
            defaultValue={values.legalDomain}
            error={profileErrors.legalDomain}
          />
          <Field
            name="region"
            label="Region oder lokaler Verbund"
            defaultValue={values.region}
            error={profileErrors.region}
          />
          <TextareaField
            name="bio"
            label="Kurzvorstellung"
            defaultValue={values.bio}
            error={profileErrors.bio}
            maxLength={1000}
            hint="Höchstens 1000 Zeichen. Bitte keine Angaben über Lernende oder Kundinnen und Kunden."
          />
          <Field
            name="expertise"
            label="Dazu kannst du gefragt werden"
            defaultValue={values.expertise}
            error={profileErrors.expertise}
            hint="Bis zu 10 Themen, durch Komma getrennt, z. B. Lernlandkarte, eAkte, Moderation. Andere finden dich darüber im Mitgliederverzeichnis."
          />
          <div className="checkbox">
            <input
              type="checkbox"
              id="listed"
              name="listed"
              defaultChecked={values.listed === "on"}
              aria-describedby="listed-hinweis"
            />
            <label htmlFor="listed">Im Mitgliederverzeichnis und in der Suche zeigen</label>
            <p id="listed-hinweis" className="field__hint">
              Dann finden dich andere Mitglieder über Name, Funktion, Region, Rechtskreis, Themen und Kurzvorstellung.
              Ohne Häkchen bist du nur über deine Beiträge sichtbar.
            </p>
          </div>
          <p className="hint">Deine E-Mail-Adresse: {profile.email}</p>
          <div>
            <button type="submit" className="button" disabled={busy}>
              Profil speichern
            </button>
          </div>
        </Form>
      </section>

      <p className="card">
        Wie du von Antworten, Erwähnungen und Dialogrunden erfährst:{" "}
        <a href="/benachrichtigungen/einstellungen">Benachrichtigungen einstellen</a>
      </p>

      <section aria-labelledby="passwort-titel" className="card">
        <h2 id="passwort-titel">Passwort ändern</h2>
        {result?.form === "password" && result.ok ? (
          <p className="notice notice--ok" role="status">
            Dein Passwort ist geändert. Auf deinen anderen Geräten bist du jetzt abgemeldet.
          </p>
        ) : null}
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="password" />
          {/* Tells password managers whose password this is (Chromium flags password forms without one). */}
          <input type="email" name="username" autoComplete="username" defaultValue={profile.email} readOnly hidden />
          <Field
            name="currentPassword"
            label="Bisheriges Passwort"
            type="password"
            autoComplete="current-password"
            required
            error={passwordErrors.currentPassword}
          />
          <Field
            name="newPassword"
            label="Neues Passwort"
            type="password"
            autoComplete="new-password"
            required
            error={passwordErrors.newPassword}
            hint="Mindestens 10 Zeichen."
          />
          <div>
            <button type="submit" className="button" disabled={busy}>
              Passwort ändern
            </button>
          </div>
        </Form>
      </section>

      <SecretAddress
        id="feed"
        title="Podcasts abonnieren"
        intro="Mit deiner persönlichen Feed-Adresse hörst du die Podcasts des Netzwerks in deiner Podcast-App. Die Adresse enthält einen geheimen Schlüssel: Gib sie nicht weiter. Sie wird nur einmal angezeigt; du kannst jederzeit eine neue erzeugen, dann gilt die alte nicht mehr."
        noun="Feed-Adresse"
        exists={feed}
        shown={result?.form === "feed" ? (result.feedUrl ?? "") : undefined}
        intents={{ renew: "feedRenew", revoke: "feedRevoke" }}
      />

      <SecretAddress
        id="kalender"
        title="Dialogrunden im Kalender"
        intro="Mit deiner persönlichen Kalender-Adresse zeigt deine Kalender-App die Dialogrunden, für die du angemeldet bist. Die Adresse enthält einen geheimen Schlüssel: Gib sie nicht weiter. Sie wird nur einmal angezeigt; eine neue ersetzt die alte."
        noun="Kalender-Adresse"
        exists={calendar}
        shown={result?.form === "calendar" ? (result.feedUrl ?? "") : undefined}
        intents={{ renew: "calendarRenew", revoke: "calendarRevoke" }}
      />

      <section aria-labelledby="geraete-titel" className="card">
        <h2 id="geraete-titel">Angemeldete Geräte</h2>
        <p>
          Du bist zurzeit {sessions === 1 ? "auf einem Gerät" : `auf ${sessions} Geräten`} angemeldet. Eine Anmeldung
          gilt 30 Tage und verlängert sich, solange du das Netzwerk nutzt.
        </p>
        <Form method="post" action="/abmelden">
          <input type="hidden" name="everywhere" value="1" />
          <button type="submit" className="button button--quiet">
            Auf allen Geräten abmelden
          </button>
        </Form>
      </section>

      <section aria-labelledby="daten-titel" className="card">
        <h2 id="daten-titel">Deine Daten</h2>
        <p>
          Lade alles herunter, was das Netzwerk über dich gespeichert hat, oder lösche dein Konto. Was wir speichern,
          steht in der <Link to="/datenschutz">Datenschutzerklärung</Link>.
        </p>
        <ul>
          <li>
            <Link to="/einstellungen/daten">Meine Daten herunterladen</Link>
          </li>
          <li>
            <Link to="/einstellungen/konto-loeschen">Konto löschen</Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
