-- Facet counting groups matches by one number per combination of facet values (ADR 016). Documents already in the
-- index get their combination's number before the column is required.
CREATE TABLE "search_facet_sets" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"room" text,
	"material_type" text,
	"ilb_step" text,
	"competence_area" text,
	"audience" text,
	CONSTRAINT "search_facet_sets_values_uq" UNIQUE NULLS NOT DISTINCT("kind","room","material_type","ilb_step","competence_area","audience")
);
--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "facet_set" integer;--> statement-breakpoint
INSERT INTO "search_facet_sets" ("kind", "room", "material_type", "ilb_step", "competence_area", "audience")
SELECT DISTINCT "kind", "room", "material_type", "ilb_step", "competence_area", "audience" FROM "search_documents";--> statement-breakpoint
UPDATE "search_documents" d SET "facet_set" = s."id" FROM "search_facet_sets" s
WHERE s."kind" = d."kind" AND s."room" IS NOT DISTINCT FROM d."room" AND s."material_type" IS NOT DISTINCT FROM d."material_type"
  AND s."ilb_step" IS NOT DISTINCT FROM d."ilb_step" AND s."competence_area" IS NOT DISTINCT FROM d."competence_area"
  AND s."audience" IS NOT DISTINCT FROM d."audience";--> statement-breakpoint
ALTER TABLE "search_documents" ALTER COLUMN "facet_set" SET NOT NULL;
