-- Drafts remember which editor wrote them and up to which edit; draft_sends remembers the last edit sent from an
-- editor, so a late autosave cannot bring sent text back. Rounds get a calendar SEQUENCE and can be cancelled.
CREATE TABLE "draft_sends" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"editor_session" text NOT NULL,
	"seq" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "draft_sends_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "editor_session" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD COLUMN "sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "draft_sends" ADD CONSTRAINT "draft_sends_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;