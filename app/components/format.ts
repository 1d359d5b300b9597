const dateTime = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
const date = new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "Europe/Berlin" });

/**
 * Formatting with Intl costs several microseconds per date, and list pages show the same dates to every reader, so
 * each formatter keeps what it made (bounded; dates do not change their text).
 */
function kept(format: Intl.DateTimeFormat): (value: string | Date) => string {
  const made = new Map<number, string>();
  return (value) => {
    const time = new Date(value).getTime();
    let text = made.get(time);
    if (text === undefined) {
      text = format.format(time);
      if (made.size >= 20_000) made.clear();
      made.set(time, text);
    }
    return text;
  };
}

/** Dates are always shown in German and in Berlin time, on the server and in the browser alike (no hydration drift). */
export const formatDateTime = kept(dateTime);
export const formatDate = kept(date);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString("de-DE", { maximumFractionDigits: 0 })} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString("de-DE", { maximumFractionDigits: 1 })} MB`;
}
