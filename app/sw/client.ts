/**
 * The page's side of the service worker (ADR 038): registers /sw.js in production builds, tells the worker after every
 * navigation who is signed in (it deletes every copy when that is nobody or someone else), and while offline turns
 * link clicks into full page loads, which the worker can answer from its copies (a client navigation would fetch
 * loader data, which is never kept).
 */
import { useEffect } from "react";
import { useLocation } from "@remix-run/react";
import { OFFLINE_PATHS } from "./paths.ts";

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  void navigator.serviceWorker.register(OFFLINE_PATHS.worker, { scope: "/" }).catch(() => {});
  window.addEventListener("click", fullLoadWhileOffline, true);
}

/** Capture phase on window: runs before React's and the thread page's delegated handlers, which it then skips. */
function fullLoadWhileOffline(event: MouseEvent): void {
  if (
    navigator.onLine ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!link || link.target || link.hasAttribute("download") || new URL(link.href).origin !== location.origin) return;
  // The browser's own navigation follows the link.
  event.stopPropagation();
}

/** Reports the signed-in member (or nobody) and the page to the worker after every navigation. */
export function useOfflineCopies(memberId: string | null | undefined): void {
  const location = useLocation();
  useEffect(() => {
    if (memberId === undefined || !import.meta.env.PROD || !("serviceWorker" in navigator)) return;
    void navigator.serviceWorker.ready.then((registration) =>
      registration.active?.postMessage({ type: "member", member: memberId, path: location.pathname }),
    );
  }, [memberId, location.key, location.pathname]);
}
