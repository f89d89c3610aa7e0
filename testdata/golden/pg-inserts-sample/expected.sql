-- dbsalvage patch (PostgreSQL)
-- source: ../../pg/samples/pg15_column_inserts_rpi3_onconflict.sql
-- dumped by: pg_dump 15.18 (Debian 15.18-0+deb12u1)
-- rows created after: 2024-03-01 12:00:00+02:00 (2024-03-01 10:00:00 UTC)
-- rows: 7 (6 roots, 1 descendants, 0 ancestors) in 2 tables
-- apply with: psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f THIS_FILE
-- Rows whose primary key already exists are skipped; any other error aborts the whole patch.

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
BEGIN;
SET CONSTRAINTS ALL DEFERRED;

ALTER TABLE "app"."customers" DISABLE TRIGGER "t_cust";
-- app.customers: 6 rows (6 roots, 0 descendants, 0 ancestors)
INSERT INTO "app"."customers" ("id", "email", "name", "mood", "created") OVERRIDING SYSTEM VALUE VALUES
(2, 'b@example.com', 'anon; -- not a comment', 'sad', '2024-03-02 00:00:00+00'),
(5, 'e@example.com', '\.', NULL, '2026-11-26 01:18:30.50175+00'),
(6, 'f@example.com', 'unicode: é ü 日本 😀', NULL, '2026-11-26 01:18:30.50175+00'),
(7, 'g@example.com', 'crlf
 bs ff vtv', NULL, '2026-11-26 01:18:30.50175+00'),
(8, 'h@example.com', 'ctl: end', NULL, '2026-11-26 01:19:24.627763+00'),
(9, 'i@example.com', 'back\slash\\two', NULL, '2026-11-26 01:19:24.627763+00')
ON CONFLICT ("id") DO NOTHING;

-- app.orders: 1 rows (0 roots, 1 descendants, 0 ancestors)
INSERT INTO "app"."orders" ("id", "customer_id", "amount", "qty", "tags", "meta", "raw", "ok", "loc", "ts", "tstz", "d", "f8", "Weird Col", "select") VALUES
(2, 2, -0.01, NULL, '{}', 'null', '\x', false, NULL, 'infinity', '-infinity', '0001-01-01 BC', 'NaN', NULL, NULL)
ON CONFLICT ("id") DO NOTHING;

ALTER TABLE "app"."customers" ENABLE TRIGGER "t_cust";
-- sequences: never moved back, always past the rescued keys
SELECT pg_catalog.setval('"app"."customers_id_seq"', target.v, true) FROM (SELECT GREATEST(9, (SELECT max("id") FROM "app"."customers")) AS v) AS target, "app"."customers_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"app"."orders_id_seq"', target.v, true) FROM (SELECT GREATEST(3, (SELECT max("id") FROM "app"."orders")) AS v) AS target, "app"."orders_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;
SELECT pg_catalog.setval('"public"."j_id_seq"', target.v, true) FROM (SELECT GREATEST(1, (SELECT max("id") FROM "public"."j")) AS v) AS target, "public"."j_id_seq" AS cur WHERE target.v > CASE WHEN cur.is_called THEN cur.last_value ELSE cur.last_value - 1 END;

COMMIT;

