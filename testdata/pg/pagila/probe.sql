-- After the patch: the application inserts through the sequence defaults.
INSERT INTO public.city (city, country_id) VALUES ('Probe', 1);
INSERT INTO public.address (address, district, city_id, phone)
    VALUES ('probe', 'probe', currval('public.city_city_id_seq'), '0');
INSERT INTO public.customer (store_id, first_name, last_name, address_id)
    VALUES (1, 'PROBE', 'PROBE', currval('public.address_address_id_seq'));
INSERT INTO public.rental (rental_date, inventory_id, customer_id, staff_id)
    VALUES (now(), 4, currval('public.customer_customer_id_seq'), 1);
INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
    VALUES (currval('public.customer_customer_id_seq'), 1, currval('public.rental_rental_id_seq'),
            1.00, '2022-09-30 00:00:00+00');
