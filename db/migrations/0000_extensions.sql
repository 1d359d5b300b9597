-- drizzle-kit never emits CREATE EXTENSION; search (trigram word lists, accent folding) needs both.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
