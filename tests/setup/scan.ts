/**
 * Looks for text in every text, varchar, jsonb, text[] and tsvector column of every table (case-insensitive):
 * for checking that a deleted member left no trace. Returns "table.column ∋ needle" per hit.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client.ts";

export async function findEverywhere(handle: DatabaseHandle, needles: string[]): Promise<string[]> {
  const columns = await handle.rows<{ table_name: string; column_name: string }>(sql`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = 'public' and (c.data_type in ('text', 'character varying', 'jsonb', 'json') or c.udt_name in ('_text', '_varchar', 'tsvector'))
    order by 1, 2`);
  if (columns.length < 60) throw new Error(`only ${columns.length} text columns found: the scan would prove nothing`);
  const hits: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [row] = await handle.rows<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${`%${needle}%`}`,
      );
      if (Number(row.n) > 0) hits.push(`${table_name}.${column_name} ∋ ${needle}`);
    }
  }
  return hits;
}
