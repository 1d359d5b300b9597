CREATE TABLE "accessibility_feedback" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"name" text DEFAULT '' NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"page" text DEFAULT '' NOT NULL,
	"message" text NOT NULL,
	"sender_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accessibility_feedback" ADD CONSTRAINT "accessibility_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accessibility_feedback_sender_idx" ON "accessibility_feedback" USING btree ("sender_key","created_at");--> statement-breakpoint
CREATE INDEX "accessibility_feedback_created_idx" ON "accessibility_feedback" USING btree ("created_at");