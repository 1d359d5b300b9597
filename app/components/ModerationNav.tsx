import { NavLink } from "@remix-run/react";

/** The moderators' desk sections. */
export function ModerationNav({ openFlags }: { openFlags?: number }) {
  return (
    <nav aria-label="Moderation" className="tabs">
      <ul>
        <li>
          <NavLink to="/moderation" end>
            Einladungen
          </NavLink>
        </li>
        <li>
          <NavLink to="/moderation/meldungen">
            Meldungen{openFlags ? ` (${openFlags})` : ""}
          </NavLink>
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
          <NavLink to="/moderation/suche">Suche</NavLink>
        </li>
      </ul>
    </nav>
  );
}
