-- The bad migration: rewrites and deletes OLD rows only.
UPDATE public.everything SET t = 'DAMAGED', jb = '{}', tags = NULL WHERE id = 1;  -- an ancestor of order 4
DELETE FROM public.stock_move WHERE id = 1;
UPDATE "Sales"."Order" SET "group" = 'lost' WHERE "Id" = 2;
DELETE FROM public.audit_log WHERE message = 'old entry 2';
UPDATE public.external_ref SET note = 'DAMAGED' WHERE ext_id = 'EXT-OLD-1';
UPDATE public.team SET name = 'DAMAGED' WHERE id = 1;                              -- an ancestor of player 22
UPDATE public.folder SET name = 'DAMAGED' WHERE id = 2;                          -- an ancestor of folder 14
