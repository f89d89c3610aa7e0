--
-- PostgreSQL database dump
--

\restrict Rbd6UgcLS9FrzrY2pxgGVnZKRSAqfUY4xOFvsZab3pdvj1kJjuKK8g8UrJ6hFoW

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
-- Name: auth_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_user (
    id integer NOT NULL,
    username text NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


--
-- Name: blog_comment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.blog_comment (
    id integer NOT NULL,
    post_id integer NOT NULL,
    parent_id integer,
    body text NOT NULL,
    created_at timestamp with time zone
);


--
-- Name: blog_post; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.blog_post (
    id integer NOT NULL,
    author_id integer NOT NULL,
    title text NOT NULL,
    created timestamp with time zone NOT NULL
);


--
-- Name: blog_post_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.blog_post_tags (
    id integer NOT NULL,
    post_id integer NOT NULL,
    tag_id integer NOT NULL
);


--
-- Name: blog_tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.blog_tag (
    id integer NOT NULL,
    name text NOT NULL
);


--
-- Name: django_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_session (
    session_key text NOT NULL,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);


--
-- Data for Name: auth_user; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.auth_user (id, username, date_joined) FROM stdin;
1	alice	2020-01-15 09:00:00+00
2	bob	2021-03-01 12:00:00+00
3	carol	2024-07-01 08:30:00+00
4	dave	2022-02-02 02:02:02+00
\.


--
-- Data for Name: blog_comment; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.blog_comment (id, post_id, parent_id, body, created_at) FROM stdin;
1	1	\N	first!	2023-05-06 10:00:00+00
2	1	1	late reply	2024-06-15 10:00:00+00
3	2	\N	nice post	2024-06-20 10:00:00+00
4	3	\N	undated	\N
5	4	\N	old comment	2019-01-02 00:00:00+00
\.


--
-- Data for Name: blog_post; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.blog_post (id, author_id, title, created) FROM stdin;
1	1	Old news	2023-05-05 10:00:00+00
2	2	Fresh take	2024-06-10 10:00:00+00
3	3	Hello from carol	2024-07-02 10:00:00+00
4	4	Ancient	2019-01-01 00:00:00+00
\.


--
-- Data for Name: blog_post_tags; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.blog_post_tags (id, post_id, tag_id) FROM stdin;
1	1	1
2	2	2
3	3	1
4	4	3
\.


--
-- Data for Name: blog_tag; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.blog_tag (id, name) FROM stdin;
1	django
2	rust
3	unused
\.


--
-- Data for Name: django_session; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.django_session (session_key, session_data, expire_date) FROM stdin;
abc	x	2024-08-01 00:00:00+00
\.


--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: blog_comment blog_comment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_pkey PRIMARY KEY (id);


--
-- Name: blog_post blog_post_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_post
    ADD CONSTRAINT blog_post_pkey PRIMARY KEY (id);


--
-- Name: blog_post_tags blog_post_tags_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_pkey PRIMARY KEY (id);


--
-- Name: blog_tag blog_tag_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_tag
    ADD CONSTRAINT blog_tag_name_key UNIQUE (name);


--
-- Name: blog_tag blog_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_tag
    ADD CONSTRAINT blog_tag_pkey PRIMARY KEY (id);


--
-- Name: django_session django_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_session
    ADD CONSTRAINT django_session_pkey PRIMARY KEY (session_key);


--
-- Name: blog_comment blog_comment_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.blog_comment(id);


--
-- Name: blog_comment blog_comment_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.blog_post(id);


--
-- Name: blog_post blog_post_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_post
    ADD CONSTRAINT blog_post_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_post_tags blog_post_tags_post_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_post_id_fkey FOREIGN KEY (post_id) REFERENCES public.blog_post(id);


--
-- Name: blog_post_tags blog_post_tags_tag_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES public.blog_tag(id);


--
-- PostgreSQL database dump complete
--

\unrestrict Rbd6UgcLS9FrzrY2pxgGVnZKRSAqfUY4xOFvsZab3pdvj1kJjuKK8g8UrJ6hFoW

