import { useNavigate } from "@remix-run/react";
import { useCallback, useRef } from "react";

/**
 * Server-rendered HTML blocks (the posts) and long lists (the library's cards and filters) contain plain links. This
 * ref callback lets a click on a link within the site navigate client-side, like a Remix <Link>, instead of reloading
 * the page; other clicks are left alone. A <Link> costs ~25 µs of server time to render (it resolves its path against
 * the route matches several times), about a fifth of the library page's CPU with its ~80 links (ADR 017).
 */
export function useEnhancedHtml(): (element: HTMLElement | null) => void {
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  return useCallback((element: HTMLElement | null) => {
    if (!element || element.dataset.enhanced) return;
    element.dataset.enhanced = "1";
    element.addEventListener("click", (event) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      )
        return;
      const link = (event.target as Element).closest("a[href]") as HTMLAnchorElement | null;
      if (!link || link.target || link.hasAttribute("download") || link.origin !== window.location.origin) return;
      // Same page, only another #fragment: the browser scrolls, no navigation needed.
      if (link.pathname === window.location.pathname && link.search === window.location.search && link.hash) return;
      event.preventDefault();
      navigateRef.current(link.pathname + link.search + link.hash, {
        preventScrollReset: link.search.includes("antwort="),
      });
    });
  }, []);
}
