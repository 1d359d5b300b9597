import { NavLink, useRouteLoaderData } from "@remix-run/react";

/** The moderators' desk sections; the site settings only for admins (the root loader knows the role). */
export function ModerationNav({ openFlags }: { openFlags?: number }) {
  const root = useRouteLoaderData("root") as { user?: { role?: string } | null } | undefined;
  const isAdmin = root?.user?.role === "admin";
  return (
    <nav aria-label="Moderation" className="tabs">
      <ul>
        <li>
          <NavLink to="/moderation" end>
            Übersicht
          </NavLink>
        </li>
        <li>
          <NavLink to="/moderation/meldungen">Meldungen{openFlags ? ` (${openFlags})` : ""}</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/materialien">Materialien</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/themenpakete">Themenpakete</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/themen">Themenräume</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/mitglieder">Mitglieder</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/einblicke">Einblicke</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/suche">Suche</NavLink>
        </li>
        <li>
          <NavLink to="/moderation/protokoll">Protokoll</NavLink>
        </li>
        {isAdmin ? (
          <li>
            <NavLink to="/moderation/einstellungen">Einstellungen</NavLink>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
