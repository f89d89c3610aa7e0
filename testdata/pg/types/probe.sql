-- After the patch: the application inserts through identity/serial defaults, and the
-- created-setting trigger still exists and fires.
INSERT INTO public.kinds (code) VALUES ('probe');
INSERT INTO public.everything (created, t) VALUES ('2000-01-01 00:00:00+00', 'probe');
DO $$
BEGIN
    IF (SELECT created FROM public.everything WHERE t = 'probe') < now() - interval '1 hour' THEN
        RAISE EXCEPTION 'the BEFORE INSERT trigger no longer sets created';
    END IF;
END
$$;
INSERT INTO public.stock_move (warehouse, sku, moved) VALUES ('north', 1, 1);
INSERT INTO "Sales"."Order" ("group", created_at) VALUES ('probe', now());
