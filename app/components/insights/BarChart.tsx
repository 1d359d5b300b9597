import type { ReactNode } from "react";
import { formatShown, type Shown } from "../../domain/insights.ts";
import "../../styles/insights.css";

export interface BarRow {
  key: string;
  label: ReactNode;
  /** One value per series; null is a figure held back (fewer than five people). */
  values: Shown[];
}

/**
 * A bar chart that is its own text alternative: a data table with a caption, one row per bar, the figures as text
 * and the bars drawn with CSS next to them (hidden from screen readers, which read the figures). No script, no
 * external host. A held-back figure has no bar and says "weniger als 5".
 */
export function BarChart({
  caption,
  labelHeader,
  series,
  rows,
}: {
  caption: string;
  labelHeader: string;
  series: string[];
  rows: BarRow[];
}) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      {series.length > 1 ? (
        <ul className="legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s}>
              <span className={i === 0 ? "legend__swatch" : "legend__swatch legend__swatch--second"} />
              {s}
            </li>
          ))}
        </ul>
      ) : null}
      <table className="chart">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeader}</th>
            {series.map((s) => (
              <th scope="col" key={s}>
                {s}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Balken</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              {row.values.map((v, i) => (
                <td key={series[i]} className={v === null ? "chart__value chart__suppressed" : "chart__value"}>
                  {formatShown(v)}
                </td>
              ))}
              <td className="chart__bar-cell" aria-hidden="true">
                {row.values.map((v, i) =>
                  v === null ? null : (
                    <span
                      key={series[i]}
                      className={i === 0 ? "chart__bar" : "chart__bar chart__bar--second"}
                      style={{ width: `${Math.round((v / max) * 100)}%` }}
                    />
                  ),
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
