CREATE TABLE "download_marks" (
	"day" date NOT NULL,
	"mark" text NOT NULL,
	CONSTRAINT "download_marks_day_mark_pk" PRIMARY KEY("day","mark")
);
