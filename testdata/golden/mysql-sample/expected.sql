-- dbsalvage patch for the mysql / mariadb client.
-- Apply onto the restored database:  mysql RESTORED_DB < THIS_FILE
-- (never with --force: the first error must stop it, so nothing is committed).
-- Source: ../../mysql/samples/mariadb10.11_default.sql
-- Dump: MariaDB dump 10.19 Distrib 10.11.19-MariaDB, server 10.11.19-MariaDB-0+deb12u1
-- Rows created after: 2024-03-03 (2024-03-03 00:00:00 UTC)
-- 2 rows in 1 tables (roots, descendants, ancestors):
--   customers: 2 (2, 0, 0)
-- Rows whose key the database already has are skipped; any other error stops the patch.

SET NAMES utf8mb4;
-- TIMESTAMP values are in the zone the dump was written in.
SET TIME_ZONE = '+00:00';
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';
START TRANSACTION;

-- customers: 2 rows (2 roots, 0 descendants, 0 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_1` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `email`, `name`, `mood`, `perms`, `created`, `updated` FROM `customers` LIMIT 0;
INSERT INTO `_dbsalvage_stage_1` (`_dbsalvage_seq`, `id`, `email`, `name`, `mood`, `perms`, `created`, `updated`) VALUES
(1,5,'e@example.com',_utf8mb4 X'6E756C3A00206374726C7A3A1A2063723A0D2062733A08','ok','read','9999-12-31 23:59:59.999999','2024-03-04 22:00:00'),
(2,6,'f@example.com',_utf8mb4 X'756E69636F64653A20C3A920C3BC20E697A5E69CAC20F09F9880','happy','','2024-03-06 00:00:00.000000','2024-03-05 22:00:00');
DELETE FROM `_dbsalvage_stage_1` WHERE EXISTS (SELECT 1 FROM `customers` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_1`.`id`);
-- Triggers on this table (trg_cust) may rewrite inserted values: each row is inserted alone,
-- then the dump's values are put back into that row where a trigger changed them.
INSERT INTO `customers` (`id`, `email`, `name`, `mood`, `perms`, `created`, `updated`) SELECT `id`, `email`, `name`, `mood`, `perms`, `created`, `updated` FROM `_dbsalvage_stage_1` WHERE `_dbsalvage_seq` = 1;
UPDATE `customers` AS `t` JOIN `_dbsalvage_stage_1` AS `s` ON `t`.`id` = `s`.`id` SET `t`.`email` = `s`.`email`, `t`.`name` = `s`.`name`, `t`.`mood` = `s`.`mood`, `t`.`perms` = `s`.`perms`, `t`.`created` = `s`.`created`, `t`.`updated` = `s`.`updated` WHERE `s`.`_dbsalvage_seq` = 1 AND NOT (CAST(`t`.`email` AS BINARY) <=> CAST(`s`.`email` AS BINARY) AND CAST(`t`.`name` AS BINARY) <=> CAST(`s`.`name` AS BINARY) AND CAST(`t`.`mood` AS BINARY) <=> CAST(`s`.`mood` AS BINARY) AND CAST(`t`.`perms` AS BINARY) <=> CAST(`s`.`perms` AS BINARY) AND `t`.`created` <=> `s`.`created` AND `t`.`updated` <=> `s`.`updated`);
INSERT INTO `customers` (`id`, `email`, `name`, `mood`, `perms`, `created`, `updated`) SELECT `id`, `email`, `name`, `mood`, `perms`, `created`, `updated` FROM `_dbsalvage_stage_1` WHERE `_dbsalvage_seq` = 2;
UPDATE `customers` AS `t` JOIN `_dbsalvage_stage_1` AS `s` ON `t`.`id` = `s`.`id` SET `t`.`email` = `s`.`email`, `t`.`name` = `s`.`name`, `t`.`mood` = `s`.`mood`, `t`.`perms` = `s`.`perms`, `t`.`created` = `s`.`created`, `t`.`updated` = `s`.`updated` WHERE `s`.`_dbsalvage_seq` = 2 AND NOT (CAST(`t`.`email` AS BINARY) <=> CAST(`s`.`email` AS BINARY) AND CAST(`t`.`name` AS BINARY) <=> CAST(`s`.`name` AS BINARY) AND CAST(`t`.`mood` AS BINARY) <=> CAST(`s`.`mood` AS BINARY) AND CAST(`t`.`perms` AS BINARY) <=> CAST(`s`.`perms` AS BINARY) AND `t`.`created` <=> `s`.`created` AND `t`.`updated` <=> `s`.`updated`);
DROP TEMPORARY TABLE `_dbsalvage_stage_1`;

COMMIT;
