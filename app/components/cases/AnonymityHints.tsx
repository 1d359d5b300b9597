import { findingLabels, type Finding } from "../../domain/cases/anonymity.ts";

/** The hints of the anonymisation check, announced politely while the case giver types. */
export function AnonymityHints({ findings, id = "anonymisierung" }: { findings: Finding[]; id?: string }) {
  return (
    <div id={id} role="status" aria-live="polite" className={findings.length ? "notice notice--warning" : "visually-hidden"}>
      {findings.length ? (
        <>
          <p>
            <strong>Das sieht persönlich aus.</strong> Bitte prüfe, ob sich daraus jemand erkennen lässt, und ersetze es durch allgemeine
            Angaben (z. B. „eine Lernende“, „ein Jobcenter in Süddeutschland“):
          </p>
          <ul>
            {findings.map((f) => (
              <li key={`${f.kind}:${f.match}`}>
                {findingLabels[f.kind]}: „{f.match}“
              </li>
            ))}
          </ul>
        </>
      ) : (
        "Keine Hinweise auf persönliche Angaben gefunden."
      )}
    </div>
  );
}
