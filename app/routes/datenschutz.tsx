import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { env } from "../env.server.ts";
import { THROTTLE } from "../models/accounts/throttle.server.ts";
import { SESSION_LIFETIME_MS } from "../models/accounts/sessions.server.ts";
import { EXPORT_LIFETIME_DAYS } from "../models/privacy/export.server.ts";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    "Datenschutz",
    matches,
    "Welche Daten das Netzwerk speichert, wozu, wie lange und wie du sie herunterlädst oder löschst.",
  );

const DAY = 24 * 60 * 60 * 1000;

/** Public: people read it before they accept an invitation. The figures come from the running configuration. */
export function loader() {
  return {
    caseRetentionDays: env().CASE_RETENTION_DAYS,
    knownAddressDays: Math.round(THROTTLE.knownForMs / DAY),
    sessionDays: Math.round(SESSION_LIFETIME_MS / DAY),
    exportDays: EXPORT_LIFETIME_DAYS,
  };
}

export default function Privacy() {
  const { caseRetentionDays, knownAddressDays, sessionDays, exportDays } = useLoaderData<typeof loader>();
  const rows: [string, string, string][] = [
    [
      "Konto und Profil: E-Mail-Adresse, Name, Kurzname, Passwort (nur als Prüfwert), Funktion, Rechtskreis, Region, Themen, Kurzvorstellung; ob du die Willkommens-Checkliste ausgeblendet hast",
      "Damit du dich anmelden kannst und andere wissen, mit wem sie sprechen. Das Profil ist nur im Mitgliederverzeichnis, wenn du es einschaltest.",
      "Bis du dein Konto löschst.",
    ],
    [
      "Profilbild (wenn du eines hochlädst): das Bild ohne Kamera-, Zeit- und Standortangaben (EXIF, GPS werden beim Hochladen entfernt) und der gewählte Ausschnitt",
      "Damit andere dich neben deinen Beiträgen, im Verzeichnis und in Dialogrunden erkennen. Nur angemeldete Mitglieder sehen es; das ganze hochgeladene Bild nur du.",
      "Bis du es entfernst oder dein Konto löschst.",
    ],
    [
      "Anmeldungen (Sitzungen): Zeitpunkt und Ablauf",
      "Damit du angemeldet bleibst. Gespeichert wird nur ein Prüfwert, nicht der Schlüssel im Cookie.",
      `${sessionDays} Tage nach der letzten Nutzung, beim Abmelden sofort.`,
    ],
    [
      "Anmeldeversuche: Zähler der Fehlversuche je E-Mail-Adresse und je Netzwerkadresse, nur als Prüfwert (HMAC), nie im Klartext",
      "Schutz vor dem Erraten von Passwörtern: Nach einigen Fehlversuchen muss vor jedem weiteren Versuch länger gewartet werden (höchstens 15 Minuten).",
      "Bis zur nächsten erfolgreichen Anmeldung; Zähler ohne neue Versuche werden nach 24 Stunden entfernt.",
    ],
    [
      "Bekannte Netzwerkadressen: Adressen, von denen du dich erfolgreich angemeldet hast, nur als Prüfwert (HMAC), und wann zuletzt",
      "Damit du dich von dort auch dann anmelden kannst, wenn gerade jemand anderes dein Passwort zu erraten versucht.",
      `${knownAddressDays} Tage nach der letzten Anmeldung von dort; mit deinem Konto sofort.`,
    ],
    [
      "Diskussionen, Beiträge, frühere Fassungen, Reaktionen („Danke“, „Hilfreich“), Meldungen",
      "Der Austausch im Netzwerk. Reaktionen zeigen wir nur als Zahl, nie als Rangliste.",
      "Bis du sie löschst oder dein Konto löschst (dann nach deiner Wahl ohne Namen behalten oder gelöscht).",
    ],
    [
      "Umfragen, die du stellst, und deine Stimmen in Umfragen",
      "Damit die Ergebnisse gezählt werden können. Alle sehen nur Summen; wer wie abgestimmt hat, sieht niemand außer dir, auch die Moderation nicht.",
      "Deine Stimmen bis du sie zurücknimmst oder dein Konto löschst (dann zählen sie in den Ergebnissen nicht mehr). Deine Umfragen wie deine Beiträge.",
    ],
    [
      "Entwürfe, beobachtete Diskussionen und Themenräume, gelesene Diskussionen und als gelesen markierte Themenräume, deine Merkliste (nur für dich sichtbar, mit Notizen und Erinnerungen), Benachrichtigungen, deine Benachrichtigungs-Einstellungen und wann deine letzte Zusammenfassung verschickt wurde",
      "Damit nichts verloren geht, was du schreibst, und du erfährst, was dich betrifft.",
      "Entwürfe bis zum Absenden, alles andere bis du es änderst oder dein Konto löschst.",
    ],
    [
      "Mails an dich (Empfänger, Betreff, Text) im Postausgang",
      "Mails werden erst gespeichert und dann verschickt, damit bei einer Störung keine verloren geht.",
      "Bis zur Löschung deines Kontos; versandte Mails werden zurzeit nicht früher automatisch gelöscht. Mit deinem Konto gehen auch Mails an andere, die deinen Namen nennen (etwa eine Erwähnung). Die Datenauskunft nennt Zeitpunkt und Stand deiner Mails, nicht ihre Texte: Die zitieren andere Mitglieder.",
    ],
    [
      "Materialien und hochgeladene Dateien",
      "Die Bibliothek des Netzwerks. Veröffentlichte Materialien gehören zur Bibliothek.",
      "Nicht zugeordnete Uploads verfallen nach kurzer Zeit; veröffentlichte Materialien bleiben, auch nach deiner Kontolöschung (ohne Verweis auf dich).",
    ],
    [
      "Dialogrunden: Anmeldung, Warteliste, Fragen vorab, Chat und Wortmeldungen im Live-Raum",
      "Damit die Runde geplant und moderiert werden kann und man nach einem Verbindungsabbruch nichts verpasst.",
      "Solange es die Runde gibt; bei Kontolöschung ohne deinen Namen (oder nach deiner Wahl gelöscht).",
    ],
    [
      "Kollegiale Fallberatung: Fallschilderung, Beiträge, Rollen",
      "Die Beratung in der kleinen Gruppe.",
      `Die Inhalte werden ${caseRetentionDays} Tage nach dem Abschluss gelöscht; nur die Erkenntnis der Fallgeberin oder des Fallgebers bleibt für sie oder ihn.`,
    ],
    [
      "Suchanfragen",
      "Damit die Moderation sieht, was oft gesucht und nicht gefunden wird.",
      "Nur als Zählung pro Tag und Suchbegriff – ohne Person.",
    ],
    [
      "Protokoll der Moderation (wer hat was moderiert)",
      "Rechenschaft: Jede Handlung der Moderation und der Administration ist nachvollziehbar.",
      "Dauerhaft; nach einer Kontolöschung ohne die handelnde Person.",
    ],
  ];
  return (
    <div className="page page--narrow prose">
      <h1>Datenschutz</h1>
      <p>
        Das Netzwerk läuft auf den Servern der eigenen Organisation. Es bindet keine Dienste Dritter ein: keine fremden
        Schriften, keine Zählpixel, keine Werbung. Wir speichern nur, was für den Austausch nötig ist, und werten nichts
        über einzelne Personen aus – Statistiken für die Moderation sind immer Summen über viele.
      </p>

      <h2>Was wir speichern, wozu und wie lange</h2>
      <div className="table-wrap" role="region" aria-label="Gespeicherte Daten" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Gespeicherte Daten mit Zweck und Speicherdauer</caption>
          <thead>
            <tr>
              <th scope="col">Daten</th>
              <th scope="col">Wozu</th>
              <th scope="col">Wie lange</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([what, why, how]) => (
              <tr key={what}>
                <th scope="row">{what}</th>
                <td>{why}</td>
                <td>{how}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Wer sieht was</h2>
      <ul>
        <li>
          Beiträge, Materialien und Dialogrunden sehen alle angemeldeten Mitglieder. Ohne Anmeldung ist nichts davon
          sichtbar.
        </li>
        <li>
          <strong>Anonyme Beiträge</strong> zeigen anderen Mitgliedern keinen Namen. Die Moderation kann im Ausnahmefall
          nachsehen, wer einen anonymen Beitrag geschrieben hat; jedes Nachsehen wird protokolliert.
        </li>
        <li>
          <strong>Fallberatungen</strong> sehen nur die Teilnehmenden, die der Vertraulichkeit zugestimmt haben – auch
          die Moderation und die Administration nicht. Außerhalb der Gruppe ist nur das allgemeine Thema freier Plätze
          zu sehen.
        </li>
        <li>
          Dein Profil erscheint im Mitgliederverzeichnis und in der Suche nur, wenn du das in den Einstellungen
          einschaltest.
        </li>
        <li>Die Moderation sieht Meldungen mit der meldenden Person und Statistiken nur als Summen.</li>
      </ul>

      <h2>Deine Daten herunterladen</h2>
      <p>
        Unter <Link to="/einstellungen/daten">Einstellungen → Meine Daten herunterladen</Link> bekommst du eine
        Zip-Datei mit allem, was über dich gespeichert ist, und den Dateien, die du hochgeladen hast. Sie wird im
        Hintergrund erstellt, steht {exportDays} Tage bereit und nur du kannst sie herunterladen.
      </p>

      <h2>Dein Konto löschen</h2>
      <p>
        Unter <Link to="/einstellungen/konto-loeschen">Einstellungen → Konto löschen</Link> löschst du dein Konto nach
        Eingabe deines Passworts. Dann werden Name, Kurzname, E-Mail-Adresse, Profil, Entwürfe, Merkliste,
        Benachrichtigungen, Reaktionen, Stimmen in Umfragen, Anmeldungen, Mails an dich, deine nicht veröffentlichten
        Vorschläge und Uploads sowie deine eigenen Fallberatungen gelöscht, und du wirst überall abgemeldet. Du
        entscheidest, ob deine Beiträge ohne Namen als „ehemaliges Mitglied“ stehen bleiben oder gelöscht werden.
        Fallberatungen anderer und Erwähnungen durch andere nennen dich danach nicht mehr. Das Protokoll der Moderation
        behält seine Einträge, aber ohne deinen Namen.
      </p>
      <p>
        Dein Profil kannst du jederzeit in den <Link to="/einstellungen">Einstellungen</Link> berichtigen.
      </p>
    </div>
  );
}
