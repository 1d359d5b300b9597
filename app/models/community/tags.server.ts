import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * Tags are stored as typed ("eAkte") and found regardless of case ("#eakte" finds it), in discussions and in the
 * library alike; the member directory compares its topics the same way.
 */
export function hasTag(column: AnyColumn, tag: string): SQL {
  return sql`exists (select 1 from unnest(${column}) as t(tag) where lower(t.tag) = lower(${tag}))`;
}
