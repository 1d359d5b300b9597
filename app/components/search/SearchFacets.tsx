import { Link } from "@remix-run/react";

export interface FacetOption {
  value: string;
  label: string;
  count: number;
}

/**
 * One facet as links that set (or clear) one parameter and keep the others, so filtering works without JavaScript.
 * Counts are for the current result set; an active value stays listed so it can be removed.
 */
export function FacetGroup({
  title,
  param,
  options,
  params,
}: {
  title: string;
  param: string;
  options: FacetOption[];
  params: URLSearchParams;
}) {
  const current = params.get(param);
  if (options.length === 0 && !current) return null;
  const href = (value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(param, value);
    else next.delete(param);
    next.delete("page");
    return `/suche?${next}`;
  };
  return (
    <div className="filter-group">
      <h3>{title}</h3>
      <ul className="plain-list">
        {current ? (
          <li>
            <Link to={href(null)}>Alle (Filter aufheben)</Link>
          </li>
        ) : null}
        {options.map((o) => (
          <li key={o.value}>
            <Link to={href(o.value)} aria-current={current === o.value ? "true" : undefined}>
              {o.label} <span className="hint">({o.count})</span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Facet counts as options with labels, biggest first; unknown values (a room renamed meanwhile) keep their key. */
export function facetOptions(
  counts: Record<string, number>,
  labels: Record<string, string>,
  keepOrder = false,
): FacetOption[] {
  const options = Object.entries(counts).map(([value, count]) => ({ value, label: labels[value] ?? value, count }));
  if (keepOrder) {
    const order = Object.keys(labels);
    return options.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
  }
  return options.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, "de"));
}
