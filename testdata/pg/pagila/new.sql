-- Rows created after the cut-off (2022-09-01 00:00 UTC; the data set ends 2022-08-23), with ids
-- from the sequences and every timestamp explicit (the expected database replays this file).

-- a new city (no created column) in an old country, a new address there, a new customer
INSERT INTO public.city (city, country_id, last_update)
    VALUES ('Nova Salvagia', 1, '2022-09-02 08:00:00+00');
INSERT INTO public.address (address, address2, district, city_id, postal_code, phone, last_update)
    VALUES ('1 Restore Road', NULL, 'Backup', currval('public.city_city_id_seq'), '00042',
            '+1 555 0100', '2022-09-02 08:01:00+00');
INSERT INTO public.customer (store_id, first_name, last_name, email, address_id, activebool,
                             create_date, last_update, active)
    VALUES (1, 'RESCUED', 'CUSTOMER', 'rescued.customer@sakilacustomer.org',
            currval('public.address_address_id_seq'), true, '2022-09-02',
            '2022-09-02 08:02:00+00', 1);

-- the new customer rents twice and pays once
INSERT INTO public.rental (rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
    VALUES ('2022-09-03 10:00:00+00', 1, currval('public.customer_customer_id_seq'), NULL, 1,
            '2022-09-03 10:00:00+00');
INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
    VALUES (currval('public.customer_customer_id_seq'), 1, currval('public.rental_rental_id_seq'),
            4.99, '2022-09-03 10:05:00.123456+00');
INSERT INTO public.rental (rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
    VALUES ('2022-09-04 11:00:00+00', 2, currval('public.customer_customer_id_seq'),
            '2022-09-06 09:30:00+00', 1, '2022-09-06 09:30:00+00');

-- an old customer (1) rents and pays
INSERT INTO public.rental (rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
    VALUES ('2022-09-05 12:00:00+00', 3, 1, NULL, 1, '2022-09-05 12:00:00+00');
INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
    VALUES (1, 1, currval('public.rental_rental_id_seq'), 0.99, '2022-09-05 12:01:00+00');

-- a late fee on an OLD rental of an old customer: reachable only as a root (payment_date)
INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
    VALUES (130, 1, 1, 12.99, '2022-09-06 00:00:00+00');

-- bulk: 1500 more rentals by 500 old customers (ancestors: their addresses, cities, stores...),
-- each paid a minute later
INSERT INTO public.rental (rental_date, inventory_id, customer_id, return_date, staff_id, last_update)
SELECT timestamptz '2022-09-10 00:00:00+00' + g * interval '7 minutes', 1 + (g * 37) % 4500,
       100 + g % 500, NULL, 1 + g % 2, timestamptz '2022-09-10 00:00:00+00' + g * interval '7 minutes'
FROM generate_series(1, 1500) AS g
ORDER BY g;
INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
SELECT customer_id, staff_id, rental_id, 2.99, rental_date + interval '1 minute'
FROM public.rental
WHERE rental_date >= '2022-09-10'
ORDER BY rental_id;
