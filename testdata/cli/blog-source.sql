-- Source of blog.sql (a pg_dump of this database). Regenerate: load this file into an empty
-- database and run `pg_dump --no-owner DB > blog.sql` (see README.md).
CREATE TABLE auth_user (
    id integer PRIMARY KEY,
    username text NOT NULL UNIQUE,
    date_joined timestamp with time zone NOT NULL
);
CREATE TABLE blog_post (
    id integer PRIMARY KEY,
    author_id integer NOT NULL REFERENCES auth_user(id) DEFERRABLE INITIALLY DEFERRED,
    title text NOT NULL,
    created timestamp with time zone NOT NULL
);
CREATE TABLE blog_comment (
    id integer PRIMARY KEY,
    post_id integer NOT NULL REFERENCES blog_post(id),
    parent_id integer REFERENCES blog_comment(id),
    body text NOT NULL,
    created_at timestamp with time zone
);
CREATE TABLE blog_tag (
    id integer PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE blog_post_tags (
    id integer PRIMARY KEY,
    post_id integer NOT NULL REFERENCES blog_post(id),
    tag_id integer NOT NULL REFERENCES blog_tag(id)
);
CREATE TABLE django_session (
    session_key text PRIMARY KEY,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);

INSERT INTO auth_user VALUES
    (1, 'alice', '2020-01-15 09:00:00+00'),
    (2, 'bob', '2021-03-01 12:00:00+00'),
    (3, 'carol', '2024-07-01 08:30:00+00'),
    (4, 'dave', '2022-02-02 02:02:02+00');
INSERT INTO blog_post VALUES
    (1, 1, 'Old news', '2023-05-05 10:00:00+00'),
    (2, 2, 'Fresh take', '2024-06-10 10:00:00+00'),
    (3, 3, 'Hello from carol', '2024-07-02 10:00:00+00'),
    (4, 4, 'Ancient', '2019-01-01 00:00:00+00');
INSERT INTO blog_comment VALUES
    (1, 1, NULL, 'first!', '2023-05-06 10:00:00+00'),
    (2, 1, 1, 'late reply', '2024-06-15 10:00:00+00'),
    (3, 2, NULL, 'nice post', '2024-06-20 10:00:00+00'),
    (4, 3, NULL, 'undated', NULL),
    (5, 4, NULL, 'old comment', '2019-01-02 00:00:00+00');
INSERT INTO blog_tag VALUES (1, 'django'), (2, 'rust'), (3, 'unused');
INSERT INTO blog_post_tags VALUES (1, 1, 1), (2, 2, 2), (3, 3, 1), (4, 4, 3);
INSERT INTO django_session VALUES ('abc', 'x', '2024-08-01 00:00:00+00');
