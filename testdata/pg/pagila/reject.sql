-- Applied to a restore of the backup before the patch: a new rule the late fee (12.99) breaks.
-- The patch must fail as a whole.
ALTER TABLE public.payment_p2022_09 ADD CONSTRAINT payment_p2022_09_amount_cap CHECK (amount < 10);
