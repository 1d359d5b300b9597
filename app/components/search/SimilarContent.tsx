import { useEffect, useState } from "react";
import { searchKindSingular } from "../../domain/search.ts";
import { readHits, type HitLink } from "./hitLinks.ts";
import "../../styles/search.css";

type Similar = HitLink;

const DEBOUNCE_MS = 400;
const MAX_HITS = 5;

/** Enough to say what the question is about: three words or twelve characters. */
function worthAsking(text: string): boolean {
  return text.length >= 12 || text.split(/\s+/).filter(Boolean).length >= 3;
}

/**
 * "Ask before you post": answered threads and materials like the title being typed. Links open in a new tab so
 * the draft stays; the list is announced politely and never takes the focus. Without JavaScript nothing shows.
 */
export function SimilarContent({ text }: { text: string }) {
  const [hits, setHits] = useState<Similar[]>([]);
  const q = text.trim().replace(/\s+/g, " ");

  useEffect(() => {
    if (!worthAsking(q)) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/v1/similar?q=${encodeURIComponent(q.slice(0, 300))}`, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!controller.signal.aborted) setHits(readHits(data, MAX_HITS));
        })
        // A helper, not a step: when it fails, the form works as before, so it simply shows nothing.
        .catch(() => {});
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const n = hits.length;
  return (
    <div className="similar-content">
      <p className="visually-hidden" aria-live="polite">
        {n === 0
          ? ""
          : `Vielleicht hilft dir schon das: ${n} ${n === 1 ? "passender Inhalt" : "passende Inhalte"} im Abschnitt nach dem Formular.`}
      </p>
      {n > 0 ? (
        <aside aria-labelledby="aehnliches-titel" className="similar-content__box">
          <h2 id="aehnliches-titel">Vielleicht hilft dir schon das:</h2>
          <ul className="similar-content__list">
            {hits.map((hit) => (
              <li key={`${hit.type}:${hit.id}`}>
                <span className={`badge badge--kind-${hit.type}`}>
                  {hit.type === "thread" ? "Beantwortete Frage" : searchKindSingular[hit.type]}
                </span>{" "}
                <a href={hit.url} target="_blank" rel="noopener">
                  {hit.title}
                  <span aria-hidden="true"> ↗</span>
                  <span className="visually-hidden"> (öffnet in neuem Tab)</span>
                </a>
              </li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}
