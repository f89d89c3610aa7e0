-- Rows created after the cut-off (2024-06-01 00:00 UTC), inserted the way the application does
-- (ids from the defaults). Run on the damaged database and, identically, on a restore of the
-- backup to build the expected result.

-- a new user (id 4)
INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined) VALUES
    ('pbkdf2_sha256$600000$e$f=', '2024-06-02 10:05:00+00', false, 'newbie', 'New', 'Bie',
     'newbie@example.com', false, true, '2024-06-02 10:00:00+00');

-- a new tag (id 4): no timestamp, referenced only by new M2M rows
INSERT INTO blog_tag (name) VALUES ('salvage');

-- a new post by the new user (id 5), tagged with an old and the new tag
INSERT INTO blog_post (title, slug, body, created, author_id) VALUES
    ('Intro', 'newbie-intro', E'Hi!\n\\o/ "quoted" ''single'' ; -- not a comment', '2024-06-02 11:00:00+00', 4);
-- a new post by an old user, nothing refers to it (id 6)
INSERT INTO blog_post (title, slug, body, created, author_id) VALUES
    ('Alice returns', 'alice-returns', 'Back again', '2024-06-03 09:00:00+00', 1);

INSERT INTO blog_post_tags (post_id, tag_id) VALUES (5, 4), (5, 1);

-- comments
INSERT INTO blog_comment (post_id, parent_id, author_id, body, created_at) VALUES
    (1, 2, 3, 'Replying to an old reply on an old post', '2024-06-02 12:00:00+00'),      -- 5
    (1, 5, 1, 'Reply to the new reply', '2024-06-02 13:00:00+00'),                      -- 6
    (5, NULL, 2, 'Old user comments on the new post', '2024-06-02 14:00:00+00'),         -- 7
    (5, 7, 4, 'New user answers', '2024-06-02 15:00:00.000001+00');                     -- 8
