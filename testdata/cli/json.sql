--
-- PostgreSQL database dump
--

\restrict guqyjopR7LUfQh9ImgKgTSQDarOYv4dFlBN8tkVZE0mA0MgXWGwgknqJ9IqAVQe

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: doc; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.doc (
    id integer NOT NULL,
    created timestamp with time zone NOT NULL,
    j json,
    jb jsonb
);


--
-- Data for Name: doc; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.doc (id, created, j, jb) FROM stdin;
1	2024-07-01 00:00:00+00	{"a" :  1,\n  "b": [1,  2.50] }	{"a": 1, "b": [1, 2.50]}
2	2024-07-01 00:00:00+00	{"k": 1, "k": 2}	{"k": 2}
3	2024-07-01 00:00:00+00	 [1, 2]\n	[1, 2]
4	2024-07-01 00:00:00+00	null	null
5	2024-07-01 00:00:00+00	\N	\N
6	2024-07-01 00:00:00+00	"just a string"	"just a string"
7	2024-07-01 00:00:00+00	12345678901234567890.12345678901234567890	10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
8	2023-01-01 00:00:00+00	{}	{}
9	2024-07-01 00:00:00+00	"null"	"null"
10	2024-07-01 00:00:00+00	 null 	null
\.


--
-- Name: doc doc_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doc
    ADD CONSTRAINT doc_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict guqyjopR7LUfQh9ImgKgTSQDarOYv4dFlBN8tkVZE0mA0MgXWGwgknqJ9IqAVQe

