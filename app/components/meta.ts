import { defaultDescription } from "../domain/identity.ts";
import { t } from "../i18n/de.ts";

type Matches = readonly ({ id: string; data?: unknown } | undefined)[];

/**
 * Every page title ends with the site's name, so screen-reader users and tabs know where they are. The name is the
 * one an admin set (the root loader's `siteName`); pass the meta function's `matches` to use it. Every page also gets a
 * meta description (search results, link previews): its own where given, else the site's default.
 */
export function pageTitle(title?: string, matches?: Matches, description: string = defaultDescription) {
  const root = matches?.find((m) => m?.id === "root")?.data as { siteName?: string } | undefined;
  const siteName = root?.siteName || t("site.name");
  return [{ title: title ? `${title} – ${siteName}` : siteName }, { name: "description", content: description }];
}
