CREATE TABLE "audio_facts" (
	"file_id" uuid PRIMARY KEY NOT NULL,
	"duration_seconds" real,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "contact_email" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "audio_facts" ADD CONSTRAINT "audio_facts_file_id_material_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."material_files"("id") ON DELETE cascade ON UPDATE no action;