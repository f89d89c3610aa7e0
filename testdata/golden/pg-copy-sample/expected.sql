-- dbsalvage patch (PostgreSQL)
-- source: ../../pg/samples/pg15_plain_copy.sql
-- dumped by: pg_dump 15.18 (Debian 15.18-0+deb12u1)
-- rows created after: 2000-01-01 (2000-01-01 00:00:00 UTC)
-- rows: 10 (8 roots, 2 descendants, 0 ancestors) in 2 tables
-- apply with: psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f THIS_FILE
-- Rows whose primary key already exists are skipped; any other error aborts the whole patch.

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
BEGIN;
SET CONSTRAINTS ALL DEFERRED;

ALTER TABLE "app"."customers" DISABLE TRIGGER "t_cust";
-- app.customers: 8 rows (8 roots, 0 descendants, 0 ancestors)
INSERT INTO "app"."customers" ("id", "email", "name", "mood", "created") OVERRIDING SYSTEM VALUE VALUES
(1, 'a@example.com', 'Alice', 'happy', '2024-03-01 10:00:00+00'),
(2, 'b@example.com', 'anon; -- not a comment', 'sad', '2024-03-02 00:00:00+00'),
(4, 'd@example.com', 'O''Brien "quoted" ; -- dash', NULL, '2000-01-01 07:59:59.123456+00'),
(5, 'e@example.com', '\.', NULL, '2026-11-26 01:18:30.50175+00'),
(6, 'f@example.com', 'unicode: é ü 日本 😀', NULL, '2026-11-26 01:18:30.50175+00'),
(7, 'g@example.com', 'crlf
 bs ff vtv', NULL, '2026-11-26 01:18:30.50175+00'),
(8, 'h@example.com', 'ctl: end', NULL, '2026-11-26 01:19:24.627763+00'),
(9, 'i@example.com', 'back\slash\\two', NULL, '2026-11-26 01:19:24.627763+00')
ON CONFLICT ("id") DO NOTHING;

-- app.orders: 2 rows (0 roots, 2 descendants, 0 ancestors)
INSERT INTO "app"."orders" ("id", "customer_id", "amount", "qty", "tags", "meta", "raw", "ok", "loc", "ts", "tstz", "d", "f8", "Weird Col", "select") VALUES
(1, 1, 123.45, 3, '{a,"b c","d\"e","f\\g",NULL,"NULL",""}', '{"k": "v\"q", "n": [1, 2.5, null], "nl": "a\nb"}', '\x00010203ff5c0a', true, '(1.5,-2)', '2024-01-01 00:00:00', '2024-06-01 07:04:56.789+00', '2024-02-29', '1e+308', 'x', 1),
(2, 2, -0.01, NULL, '{}', 'null', '\x', false, NULL, 'infinity', '-infinity', '0001-01-01 BC', 'NaN', NULL, NULL)
ON CONFLICT ("id") DO NOTHING;

ALTER TABLE "app"."customers" ENABLE TRIGGER "t_cust";
-- sequences: never moved back, always past the rescued keys
SELECT pg_catalog.setval('"app"."customers_id_seq"', target.v, true) FROM (SELECT GREATEST(9, (SELECT max("id") FROM "app"."customers")) AS v) AS target, "app"."customers_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"app"."orders_id_seq"', target.v, true) FROM (SELECT GREATEST(3, (SELECT max("id") FROM "app"."orders")) AS v) AS target, "app"."orders_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."j_id_seq"', target.v, true) FROM (SELECT GREATEST(1, (SELECT max("id") FROM "public"."j")) AS v) AS target, "public"."j_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."standalone_seq"', target.v, true) FROM (SELECT GREATEST(100) AS v) AS target, "public"."standalone_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 5 END;

COMMIT;

