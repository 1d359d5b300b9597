CREATE TABLE "poll_carried_totals" (
	"poll_id" uuid PRIMARY KEY NOT NULL,
	"voters" integer NOT NULL,
	"votes" integer[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "poll_carried_totals" ADD CONSTRAINT "poll_carried_totals_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;