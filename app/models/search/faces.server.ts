import { sql } from "drizzle-orm";
import type { SearchHit } from "../../../search/engine.ts";
import { pgArray } from "../../../search/sql.ts";
import type { Actor } from "../../auth/permissions.ts";
import type { Face } from "../../domain/avatars/avatars.ts";
import { database } from "../db.server.ts";

/** Who a hit is by: a thread's or reply's author, or the member a member hit is about. */
export interface HitPerson {
  face: Face | null;
  anonymous: boolean;
}

/**
 * The faces (ADR 028) of a result page's hits that have a person, in one query for the whole page: the search
 * documents carry no author (they are shared by everyone who may read them), so the page looks them up by the hits'
 * ids. Anonymous posts stay anonymous, also to moderators, except to their author (as on the thread page).
 * Materials and round results are the network's, not a member's: they get none. Keyed by "<type>:<id>".
 */
export async function hitPeople(
  viewer: Actor,
  hits: Pick<SearchHit, "type" | "id">[],
): Promise<Record<string, HitPerson>> {
  const ids = (type: SearchHit["type"]) => pgArray(hits.filter((h) => h.type === type).map((h) => h.id));
  if (!hits.some((h) => h.type === "thread" || h.type === "reply" || h.type === "member")) return {};
  const rows = await database().rows<{
    kind: string;
    id: string;
    author_id: string | null;
    anonymous: boolean;
    name: string | null;
    picture: string | null;
  }>(sql`
    select h.kind, h.id::text as id, h.author_id::text as author_id, h.anonymous, u.display_name as name, pp.stamp as picture
    from (
      select 'thread' as kind, t.id, t.author_id, t.anonymous from threads t where t.id = any(${ids("thread")}::uuid[])
      union all
      select 'reply', p.id, p.author_id, p.anonymous from posts p where p.id = any(${ids("reply")}::uuid[])
      union all
      select 'member', m.id, m.id, false from users m where m.id = any(${ids("member")}::uuid[])
    ) h
    left join users u on u.id = h.author_id
    left join profile_pictures pp on pp.user_id = h.author_id`);
  const people: Record<string, HitPerson> = {};
  for (const r of rows) {
    const hidden = r.anonymous && r.author_id !== viewer.id;
    people[`${r.kind}:${r.id}`] = {
      face: !hidden && r.author_id && r.name ? { id: r.author_id, name: r.name, picture: r.picture } : null,
      anonymous: r.anonymous,
    };
  }
  return people;
}
