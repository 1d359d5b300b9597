-- Counting the matches of a common word reads one small number per match (ADR 016): the combination of visibility
-- and facet values, numbered in search_facet_sets. search_documents is rebuilt so that the columns counting reads
-- come first with a fixed width; the head vector stays in the row. Existing documents are copied over.
CREATE TABLE "search_facet_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"visibility" text NOT NULL,
	"kind" text NOT NULL,
	"room" text,
	"material_type" text,
	"ilb_step" text,
	"competence_area" text,
	"audience" text,
	CONSTRAINT "search_facet_sets_values_uq" UNIQUE NULLS NOT DISTINCT("visibility","kind","room","material_type","ilb_step","competence_area","audience")
);
--> statement-breakpoint
ALTER TABLE "search_texts" DROP CONSTRAINT "search_texts_key_search_documents_key_fk";--> statement-breakpoint
DROP INDEX "search_documents_tsv_idx";--> statement-breakpoint
DROP INDEX "search_documents_head_idx";--> statement-breakpoint
DROP INDEX "search_documents_date_idx";--> statement-breakpoint
ALTER TABLE "search_documents" RENAME TO "search_documents_old";--> statement-breakpoint
ALTER INDEX "search_documents_pkey" RENAME TO "search_documents_old_pkey";--> statement-breakpoint
CREATE TABLE "search_documents" (
	"facet_set" integer NOT NULL,
	"date" timestamp with time zone NOT NULL,
	"answered" integer DEFAULT 0 NOT NULL,
	"boost" real DEFAULT 1 NOT NULL,
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"visibility" text NOT NULL,
	"room" text,
	"material_type" text,
	"ilb_step" text,
	"competence_area" text,
	"audience" text,
	"fresh_until" date,
	"tsv_head" "tsvector" NOT NULL,
	"tsv" "tsvector" NOT NULL
);
--> statement-breakpoint
-- As in 0005: rows over 128 bytes move the full vector out of line; the head vector only as a last resort.
ALTER TABLE "search_documents" SET (toast_tuple_target = 128);--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "tsv" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "tsv_head" SET STORAGE MAIN;--> statement-breakpoint
INSERT INTO "search_facet_sets" ("visibility", "kind", "room", "material_type", "ilb_step", "competence_area", "audience")
SELECT DISTINCT "visibility", "kind", "room", "material_type", "ilb_step", "competence_area", "audience" FROM "search_documents_old";--> statement-breakpoint
-- Joined on values with NULL as '' so that the join can hash; IS NOT DISTINCT FROM keeps it exact.
INSERT INTO "search_documents" ("facet_set", "date", "answered", "boost", "key", "kind", "visibility", "room", "material_type",
  "ilb_step", "competence_area", "audience", "fresh_until", "tsv_head", "tsv")
SELECT s."id", o."date", o."answered", o."boost", o."key", o."kind", o."visibility", o."room", o."material_type",
  o."ilb_step", o."competence_area", o."audience", o."fresh_until", o."tsv_head", o."tsv"
FROM "search_documents_old" o JOIN "search_facet_sets" s
  ON s."visibility" = o."visibility" AND s."kind" = o."kind"
  AND coalesce(s."room", '') = coalesce(o."room", '') AND s."room" IS NOT DISTINCT FROM o."room"
  AND coalesce(s."material_type", '') = coalesce(o."material_type", '') AND s."material_type" IS NOT DISTINCT FROM o."material_type"
  AND coalesce(s."ilb_step", '') = coalesce(o."ilb_step", '') AND s."ilb_step" IS NOT DISTINCT FROM o."ilb_step"
  AND coalesce(s."competence_area", '') = coalesce(o."competence_area", '') AND s."competence_area" IS NOT DISTINCT FROM o."competence_area"
  AND coalesce(s."audience", '') = coalesce(o."audience", '') AND s."audience" IS NOT DISTINCT FROM o."audience";--> statement-breakpoint
DROP TABLE "search_documents_old";--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_documents_head_idx" ON "search_documents" USING gin ("tsv_head");--> statement-breakpoint
CREATE INDEX "search_documents_date_idx" ON "search_documents" USING btree ("date");--> statement-breakpoint
ALTER TABLE "search_texts" ADD CONSTRAINT "search_texts_key_search_documents_key_fk" FOREIGN KEY ("key") REFERENCES "public"."search_documents"("key") ON DELETE cascade ON UPDATE no action;
