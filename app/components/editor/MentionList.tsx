import type { MentionView } from "./mentions.ts";

/** Text for the editor's live region while a suggestion is open. */
export function mentionStatus(view: MentionView | null): string {
  if (!view) return "";
  if (view.loading) return "Suche …";
  const n = view.items.length;
  return n === 0
    ? "Kein Mitglied gefunden"
    : `${n} ${n === 1 ? "Mitglied" : "Mitglieder"} gefunden, Auswahl mit Pfeiltasten und Eingabetaste`;
}

/**
 * The "@…" suggestions under the caret. Focus stays in the editor (the list is reached through
 * aria-activedescendant), so options react to mousedown without taking the focus away.
 */
export function MentionList({ id, view, container }: { id: string; view: MentionView; container: HTMLElement | null }) {
  const box = container?.getBoundingClientRect();
  const style =
    view.rect && box
      ? { top: `${view.rect.bottom - box.top + 4}px`, left: `${Math.max(0, view.rect.left - box.left)}px` }
      : undefined;

  return (
    <div className="richtext__mentions" style={style}>
      {/* The editor's live region announces this; here it is for the eyes. */}
      {view.items.length === 0 ? (
        <p className="richtext__mentions-empty" aria-hidden="true">
          {view.loading ? "Suche …" : "Kein Mitglied gefunden"}
        </p>
      ) : (
        <ul role="listbox" id={id} aria-label="Mitglieder erwähnen">
          {view.items.map((item, index) => (
            <li
              key={item.handle}
              id={`${id}-${index}`}
              role="option"
              aria-selected={index === view.active}
              className="richtext__mention-option"
              onMouseDown={(event) => {
                event.preventDefault();
                view.pick(index);
              }}
            >
              <span className="richtext__mention-name">{item.name}</span>{" "}
              <span className="richtext__mention-handle">@{item.handle}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
