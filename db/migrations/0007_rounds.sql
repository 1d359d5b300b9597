CREATE TABLE "calendar_tokens" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "dialogue_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"registration_deadline" timestamp with time zone NOT NULL,
	"conference_url" text,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"seq" integer DEFAULT 0 NOT NULL,
	"agenda_index" integer DEFAULT 0 NOT NULL,
	"speaker_id" uuid,
	"pinned_seq" integer,
	"notes" text DEFAULT '' NOT NULL,
	"outcome_material_id" uuid,
	"outcome_thread_id" uuid,
	"created_by" uuid,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"round_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"author_id" uuid,
	"text" text DEFAULT '' NOT NULL,
	"ref" text,
	"client_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_events_seq_uq" UNIQUE("round_id","seq"),
	CONSTRAINT "round_events_client_uq" UNIQUE("round_id","author_id","client_id")
);
--> statement-breakpoint
CREATE TABLE "round_hosts" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "round_hosts_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "round_participants" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"hand_raised_at" timestamp with time zone,
	"muted" boolean DEFAULT false NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"scribe" boolean DEFAULT false NOT NULL,
	CONSTRAINT "round_participants_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "round_question_votes" (
	"question_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "round_question_votes_question_id_user_id_pk" PRIMARY KEY("question_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "round_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"author_id" uuid,
	"text" text NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	"taken_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "round_registrations" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_registrations_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "round_reminders" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_reminders_round_id_user_id_kind_pk" PRIMARY KEY("round_id","user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "round_watches" (
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "round_watches_round_id_user_id_pk" PRIMARY KEY("round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "mail_outbox_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "round_id" uuid;--> statement-breakpoint
ALTER TABLE "calendar_tokens" ADD CONSTRAINT "calendar_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD CONSTRAINT "dialogue_rounds_speaker_id_users_id_fk" FOREIGN KEY ("speaker_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD CONSTRAINT "dialogue_rounds_outcome_material_id_materials_id_fk" FOREIGN KEY ("outcome_material_id") REFERENCES "public"."materials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD CONSTRAINT "dialogue_rounds_outcome_thread_id_threads_id_fk" FOREIGN KEY ("outcome_thread_id") REFERENCES "public"."threads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD CONSTRAINT "dialogue_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_agenda_items" ADD CONSTRAINT "round_agenda_items_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_events" ADD CONSTRAINT "round_events_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_events" ADD CONSTRAINT "round_events_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_hosts" ADD CONSTRAINT "round_hosts_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_hosts" ADD CONSTRAINT "round_hosts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_participants" ADD CONSTRAINT "round_participants_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_participants" ADD CONSTRAINT "round_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_question_votes" ADD CONSTRAINT "round_question_votes_question_id_round_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."round_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_question_votes" ADD CONSTRAINT "round_question_votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_questions" ADD CONSTRAINT "round_questions_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_questions" ADD CONSTRAINT "round_questions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_registrations" ADD CONSTRAINT "round_registrations_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_registrations" ADD CONSTRAINT "round_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_reminders" ADD CONSTRAINT "round_reminders_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_reminders" ADD CONSTRAINT "round_reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_watches" ADD CONSTRAINT "round_watches_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_watches" ADD CONSTRAINT "round_watches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dialogue_rounds_starts_idx" ON "dialogue_rounds" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "round_agenda_round_idx" ON "round_agenda_items" USING btree ("round_id","position");--> statement-breakpoint
CREATE INDEX "round_questions_round_idx" ON "round_questions" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "round_registrations_user_idx" ON "round_registrations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_round_id_dialogue_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."dialogue_rounds"("id") ON DELETE cascade ON UPDATE no action;