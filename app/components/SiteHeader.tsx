import { Form, Link, NavLink } from "@remix-run/react";
import type { SessionUser } from "../models/accounts/sessions.server.ts";
import { t, type MessageKey } from "../i18n/de.ts";
import { HeaderSearch } from "./search/HeaderSearch.tsx";

const sections: { to: string; label: MessageKey }[] = [
  { to: "/diskussionen", label: "nav.discussions" },
  { to: "/materialien", label: "nav.materials" },
  { to: "/dialogrunden", label: "nav.rounds" },
  { to: "/fallberatung", label: "nav.consultations" },
  { to: "/suche", label: "nav.search" },
  { to: "/mitglieder", label: "nav.members" },
];

export function SiteHeader({ user, siteName, unread }: { user: SessionUser | null; siteName: string; unread: number }) {
  const isModerator = user?.role === "moderator" || user?.role === "admin";
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <Link to="/" className="site-header__brand">
          {siteName}
        </Link>
        {user ? <HeaderSearch /> : null}
        <div className="site-header__account">
          {user ? (
            <>
              <Link to="/benachrichtigungen" className="site-header__bell">
                Benachrichtigungen
                {unread > 0 ? (
                  <span className="badge badge--count">
                    {unread}
                    <span className="visually-hidden"> ungelesen</span>
                  </span>
                ) : null}
              </Link>
              <Link to="/einstellungen" className="site-header__user">
                <span className="visually-hidden">{t("nav.account")}: </span>
                {user.displayName}
              </Link>
              <Form method="post" action="/abmelden">
                <button type="submit" className="button button--quiet">
                  {t("nav.logout")}
                </button>
              </Form>
            </>
          ) : (
            <Link to="/anmelden" className="button">
              {t("nav.login")}
            </Link>
          )}
        </div>
      </div>
      {user ? (
        <nav aria-label={t("nav.label")} className="site-nav">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to}>{t(s.label)}</NavLink>
              </li>
            ))}
            {isModerator ? (
              <li>
                <NavLink to="/moderation">{t("nav.moderation")}</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}
