/** Account facts shared by forms, schemas and pages (no validation library here: pages must stay light). */
export const PASSWORD_MIN_LENGTH = 10;

// The same lists as db/schema/accounts.ts (db/ may not be imported by browser code); a unit test keeps them equal.
export const roles = ["member", "moderator", "admin"] as const;
export const legalDomains = ["sgb2", "sgb3", "cross"] as const;

export const legalDomainLabels: Record<(typeof legalDomains)[number], string> = {
  sgb2: "SGB II (Jobcenter)",
  sgb3: "SGB III (Agentur für Arbeit)",
  cross: "rechtskreis\u00ADübergreifend",
};

export const roleLabels: Record<(typeof roles)[number], string> = {
  member: "Mitglied",
  moderator: "Moderation",
  admin: "Administration",
};

/** The signed-in member as loaders and the header see it (sessions.server.ts validates the cookie into it). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  handle: string;
  role: (typeof roles)[number];
}
