import { Form, useLocation } from "@remix-run/react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { SessionUser } from "../domain/accounts.ts";
import { t, type MessageKey } from "../i18n/de.ts";
import { HeaderSearch } from "./search/HeaderSearch.tsx";
import { useEnhancedHtml } from "./useEnhancedHtml.ts";

/** `also`: further paths that belong to a section (the Themenräume are where the discussions live). */
const sections: { to: string; label: MessageKey; also?: string }[] = [
  { to: "/diskussionen", label: "nav.discussions", also: "/themen" },
  { to: "/materialien", label: "nav.materials" },
  { to: "/dialogrunden", label: "nav.rounds" },
  { to: "/fallberatung", label: "nav.consultations" },
  { to: "/suche", label: "nav.search" },
  { to: "/mitglieder", label: "nav.members" },
];

/** A section is current on its own page and every page below it, as a NavLink would mark it. */
function current(pathname: string, to: string, also?: string): "page" | undefined {
  const under = (path: string) => pathname === path || pathname.startsWith(`${path}/`);
  return under(to) || (also !== undefined && under(also)) ? "page" : undefined;
}

const MENU_ID = "kopf-menue";
const NAV_ID = "hauptnavigation";

/**
 * The header is on every page, so its links are plain links with one delegated client-side navigation handler
 * (useEnhancedHtml) rather than a dozen <Link>s and <NavLink>s, which would cost ~0.3 ms of server time per page.
 *
 * Below 48rem search, account and navigation fold behind a menu button (a disclosure: aria-expanded, Escape closes
 * it and returns focus to the button, a navigation closes it). The fold needs the script: root.tsx marks <html> with
 * the class "js" before the body is parsed, and only then does layout.css hide the folded parts and show the button,
 * so without JavaScript the header simply shows everything.
 */
export function SiteHeader({ user, siteName, unread }: { user: SessionUser | null; siteName: string; unread: number }) {
  const isModerator = user?.role === "moderator" || user?.role === "admin";
  const { pathname } = useLocation();
  const enhance = useEnhancedHtml();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setMenuOpen(false), [pathname]);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !menuOpen || event.defaultPrevented) return;
    setMenuOpen(false);
    menuButton.current?.focus();
  };
  return (
    <header className="site-header" ref={enhance} data-menu={menuOpen ? "open" : "closed"} onKeyDown={closeOnEscape}>
      <div className="site-header__bar">
        <a href="/" className="site-header__brand">
          {siteName}
        </a>
        {user ? (
          <button
            type="button"
            ref={menuButton}
            className="site-header__menu-button"
            aria-expanded={menuOpen}
            aria-controls={`${MENU_ID} ${NAV_ID}`}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="site-header__menu-icon" aria-hidden="true" />
            {t("nav.menu")}
          </button>
        ) : null}
        <div className="site-header__menu" id={user ? MENU_ID : undefined}>
          {user ? <HeaderSearch /> : null}
          <div className="site-header__account">
            {user ? (
              <>
                <a href="/benachrichtigungen" className="site-header__bell">
                  Benachrichtigungen
                  {unread > 0 ? (
                    <span className="badge badge--count">
                      {unread}
                      <span className="visually-hidden"> ungelesen</span>
                    </span>
                  ) : null}
                </a>
                <a href="/merkliste" className="site-header__user" aria-current={current(pathname, "/merkliste")}>
                  Merkliste
                </a>
                <a href="/einstellungen" className="site-header__user">
                  <span className="visually-hidden">{t("nav.account")}: </span>
                  {user.displayName}
                </a>
                <Form method="post" action="/abmelden">
                  <button type="submit" className="button button--quiet">
                    {t("nav.logout")}
                  </button>
                </Form>
              </>
            ) : (
              <a href="/anmelden" className="button">
                {t("nav.login")}
              </a>
            )}
          </div>
        </div>
      </div>
      {user ? (
        <nav aria-label={t("nav.label")} className="site-nav" id={NAV_ID}>
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <a href={s.to} aria-current={current(pathname, s.to, s.also)}>
                  {t(s.label)}
                </a>
              </li>
            ))}
            {isModerator ? (
              <li>
                <a href="/moderation" aria-current={current(pathname, "/moderation")}>
                  {t("nav.moderation")}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}
