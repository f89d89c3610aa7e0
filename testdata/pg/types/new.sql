-- Rows created after the cut-off. Values chosen to break naive readers and writers.
INSERT INTO public.kinds (code, label) VALUES ('new-kind', E'only used by new rows\t!');

ALTER TABLE public.everything DISABLE TRIGGER everything_set_created;
INSERT INTO public.everything (created, kind_code, local_ts, tz_hist, t, b, j, jb, tags, grid, u, n, f, p, m, qty, iv, d, flag)
SELECT '2024-06-02 09:00:00.5+00', 'new-kind', '2024-06-02 03:04:05.123456', '1900-01-01 00:00:00+00',
       E'tab\there\nnewline\\backslash ''single'' "double" emoji \U0001F600 ; -- not a comment /* nor this */ $$dollar$$',
       (SELECT decode(string_agg(lpad(to_hex(i), 2, '0'), '' ORDER BY i), 'hex') FROM generate_series(0, 255) AS i),
       E'{"a" :  1,\n  "b":[true,  false] , "s": "t\\"q\\u00e9", "big": 12345678901234567890.123456789}',
       '{"z": [1, 2.50, null], "a": {"nested": "v\"q", "nl": "a\nb"}, "e": "\u00e9", "n": 1e-7}',
       ARRAY['a', NULL, 'NULL', 'quote"d', 'back\slash', '', 'with space', '{brace}', 'comma,here', 'ünï'],
       '{{1,2},{3,NULL}}',
       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
       '-123456789012345678901234567890.123456789012345678901234567890',
       1.2345678901234568e+17, '(1.5,-2)', 'it''s "complicated"', 21,
       '1 year 2 mons 3 days 04:05:06.7', '2024-02-29', true;
INSERT INTO public.everything (created, kind_code, local_ts, tz_hist, t, b, j, jb, tags, grid, u, n, f, p, m, qty, iv, d, flag)
VALUES ('2024-06-03 00:00:00+00', 'std', 'infinity', '-infinity',
        E'first line\n\\.\nlast line after a lone \\. line; also \\N and \\\\N', '\x', 'null', '[]',
        '[0:1]={x,y}', '{}', NULL, 'NaN', '-0', NULL, NULL, 0, '-1 days', '0044-03-15 BC', false),
       ('2024-06-03 00:00:01+00', NULL, NULL, '0044-03-15 12:00:00+00 BC',
        E'cr\rlf\r\n bs\b ff\f vt\v ctl \x01 del \x7f end', E'\\x5c0a0d09', '{}', '{"k": ""}',
        ARRAY['x'], NULL, NULL, '1e-20', 'Infinity', '(-0.5,1e+300)', 'happy', NULL, NULL, NULL, NULL);
ALTER TABLE public.everything ENABLE TRIGGER everything_set_created;

-- a new stock item one microsecond after the cut-off (naive column, read as UTC) and its moves
INSERT INTO public.stock (warehouse, sku, created_at, qty) VALUES
    ('south', 7, '2024-06-01 00:00:00.000001', 5),
    ('Nørth ''quoted''', 1, '2024-06-02 00:00:00', 1);
INSERT INTO public.stock_move (warehouse, sku, moved) VALUES
    ('south', 7, 3), ('south', 7, -1), ('Nørth ''quoted''', 1, 1);

-- orders: one for a new row, one for an old row (an ancestor)
INSERT INTO "Sales"."Order" ("group", "select", "Weird Col", "say ""hi""", everything_id, created_at) VALUES
    ('vip', 7, E'x\ty', '', 4, '2024-06-02 10:00:00+00'),
    ('retail', NULL, NULL, '"hi"', 1, '2024-06-02 11:00:00+00');

INSERT INTO public.audit_log (created_at, order_id, message) VALUES
    ('2024-06-02 10:00:01+00', 3, 'created order 3'),
    ('2024-06-02 11:00:01+00', 4, E'multi\nline'),
    ('2024-06-02 12:00:00+00', NULL, NULL);

INSERT INTO public.external_ref (ext_id, created_at, note) VALUES
    ('EXT-NEW-1', '2024-06-02 00:00:00+00', 'new'),
    ('EXT-NEW-2', '2024-06-02 00:00:00+00', NULL),
    ('EXT-NEW-3', '2024-06-02 00:00:00+00', '');

-- the cycle: a new team whose captain is a new player of that team
BEGIN;
SET CONSTRAINTS team_captain_fk DEFERRED;
INSERT INTO public.team (id, name, created_at, captain_id) VALUES (2, 'New Kids', '2024-06-02 00:00:00+00', 21);
INSERT INTO public.player (id, team_id, name, created_at) VALUES
    (21, 2, 'New Captain', '2024-06-02 00:00:00+00'),
    (22, 1, 'Joins an old team', '2024-06-03 00:00:00+00');
COMMIT;

-- folders: children with smaller ids than their parents (ids do not give a safe insert order),
-- a chain of four levels under an old folder, and a folder that is its own parent
INSERT INTO public.folder (id, parent_id, name, created_at) VALUES
    (14, 2, 'new under old', '2024-06-02 00:00:00+00'),
    (13, 14, 'level 2', '2024-06-02 00:00:01+00'),
    (12, 13, 'level 3', '2024-06-02 00:00:02+00'),
    (11, 12, 'level 4', '2024-06-02 00:00:03+00'),
    (20, 20, 'its own parent', '2024-06-02 00:00:04+00');
