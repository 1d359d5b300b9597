import { t } from "../i18n/de.ts";

/** Every page title ends with the site's name, so screen-reader users and tabs know where they are. */
export function pageTitle(title?: string) {
  return [{ title: title ? `${title} – ${t("site.name")}` : t("site.name") }];
}
