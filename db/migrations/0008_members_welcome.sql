ALTER TABLE "users" ADD COLUMN "expertise" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "welcome_dismissed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD COLUMN "orientation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Search: a document's tsvector also holds its adjacent word pairs ('~p:kollegial_fallberat'), so that phrase
-- queries are answered by the index instead of reading every candidate's positions (see search/postgres.ts).
CREATE OR REPLACE FUNCTION search_word_pairs(v tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- Each pair keeps the position and weight of its first word, so a phrase in a title still ranks above one in a body.
  -- Neighbours by a window over the positions: a join of the positions with themselves grows with their square.
  -- Bounded by PostgreSQL's limits (a lexeme under 2 KB, a vector under 1 MB with its positions): pairs of very long
  -- tokens are skipped, and a very long document gets pairs from its start for as much room as its words leave.
  SELECT v || coalesce(string_agg(
      '''' || replace(replace('~p:' || lexeme || '_' || next_lexeme, '\', '\\'), '''', '''''') || ''':' || pos || weight, ' ')::tsvector,
    ''::tsvector)
  FROM (
    SELECT lexeme, next_lexeme, pos, weight,
      sum(octet_length(lexeme) + octet_length(next_lexeme) + 16) OVER (ORDER BY pos ROWS UNBOUNDED PRECEDING) AS running
    FROM (
      SELECT u.lexeme, p.pos, p.weight, lead(u.lexeme) OVER w AS next_lexeme, lead(p.pos) OVER w AS next_pos
      FROM unnest(v) AS u, unnest(u.positions, u.weights) AS p(pos, weight)
      WINDOW w AS (ORDER BY p.pos)
    ) AS neighbours
    WHERE next_pos = pos + 1 AND octet_length(lexeme) + octet_length(next_lexeme) < 200
  ) AS pairs
  WHERE running < 1000000 - pg_column_size(v)
$$;--> statement-breakpoint
-- Documents indexed before get their word pairs on the next indexer run.
INSERT INTO search_outbox (kind, ref_id)
SELECT 'thread', id FROM threads
UNION ALL SELECT 'material', id FROM materials
UNION ALL SELECT 'member', id FROM users WHERE listed;
