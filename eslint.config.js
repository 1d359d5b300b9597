// ESLint for app/, server/, db/, scripts/, bench/, search/ and tests/ (ADR 035). `npm run lint` runs it with
// --max-warnings 0, so every rule here is an error in practice. Formatting is Prettier's job (eslint-config-prettier
// switches off the rules that would fight it); the layout's import rules are at the end.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Browser code must not reach server modules, not even for a type: the type drags the module into the client graph. */
const noServerModules = {
  regex: String.raw`\.server(\.tsx?)?$`,
  message:
    "Browser code never imports *.server.ts (not even a type): move the shared type to a module without .server.",
};

export default tseslint.config(
  {
    ignores: ["build/", "public/", "data/", "node_modules/", ".cache/", "db/migrations/", "test-results/"],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // Unused names are errors, but a leading underscore marks a deliberately ignored argument or rest sibling.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    rules: {
      // Input checks match control characters on purpose (NUL, C0, DEL in names, alt texts, headers: ADR 019).
      "no-control-regex": "off",
      // An empty catch is how the code says "ignore this failure"; a comment beside it says why.
      "no-empty": ["error", { allowEmptyCatch: true }],
    },
  },
  {
    // Tests read JSON of open shape (exports, API answers) and assert on its fields.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // React code only: server modules have functions named `use…` that are no hooks (e.g. files.server.ts).
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.server.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "jsx-a11y": jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The next three come from the React Compiler, which this React 18 site does not use. They flag deliberate
      // patterns: the latest-callback ref written during render (useRoom, useLiveRound, the editor), state set in an
      // effect after hydration (the server render must match the first client render), Date.now() in a fallback.
      "react-hooks/refs": "off",
      "react-hooks/set-state-in-effect": "off",
      "react-hooks/purity": "off",
      ...jsxA11y.flatConfigs.recommended.rules,
      // Only on fields that open at the member's request (reply, link and picture-description forms, a chosen
      // reply target): moving the focus there is what keyboard and screen-reader users need.
      "jsx-a11y/no-autofocus": "off",
      // Lists styled without bullets and tables stacked into cards on phones lose their semantics in Safari/VoiceOver
      // unless the role is explicit (see moderation_.mitglieder.tsx).
      "jsx-a11y/no-redundant-roles": [
        "error",
        { nav: ["navigation"], ul: ["list"], ol: ["list"], thead: ["rowgroup"], tbody: ["rowgroup"] },
      ],
      "jsx-a11y/no-interactive-element-to-noninteractive-role": [
        "error",
        { tr: ["none", "presentation"], canvas: ["img"], td: ["cell"] },
      ],
      // A scrolling table wrapper (role=region with a label) must be focusable so keyboards can scroll it (axe's
      // scrollable-region-focusable).
      "jsx-a11y/no-noninteractive-tabindex": [
        "error",
        { tags: [], roles: ["tabpanel", "region"], allowExpressionValues: true },
      ],
      // A keydown listener on a container only hears keys from the focusable controls inside it (Escape closes the
      // menu or the link form); it does not make the container interactive. Mouse handlers stay checked.
      "jsx-a11y/no-static-element-interactions": [
        "error",
        { allowExpressionValues: true, handlers: ["onClick", "onMouseDown", "onMouseUp", "onKeyPress"] },
      ],
      "jsx-a11y/no-noninteractive-element-interactions": [
        "error",
        {
          handlers: ["onClick", "onError", "onLoad", "onMouseDown", "onMouseUp", "onKeyPress"],
          body: ["onError", "onLoad"],
          iframe: ["onError", "onLoad"],
          img: ["onError", "onLoad"],
        },
      ],
    },
  },
  {
    // The ARIA combobox pattern: the options are chosen by keyboard on the input (aria-activedescendant), so they
    // are neither focusable nor have key listeners, and the popup keeps the focus in the input on mousedown.
    files: ["app/components/search/HeaderSearch.tsx"],
    rules: {
      "jsx-a11y/click-events-have-key-events": "off",
      "jsx-a11y/interactive-supports-focus": "off",
      "jsx-a11y/no-static-element-interactions": "off",
    },
  },
  // eslint-config-prettier: off with everything that only concerns layout. Kept before max-len is re-enabled below,
  // because the config turns max-len off too; our 140 is wider than Prettier's 120 and only catches what it cannot wrap.
  prettier,
  {
    files: ["**/*.{ts,tsx,mjs,js}"],
    rules: {
      // Long strings (German messages, SQL, URLs) stay on one line so they can be found with grep; comments wrap at 140.
      "max-len": [
        "error",
        {
          code: 140,
          tabWidth: 2,
          ignoreUrls: true,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },

  // ---- The layout's import rules (docs/architecture.md, ADR 035) ----
  // Browser code: everything under app/ that is not a *.server module (components, entry.client, domain, schemas,
  // realtime hooks) never imports a *.server module; `no-restricted-imports` checks `import type` too. Route modules
  // (and root.tsx, the root route) are the exception Remix is built for: their loaders and actions import models, and
  // the compiler strips those imports from the browser bundle.
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.server.{ts,tsx}", "app/routes/**", "app/root.tsx"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [noServerModules] }],
    },
  },
  // Routes go through models: never the drizzle schema or the database client in db/ directly. A second rule instance
  // (typescript-eslint's copy) so these layer rules do not replace the browser rule's options above.
  {
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+db(/|$)`,
              message: "Routes never import db/ directly: call a model function (app/models/) instead.",
            },
          ],
        },
      ],
    },
  },
  // Models never import components: what both need (formatting, dates) lives in domain/.
  {
    files: ["app/models/**/*.{ts,tsx,mjs}"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: String.raw`(^|/)components(/|$)`,
              message: "Models never import components: move what both need to app/domain/.",
            },
          ],
        },
      ],
    },
  },
);
