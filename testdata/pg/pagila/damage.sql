-- The bad migration: a "cleanup" that deletes recent old payments and rentals, and rewrites old
-- customers (one of them, customer 1, is referenced by a rescued rental) and films.
DELETE FROM public.payment WHERE payment_date >= '2022-07-20' AND payment_date < '2022-09-01';
DELETE FROM public.rental r
    WHERE rental_date >= '2022-08-20' AND rental_date < '2022-09-01'
      AND NOT EXISTS (SELECT 1 FROM public.payment p WHERE p.rental_id = r.rental_id);
UPDATE public.customer SET activebool = false, active = 0, email = NULL WHERE customer_id <= 20;
UPDATE public.film SET rental_rate = 0 WHERE film_id <= 100;
