import { useLocation } from "@remix-run/react";
import { useEffect } from "react";

/** Fragments whose target takes the focus: the "Ab hier neu" marker and the thread's start (ADR 030). */
const FOCUSED = new Set(["#ungelesen", "#anfang"]);

/**
 * A jump to the first new reply (from a thread list, "Weiterlesen ab …") or back to the start moves the keyboard
 * focus there too, so the next Tab and a screen reader continue at that place rather than at the top of the page.
 * Browsers only scroll to a fragment; client-side navigations do not even move the sequential focus start.
 */
export function useFragmentFocus(): void {
  const { hash, key } = useLocation();
  useEffect(() => {
    const focus = () => {
      if (!FOCUSED.has(window.location.hash)) return;
      const target = document.getElementById(window.location.hash.slice(1));
      if (target && document.activeElement !== target) target.focus();
    };
    focus();
    window.addEventListener("hashchange", focus);
    return () => window.removeEventListener("hashchange", focus);
  }, [hash, key]);
}
