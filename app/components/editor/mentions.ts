import type { MentionNodeAttrs } from "@tiptap/extension-mention";
import type { SuggestionOptions, SuggestionProps } from "@tiptap/suggestion";
import type { MentionItem } from "../../domain/richtext/extensions.ts";
import { HANDLE_PATTERN, MAX_MENTION_LABEL } from "../../domain/richtext/rules.ts";

/** What the editor component renders for an open "@…" suggestion; `null` when none is open. */
export interface MentionView {
  query: string;
  items: MentionItem[];
  active: number;
  loading: boolean;
  /** Caret position in viewport coordinates, for placing the list. */
  rect: DOMRect | null;
  pick: (index: number) => void;
}

async function fetchMembers(source: string, query: string, signal: AbortSignal): Promise<MentionItem[]> {
  try {
    const url = `${source}${source.includes("?") ? "&" : "?"}q=${encodeURIComponent(query)}`;
    const response = await fetch(url, { signal, headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return [];
    const data: unknown = await response.json();
    if (!Array.isArray(data)) return [];
    // The answer is data from elsewhere: keep only well-formed entries (a bad handle would fail validation later).
    return data
      .filter(
        (m): m is MentionItem =>
          !!m &&
          typeof m.handle === "string" &&
          HANDLE_PATTERN.test(m.handle) &&
          typeof m.name === "string" &&
          m.name.trim() !== "",
      )
      .slice(0, 8)
      .map((m) => ({ handle: m.handle, name: m.name.trim().slice(0, MAX_MENTION_LABEL) }));
  } catch {
    return [];
  }
}

/**
 * Suggestion options for the Mention extension: "@" plus at least one letter asks `source` (debounced by the
 * suggestion plugin), the keyboard moves through the results, and `onChange` hands the state to React.
 */
export function mentionSuggestion(
  source: string,
  onChange: (view: MentionView | null) => void,
): Omit<SuggestionOptions<MentionItem, MentionNodeAttrs>, "editor"> {
  return {
    char: "@",
    minQueryLength: 1,
    debounce: 150,
    items: ({ query, signal }) => fetchMembers(source, query, signal),
    render: () => {
      let props: SuggestionProps<MentionItem, MentionNodeAttrs> | null = null;
      let active = 0;
      const pick = (index: number) => {
        const item = props?.items[index];
        if (item) props!.command({ id: item.handle, label: item.name });
      };
      const emit = () => {
        if (!props || props.query === "") return onChange(null);
        onChange({
          query: props.query,
          items: props.items,
          active,
          loading: props.loading,
          rect: props.clientRect?.() ?? null,
          pick,
        });
      };
      const update = (next: SuggestionProps<MentionItem, MentionNodeAttrs>) => {
        if (next.query !== props?.query || next.items !== props?.items) active = 0;
        props = next;
        emit();
      };
      return {
        onStart: update,
        onUpdate: update,
        onExit: () => {
          props = null;
          emit();
        },
        onKeyDown: ({ event }) => {
          const count = props?.items.length ?? 0;
          if (!props || props.query === "") return false;
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            if (count === 0) return true;
            active = (active + (event.key === "ArrowDown" ? 1 : count - 1)) % count;
            emit();
            return true;
          }
          if ((event.key === "Enter" || event.key === "Tab") && count > 0) {
            pick(active);
            return true;
          }
          // Escape: the plugin closes the suggestion right after this.
          return event.key === "Escape";
        },
      };
    },
  };
}
