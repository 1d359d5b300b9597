/**
 * Who may do what. Pure: no I/O, so every route, model and socket handler asks the same question the same way,
 * and the rules are unit tested in one place.
 */
export type Role = "member" | "moderator" | "admin";

export interface Actor {
  id: string;
  role: Role;
  deactivated?: boolean;
  /** The session this actor is using (known on sockets, where logging out must close exactly that session's sockets). */
  sessionId?: string;
}

/** What permission checks need to know about a thread (loaded by the caller). */
export interface ThreadFacts {
  authorId: string | null;
  type: string;
  locked: boolean;
  hidden: boolean;
  deleted: boolean;
}

export interface PostFacts {
  authorId: string | null;
  hidden: boolean;
  deleted: boolean;
  thread: ThreadFacts;
}

/** What permission checks need to know about a material. */
export interface MaterialFacts {
  status: "draft" | "review" | "published" | "archived";
  createdBy: string | null;
  suggestedBy: string | null;
}

/** Who belongs to a case consultation (loaded by the caller). Roles on the site play no part here. */
export interface CaseFacts {
  participants: { userId: string; agreed: boolean }[];
}

/** What permission checks need to know about a dialogue round and the actor's place in it (loaded by the caller). */
export interface RoundFacts {
  status: "scheduled" | "live" | "closed" | "published" | "cancelled";
  hostIds: string[];
  /** The actor's registration (a place, not the waiting list). */
  registered: boolean;
  /** A host removed the actor from the live room. */
  removed: boolean;
  muted: boolean;
  scribe: boolean;
}

export type Thing =
  | { type: "site" }
  | { type: "user"; id: string }
  | { type: "room"; name: string; thread?: ThreadFacts; consultation?: CaseFacts; round?: RoundFacts }
  | { type: "invitation"; role: Role }
  | { type: "category" }
  | { type: "newThread"; threadType: string }
  | { type: "thread"; thread: ThreadFacts }
  | { type: "post"; post: PostFacts }
  | { type: "material"; material: MaterialFacts }
  | { type: "caseConsultation"; consultation: CaseFacts }
  | { type: "round"; round: RoundFacts };

export type Action =
  | "read" // members-only site content
  | "moderate" // the moderators' desk
  | "invite" // create an invitation link (thing: the invitation with its role)
  | "editProfile"
  | "changeRole"
  | "deactivate" // end a member's access (and give it back): admins, never their own account
  | "manageSettings"
  | "join" // a realtime room
  | "create" // a thread (thing: newThread)
  | "view" // a thread or post
  | "reply" // to a thread
  | "edit" // own post
  | "delete" // own post, or any as moderator
  | "react" // thanks / helpful on someone else's post
  | "flag" // report a post
  | "acceptAnswer" // mark a reply as the answer to a question
  | "hide" // hide/restore a post or thread, lock, pin, move, retitle: the moderation of threads
  | "revealAuthor" // see who wrote an anonymous post (audited)
  | "manageCategories"
  | "suggest" // propose a material for the library
  | "curate" // create, edit, publish, review, archive materials; assemble collections
  | "respond" // a case consultation's invitation: accept the confidentiality agreement or decline
  | "scheduleRound" // create a dialogue round
  | "hostRound" // open/close the room, give the floor, mute, remove, pin, advance the agenda, publish the result
  | "speakInRound" // chat, raise a hand, react in the live room
  | "writeNotes"; // the shared notes (Protokoll): hosts and the scribe

/** Thread types only moderators may start. */
export const moderatorThreadTypes = ["impulse", "announcement"];

const rank: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

export function isModerator(actor: Actor | null | undefined): boolean {
  return !!actor && !actor.deactivated && rank[actor.role] >= rank.moderator;
}

export function isAdmin(actor: Actor | null | undefined): boolean {
  return !!actor && !actor.deactivated && actor.role === "admin";
}

/** Rooms are named "<kind>:<id>"; a kind nobody may join does not exist. */
function canJoinRoom(
  actor: Actor,
  name: string,
  thread?: ThreadFacts,
  consultation?: CaseFacts,
  round?: RoundFacts,
): boolean {
  const [kind, id, ...rest] = name.split(":");
  if (rest.length > 0) return false;
  switch (kind) {
    case "thread":
      return !!id && !!thread && canViewThread(actor, thread);
    case "user":
      return id === actor.id;
    case "session":
      return !!id && id === actor.sessionId;
    case "moderation":
      return id === undefined && isModerator(actor);
    case "case":
      return !!id && !!consultation && canViewCase(actor, consultation);
    case "round":
      // The live room is for its registrants and hosts (moderators may look in); a removed person stays out.
      return (
        !!id &&
        !!round &&
        round.status === "live" &&
        (isRoundHost(actor, round) || (round.registered && !round.removed))
      );
    default:
      return false;
  }
}

function isRoundHost(actor: Actor, round: RoundFacts): boolean {
  return round.hostIds.includes(actor.id) || isModerator(actor);
}

function canViewThread(actor: Actor, thread: ThreadFacts): boolean {
  if (thread.deleted) return isModerator(actor);
  return !thread.hidden || isModerator(actor);
}

/**
 * A consultation is for its participants only, once they accepted the confidentiality agreement: not for other
 * members, and not for moderators or admins either (privacy by construction, DESIGN.md).
 */
function canViewCase(actor: Actor, consultation: CaseFacts): boolean {
  return consultation.participants.some((p) => p.userId === actor.id && p.agreed);
}

function canViewMaterial(actor: Actor, material: MaterialFacts): boolean {
  if (material.status === "published" || material.status === "archived") return true;
  return isModerator(actor) || isOwn(actor, material.suggestedBy) || isOwn(actor, material.createdBy);
}

function isOwn(actor: Actor, authorId: string | null): boolean {
  return authorId !== null && authorId === actor.id;
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
    case "deactivate":
      return thing.type === "user" && isAdmin(actor) && thing.id !== actor.id;
    case "manageSettings":
      return isAdmin(actor);
    case "join":
      return thing.type === "room" && canJoinRoom(actor, thing.name, thing.thread, thing.consultation, thing.round);
    case "create":
      return thing.type === "newThread" && (!moderatorThreadTypes.includes(thing.threadType) || isModerator(actor));
    case "view":
      if (thing.type === "thread") return canViewThread(actor, thing.thread);
      if (thing.type === "material") return canViewMaterial(actor, thing.material);
      if (thing.type === "caseConsultation") return canViewCase(actor, thing.consultation);
      if (thing.type === "post") {
        const { post } = thing;
        return canViewThread(actor, post.thread) && (!post.hidden || isModerator(actor) || isOwn(actor, post.authorId));
      }
      return false;
    case "reply":
      return (
        thing.type === "thread" &&
        canViewThread(actor, thing.thread) &&
        !thing.thread.deleted &&
        (!thing.thread.locked || isModerator(actor))
      );
    case "edit":
      if (thing.type === "material") {
        // A suggestion stays its suggester's to edit until the moderators publish it.
        const m = thing.material;
        return isModerator(actor) || (isOwn(actor, m.suggestedBy) && (m.status === "draft" || m.status === "review"));
      }
      return (
        thing.type === "post" &&
        isOwn(actor, thing.post.authorId) &&
        !thing.post.deleted &&
        !thing.post.hidden &&
        (!thing.post.thread.locked || isModerator(actor))
      );
    case "delete":
      return thing.type === "post" && !thing.post.deleted && (isOwn(actor, thing.post.authorId) || isModerator(actor));
    case "react":
      return (
        thing.type === "post" &&
        !isOwn(actor, thing.post.authorId) &&
        !thing.post.deleted &&
        !thing.post.hidden &&
        canViewThread(actor, thing.post.thread)
      );
    case "flag":
      // Only what the member can see can be reported (a report must not confirm that a hidden post exists).
      return (
        thing.type === "post" &&
        !isOwn(actor, thing.post.authorId) &&
        !thing.post.deleted &&
        !thing.post.hidden &&
        canViewThread(actor, thing.post.thread)
      );
    case "acceptAnswer":
      return (
        thing.type === "thread" &&
        thing.thread.type === "question" &&
        !thing.thread.deleted &&
        (isOwn(actor, thing.thread.authorId) || isModerator(actor))
      );
    case "hide":
    case "revealAuthor":
    case "manageCategories":
    case "curate":
      return isModerator(actor);
    case "suggest":
      return true;
    case "respond":
      return thing.type === "caseConsultation" && thing.consultation.participants.some((p) => p.userId === actor.id);
    case "scheduleRound":
      return isModerator(actor);
    case "hostRound":
      return thing.type === "round" && isRoundHost(actor, thing.round);
    case "speakInRound":
      return (
        thing.type === "round" &&
        thing.round.status === "live" &&
        (isRoundHost(actor, thing.round) || (thing.round.registered && !thing.round.removed && !thing.round.muted))
      );
    case "writeNotes":
      return (
        thing.type === "round" &&
        thing.round.status !== "published" &&
        (isRoundHost(actor, thing.round) ||
          (thing.round.status === "live" && thing.round.scribe && !thing.round.removed))
      );
  }
}
