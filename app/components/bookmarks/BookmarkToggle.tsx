import { useFetcher } from "@remix-run/react";

/**
 * "Merken" / "Gemerkt" for a thread or a material: posts `intent=bookmark` to the page's own action. Without
 * JavaScript that is an ordinary form POST (the page comes back with the new state); with it a fetcher, so the page
 * stays where it is and the button shows the new state at once.
 */
export function BookmarkToggle({ bookmarked, what }: { bookmarked: boolean; what: string }) {
  const fetcher = useFetcher<{ errors?: Record<string, string> }>();
  const pending = fetcher.formData?.get("on");
  const on = typeof pending === "string" ? pending === "1" : bookmarked;
  const error = fetcher.data?.errors ? Object.values(fetcher.data.errors)[0] : null;
  return (
    <fetcher.Form method="post" preventScrollReset className="inline-form">
      <input type="hidden" name="intent" value="bookmark" />
      <input type="hidden" name="on" value={on ? "0" : "1"} />
      <button type="submit" className="button button--quiet bookmark" aria-pressed={on}>
        {on ? "Gemerkt" : "Merken"}
        <span className="visually-hidden"> ({what})</span>
      </button>
      {error ? (
        <span className="notice notice--error" role="alert">
          {error}
        </span>
      ) : null}
    </fetcher.Form>
  );
}
