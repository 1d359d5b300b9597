import { casePhases, phaseLabels, type CasePhase } from "../../domain/cases/phases.ts";

/** The six phases with the current one marked (aria-current="step"); finished ones are ticked. */
export function PhaseStepper({ phase, closed }: { phase: CasePhase; closed: boolean }) {
  const current = casePhases.indexOf(phase);
  return (
    <ol className="case-steps" aria-label="Phasen der Fallberatung">
      {casePhases.map((p, i) => {
        const done = i < current || closed;
        const now = i === current && !closed;
        return (
          <li
            key={p}
            className={
              now
                ? "case-steps__item case-steps__item--current"
                : done
                  ? "case-steps__item case-steps__item--done"
                  : "case-steps__item"
            }
            aria-current={now ? "step" : undefined}
          >
            <span className="case-steps__number" aria-hidden="true">
              {done ? "✓" : i + 1}
            </span>{" "}
            {phaseLabels[p]}
            {done ? <span className="visually-hidden"> (abgeschlossen)</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
