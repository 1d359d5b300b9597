CREATE TABLE "search_documents" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"visibility" text NOT NULL,
	"room" text,
	"material_type" text,
	"ilb_step" text,
	"competence_area" text,
	"audience" text,
	"answered" integer DEFAULT 0 NOT NULL,
	"boost" real DEFAULT 1 NOT NULL,
	"fresh_until" date,
	"date" timestamp with time zone NOT NULL,
	"tsv_head" "tsvector" NOT NULL,
	"tsv" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_query_stats" (
	"day" date NOT NULL,
	"query" text NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"zero_results" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "search_query_stats_day_query_pk" PRIMARY KEY("day","query")
);
--> statement-breakpoint
CREATE TABLE "search_synonyms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"terms" text[] NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_texts" (
	"key" text PRIMARY KEY NOT NULL,
	"ref_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"url" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL,
	"docs" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "listed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "material_files" ADD COLUMN "text_content" text;--> statement-breakpoint
ALTER TABLE "search_synonyms" ADD CONSTRAINT "search_synonyms_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_texts" ADD CONSTRAINT "search_texts_key_search_documents_key_fk" FOREIGN KEY ("key") REFERENCES "public"."search_documents"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_head_idx" ON "search_documents" USING gin ("tsv_head");--> statement-breakpoint
CREATE INDEX "search_documents_date_idx" ON "search_documents" USING btree ("date");--> statement-breakpoint
CREATE INDEX "search_outbox_due_idx" ON "search_outbox" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_words_prefix_idx" ON "search_words" USING btree ("word" text_pattern_ops);--> statement-breakpoint
-- Keep index rows narrow: rows over 128 bytes move their largest values (the tsvector) out of line, uncompressed,
-- so counting and faceting many matches reads few pages; only ranking reads the tsvector itself.
ALTER TABLE "search_documents" SET (toast_tuple_target = 128);--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET STORAGE EXTERNAL;--> statement-breakpoint
-- The network's abbreviations as synonym groups; moderators edit them in /moderation/suche.
INSERT INTO "search_synonyms" ("terms") VALUES
  (ARRAY['iLB', 'individuelle Lernbegleitung']),
  (ARRAY['LB', 'Lernbegleiter', 'Lernbegleiterin', 'Lernbegleitung']),
  (ARRAY['QV', 'Qualifizierungsverantwortliche', 'Qualifizierungsverantwortlicher']),
  (ARRAY['FK', 'Führungskraft', 'Führungskräfte']),
  (ARRAY['EAP', 'Einarbeitungsprogramm']),
  (ARRAY['BeKo', 'Beratungskonzeption']),
  (ARRAY['HdBA', 'Hochschule der Bundesagentur für Arbeit']),
  (ARRAY['eAkte', 'E-Akte', 'elektronische Akte']),
  (ARRAY['SGB II', 'Sozialgesetzbuch II', 'Grundsicherung', 'Bürgergeld']),
  (ARRAY['SGB III', 'Sozialgesetzbuch III', 'Arbeitsförderung']),
  (ARRAY['BA', 'Bundesagentur für Arbeit']);
