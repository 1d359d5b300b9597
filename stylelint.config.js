// stylelint for app/**/*.css (ADR 035): the standard config, tuned only where it fights a deliberate choice.
export default {
  extends: ["stylelint-config-standard"],
  rules: {
    // BEM names (block__element--modifier) as the components write them; a modifier may carry a value from the data
    // (badge--best_practice), and ProseMirror's own classes are ProseMirror-….
    "selector-class-pattern": [
      "^([a-z][a-z0-9]*(-[a-z0-9]+)*((__|--)[a-z0-9]+([-_][a-z0-9]+)*)*|ProseMirror(-[a-z]+)*)$",
      { message: (selector) => `Expected class selector "${selector}" to be BEM (block__element--modifier)` },
    ],
    // Blank lines are layout, which is Prettier's; related one-line rules (the avatar colours) stay grouped.
    "rule-empty-line-before": null,
    "comment-empty-line-before": null,
    "declaration-empty-line-before": null,
    "at-rule-empty-line-before": null,
    "declaration-block-single-line-max-declarations": null,
    // Vite resolves @import "./x.css" as it is; url() would add nothing.
    "import-notation": "string",
    // Alpha as a number (0.18) throughout, as in every rgb() and box-shadow of the stylesheets.
    "alpha-value-notation": "number",
    // min-width/max-width media queries: the range syntax needs Safari 16.4, and members use older phones too.
    "media-feature-range-notation": "prefix",
    // currentColor as the CSS specifications write it.
    "value-keyword-case": ["lower", { camelCaseSvgKeywords: true }],
    // It compares selectors that never meet the same element (`.filter-group a` after `.site-nav a:hover`); the
    // stylesheets are ordered by area (ADR 022), not by specificity.
    "no-descending-specificity": null,
    // grid-template-areas on its own line is readable; the grid-template shorthand packs three lists into one value.
    "declaration-block-no-redundant-longhand-properties": [true, { ignoreShorthands: ["grid-template"] }],
    // The visually-hidden pattern keeps `clip` for browsers that ignore clip-path.
    "property-no-deprecated": [true, { ignoreProperties: ["clip"] }],
    // Safari before 17 hyphenates German text only with -webkit-hyphens.
    "property-no-vendor-prefix": [true, { ignoreProperties: ["-webkit-hyphens"] }],
  },
};
