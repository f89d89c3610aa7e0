-- After the patch: the application inserts one row into each table with a sequence, through
-- the defaults. A sequence left behind the rescued keys makes these fail (duplicate key).
INSERT INTO django_migrations (app, name, applied) VALUES ('probe', 'probe', now());
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                       is_active, date_joined)
    VALUES ('x', false, 'probe', '', '', '', false, true, now());
INSERT INTO blog_tag (name) VALUES ('probe');
INSERT INTO blog_post (title, slug, body, created, author_id)
    VALUES ('probe', 'probe', '', now(), (SELECT max(id) FROM auth_user));
INSERT INTO blog_comment (post_id, body, created_at)
    VALUES ((SELECT max(id) FROM blog_post), 'probe', now());
INSERT INTO blog_post_tags (post_id, tag_id)
    VALUES ((SELECT max(id) FROM blog_post), (SELECT max(id) FROM blog_tag));
