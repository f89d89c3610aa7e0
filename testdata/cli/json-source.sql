-- Source of json.sql (a pg_dump of this database): `json` keeps its input text exactly
-- (whitespace, key order, duplicate keys), `jsonb` does not. See README.md.
CREATE TABLE doc (
    id integer PRIMARY KEY,
    created timestamp with time zone NOT NULL,
    j json,
    jb jsonb
);
INSERT INTO doc VALUES
    (1, '2024-07-01 00:00:00+00', E'{"a" :  1,\n  "b": [1,  2.50] }', E'{"a" :  1,\n  "b": [1,  2.50] }'),
    (2, '2024-07-01 00:00:00+00', '{"k": 1, "k": 2}', '{"k": 1, "k": 2}'),
    (3, '2024-07-01 00:00:00+00', E' [1, 2]\n', ' [1, 2] '),
    (4, '2024-07-01 00:00:00+00', 'null', 'null'),
    (5, '2024-07-01 00:00:00+00', NULL, NULL),
    (6, '2024-07-01 00:00:00+00', '"just a string"', '"just a string"'),
    (7, '2024-07-01 00:00:00+00', '12345678901234567890.12345678901234567890', '1e400'),
    (8, '2023-01-01 00:00:00+00', '{}', '{}'),
    (9, '2024-07-01 00:00:00+00', '"null"', '"null"'),
    (10, '2024-07-01 00:00:00+00', ' null ', 'null');
