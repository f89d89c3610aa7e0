--
-- PostgreSQL database dump
--

SET client_encoding = 'UTF8';

CREATE TABLE public.note (
    id integer NOT NULL,
    body text,
    created timestamp with time zone
);

COPY public.note (id, body, created) FROM stdin;
1	ok	2024-01-01 00:00:00+00
2	bad \377 byte	2024-06-01 00:00:00+00
\.

--
-- PostgreSQL database dump complete
--
