import { useEffect, useState } from "react";
import { formatRemaining, remainingMs } from "../../domain/cases/phases.ts";
import { formatDateTime } from "../../domain/time.ts";

/**
 * The server's clock for the current phase: every client counts down to the same moment (phaseEndsAt), measured
 * against the server time the page brought along, so a reload or a wrong clock on this computer shows the same.
 */
export function PhaseTimer({
  endsAt,
  serverNow,
  mode,
}: {
  endsAt: Date | string | null;
  serverNow: Date | string;
  mode: "live" | "async";
}) {
  const [left, setLeft] = useState(() => remainingMs(endsAt, serverNow, 0, 0));
  useEffect(() => {
    const arrived = Date.now();
    const tick = () => setLeft(remainingMs(endsAt, serverNow, arrived, Date.now()));
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
    // Keyed by the values, not the objects: the loader's dates are new Date objects on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [String(endsAt), String(serverNow)]);
  if (left === null) return null;
  return (
    <p className="case-timer">
      <span className="case-timer__label">
        {mode === "live" ? "Verbleibende Zeit in dieser Phase:" : "Frist dieser Phase endet in:"}
      </span>{" "}
      <span
        role="timer"
        className={left === 0 ? "case-timer__value case-timer__value--over" : "case-timer__value"}
        data-remaining-ms={left}
      >
        {left === 0 ? (mode === "live" ? "Zeit abgelaufen" : "Frist abgelaufen") : formatRemaining(left)}
      </span>
      {mode === "async" && endsAt ? (
        <span className="hint"> (bis {formatDateTime(endsAt)}; danach geht es automatisch weiter)</span>
      ) : null}
    </p>
  );
}
