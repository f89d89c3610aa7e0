-- Loaded after pagila-schema.sql and pagila-data.sql (from /work/shared/datasets/pagila): a
-- partition for September 2022, where the rescued payments land, with the same foreign keys as
-- the other monthly partitions. Part of the schema before the backup is taken.
CREATE TABLE public.payment_p2022_09 PARTITION OF public.payment
    FOR VALUES FROM ('2022-09-01 00:00:00+00') TO ('2022-10-01 00:00:00+00');
ALTER TABLE ONLY public.payment_p2022_09
    ADD CONSTRAINT payment_p2022_09_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id);
ALTER TABLE ONLY public.payment_p2022_09
    ADD CONSTRAINT payment_p2022_09_rental_id_fkey FOREIGN KEY (rental_id) REFERENCES public.rental(rental_id);
ALTER TABLE ONLY public.payment_p2022_09
    ADD CONSTRAINT payment_p2022_09_staff_id_fkey FOREIGN KEY (staff_id) REFERENCES public.staff(staff_id);
CREATE INDEX idx_fk_payment_p2022_09_customer_id ON public.payment_p2022_09 USING btree (customer_id);
