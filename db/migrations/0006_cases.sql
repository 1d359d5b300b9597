CREATE TABLE "case_consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_giver_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"situation" text NOT NULL,
	"tried" text NOT NULL,
	"key_question" text NOT NULL,
	"mode" text NOT NULL,
	"scheduled_at" timestamp with time zone,
	"async_days" integer,
	"group_size" integer NOT NULL,
	"seats_open" boolean DEFAULT false NOT NULL,
	"phase" text DEFAULT 'casting' NOT NULL,
	"phase_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"phase_ends_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"method" text,
	"takeaway" text DEFAULT '' NOT NULL,
	"learning_title" text DEFAULT '' NOT NULL,
	"learning_text" text DEFAULT '' NOT NULL,
	"learning_published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"purged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_contributions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"author_id" uuid,
	"phase" text NOT NULL,
	"kind" text NOT NULL,
	"prompt" text,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_participants" (
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text DEFAULT 'consultant' NOT NULL,
	"agreed_at" timestamp with time zone,
	"name_consent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_participants_case_id_user_id_pk" PRIMARY KEY("case_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "case_consultations" ADD CONSTRAINT "case_consultations_case_giver_id_users_id_fk" FOREIGN KEY ("case_giver_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contributions" ADD CONSTRAINT "case_contributions_case_id_case_consultations_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_contributions" ADD CONSTRAINT "case_contributions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_case_id_case_consultations_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_consultations_seats_idx" ON "case_consultations" USING btree ("seats_open","phase");--> statement-breakpoint
CREATE INDEX "case_consultations_deadline_idx" ON "case_consultations" USING btree ("phase_ends_at");--> statement-breakpoint
CREATE INDEX "case_consultations_closed_idx" ON "case_consultations" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "case_contributions_case_idx" ON "case_contributions" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "case_participants_user_idx" ON "case_participants" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_case_id_case_consultations_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."case_consultations"("id") ON DELETE cascade ON UPDATE no action;