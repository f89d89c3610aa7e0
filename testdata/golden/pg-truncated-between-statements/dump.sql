--
-- PostgreSQL database dump
--

\restrict 2Oz7OGzdLkjsdzgjf4VMz7BGiJVdYwBw5LwZtcN2NhybZAqR8lPK4iV3MZOFpuz

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

--
-- Name: Sales; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Sales";


ALTER SCHEMA "Sales" OWNER TO postgres;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: app; Owner: postgres
--

CREATE TYPE app.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE app.mood OWNER TO postgres;

--
-- Name: trg(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.trg() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.name := coalesce(NEW.name, 'anon; -- not a comment'); RETURN NEW; END $$;


ALTER FUNCTION app.trg() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Mixed Case; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales"."Mixed Case" (
    k integer NOT NULL,
    "Value" text
);


ALTER TABLE "Sales"."Mixed Case" OWNER TO postgres;

--
-- Name: orders; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.orders (
    id bigint NOT NULL,
    customer_id integer NOT NULL,
    amount numeric(12,2),
    qty_x2 integer GENERATED ALWAYS AS ((qty * 2)) STORED,
    qty integer,
    tags text[],
    meta jsonb,
    raw bytea,
    ok boolean,
    loc point,
    ts timestamp without time zone,
    tstz timestamp with time zone,
    d date,
    f8 double precision,
    "Weird Col" text,
    "select" integer
);


ALTER TABLE app.orders OWNER TO postgres;

--
-- Name: TABLE orders; Type: COMMENT; Schema: app; Owner: postgres
--

COMMENT ON TABLE app.orders IS 'Orders; with ''quotes'' and
newline';


--
-- Name: big_orders; Type: VIEW; Schema: app; Owner: postgres
--

CREATE VIEW app.big_orders AS
 SELECT orders.id,
    orders.customer_id,
    orders.amount,
    orders.qty_x2,
    orders.qty,
    orders.tags,
    orders.meta,
    orders.raw,
    orders.ok,
    orders.loc,
    orders.ts,
    orders.tstz,
    orders.d,
    orders.f8,
    orders."Weird Col",
    orders."select"
   FROM app.orders
  WHERE (orders.amount > (100)::numeric);


ALTER TABLE app.big_orders OWNER TO postgres;

--
-- Name: customers; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.customers (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    mood app.mood,
    created timestamp with time zone DEFAULT now()
);


ALTER TABLE app.customers OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

ALTER TABLE app.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.orders_id_seq OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.orders_id_seq OWNED BY app.orders.id;


--
-- Name: bin; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.bin (
    id integer,
    b bytea
);


ALTER TABLE public.bin OWNER TO postgres;

--
-- Name: empty_table; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.empty_table (
    a integer,
    b text
);


ALTER TABLE public.empty_table OWNER TO postgres;

--
-- Name: j; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.j (
    id integer NOT NULL,
    doc json,
    bits bit varying(10),
    iv interval,
    u uuid,
    ip inet,
    money_col money,
    r int4range
);


ALTER TABLE public.j OWNER TO postgres;

--
-- Name: j_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.j_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.j_id_seq OWNER TO postgres;

--
-- Name: j_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.j_id_seq OWNED BY public.j.id;


--
-- Name: measurements; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements (
    id integer NOT NULL,
    logdate date NOT NULL,
    v integer
)
PARTITION BY RANGE (logdate);


ALTER TABLE public.measurements OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2024 (
    id integer NOT NULL,
    logdate date NOT NULL,
    v integer
);


ALTER TABLE public.measurements_2024 OWNER TO postgres;

--
-- Name: measurements_2025; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurements_2025 (
    id integer NOT NULL,
    logdate date NOT NULL,
    v integer
);


ALTER TABLE public.measurements_2025 OWNER TO postgres;

--
-- Name: mv; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.mv AS
 SELECT count(*) AS n
   FROM app.orders
  WITH NO DATA;


ALTER TABLE public.mv OWNER TO postgres;

--
-- Name: standalone_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.standalone_seq
    START WITH 100
    INCREMENT BY 5
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.standalone_seq OWNER TO postgres;

--
-- Name: trail; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.trail (
    a integer,
    b text
);


ALTER TABLE public.trail OWNER TO postgres;

--
-- Name: measurements_2024; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');


--
-- Name: measurements_2025; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');


--
-- Name: orders id; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.orders ALTER COLUMN id SET DEFAULT nextval('app.orders_id_seq'::regclass);


--
-- Name: j id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.j ALTER COLUMN id SET DEFAULT nextval('public.j_id_seq'::regclass);


--
-- Name: 424242; Type: BLOB; Schema: -; Owner: postgres
--

SELECT pg_catalog.lo_create('424242');


ALTER LARGE OBJECT 424242 OWNER TO postgres;

--
-- Data for Name: Mixed Case; Type: TABLE DATA; Schema: Sales; Owner: postgres
--

COPY "Sales"."Mixed Case" (k, "Value") FROM stdin;
1	one
2	two\\N
3	\\N
\.


--
-- Data for Name: customers; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.customers (id, email, name, mood, created) FROM stdin;
1	a@example.com	Alice	happy	2024-03-01 10:00:00+00
2	b@example.com	anon; -- not a comment	sad	2024-03-02 00:00:00+00
3	c@example.com	tab\there\nnewline\\backslash	ok	\N
4	d@example.com	O'Brien "quoted" ; -- dash	\N	2000-01-01 07:59:59.123456+00
5	e@example.com	\\.	\N	2026-11-26 01:18:30.50175+00
6	f@example.com	unicode: é ü 日本 😀	\N	2026-11-26 01:18:30.50175+00
7	g@example.com	cr\rlf\r\n bs\b ff\f vtv	\N	2026-11-26 01:18:30.50175+00
8	h@example.com	ctl:\v\b\f end	\N	2026-11-26 01:19:24.627763+00
9	i@example.com	back\\slash\\\\two	\N	2026-11-26 01:19:24.627763+00
\.


--
-- Data for Name: orders; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.orders (id, customer_id, amount, qty, tags, meta, raw, ok, loc, ts, tstz, d, f8, "Weird Col", "select") FROM stdin;
1	1	123.45	3	{a,"b c","d\\"e","f\\\\g",NULL,"NULL",""}	{"k": "v\\"q", "n": [1, 2.5, null], "nl": "a\\nb"}	\\x00010203ff5c0a	t	(1.5,-2)	2024-01-01 00:00:00	2024-06-01 07:04:56.789+00	2024-02-29	1e+308	x	1
2	2	-0.01	\N	{}	null	\\x	f	\N	infinity	-infinity	0001-01-01 BC	NaN	\N	\N
3	3	99999999.99	7	{{1,2},{3,4}}	[]	\\x5c4e	\N	(0,0)	2024-12-31 23:59:59.999999	2026-11-26 01:18:30.502184+00	infinity	-Infinity	line1\nline2	-5
\.


--
-- Data for Name: bin; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.bin (id, b) FROM stdin;
1	\\x0001ff5c
\.


--
-- Data for Name: empty_table; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.empty_table (a, b) FROM stdin;
\.


--
-- Data for Name: j; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.j (id, doc, bits, iv, u, ip, money_col, r) FROM stdin;
1	{"a": 1,  "b":  [true, false]}	10110	1 year 2 mons 3 days 04:05:06.7	a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11	192.168.0.1/24	$12.34	[1,10)
\.


--
-- Data for Name: measurements_2024; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurements_2024 (id, logdate, v) FROM stdin;
1	2024-05-05	10
\.


--
-- Data for Name: measurements_2025; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.measurements_2025 (id, logdate, v) FROM stdin;
2	2025-05-05	20
\.


--
-- Data for Name: trail; Type: TABLE DATA; Schema: public; Owner: postgres
--

COPY public.trail (a, b) FROM stdin;
1	
2	  spaced  
3	\N
\.


--
-- Name: customers_id_seq; Type: SEQUENCE SET; Schema: app; Owner: postgres
--

SELECT pg_catalog.setval('app.customers_id_seq', 9, true);


--
-- Name: orders_id_seq; Type: SEQUENCE SET; Schema: app; Owner: postgres
--

SELECT pg_catalog.setval('app.orders_id_seq', 3, true);


--
-- Name: j_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.j_id_seq', 1, true);
