CREATE TABLE "installation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"first_started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- A database that already has accounts was started before this table existed: it is no first start.
INSERT INTO "installation" ("id") SELECT 1 WHERE EXISTS (SELECT 1 FROM "users");
