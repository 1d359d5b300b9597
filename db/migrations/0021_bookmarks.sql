CREATE TABLE "bookmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"thread_id" uuid,
	"post_id" uuid,
	"material_id" uuid,
	"note" text DEFAULT '' NOT NULL,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookmarks_target_check" CHECK (("bookmarks"."kind" = 'post' and "bookmarks"."post_id" = "bookmarks"."target_id" and "bookmarks"."thread_id" is not null and "bookmarks"."material_id" is null)
       or ("bookmarks"."kind" = 'thread' and "bookmarks"."thread_id" = "bookmarks"."target_id" and "bookmarks"."post_id" is null and "bookmarks"."material_id" is null)
       or ("bookmarks"."kind" = 'material' and "bookmarks"."material_id" = "bookmarks"."target_id" and "bookmarks"."thread_id" is null and "bookmarks"."post_id" is null))
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "bookmark_id" uuid;--> statement-breakpoint
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookmarks" ADD CONSTRAINT "bookmarks_material_id_materials_id_fk" FOREIGN KEY ("material_id") REFERENCES "public"."materials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bookmarks_user_target_idx" ON "bookmarks" USING btree ("user_id","kind","target_id");--> statement-breakpoint
CREATE INDEX "bookmarks_user_created_idx" ON "bookmarks" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "bookmarks_user_thread_idx" ON "bookmarks" USING btree ("user_id","thread_id");--> statement-breakpoint
CREATE INDEX "bookmarks_due_idx" ON "bookmarks" USING btree ("remind_at") WHERE "bookmarks"."reminded_at" is null and "bookmarks"."remind_at" is not null;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_bookmark_id_bookmarks_id_fk" FOREIGN KEY ("bookmark_id") REFERENCES "public"."bookmarks"("id") ON DELETE cascade ON UPDATE no action;