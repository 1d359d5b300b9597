import { Form, useNavigate, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { searchKindLabels, searchKinds } from "../../domain/search.ts";
import { readHits, type HitLink } from "./hitLinks.ts";

type Suggestion = HitLink;

/** The last answer the popup shows (older hits stay while a newer query is on its way); `null` before any. */
type Answer = { q: string; state: "error" } | { q: string; state: "done"; hits: Suggestion[] };

const INPUT_ID = "kopf-suche";
const LIST_ID = "kopf-suche-vorschlaege";
const MIN_CHARS = 2;
const DEBOUNCE_MS = 200;
const LIMIT = 8;
const UNREACHABLE = "Die Suche ist gerade nicht erreichbar.";

const searchUrl = (q: string) => `/suche?q=${encodeURIComponent(q)}`;

function optionLabel(hit: Suggestion): string {
  return hit.type === "reply" ? `Antwort in „${hit.title}“` : hit.title;
}

/**
 * Search as you type in the header, following the WAI-ARIA 1.2 combobox pattern with a listbox popup: the focus
 * stays in the input, the active option is its aria-activedescendant. Before hydration (and without JavaScript)
 * it is a plain GET form to /suche, so the combobox roles are only added once the script can keep their promise.
 * HTML does not allow the combobox role on `<input type=search>`, so the enhanced field is a text input that
 * keeps the search keyboard (inputmode, enterkeyhint); the form's search landmark says what it is for (ADR 037).
 */
export function HeaderSearch() {
  const navigate = useNavigate();
  const [enhanced, setEnhanced] = useState(false);
  const [value, setValue] = useState("");
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  // The live region joins the page once the field is used, early enough to announce the first suggestions, and
  // stays out of pages where nobody searches (a page's own announcements remain the only ones there).
  const [engaged, setEngaged] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const request = useRef<AbortController>();
  const focusMain = useRef(false);
  const navigation = useNavigation();

  useEffect(() => {
    setEnhanced(true);
    return () => {
      clearTimeout(timer.current);
      request.current?.abort();
    };
  }, []);

  const query = value.trim();
  const hits = answer?.state === "done" ? answer.hits : [];
  // Options in the order they are shown: grouped by kind, then "all results" last.
  const groups = searchKinds
    .map((kind) => ({ kind, hits: hits.filter((h) => h.type === kind) }))
    .filter((g) => g.hits.length > 0);
  const ordered = groups.flatMap((g) => g.hits);
  const optionCount = ordered.length + 1;
  const expanded = enhanced && open && query.length >= MIN_CHARS && (answer !== null || loading);
  const activeId = expanded && active >= 0 ? `${LIST_ID}-${active}` : undefined;

  // Keep the active option in view when the list scrolls.
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  // After choosing a hit, the new page is read from its start: the focus moves to the main content, as the skip
  // link does, once the page has loaded.
  useEffect(() => {
    if (navigation.state !== "idle" || !focusMain.current) return;
    focusMain.current = false;
    document.getElementById("inhalt")?.focus({ preventScroll: true });
  }, [navigation.state]);

  function cancel() {
    clearTimeout(timer.current);
    request.current?.abort();
    request.current = undefined;
    setLoading(false);
  }

  function close() {
    setOpen(false);
    setActive(-1);
    setStatus("");
  }

  function run(q: string) {
    cancel();
    const controller = new AbortController();
    request.current = controller;
    setLoading(true);
    fetch(`/api/v1/search?q=${encodeURIComponent(q)}&limit=${LIMIT}`, {
      signal: controller.signal,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`status ${response.status}`);
        const found = readHits(await response.json(), LIMIT);
        if (controller.signal.aborted) return;
        setAnswer({ q, state: "done", hits: found });
        setActive(-1);
        const n = found.length;
        setStatus(
          n === 0
            ? `Keine Vorschläge für „${q}“. Mit der Eingabetaste suchst du auf der Suchseite.`
            : `${n} ${n === 1 ? "Vorschlag" : "Vorschläge"} für „${q}“, Auswahl mit den Pfeiltasten.`,
        );
      })
      .catch(() => {
        // A stale request was cancelled on purpose: the newer one answers.
        if (controller.signal.aborted) return;
        setAnswer({ q, state: "error" });
        setActive(-1);
        setStatus(UNREACHABLE);
      })
      .finally(() => {
        if (request.current !== controller) return;
        request.current = undefined;
        setLoading(false);
      });
  }

  function change(next: string) {
    setValue(next);
    setActive(-1);
    cancel();
    const q = next.trim();
    if (q.length < MIN_CHARS) {
      setAnswer(null);
      close();
      return;
    }
    setOpen(true);
    timer.current = setTimeout(() => run(q), DEBOUNCE_MS);
  }

  function choose(index: number) {
    const hit = ordered[index];
    cancel();
    close();
    if (!hit) {
      navigate(searchUrl(query));
      return;
    }
    setValue("");
    setAnswer(null);
    focusMain.current = true;
    navigate(hit.url);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp": {
        if (query.length < MIN_CHARS) return;
        event.preventDefault();
        if (!expanded) {
          setOpen(true);
          if (answer?.q === query) setActive(event.key === "ArrowDown" ? 0 : optionCount - 1);
          else if (!loading) run(query);
          return;
        }
        if (event.key === "ArrowDown") setActive((a) => (a + 1) % optionCount);
        else setActive((a) => (a <= 0 ? optionCount - 1 : a - 1));
        return;
      }
      case "Enter":
        // Without an active option the form submits the full search.
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        return;
      case "Escape":
        // As a search field clears on Escape: the first Escape only closes the list, the next clears the field. On an
        // empty field with no list it is left to the header, whose phone menu it closes.
        if (!expanded && !value) return;
        event.preventDefault();
        if (expanded) {
          cancel();
          close();
        } else {
          change("");
        }
        return;
      default:
    }
  }

  const message = loading
    ? "Sucht …"
    : answer?.state === "error"
      ? UNREACHABLE
      : answer?.state === "done" && ordered.length === 0
        ? `Keine Vorschläge für „${answer.q}“.`
        : null;

  let index = 0;
  return (
    <Form
      method="get"
      action="/suche"
      role="search"
      aria-label="Schnellsuche"
      className="header-search"
      onSubmit={() => {
        cancel();
        close();
      }}
    >
      <label htmlFor={INPUT_ID} className="visually-hidden">
        Im Netzwerk suchen
      </label>
      <input
        id={INPUT_ID}
        type={enhanced ? "text" : "search"}
        inputMode="search"
        enterKeyHint="search"
        name="q"
        maxLength={500}
        autoComplete="off"
        placeholder="Suchen …"
        className="header-search__input"
        value={value}
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setEngaged(true)}
        onBlur={() => close()}
        {...(enhanced
          ? {
              role: "combobox",
              "aria-expanded": expanded,
              "aria-controls": LIST_ID,
              "aria-autocomplete": "list" as const,
              "aria-activedescendant": activeId,
            }
          : {})}
      />
      <button type="submit" className="button header-search__submit">
        Suchen
      </button>
      {enhanced ? (
        <>
          {/* Clicks on the popup keep the focus in the input (mousedown), so the list stays reachable by keyboard. */}
          <div className="header-search__popup" hidden={!expanded} onMouseDown={(event) => event.preventDefault()}>
            {message ? (
              <p
                className={
                  !loading && answer?.state === "error"
                    ? "header-search__message header-search__message--error"
                    : "header-search__message"
                }
              >
                {message}
              </p>
            ) : null}
            <div role="listbox" id={LIST_ID} aria-label="Suchvorschläge" className="header-search__list">
              {expanded
                ? groups.map((group) => (
                    <div
                      role="group"
                      key={group.kind}
                      aria-labelledby={`${LIST_ID}-gruppe-${group.kind}`}
                      className="header-search__group"
                    >
                      <div
                        role="presentation"
                        id={`${LIST_ID}-gruppe-${group.kind}`}
                        className="header-search__group-label"
                      >
                        {searchKindLabels[group.kind]}
                      </div>
                      {group.hits.map((hit) => {
                        const i = index++;
                        return (
                          <div
                            key={`${hit.type}:${hit.id}`}
                            id={`${LIST_ID}-${i}`}
                            role="option"
                            aria-selected={i === active}
                            className="header-search__option"
                            onClick={() => choose(i)}
                          >
                            {optionLabel(hit)}
                          </div>
                        );
                      })}
                    </div>
                  ))
                : null}
              {expanded ? (
                <div
                  id={`${LIST_ID}-${ordered.length}`}
                  role="option"
                  aria-selected={active === ordered.length}
                  className="header-search__option header-search__option--all"
                  onClick={() => choose(ordered.length)}
                >
                  Alle Treffer für „{query}“ anzeigen
                </div>
              ) : null}
            </div>
          </div>
          {engaged ? (
            <p className="visually-hidden" aria-live="polite">
              {status}
            </p>
          ) : null}
        </>
      ) : null}
    </Form>
  );
}
