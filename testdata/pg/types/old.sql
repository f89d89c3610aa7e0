-- Rows in the backup (created before the cut-off 2024-06-01 00:00 UTC). The created-setting
-- trigger is off while rows with known timestamps are loaded (they stand for rows it stamped
-- back then).
ALTER TABLE public.everything DISABLE TRIGGER everything_set_created;

INSERT INTO public.kinds (code, label) VALUES ('std', 'Standard'), ('odd', 'Odd '' one');

INSERT INTO public.everything (created, kind_code, local_ts, t, b, j, jb, tags, grid, u, n, f, p, m, qty, d, flag) VALUES
    ('2024-05-01 10:00:00+00', 'std', '2024-05-01 10:00:00', 'old one', '\x00ff', '{"old": true}',
     '{"old": true}', '{a,b}', '{1,2}', '00000000-0000-0000-0000-000000000001', 1.5, 0.5,
     '(0,0)', 'ok', 1, '2024-05-01', true),                                              -- 1
    ('2024-05-15 10:00:00+00', 'odd', NULL, 'old two', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, 'sad', NULL, NULL, NULL),                                               -- 2
    -- 20:00 UTC is 01:30 on June 1st in Asia/Kolkata (+05:30): still before the cut-off
    ('2024-05-31 20:00:00+00', NULL, '2024-06-01 01:30:00', 'near the cut-off', NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, NULL, false);                          -- 3

ALTER TABLE public.everything ENABLE TRIGGER everything_set_created;

INSERT INTO public.stock (warehouse, sku, created_at, qty) VALUES
    ('north', 1, '2024-01-01 00:00:00', 10),
    ('north', 2, '2024-05-31 23:59:59.999999', 20);
INSERT INTO public.stock_move (warehouse, sku, moved) VALUES ('north', 1, 5), ('north', 2, -1);

INSERT INTO "Sales"."Order" ("group", "select", "Weird Col", "say ""hi""", everything_id, created_at) VALUES
    ('retail', 1, 'a', 'hi', 1, '2024-05-02 00:00:00+00'),
    ('wholesale', 2, NULL, NULL, 2, '2024-05-20 00:00:00+00');

INSERT INTO public.audit_log (created_at, order_id, message) VALUES
    ('2024-05-02 00:00:01+00', 1, 'old entry 1'),
    ('2024-05-20 00:00:01+00', 2, 'old entry 2');

INSERT INTO public.external_ref (ext_id, created_at, note) VALUES
    ('EXT-OLD-1', '2024-05-03 00:00:00+00', 'old');

BEGIN;
SET CONSTRAINTS team_captain_fk DEFERRED;
INSERT INTO public.team (id, name, created_at, captain_id) VALUES (1, 'Old Boys', '2024-02-01 00:00:00+00', 11);
INSERT INTO public.player (id, team_id, name, created_at) VALUES
    (11, 1, 'Old Captain', '2024-02-01 00:00:00+00'),
    (12, 1, 'Old Player', '2024-02-02 00:00:00+00');
COMMIT;

INSERT INTO public.folder (id, parent_id, name, created_at) VALUES
    (1, NULL, 'root', '2024-01-01 00:00:00+00'),
    (2, 1, 'old child', '2024-01-02 00:00:00+00');
