/**
 * The authorisation matrix: every route in app/routes × five actors (anonymous, a member, another member, a
 * moderator, an admin), each checked against the rules written down below, on real demo content. The case
 * consultations are Sevgi's (mitglied@); the other member, moderation and admin take part in none of them.
 * A route file without a row here fails the test, so a new route must state its rules.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginCookie, root, startTestServer } from "../setup/server.ts";
import { get, postForm } from "./helpers.ts";
import { ahead } from "../setup/dates.ts";

type Server = Awaited<ReturnType<typeof startTestServer>>;
type ActorName = "anonym" | "mitglied" | "anderes" | "moderation" | "admin";
const actors: ActorName[] = ["anonym", "mitglied", "anderes", "moderation", "admin"];
const emails: Record<Exclude<ActorName, "anonym">, string> = {
  mitglied: "mitglied@example.org",
  anderes: "mitglied5@example.org",
  moderation: "moderation@example.org",
  admin: "admin@example.org",
};

/** "login": a redirect to /anmelden. A number: that status. */
type Expected = number | "login";
/** [anonym, mitglied, anderes, moderation, admin] */
type Row = [Expected, Expected, Expected, Expected, Expected];

const MEMBERS: Row = ["login", 200, 200, 200, 200];
const MEMBERS_API: Row = [401, 200, 200, 200, 200];
const PUBLIC: Row = [200, 200, 200, 200, 200];
const DESK: Row = ["login", 403, 403, 200, 200];
const ADMIN: Row = ["login", 403, 403, 403, 200];
const CASE_GIVER: Row = ["login", 200, 404, 404, 404];

let server: Server;
const cookies: Partial<Record<ActorName, string>> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  const rows = <T>(query: ReturnType<typeof sql>) => server.database.rows<T>(query);
  const one = async (query: ReturnType<typeof sql>) => {
    const [row] = await rows<{ v: string }>(query);
    expect(row?.v, String(query)).toBeTruthy();
    return row.v;
  };
  const sevgi = await one(sql`select id::text as v from users where email = 'mitglied@example.org'`);
  ids.caseLive = await one(
    sql`select id::text as v from case_consultations where case_giver_id = ${sevgi} and mode = 'live' and closed_at is null limit 1`,
  );
  ids.caseAny = await one(
    sql`select id::text as v from case_consultations where case_giver_id = ${sevgi} and mode = 'async' limit 1`,
  );
  // A post by none of the five actors (mitglied2, for instance), in a visible thread.
  const bystander = sql`p.author_id not in (select id from users where email in ('mitglied@example.org', 'mitglied5@example.org', 'moderation@example.org', 'admin@example.org'))`;
  ids.thread = await one(
    sql`select t.id::text as v from threads t where t.hidden_at is null and t.deleted_at is null and exists (select 1 from posts p where p.thread_id = t.id and ${bystander} and p.deleted_at is null and p.hidden_at is null) order by t.created_at limit 1`,
  );
  ids.post = await one(
    sql`select p.id::text as v from posts p where p.thread_id = ${ids.thread} and ${bystander} and p.deleted_at is null and p.hidden_at is null order by p.created_at limit 1`,
  );
  ids.bystander = await one(sql`select id::text as v from users where email = 'mitglied2@example.org'`);
  ids.ownPost = await one(
    sql`select p.id::text as v from posts p join threads t on t.id = p.thread_id where p.author_id = ${sevgi} and p.deleted_at is null and p.hidden_at is null and t.hidden_at is null and t.deleted_at is null limit 1`,
  );
  ids.ownThread = await one(sql`select thread_id::text as v from posts where id = ${ids.ownPost}`);
  ids.material = await one(sql`select id::text as v from materials where status = 'published' limit 1`);
  ids.round = await one(sql`select id::text as v from dialogue_rounds limit 1`);
  // A scheduled round none of the four signed-in actors hosts (moderators may change any round).
  ids.roundScheduled = await one(
    sql`select r.id::text as v from dialogue_rounds r where r.status = 'scheduled' and not exists (select 1 from round_hosts h join users u on u.id = h.user_id where h.round_id = r.id and u.email in ('mitglied@example.org', 'mitglied5@example.org')) limit 1`,
  );
  ids.handle = await one(sql`select handle as v from users where email = 'mitglied2@example.org'`);
  ids.category = await one(sql`select slug as v from categories limit 1`);
  ids.collection = await one(sql`select slug as v from collections limit 1`);
  for (const [name, email] of Object.entries(emails)) cookies[name as ActorName] = await loginCookie(server.url, email);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const NIL = "00000000-0000-4000-8000-000000000000";

/** Every route file, with the page to request and who should get what. */
function pages(): Record<string, { path: string; expect: Row } | "action only"> {
  return {
    "$.tsx": { path: "/gibt-es-nicht", expect: [404, 404, 404, 404, 404] },
    // The start page greets visitors too (with the way in); members get their overview.
    "_index.tsx": { path: "/", expect: PUBLIC },
    "abmelden.tsx": { path: "/abmelden", expect: MEMBERS },
    "anmelden.tsx": { path: "/anmelden", expect: [200, 302, 302, 302, 302] },
    // The organisation's sign-in (ADR 040) is off on this server: both addresses are not there for anyone.
    "anmelden_.organisation.tsx": { path: "/anmelden/organisation", expect: [404, 404, 404, 404, 404] },
    "anmelden_.organisation_.zurueck.tsx": {
      path: "/anmelden/organisation/zurueck?code=x&state=y",
      expect: [404, 404, 404, 404, 404],
    },
    // POST only (autosave); its own tests cover it. A GET answers 400 from Remix and logs an error (reported).
    "api.v1.drafts.ts": "action only",
    "api.v1.fallberatung.$id.ts": { path: `/api/v1/fallberatung/${ids.caseLive}`, expect: [401, 200, 404, 404, 404] },
    "api.v1.members.ts": { path: "/api/v1/members?q=mi", expect: MEMBERS_API },
    "api.v1.search.ts": { path: "/api/v1/search?q=lernen", expect: MEMBERS_API },
    "api.v1.similar.ts": { path: "/api/v1/similar?q=motivation", expect: MEMBERS_API },
    // The accessibility statement (with its feedback form) and the plain-language page are for everyone.
    "barrierefreiheit.tsx": { path: "/barrierefreiheit", expect: PUBLIC },
    "benachrichtigungen.tsx": { path: "/benachrichtigungen", expect: MEMBERS },
    "benachrichtigungen_.$id.tsx": { path: `/benachrichtigungen/${NIL}`, expect: ["login", 404, 404, 404, 404] },
    "benachrichtigungen_.abbestellen.tsx": {
      path: "/benachrichtigungen/abbestellen",
      expect: [400, 400, 400, 400, 400],
    },
    "benachrichtigungen_.einstellungen.tsx": { path: "/benachrichtigungen/einstellungen", expect: MEMBERS },
    "datenschutz.tsx": { path: "/datenschutz", expect: PUBLIC },
    "dialogrunden.$id": { path: `/dialogrunden/${ids.round}`, expect: MEMBERS },
    "dialogrunden.$id[.ics].ts": { path: `/dialogrunden/${ids.round}.ics`, expect: MEMBERS },
    // Changing or cancelling a round: its hosts and the moderation.
    "dialogrunden.$id_.bearbeiten.tsx": {
      path: `/dialogrunden/${ids.roundScheduled}/bearbeiten`,
      expect: ["login", 403, 403, 200, 200],
    },
    "dialogrunden._index.tsx": { path: "/dialogrunden", expect: MEMBERS },
    "dialogrunden.neu.tsx": { path: "/dialogrunden/neu", expect: DESK },
    "diskussionen.$id": { path: `/diskussionen/${ids.thread}`, expect: MEMBERS },
    // Someone else's post: only its author edits it; moderation hides, it does not rewrite.
    "diskussionen.$id_.beitrag.$postId.bearbeiten.tsx": {
      path: `/diskussionen/${ids.thread}/beitrag/${ids.post}/bearbeiten`,
      expect: ["login", 403, 403, 403, 403],
    },
    "diskussionen.$id_.beitrag.$postId.loeschen.tsx": {
      path: `/diskussionen/${ids.thread}/beitrag/${ids.post}/loeschen`,
      expect: ["login", 403, 403, 200, 200],
    },
    "diskussionen.$id_.beitrag.$postId.melden.tsx": {
      path: `/diskussionen/${ids.thread}/beitrag/${ids.post}/melden`,
      expect: MEMBERS,
    },
    "diskussionen.$id_.beitrag.$postId.versionen.tsx": {
      path: `/diskussionen/${ids.thread}/beitrag/${ids.post}/versionen`,
      expect: MEMBERS,
    },
    "diskussionen._index.tsx": { path: "/diskussionen", expect: MEMBERS },
    "diskussionen.neu.tsx": { path: "/diskussionen/neu", expect: MEMBERS },
    "einladung.$token.tsx": { path: "/einladung/abcdefghijklmnopqrstuvwxyz234567", expect: PUBLIC },
    "einstellungen.tsx": { path: "/einstellungen", expect: MEMBERS },
    "einstellungen_.daten.tsx": { path: "/einstellungen/daten", expect: MEMBERS },
    "einstellungen_.daten_.$id.herunterladen.ts": {
      path: `/einstellungen/daten/${NIL}/herunterladen`,
      expect: ["login", 404, 404, 404, 404],
    },
    "einstellungen_.profilbild.tsx": { path: "/einstellungen/profilbild", expect: MEMBERS },
    "einstellungen_.konto-loeschen.tsx": { path: "/einstellungen/konto-loeschen", expect: MEMBERS },
    "fallberatung.$id": { path: `/fallberatung/${ids.caseAny}`, expect: CASE_GIVER },
    "fallberatung._index.tsx": { path: "/fallberatung", expect: MEMBERS },
    "fallberatung.neu.tsx": { path: "/fallberatung/neu", expect: MEMBERS },
    "feeds.dialogrunden[.]ics.ts": {
      path: "/feeds/dialogrunden.ics?token=abcdefghijklmnopqrstuvwxyz234567",
      expect: [404, 404, 404, 404, 404],
    },
    "feeds.podcast[.]xml.ts": {
      path: "/feeds/podcast.xml?token=abcdefghijklmnopqrstuvwxyz234567",
      expect: [404, 404, 404, 404, 404],
    },
    "healthz.ts": { path: "/healthz", expect: PUBLIC },
    "konto-geloescht.tsx": { path: "/konto-geloescht", expect: PUBLIC },
    "leichte-sprache.tsx": { path: "/leichte-sprache", expect: PUBLIC },
    "materialien.$id.tsx": { path: `/materialien/${ids.material}`, expect: MEMBERS },
    "materialien.$id_.bearbeiten.tsx": { path: `/materialien/${ids.material}/bearbeiten`, expect: DESK },
    "materialien._index.tsx": { path: "/materialien", expect: MEMBERS },
    // Members suggest materials; the curators publish them.
    "materialien.neu.tsx": { path: "/materialien/neu", expect: MEMBERS },
    "materialien.themenpakete.$slug.tsx": { path: `/materialien/themenpakete/${ids.collection}`, expect: MEMBERS },
    // Everyone's own list: nobody, staff included, can ask for anyone else's (tests/http/bookmarks.test.ts).
    "merkliste.tsx": { path: "/merkliste", expect: MEMBERS },
    // What the service worker keeps offline: the member's own Merkliste materials (ADR 038).
    "offline.merkliste.ts": { path: "/offline/merkliste", expect: MEMBERS_API },
    "mitglieder.$handle.tsx": { path: `/mitglieder/${ids.handle}`, expect: MEMBERS },
    "mitglieder._index.tsx": { path: "/mitglieder", expect: MEMBERS },
    "moderation.tsx": { path: "/moderation", expect: DESK },
    "moderation_.einblicke.tsx": { path: "/moderation/einblicke", expect: DESK },
    "moderation_.einstellungen.tsx": { path: "/moderation/einstellungen", expect: ADMIN },
    "moderation_.materialien.tsx": { path: "/moderation/materialien", expect: DESK },
    "moderation_.meldungen.tsx": { path: "/moderation/meldungen", expect: DESK },
    "moderation_.mitglieder.tsx": { path: "/moderation/mitglieder", expect: DESK },
    "moderation_.protokoll.tsx": { path: "/moderation/protokoll", expect: DESK },
    "moderation_.suche.tsx": { path: "/moderation/suche", expect: DESK },
    "moderation_.themen.tsx": { path: "/moderation/themen", expect: DESK },
    "moderation_.themenpakete.tsx": { path: "/moderation/themenpakete", expect: DESK },
    // Closed registration (the default): 404; whoever is logged in is sent home.
    "registrieren.tsx": { path: "/registrieren", expect: [404, 302, 302, 302, 302] },
    "suche.tsx": { path: "/suche?q=lernen", expect: MEMBERS },
    "themen.$slug.tsx": { path: `/themen/${ids.category}`, expect: MEMBERS },
    "themen._index.tsx": { path: "/themen", expect: MEMBERS },
  };
}

function matches(expected: Expected, response: Response): boolean {
  if (expected === "login")
    return response.status === 302 && (response.headers.get("location") ?? "").startsWith("/anmelden");
  return response.status === expected;
}

function describeResponse(response: Response): string {
  const location = response.headers.get("location");
  return location ? `${response.status} → ${location}` : String(response.status);
}

describe("authorisation matrix", () => {
  test("every route file has a row", () => {
    const files = fs.readdirSync(path.join(root, "app/routes")).sort();
    expect(Object.keys(pages()).sort()).toEqual(files);
  });

  test("GET of every page, as each of the five actors", async () => {
    const mismatches: string[] = [];
    for (const [file, page] of Object.entries(pages())) {
      if (page === "action only") continue;
      const { path: pathname, expect: row } = page;
      await Promise.all(
        actors.map(async (actor, i) => {
          const response = await get(server.url, pathname, cookies[actor]);
          await response.body?.cancel();
          if (!matches(row[i], response))
            mismatches.push(`${file} ${pathname} as ${actor}: expected ${row[i]}, got ${describeResponse(response)}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  }, 90_000);

  /** Key writes: [actor, path, fields, expected]. Each refused one must change nothing (the 2xx ones are harmless). */
  test("key actions, as the actors who must be refused and one who may", async () => {
    const actions: [ActorName, string, Record<string, string>, Expected][] = [
      // A consultation is its participants' only: outsiders of every role get 404, not even a 403 that confirms it.
      ["anderes", `/fallberatung/${ids.caseLive}`, { intent: "contribute", kind: "question", body: "Darf ich?" }, 404],
      [
        "moderation",
        `/fallberatung/${ids.caseLive}`,
        { intent: "contribute", kind: "question", body: "Darf ich?" },
        404,
      ],
      ["admin", `/fallberatung/${ids.caseLive}`, { intent: "withdraw", confirm: "on" }, 404],
      [
        "anonym",
        `/fallberatung/${ids.caseLive}`,
        { intent: "contribute", kind: "question", body: "Darf ich?" },
        "login",
      ],
      // Someone else's post.
      ["anderes", `/diskussionen/${ids.thread}/beitrag/${ids.post}/bearbeiten`, { body: "Übernommen" }, 403],
      ["moderation", `/diskussionen/${ids.thread}/beitrag/${ids.post}/bearbeiten`, { body: "Übernommen" }, 403],
      ["anderes", `/diskussionen/${ids.thread}/beitrag/${ids.post}/loeschen`, { confirm: "on" }, 403],
      // The desk and the site settings.
      [
        "mitglied",
        "/dialogrunden/neu",
        {
          title: "Heimliche Runde",
          startsAt: ahead("05-01T10:00"),
          endsAt: ahead("05-01T11:00"),
          registrationDeadline: ahead("04-30T10:00"),
          capacity: "5",
        },
        403,
      ],
      ["mitglied", "/moderation/mitglieder", { intent: "role", userId: ids.bystander, role: "admin" }, 403],
      ["moderation", "/moderation/mitglieder", { intent: "role", userId: ids.bystander, role: "admin" }, 403],
      ["moderation", "/moderation/mitglieder", { intent: "deactivate", userId: ids.bystander }, 403],
      ["moderation", "/moderation/einstellungen", { siteName: "Übernommen" }, 403],
      ["mitglied", "/moderation/themen", { intent: "create", name: "Heimlich", slug: "heimlich" }, 403],
      ["mitglied", `/materialien/${ids.material}/bearbeiten`, { intent: "removeFile", fileId: NIL }, 403],
      ["anonym", `/diskussionen/${ids.thread}`, { intent: "reply", parentId: "", body: "Anonym" }, "login"],
      // And one that is allowed, so the refusals above are not an artefact of the form.
      [
        "mitglied",
        `/diskussionen/${ids.ownThread}/beitrag/${ids.ownPost}/bearbeiten`,
        { body: "Von mir selbst überarbeitet." },
        302,
      ],
    ];
    const mismatches: string[] = [];
    for (const [actor, pathname, fields, expected] of actions) {
      const response = await postForm(server.url, pathname, fields, { cookie: cookies[actor] });
      await response.body?.cancel();
      if (!matches(expected, response))
        mismatches.push(
          `POST ${pathname} ${JSON.stringify(fields)} as ${actor}: expected ${expected}, got ${describeResponse(response)}`,
        );
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});
