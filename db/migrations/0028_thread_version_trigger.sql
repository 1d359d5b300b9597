-- The thread page caches a thread's posts per threads.version (ADR 007). The database bumps the version itself
-- whenever a statement inserts, deletes or changes a column of posts the page shows, so no writer can forget it
-- (ADR 044: before, every writer bumped it by hand). Statement-level triggers with transition tables:
-- a bulk write (an account deletion touching hundreds of posts) bumps each thread once.
CREATE FUNCTION bump_thread_version_on_post_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE threads SET version = version + 1 WHERE id IN (SELECT thread_id FROM new_posts);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION bump_thread_version_on_post_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE threads SET version = version + 1 WHERE id IN (SELECT thread_id FROM old_posts);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Only the columns the cached rows carry count (see readThreadPosts); the search index's or an import's own columns
-- do not make the cached page stale.
CREATE FUNCTION bump_thread_version_on_post_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE threads SET version = version + 1 WHERE id IN (
    SELECT o.thread_id FROM old_posts o JOIN new_posts n ON n.id = o.id
    WHERE (n.thread_id, n.parent_id, n.depth, n.author_id, n.anonymous, n.body_html, n.thanks_count, n.helpful_count,
           n.edited_at, n.hidden_at, n.deleted_at, n.created_at)
      IS DISTINCT FROM
          (o.thread_id, o.parent_id, o.depth, o.author_id, o.anonymous, o.body_html, o.thanks_count, o.helpful_count,
           o.edited_at, o.hidden_at, o.deleted_at, o.created_at)
    UNION
    SELECT n.thread_id FROM old_posts o JOIN new_posts n ON n.id = o.id WHERE n.thread_id <> o.thread_id
  );
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER posts_bump_thread_version_insert AFTER INSERT ON posts
  REFERENCING NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version_on_post_insert();
--> statement-breakpoint
CREATE TRIGGER posts_bump_thread_version_delete AFTER DELETE ON posts
  REFERENCING OLD TABLE AS old_posts FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version_on_post_delete();
--> statement-breakpoint
CREATE TRIGGER posts_bump_thread_version_update AFTER UPDATE ON posts
  REFERENCING OLD TABLE AS old_posts NEW TABLE AS new_posts FOR EACH STATEMENT EXECUTE FUNCTION bump_thread_version_on_post_update();
