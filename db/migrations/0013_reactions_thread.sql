-- Reactions learn their post's thread, so a thread page reads its reader's own reactions with one index range scan
-- instead of joining every post of the thread. Existing rows are filled from their posts before the column is required.
ALTER TABLE "reactions" ADD COLUMN "thread_id" uuid;--> statement-breakpoint
UPDATE "reactions" r SET "thread_id" = p."thread_id" FROM "posts" p WHERE p."id" = r."post_id";--> statement-breakpoint
ALTER TABLE "reactions" ALTER COLUMN "thread_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reactions" ADD CONSTRAINT "reactions_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reactions_user_thread_idx" ON "reactions" USING btree ("user_id","thread_id");
