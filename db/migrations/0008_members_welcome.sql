ALTER TABLE "users" ADD COLUMN "expertise" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "welcome_dismissed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dialogue_rounds" ADD COLUMN "orientation" boolean DEFAULT false NOT NULL;