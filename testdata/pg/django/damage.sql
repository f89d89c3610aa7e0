-- The bad migration, run after the new rows: destroys and rewrites OLD rows only (the backup
-- has them right; the patch must not overwrite them with these versions).
INSERT INTO django_migrations (app, name, applied) VALUES ('blog', '0042_cleanup_oops', '2024-06-05 09:00:00+00');
DELETE FROM blog_post_tags WHERE post_id = 2;
DELETE FROM blog_comment WHERE id = 3;
UPDATE blog_post SET title = upper(title), body = 'TRUNCATED' WHERE id <= 4;
UPDATE auth_user SET email = 'redacted@example.com', last_login = NULL WHERE id <= 3;
-- an old comment re-dated after the cut-off: it becomes a root, but exists in the backup
UPDATE blog_comment SET created_at = '2024-06-05 09:00:00+00' WHERE id = 4;
-- an old comment re-assigned to the new user: it becomes a descendant of a root
UPDATE blog_comment SET author_id = 4 WHERE id = 1;
