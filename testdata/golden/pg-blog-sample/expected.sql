-- dbsalvage patch (PostgreSQL)
-- source: ../../pg/samples/blog.sql
-- dumped by: pg_dump 15.18 (Debian 15.18-0+deb12u1)
-- rows created after: 2024-06-01 00:00 (2024-06-01 00:00:00 UTC)
-- rows: 19 (8 roots, 4 descendants, 7 ancestors) in 5 tables
-- apply with: psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f THIS_FILE
-- Rows whose primary key already exists are skipped; any other error aborts the whole patch.

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
BEGIN;
SET CONSTRAINTS ALL DEFERRED;

-- public.auth_user: 4 rows (1 roots, 0 descendants, 3 ancestors)
INSERT INTO "public"."auth_user" ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined") OVERRIDING SYSTEM VALUE VALUES
(4, 'pbkdf2_sha256$600000$e$f=', '2024-06-02 10:05:00+00', false, 'newbie', 'New', 'Bie', 'newbie@example.com', false, true, '2024-06-02 10:00:00+00'),
(1, 'pbkdf2_sha256$600000$a$b=', NULL, true, 'alice', 'Alice', 'Liddell', 'redacted@example.com', true, true, '2024-01-05 09:00:00+00'),
(2, 'pbkdf2_sha256$600000$c$d=', NULL, false, 'bob', 'Bob', 'O''Brien', 'redacted@example.com', false, true, '2024-02-10 12:30:00.25+00'),
(3, '!unusable', NULL, false, 'carol', 'Carol', 'Zoë', 'redacted@example.com', false, true, '2024-05-31 23:59:59.999999+00')
ON CONFLICT ("id") DO NOTHING;

-- public.blog_post: 4 rows (2 roots, 0 descendants, 2 ancestors)
INSERT INTO "public"."blog_post" ("id", "title", "slug", "body", "created", "author_id") OVERRIDING SYSTEM VALUE VALUES
(5, 'Intro', 'newbie-intro', 'Hi!
\o/ "quoted" ''single'' ; -- not a comment', '2024-06-02 11:00:00+00', 4),
(6, 'Alice returns', 'alice-returns', 'Back again', '2024-06-03 09:00:00+00', 1),
(1, 'HELLO WORLD', 'hello-world', 'TRUNCATED', '2024-01-10 10:00:00+00', 1),
(3, 'THIRD', 'third', 'TRUNCATED', '2024-05-31 23:00:00+00', 1)
ON CONFLICT ("id") DO NOTHING;

-- public.blog_comment: 7 rows (5 roots, 2 descendants, 0 ancestors)
INSERT INTO "public"."blog_comment" ("id", "post_id", "parent_id", "author_id", "body", "created_at") VALUES
(1, 1, NULL, 4, 'Nice post', '2024-01-11 10:00:00+00'),
(2, 1, 1, 1, 'Thanks!', '2024-01-11 11:00:00+00'),
(5, 1, 2, 3, 'Replying to an old reply on an old post', '2024-06-02 12:00:00+00'),
(6, 1, 5, 1, 'Reply to the new reply', '2024-06-02 13:00:00+00'),
(7, 5, NULL, 2, 'Old user comments on the new post', '2024-06-02 14:00:00+00'),
(8, 5, 7, 4, 'New user answers', '2024-06-02 15:00:00.000001+00'),
(4, 3, NULL, NULL, 'Anonymous', '2024-06-05 09:00:00+00')
ON CONFLICT ("id") DO NOTHING;

-- public.blog_tag: 2 rows (0 roots, 0 descendants, 2 ancestors)
INSERT INTO "public"."blog_tag" ("id", "name") VALUES
(1, 'rust'),
(4, 'salvage')
ON CONFLICT ("id") DO NOTHING;

-- public.blog_post_tags: 2 rows (0 roots, 2 descendants, 0 ancestors)
INSERT INTO "public"."blog_post_tags" ("id", "post_id", "tag_id") OVERRIDING SYSTEM VALUE VALUES
(5, 5, 4),
(6, 5, 1)
ON CONFLICT ("id") DO NOTHING;

-- sequences: never moved back, always past the rescued keys
SELECT pg_catalog.setval('"public"."auth_user_id_seq"', target.v, true) FROM (SELECT GREATEST(4, (SELECT max("id") FROM "public"."auth_user")) AS v) AS target, "public"."auth_user_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."blog_comment_id_seq"', target.v, true) FROM (SELECT GREATEST(8, (SELECT max("id") FROM "public"."blog_comment")) AS v) AS target, "public"."blog_comment_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."blog_post_id_seq"', target.v, true) FROM (SELECT GREATEST(6, (SELECT max("id") FROM "public"."blog_post")) AS v) AS target, "public"."blog_post_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."blog_post_tags_id_seq"', target.v, true) FROM (SELECT GREATEST(6, (SELECT max("id") FROM "public"."blog_post_tags")) AS v) AS target, "public"."blog_post_tags_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."blog_tag_id_seq"', target.v, true) FROM (SELECT GREATEST(4, (SELECT max("id") FROM "public"."blog_tag")) AS v) AS target, "public"."blog_tag_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."django_migrations_id_seq"', target.v, true) FROM (SELECT GREATEST(3, (SELECT max("id") FROM "public"."django_migrations")) AS v) AS target, "public"."django_migrations_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;

COMMIT;

