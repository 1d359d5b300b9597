import { useCallback } from "react";
import type { DraftStamp } from "../editor/RichTextEditor.tsx";

/**
 * Saves a draft on the server (the editor already debounces its calls); `null` removes it (the member emptied the
 * editor). A plain fetch, not a Remix fetcher: a save must not reload the page's data (which would, for instance,
 * show "restored" for the text being typed). A refused save (409: already sent) needs nothing from the editor.
 */
export function useDraftSaver(key: string) {
  return useCallback(
    (content: unknown, stamp: DraftStamp) => {
      const body = new URLSearchParams({
        key,
        content: JSON.stringify(content ?? null),
        session: stamp.session,
        seq: String(stamp.seq),
      });
      fetch("/api/v1/drafts", { method: "POST", body, keepalive: true, credentials: "same-origin" }).catch(() => {
        // offline: the text is still in the editor; the next edit tries again
      });
    },
    [key],
  );
}
