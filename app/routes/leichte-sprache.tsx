import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { getSiteSettings } from "../models/settings.server.ts";
import pagesStyles from "../styles/info-pages.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: pagesStyles }];

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Leichte Sprache",
    matches,
    "Das Netzwerk in Leichter Sprache: Was es hier gibt und wie du mitmachen kannst.",
  );

export async function loader() {
  const { siteName } = await getSiteSettings();
  return { siteName };
}

/** Leichte Sprache: short sentences, one idea each, hard words explained where they first appear. Public. */
export default function EasyLanguage() {
  const { siteName } = useLoaderData<typeof loader>();
  return (
    <div className="page page--narrow info-page easy-language">
      <h1>Leichte Sprache</h1>
      <p className="lead">Hier erklären wir die Website in Leichter Sprache.</p>

      <h2>Was ist das hier?</h2>
      <p>Diese Website heißt: {siteName}.</p>
      <p>Die Website ist für Lernbegleiterinnen und Lernbegleiter.</p>
      <p>
        <strong>Lernbegleiterinnen und Lernbegleiter</strong> helfen Kolleginnen und Kollegen beim Lernen.
      </p>
      <p>Sie arbeiten zum Beispiel im Jobcenter oder in der Agentur für Arbeit.</p>
      <p>Auf der Website können sie sich austauschen.</p>
      <p>Sie können Fragen stellen.</p>
      <p>Und sie können voneinander lernen.</p>

      <h2>Wer darf mitmachen?</h2>
      <p>Nur Mitglieder können die Inhalte lesen.</p>
      <p>
        <strong>Mitglied</strong> heißt: Du hast ein Konto auf der Website.
      </p>
      <p>Ein Konto bekommst du mit einer Einladung.</p>
      <p>Die Einladung schickt dir die Moderation.</p>
      <p>
        <strong>Moderation</strong> heißt: Ein paar Menschen kümmern sich um die Website.
      </p>
      <p>Sie achten darauf, dass alle freundlich miteinander umgehen.</p>

      <h2>Wie melde ich mich an?</h2>
      <ol>
        <li>Klicke oben rechts auf „Anmelden“.</li>
        <li>Schreib deine E-Mail-Adresse in das erste Feld.</li>
        <li>Schreib dein Passwort in das zweite Feld.</li>
        <li>Klicke auf den Knopf „Anmelden“.</li>
      </ol>
      <p>
        Hier geht es zur Anmeldung: <Link to="/anmelden">Anmelden</Link>
      </p>

      <h2>Was gibt es auf der Website?</h2>
      <p>Die Website hat 4 Bereiche.</p>
      <h3>1. Diskussionen</h3>
      <p>Hier kannst du Fragen stellen.</p>
      <p>Andere Mitglieder antworten dir.</p>
      <p>Du kannst auch selbst auf Fragen antworten.</p>
      <p>
        Die Diskussionen sind nach Themen sortiert. Das nennen wir <strong>Themenräume</strong>.
      </p>
      <h3>2. Materialien</h3>
      <p>Hier findest du Texte, Videos und Podcasts zum Lernen.</p>
      <p>
        Ein <strong>Podcast</strong> ist eine Sendung zum Hören.
      </p>
      <p>Die Moderation prüft alle Materialien.</p>
      <h3>3. Dialogrunden</h3>
      <p>Eine Dialogrunde ist ein Treffen im Internet.</p>
      <p>Mitglieder sprechen dort zu einem Thema.</p>
      <p>Du kannst dich für eine Dialogrunde anmelden.</p>
      <p>Danach kannst du das Ergebnis lesen.</p>
      <h3>4. Kollegiale Fallberatung</h3>
      <p>Du hast ein Problem bei deiner Arbeit?</p>
      <p>Dann kannst du es einer kleinen Gruppe erzählen.</p>
      <p>Die Gruppe gibt dir Tipps.</p>
      <p>Alles bleibt geheim.</p>
      <p>Nur die Gruppe kann es lesen.</p>

      <h2>Was passiert mit meinen Daten?</h2>
      <p>Wir speichern nur das, was die Website braucht.</p>
      <p>Du kannst dein Konto jederzeit löschen.</p>
      <p>
        Mehr dazu steht auf der Seite <Link to="/datenschutz">Datenschutz</Link>. Diese Seite ist nicht in Leichter
        Sprache.
      </p>

      <h2>Etwas klappt nicht?</h2>
      <p>Vielleicht kannst du etwas auf der Website nicht benutzen.</p>
      <p>Dann schreib uns.</p>
      <p>
        Das geht hier: <Link to="/barrierefreiheit#rueckmeldung">Barrieren melden</Link>
      </p>
      <p>Du brauchst dafür kein Konto.</p>
      <p>Wir antworten dir.</p>
    </div>
  );
}
