import { useEffect, useState } from "react";
import { checkAnonymity, findingLabels, type Finding } from "../../domain/cases/anonymity.ts";

/**
 * The hints for text the member is typing: computed in the browser after each change, never while the server renders
 * (there the page shows `initial`, which the action computed once on the bounded text it refused).
 */
export function useAnonymityFindings(text: string, initial: Finding[]): Finding[] {
  const [findings, setFindings] = useState(initial);
  useEffect(() => setFindings(checkAnonymity(text)), [text]);
  return findings;
}

/** The hints of the anonymisation check, announced politely while the case giver types. */
export function AnonymityHints({ findings, id = "anonymisierung" }: { findings: Finding[]; id?: string }) {
  return (
    <div
      id={id}
      role="status"
      aria-live="polite"
      className={findings.length ? "notice notice--warning" : "visually-hidden"}
    >
      {findings.length ? (
        <>
          <p>
            <strong>Das sieht persönlich aus.</strong> Bitte prüfe, ob sich daraus jemand erkennen lässt, und ersetze es
            durch allgemeine Angaben (z. B. „eine Lernende“, „ein Jobcenter in Süddeutschland“):
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
