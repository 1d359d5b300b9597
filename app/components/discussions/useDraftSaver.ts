import { useFetcher } from "@remix-run/react";
import { useCallback } from "react";

/** Saves a draft on the server (the editor already debounces its calls). */
export function useDraftSaver(key: string) {
  const fetcher = useFetcher();
  return useCallback(
    (content: unknown) => {
      fetcher.submit({ key, content: JSON.stringify(content) }, { method: "post", action: "/api/v1/drafts" });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
}
