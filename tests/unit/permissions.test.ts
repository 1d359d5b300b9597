import { describe, expect, it } from "vitest";
import { can, type Actor } from "../../app/auth/permissions.ts";

const member: Actor = { id: "m1", role: "member" };
const moderator: Actor = { id: "mod", role: "moderator" };
const admin: Actor = { id: "adm", role: "admin" };
const deactivatedAdmin: Actor = { id: "old", role: "admin", deactivated: true };

describe("can()", () => {
  it("lets nobody do anything without an account or when deactivated", () => {
    for (const action of ["read", "moderate", "manageSettings"] as const) {
      expect(can(null, action)).toBe(false);
      expect(can(undefined, action)).toBe(false);
      expect(can(deactivatedAdmin, action)).toBe(false);
    }
  });

  it("lets members read but not moderate", () => {
    expect(can(member, "read")).toBe(true);
    expect(can(member, "moderate")).toBe(false);
    expect(can(moderator, "moderate")).toBe(true);
    expect(can(admin, "moderate")).toBe(true);
  });

  it("lets moderators invite members, and only admins hand out moderator or admin rights", () => {
    expect(can(member, "invite", { type: "invitation", role: "member" })).toBe(false);
    expect(can(moderator, "invite", { type: "invitation", role: "member" })).toBe(true);
    expect(can(moderator, "invite", { type: "invitation", role: "moderator" })).toBe(false);
    expect(can(moderator, "invite", { type: "invitation", role: "admin" })).toBe(false);
    expect(can(admin, "invite", { type: "invitation", role: "admin" })).toBe(true);
    expect(can(admin, "invite", { type: "site" })).toBe(false);
  });

  it("lets people edit their own profile; admins any; moderators only their own", () => {
    expect(can(member, "editProfile", { type: "user", id: "m1" })).toBe(true);
    expect(can(member, "editProfile", { type: "user", id: "m2" })).toBe(false);
    expect(can(moderator, "editProfile", { type: "user", id: "m1" })).toBe(false);
    expect(can(admin, "editProfile", { type: "user", id: "m1" })).toBe(true);
  });

  it("lets admins change other people's roles but not their own", () => {
    expect(can(admin, "changeRole", { type: "user", id: "m1" })).toBe(true);
    expect(can(admin, "changeRole", { type: "user", id: "adm" })).toBe(false);
    expect(can(moderator, "changeRole", { type: "user", id: "m1" })).toBe(false);
    expect(can(admin, "manageSettings")).toBe(true);
    expect(can(moderator, "manageSettings")).toBe(false);
  });

  it("admits to realtime rooms by kind: own user room, moderation for moderators, nothing unknown", () => {
    const room = (name: string) => ({ type: "room" as const, name });
    expect(can(member, "join", room("user:m1"))).toBe(true);
    expect(can(member, "join", room("user:m2"))).toBe(false);
    expect(can(admin, "join", room("user:m1"))).toBe(false);
    expect(can(member, "join", room("moderation"))).toBe(false);
    expect(can(moderator, "join", room("moderation"))).toBe(true);
    expect(can(moderator, "join", room("moderation:x"))).toBe(false);
    expect(can(member, "join", room("user:m1:extra"))).toBe(false);
    expect(can(admin, "join", room("anything"))).toBe(false);
    expect(can(member, "join", { type: "site" })).toBe(false);
  });
});

describe("can() for materials", () => {
  const material = (status: "draft" | "review" | "published" | "archived", suggestedBy: string | null = null) => ({
    type: "material" as const,
    material: { status, createdBy: "mod", suggestedBy },
  });

  it("shows published and archived materials to every member, drafts and suggestions only to moderators and the suggester", () => {
    expect(can(member, "view", material("published"))).toBe(true);
    expect(can(member, "view", material("archived"))).toBe(true);
    expect(can(member, "view", material("draft"))).toBe(false);
    expect(can(member, "view", material("review", "m2"))).toBe(false);
    expect(can(member, "view", material("review", "m1"))).toBe(true);
    expect(can(moderator, "view", material("draft"))).toBe(true);
  });

  it("lets members suggest and edit their own open suggestion; only moderators curate and edit the rest", () => {
    expect(can(member, "suggest")).toBe(true);
    expect(can(member, "curate")).toBe(false);
    expect(can(moderator, "curate")).toBe(true);
    expect(can(member, "edit", material("review", "m1"))).toBe(true);
    expect(can(member, "edit", material("published", "m1"))).toBe(false);
    expect(can(member, "edit", material("draft"))).toBe(false);
    expect(can(moderator, "edit", material("published"))).toBe(true);
  });
});
