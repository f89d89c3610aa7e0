-- Rows that exist when the backup is taken (all created before the cut-off 2024-06-01 00:00 UTC).
-- Ids come from the identity/serial defaults, as the application would insert them.

INSERT INTO django_migrations (app, name, applied) VALUES
    ('auth', '0001_initial', '2024-01-01 00:00:00+00'),
    ('blog', '0001_initial', '2024-01-01 00:00:01+00');

INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined) VALUES
    ('pbkdf2_sha256$600000$a$b=', '2024-05-30 08:00:00+00', true, 'alice', 'Alice', 'Liddell',
     'alice@example.com', true, true, '2024-01-05 09:00:00+00'),                          -- 1
    ('pbkdf2_sha256$600000$c$d=', NULL, false, 'bob', 'Bob', 'O''Brien', 'bob@example.com',
     false, true, '2024-02-10 12:30:00.25+00'),                                          -- 2
    ('!unusable', NULL, false, 'carol', 'Carol', 'Zoë', 'carol@example.com',
     false, true, '2024-05-31 23:59:59.999999+00');                                      -- 3: just before T

INSERT INTO blog_tag (name) VALUES ('rust'), ('postgres'), ('django');                   -- 1..3

INSERT INTO blog_post (title, slug, body, created, author_id) VALUES
    ('Hello world', 'hello-world', E'First post.\nWith two lines.', '2024-01-10 10:00:00+00', 1), -- 1
    ('Second', 'second', 'Tabs	and ''quotes''', '2024-02-15 08:00:00+00', 2),                 -- 2
    ('Third', 'third', 'Before the cut-off', '2024-05-31 23:00:00+00', 1),                        -- 3
    ('At the cut-off', 'at-cutoff', 'created exactly at T: not a root', '2024-06-01 00:00:00+00', 3); -- 4

INSERT INTO blog_comment (post_id, parent_id, author_id, body, created_at) VALUES
    (1, NULL, 2, 'Nice post', '2024-01-11 10:00:00+00'),                                  -- 1
    (1, 1, 1, 'Thanks!', '2024-01-11 11:00:00+00'),                                       -- 2
    (2, NULL, 3, 'Hmm', '2024-02-16 10:00:00+00'),                                        -- 3
    (3, NULL, NULL, 'Anonymous', '2024-05-31 23:30:00+00');                               -- 4

INSERT INTO blog_post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 3), (4, 2);
