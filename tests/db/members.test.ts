import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { engine, useTestDatabase } from "../setup/db.ts";
import { categories, materials, threads, users } from "../../db/schema/index.ts";
import { createUser, updateProfile } from "../../app/models/accounts/users.server.ts";
import {
  directoryChoices,
  getProfile,
  listMembers,
  DIRECTORY_PAGE_SIZE,
  type DirectoryQuery,
} from "../../app/models/accounts/directory.server.ts";
import { dismissWelcome, welcomeChecklist, WELCOME_ROOM_SLUG } from "../../app/models/accounts/welcome.server.ts";
import { renderMarkdown } from "../../app/models/discussions/body.server.ts";
import { createThread } from "../../app/models/discussions/threads.server.ts";
import { createReply, deletePost } from "../../app/models/discussions/posts.server.ts";
import { setPostHidden } from "../../app/models/discussions/moderation.server.ts";
import { setCategoryWatch } from "../../app/models/discussions/watches.server.ts";
import { createRound, registerForRound } from "../../app/models/rounds/rounds.server.ts";
import { profileSchema } from "../../app/schemas/accounts.ts";
import { roundFormSchema } from "../../app/schemas/rounds.ts";
import type { Actor } from "../../app/auth/permissions.ts";

const { handle } = useTestDatabase();
const db = () => handle().db;
let n = 0;

interface Profile {
  name: string;
  roleText?: string;
  region?: string;
  legalDomain?: "sgb2" | "sgb3" | "cross" | null;
  bio?: string;
  expertise?: string;
  listed?: boolean;
}

async function person(profile: Profile, role: Actor["role"] = "member"): Promise<Actor & { handle: string }> {
  n++;
  const h = `mitglied-${n}`;
  const { id } = await createUser({
    email: `m${n}@example.org`,
    displayName: profile.name,
    handle: h,
    password: "ein-gutes-passwort",
    role,
  });
  const actor = { id, role };
  const form = profileSchema.parse({
    displayName: profile.name,
    handle: h,
    roleText: profile.roleText ?? "",
    region: profile.region ?? "",
    legalDomain: profile.legalDomain ?? "",
    bio: profile.bio ?? "",
    expertise: profile.expertise ?? "",
    listed: profile.listed === false ? undefined : "on",
  });
  await updateProfile(actor, id, form);
  return { ...actor, handle: h };
}

const query = (q: Partial<DirectoryQuery> = {}): DirectoryQuery => ({
  q: "",
  region: "",
  legalDomain: null,
  topic: "",
  page: 1,
  ...q,
});
const names = async (q: Partial<DirectoryQuery>) => (await listMembers(query(q))).members.map((m) => m.displayName);

async function room(slug: string) {
  const [row] = await db()
    .insert(categories)
    .values({ slug, name: `Raum ${slug}`, position: ++n })
    .onConflictDoNothing()
    .returning({ id: categories.id });
  return row;
}

async function thread(author: Actor, slug: string, anonymous = false, title = "Wie klärt ihr den Lernbedarf?") {
  await room(slug);
  return createThread(author, {
    categorySlug: slug,
    type: "question",
    title,
    body: renderMarkdown("Ich suche Erfahrungen."),
    anonymous,
    ilbStep: null,
    competenceArea: null,
    audience: null,
    legalDomain: null,
    tags: [],
  });
}

const reply = (actor: Actor, threadId: string, text: string, anonymous = false) =>
  createReply(actor, { threadId, parentId: null, body: renderMarkdown(text), anonymous });

describe(`member directory, profiles and welcome checklist on ${engine}`, () => {
  let sevgi: Actor & { handle: string };
  let jonas: Actor & { handle: string };
  let moderator: Actor & { handle: string };

  it("lists only members who opted in and are active, searchable by name, region, Rechtskreis and topics", async () => {
    sevgi = await person({
      name: "Sevgi Schneider",
      roleText: "Lernbegleiterin",
      region: "Köln",
      legalDomain: "sgb2",
      expertise: "Lernlandkarte, eAkte; Moderation",
    });
    jonas = await person({
      name: "Jonas Wagner",
      region: "Leipzig",
      legalDomain: "sgb3",
      expertise: "lernlandkarte, Selbstvereinbarung",
      bio: "Ich mag Tandems.",
    });
    moderator = await person(
      { name: "Malte Meyer", region: "köln", legalDomain: "cross", expertise: "Dialogrunden" },
      "moderator",
    );
    await person({ name: "Petra Verborgen", region: "Köln", expertise: "Lernlandkarte", listed: false });
    const gone = await person({ name: "Karl Ausgeschieden", region: "Köln", expertise: "Lernlandkarte" });
    await db().update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.id));

    expect(await names({})).toEqual(["Jonas Wagner", "Malte Meyer", "Sevgi Schneider"]);
    // "Wer kennt sich aus mit …?": topics, regardless of case, and every word must match somewhere.
    expect(await names({ q: "LERNLANDKARTE" })).toEqual(["Jonas Wagner", "Sevgi Schneider"]);
    expect(await names({ q: "lernlandkarte köln" })).toEqual(["Sevgi Schneider"]);
    expect(await names({ q: "Tandems" })).toEqual(["Jonas Wagner"]);
    expect(await names({ q: "Wagn" })).toEqual(["Jonas Wagner"]);
    expect(await names({ q: "100%_" })).toEqual([]);
    expect(await names({ region: "KÖLN" })).toEqual(["Malte Meyer", "Sevgi Schneider"]);
    expect(await names({ legalDomain: "sgb3" })).toEqual(["Jonas Wagner"]);
    expect(await names({ topic: "Lernlandkarte" })).toEqual(["Jonas Wagner", "Sevgi Schneider"]);
    expect(await names({ topic: "Lernland" })).toEqual([]);
    expect(await names({ topic: "lernlandkarte", region: "Leipzig" })).toEqual(["Jonas Wagner"]);

    const found = await listMembers(query({ q: "Sevgi" }));
    expect(found).toMatchObject({ total: 1, pages: 1 });
    expect(found.members[0]).toEqual({
      // The id names the face's address (/profilbilder/:id/…); without a profile picture there is no stamp.
      id: sevgi.id,
      picture: null,
      handle: sevgi.handle,
      displayName: "Sevgi Schneider",
      roleText: "Lernbegleiterin",
      region: "Köln",
      legalDomain: "sgb2",
      expertise: ["Lernlandkarte", "eAkte", "Moderation"],
    });
    // Nothing private travels with a directory entry.
    expect(Object.keys(found.members[0])).not.toContain("email");

    const choices = await directoryChoices();
    // Only regions and topics of listed, active members; the most named topic first.
    expect(choices.regions).toEqual(expect.arrayContaining(["Köln", "Leipzig"]));
    expect(choices.regions).not.toContain("");
    expect(choices.topics[0].toLowerCase()).toBe("lernlandkarte");
    expect(choices.topics).toEqual(expect.arrayContaining(["eAkte", "Selbstvereinbarung", "Dialogrunden"]));
  });

  it("pages the directory by name", async () => {
    for (let i = 0; i < DIRECTORY_PAGE_SIZE + 2; i++)
      await person({ name: `Zora Seitenweise ${String(i).padStart(2, "0")}`, expertise: "Seitenwechsel" });
    const first = await listMembers(query({ topic: "seitenwechsel" }));
    const second = await listMembers(query({ topic: "seitenwechsel", page: 2 }));
    expect(first).toMatchObject({ total: DIRECTORY_PAGE_SIZE + 2, pages: 2 });
    expect(first.members).toHaveLength(DIRECTORY_PAGE_SIZE);
    expect(second.members.map((m) => m.displayName)).toEqual(["Zora Seitenweise 24", "Zora Seitenweise 25"]);
  });

  it("rejects more than ten topics or overlong ones, and cleans up what it keeps", () => {
    const base = { displayName: "Anna", handle: "anna" };
    expect(
      profileSchema.safeParse({ ...base, expertise: Array.from({ length: 11 }, (_, i) => `Thema ${i}`).join(",") })
        .success,
    ).toBe(false);
    expect(profileSchema.safeParse({ ...base, expertise: "x".repeat(41) }).success).toBe(false);
    expect(profileSchema.parse({ ...base, expertise: " #eAkte ,  Lern   landkarte;EAKTE,, " }).expertise).toEqual([
      "eAkte",
      "Lern landkarte",
    ]);
  });

  it("shows a member's public contributions on the profile, never anonymous, hidden or deleted ones", async () => {
    const own = await thread(sevgi, "profil-raum", false, "Sevgis offene Frage");
    const anonymous = await thread(sevgi, "profil-raum", true, "Eine heikle Frage");
    const visible = await reply(sevgi, own.id, "Eine sichtbare Antwort");
    await reply(sevgi, own.id, "Eine anonyme Antwort", true);
    const hidden = await reply(sevgi, own.id, "Eine verborgene Antwort");
    await setPostHidden(moderator, hidden.id, true);
    const deleted = await reply(sevgi, own.id, "Eine gelöschte Antwort");
    await deletePost(sevgi, deleted.id);
    await reply(jonas, own.id, "Jonas antwortet");
    await db()
      .insert(materials)
      .values([
        {
          type: "one_pager" as const,
          status: "published" as const,
          title: "Sevgis OnePager",
          suggestedBy: sevgi.id,
          publishedAt: new Date(),
        },
        { type: "one_pager" as const, status: "review" as const, title: "Noch in Prüfung", suggestedBy: sevgi.id },
      ]);

    const found = await getProfile(sevgi.handle.toUpperCase());
    expect(found).not.toBeNull();
    expect(found!.profile).toMatchObject({
      displayName: "Sevgi Schneider",
      expertise: ["Lernlandkarte", "eAkte", "Moderation"],
    });
    expect(found!.profile).not.toHaveProperty("email");
    expect(found!.started.map((t) => t.title)).toEqual(["Sevgis offene Frage"]);
    expect(found!.started.map((t) => t.id)).not.toContain(anonymous.id);
    expect(found!.replies.map((r) => r.excerpt)).toEqual(["Eine sichtbare Antwort"]);
    expect(found!.replies[0]).toMatchObject({ id: visible.id, threadId: own.id, threadTitle: "Sevgis offene Frage" });
    expect(found!.moreReplies).toBe(false);
    expect(found!.materials.map((m) => m.title)).toEqual(["Sevgis OnePager"]);

    // A named reply stays named (it shows the name in the thread too), even under an anonymous question.
    await reply(sevgi, anonymous.id, "Antwort in der heiklen Frage");
    expect((await getProfile(sevgi.handle))!.replies.map((r) => r.excerpt)).toContain("Antwort in der heiklen Frage");
    expect(await getProfile("niemand-hier")).toBeNull();
  });

  it("pages a member's replies", async () => {
    const t = await thread(jonas, "profil-raum", false, "Viele Antworten");
    for (let i = 0; i < 12; i++) await reply(moderator, t.id, `Antwort Nummer ${i}`);
    const first = await getProfile(moderator.handle, 1);
    const second = await getProfile(moderator.handle, 2);
    expect(first!.replies).toHaveLength(10);
    expect(first!.moreReplies).toBe(true);
    expect(second!.replies.map((r) => r.excerpt)).toEqual(["Antwort Nummer 1", "Antwort Nummer 0"]);
    expect(second!.moreReplies).toBe(false);
  });

  it("walks a new member through the welcome checklist until it is done or dismissed", async () => {
    const newcomer = await person({ name: "Nina Neu", listed: false });
    await db().delete(categories).where(eq(categories.slug, WELCOME_ROOM_SLUG));
    // Without a welcome room and without an orientation round, only what can be done now is listed.
    expect((await welcomeChecklist(newcomer.id))!.map((i) => i.step)).toEqual(["profile", "watch"]);

    await room(WELCOME_ROOM_SLUG);
    const moderatorForm = (startsAt: Date, orientation: boolean) =>
      roundFormSchema.parse({
        title: orientation ? "Orientierungsrunde" : "Andere Runde",
        startsAt: berlin(startsAt),
        endsAt: berlin(new Date(startsAt.getTime() + 3_600_000)),
        registrationDeadline: berlin(new Date(startsAt.getTime() - 3_600_000)),
        capacity: "10",
        orientation: orientation ? "on" : undefined,
      });
    await createRound(moderator, moderatorForm(new Date(Date.now() + 3 * 86_400_000), false));
    const later = await createRound(moderator, moderatorForm(new Date(Date.now() + 9 * 86_400_000), true));
    const next = await createRound(moderator, moderatorForm(new Date(Date.now() + 5 * 86_400_000), true));

    let items = (await welcomeChecklist(newcomer.id))!;
    expect(items).toEqual([
      { step: "profile", done: false, href: "/einstellungen" },
      { step: "introduce", done: false, href: `/themen/${WELCOME_ROOM_SLUG}` },
      { step: "watch", done: false, href: "/themen" },
      { step: "orientation", done: false, href: `/dialogrunden/${next.id}` },
    ]);

    await updateProfile(
      newcomer,
      newcomer.id,
      profileSchema.parse({
        displayName: "Nina Neu",
        handle: newcomer.handle,
        roleText: "Lernbegleiterin",
        region: "Kiel",
        bio: "Hallo!",
      }),
    );
    const intro = await thread(newcomer, WELCOME_ROOM_SLUG, false, "Hallo aus Kiel");
    await setCategoryWatch(newcomer, "profil-raum", true);
    items = (await welcomeChecklist(newcomer.id))!;
    expect(items.filter((i) => i.done).map((i) => i.step)).toEqual(["profile", "introduce", "watch"]);

    // A deleted introduction does not count.
    const [opening] = await db().select({ id: threads.openingPostId }).from(threads).where(eq(threads.id, intro.id));
    await deletePost(newcomer, opening.id!);
    items = (await welcomeChecklist(newcomer.id))!;
    expect(items.find((i) => i.step === "introduce")!.done).toBe(false);
    await thread(newcomer, WELCOME_ROOM_SLUG, false, "Noch einmal hallo");

    await registerForRound(newcomer, later.id);
    // Every step done: the checklist is gone.
    expect(await welcomeChecklist(newcomer.id)).toBeNull();

    const other = await person({ name: "Otto Später", listed: false });
    expect(await welcomeChecklist(other.id)).not.toBeNull();
    await dismissWelcome(other.id);
    expect(await welcomeChecklist(other.id)).toBeNull();
  });
});

function berlin(d: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Berlin", dateStyle: "short", timeStyle: "short" })
    .format(d)
    .replace(" ", "T");
}
