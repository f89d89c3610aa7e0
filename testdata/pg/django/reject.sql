-- Applied to a restore of the backup before the patch: someone took the slug of rescued post 6
-- (a different id, so only the UNIQUE (slug) constraint conflicts). The patch must fail as a
-- whole, not skip the post.
INSERT INTO blog_post (id, title, slug, body, created, author_id) VALUES
    (100, 'Squatter', 'alice-returns', '', '2024-06-10 00:00:00+00', 2);
