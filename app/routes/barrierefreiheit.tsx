import { data, type ActionFunctionArgs, type LinksFunction, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError, TextareaField } from "../components/Field.tsx";
import { formatDate } from "../domain/time.ts";
import { pageTitle } from "../components/meta.ts";
import { submitAccessibilityFeedback } from "../models/community/feedback.server.ts";
import { InputError } from "../models/errors.server.ts";
import { getSiteSettings } from "../models/settings.server.ts";
import { accessibilityFeedbackSchema } from "../schemas/feedback.ts";
import { parseForm } from "../schemas/form.ts";
import pagesStyles from "../styles/info-pages.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pagesStyles }];

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Erklärung zur Barrierefreiheit",
    matches,
    "Wie barrierefrei das Netzwerk ist, was noch fehlt und wie du uns eine Barriere meldest.",
  );

/** When this statement was prepared and last reviewed (BITV 2.0 asks for the date; update it with every review). */
const PREPARED = "2026-12-07T12:00:00Z";

/** Public, like the privacy page: the statement and its feedback form are for visitors without an account too. */
export async function loader() {
  const { siteName } = await getSiteSettings();
  return { siteName, prepared: PREPARED };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(accessibilityFeedbackSchema, await request.formData());
  if (!form.ok) return data({ ok: false as const, errors: form.errors, values: form.values }, { status: 400 });
  try {
    await submitAccessibilityFeedback(form.data, { userId: context.user?.id ?? null, clientIp: context.clientIp });
    return { ok: true as const, errors: {}, values: {} };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return data({ ok: false as const, errors: { [error.field]: error.message }, values: form.data }, { status: 429 });
  }
}

export default function AccessibilityStatement() {
  const { siteName, prepared } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sending = useNavigation().state === "submitting";
  const errors: Record<string, string | undefined> = result?.errors ?? {};
  const values: Record<string, string | undefined> = result?.values ?? {};
  return (
    <div className="page page--narrow info-page">
      <h1>Erklärung zur Barrierefreiheit</h1>
      <p className="lead">
        {siteName} soll für alle gut nutzbar sein. Diese Erklärung gilt für die gesamte Website. Sie folgt der
        Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der Norm EN 301 549 (WCAG 2.1, Stufe AA).
      </p>
      <p>
        <Link to="/leichte-sprache">Informationen in Leichter Sprache</Link>
      </p>

      <h2>Wie barrierefrei ist die Website?</h2>
      <p>
        Die Website ist <strong>teilweise barrierefrei</strong>. Die Seiten, Formulare und die Bedienung mit der
        Tastatur erfüllen die Anforderungen. Einige Inhalte erfüllen sie noch nicht. Sie stehen im nächsten Abschnitt.
      </p>

      <h2>Was ist nicht barrierefrei?</h2>
      <ul>
        <li>
          <strong>Keine Erklärung in Deutscher Gebärdensprache.</strong> Es gibt noch kein Video in Deutscher
          Gebärdensprache, das die Website erklärt. Wir planen es.
        </li>
        <li>
          <strong>Dateien von Mitgliedern.</strong> PDF-Dokumente, die Mitglieder hochladen, sind nicht immer
          barrierefrei (zum Beispiel ohne Überschriften-Struktur). Die Moderation prüft sie vor der Veröffentlichung,
          kann aber nicht jede Datei nachbessern. Schreib uns, dann schicken wir dir den Inhalt in einer anderen Form.
        </li>
        <li>
          <strong>Videos und Podcasts.</strong> Videos brauchen Untertitel, Podcasts ein Transkript, bevor sie
          veröffentlicht werden. Audiodeskriptionen für Videos gibt es noch nicht.
        </li>
        <li>
          <strong>Ton und Bild der Dialogrunden.</strong> Ton und Bild laufen über ein externes Konferenzsystem, für
          dessen Barrierefreiheit wir nicht verantwortlich sind. Chat, Wortmeldungen und Protokoll auf dieser Website
          sind barrierefrei; das Ergebnis jeder Runde erscheint als Text in den Materialien.
        </li>
        <li>
          <strong>Beiträge von Mitgliedern</strong> können Bilder ohne Beschreibung oder unklare Linktexte enthalten.
          Die Moderation weist darauf hin, wenn sie es bemerkt.
        </li>
      </ul>

      <h2>Wie ist diese Erklärung entstanden?</h2>
      <p>
        Die Erklärung wurde am <time dateTime={prepared.slice(0, 10)}>{formatDate(prepared)}</time> erstellt und zuletzt
        überprüft. Grundlage ist eine Selbstbewertung: Jede Seite wird bei jeder Änderung automatisch mit axe auf die
        Anforderungen der WCAG 2.1 (Stufe AA) geprüft und zusätzlich mit Tastatur, Bildschirmleser und bei 360, 768 und
        1280 Pixeln Breite von Hand getestet.
      </p>

      <h2 id="rueckmeldung">Barrieren melden</h2>
      <p>
        Ist dir eine Barriere aufgefallen? Brauchst du einen Inhalt in einer anderen Form? Dann schreib uns. Die
        Rückmeldung geht an die Moderation (das Kompetenzteam). Wir antworten innerhalb von sechs Wochen, wenn du eine
        E-Mail-Adresse angibst. Du brauchst dafür kein Konto.
      </p>
      {result?.ok ? (
        <p className="notice notice--ok" role="status">
          Danke! Deine Rückmeldung ist bei der Moderation angekommen. Wenn du eine E-Mail-Adresse angegeben hast,
          bekommst du eine Antwort.
        </p>
      ) : null}
      <FormError message={errors.form} />
      <Form
        method="post"
        action="/barrierefreiheit#rueckmeldung"
        className="form"
        noValidate
        key={result?.ok ? "sent" : "edit"}
        preventScrollReset
      >
        <TextareaField
          name="message"
          label="Was ist nicht barrierefrei?"
          required
          rows={6}
          defaultValue={values.message}
          error={errors.message}
          hint="Beschreibe, was du tun wolltest und was nicht ging."
        />
        <Field
          name="page"
          label="Auf welcher Seite? (optional)"
          defaultValue={values.page}
          error={errors.page}
          hint="Zum Beispiel die Adresse oder der Titel der Seite."
        />
        <Field
          name="name"
          label="Dein Name (optional)"
          autoComplete="name"
          defaultValue={values.name}
          error={errors.name}
        />
        <Field
          name="contact"
          label="Deine E-Mail-Adresse für eine Antwort (optional)"
          type="email"
          autoComplete="email"
          defaultValue={values.contact}
          error={errors.contact}
        />
        <p>
          <button type="submit" className="button" disabled={sending}>
            Rückmeldung senden
          </button>
        </p>
      </Form>

      <h2>Schlichtungsverfahren</h2>
      <p>
        Wenn du auf deine Rückmeldung keine oder keine zufriedenstellende Antwort bekommen hast, kannst du dich an die
        Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG) wenden. Sie hilft, Streit über Barrieren
        ohne Gericht zu lösen. Das Verfahren ist kostenlos, und du brauchst keinen Rechtsbeistand.
      </p>
      <address className="card info-page__address">
        Schlichtungsstelle nach dem Behindertengleichstellungsgesetz
        <br />
        bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit Behinderungen
        <br />
        Mauerstraße 53, 10117 Berlin
        <br />
        Telefon: <a href="tel:+4930185272805">030 18 527-2805</a>
        <br />
        E-Mail: <a href="mailto:info@schlichtungsstelle-bgg.de">info@schlichtungsstelle-bgg.de</a>
        <br />
        Internet: <a href="https://www.schlichtungsstelle-bgg.de">www.schlichtungsstelle-bgg.de</a>
      </address>
    </div>
  );
}
