/**
 * Who may do what. Pure: no I/O, so every route, model and socket handler asks the same question the same way,
 * and the rules are unit tested in one place.
 */
export type Role = "member" | "moderator" | "admin";

export interface Actor {
  id: string;
  role: Role;
  deactivated?: boolean;
}

export type Thing =
  | { type: "site" }
  | { type: "user"; id: string }
  | { type: "room"; name: string }
  | { type: "invitation"; role: Role };

export type Action =
  | "read" // members-only site content
  | "moderate" // the moderators' desk
  | "invite" // create an invitation link (thing: the invitation with its role)
  | "editProfile"
  | "changeRole"
  | "manageSettings"
  | "join"; // a realtime room

const rank: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

export function isModerator(actor: Actor | null | undefined): boolean {
  return !!actor && !actor.deactivated && rank[actor.role] >= rank.moderator;
}

export function isAdmin(actor: Actor | null | undefined): boolean {
  return !!actor && !actor.deactivated && actor.role === "admin";
}

/** Rooms are named "<kind>:<id>"; a kind nobody may join does not exist. */
function canJoinRoom(actor: Actor, name: string): boolean {
  const [kind, id, ...rest] = name.split(":");
  if (rest.length > 0) return false;
  switch (kind) {
    case "user":
      return id === actor.id;
    case "moderation":
      return id === undefined && isModerator(actor);
    default:
      return false;
  }
}

export function can(actor: Actor | null | undefined, action: Action, thing: Thing = { type: "site" }): boolean {
  if (!actor || actor.deactivated) return false;
  switch (action) {
    case "read":
      return true;
    case "moderate":
      return isModerator(actor);
    case "invite":
      // Moderators invite members; only admins hand out moderator or admin rights.
      if (thing.type !== "invitation") return false;
      return thing.role === "member" ? isModerator(actor) : isAdmin(actor);
    case "editProfile":
      return thing.type === "user" && (thing.id === actor.id || isAdmin(actor));
    case "changeRole":
      return thing.type === "user" && isAdmin(actor) && thing.id !== actor.id;
    case "manageSettings":
      return isAdmin(actor);
    case "join":
      return thing.type === "room" && canJoinRoom(actor, thing.name);
  }
}
