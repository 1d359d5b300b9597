import type { ReactNode } from "react";

/**
 * The filters of a list page (/materialien, /suche): a side column from 56rem, folded behind "Filter (n aktiv)" on
 * narrower screens so the results come right after the heading. A <details> element, so it opens and closes without
 * JavaScript and with the keyboard; on wide screens layout.css hides the summary and shows the content.
 *
 * Used inside a `.with-aside--left` page whose children are, in this order: the head (heading, search form), this
 * panel, and the body (the results).
 */
export function FilterPanel({ title, active, children }: { title: string; active: number; children: ReactNode }) {
  return (
    <aside aria-labelledby="filter-titel" className="filters">
      <details className="filters__fold">
        <summary className="filters__toggle">{active > 0 ? `Filter (${active} aktiv)` : "Filter"}</summary>
        <h2 id="filter-titel">{title}</h2>
        {children}
      </details>
    </aside>
  );
}
