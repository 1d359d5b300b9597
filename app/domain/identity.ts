/**
 * The site's visual identity outside its stylesheets: the colours of app/styles/base.css (`--brand`, `--wash`; a unit
 * test keeps them equal) for the web app manifest, the theme-color meta tag and the generated podcast cover.
 */
export const identity = {
  /** `--brand`: header bar, buttons, the favicon's square. */
  brand: "#0b5a7a",
  /** `--brand-dark`. */
  brandDark: "#07415a",
  /** `--wash`: the page background. */
  wash: "#f3f6f8",
  /** For the home screen, where the full name does not fit (at most 12 characters). */
  shortName: "LB-Netzwerk",
} as const;

/** The text shown in search results and link previews when a page has no description of its own. */
export const defaultDescription =
  "Das Netzwerk der Lernbegleiterinnen und Lernbegleiter: Diskussionen, Materialbibliothek, Dialogrunden und Kollegiale Fallberatung. Nur für Mitglieder.";
