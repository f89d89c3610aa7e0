-- dbsalvage patch for the mysql / mariadb client.
-- Apply onto the restored database:  mysql RESTORED_DB < THIS_FILE
-- (never with --force: the first error must stop it, so nothing is committed).
-- Source: ../../mysql/samples/blog.sql
-- Dump: MariaDB dump 10.19 Distrib 10.11.19-MariaDB, server 10.11.19-MariaDB-0+deb12u1
-- Rows created after: 2025-06-01 00:00 (2025-06-01 00:00:00 UTC)
-- 15 rows in 5 tables (roots, descendants, ancestors):
--   auth_user: 3 (1, 0, 2)
--   blog_post: 3 (2, 0, 1)
--   blog_comment: 4 (3, 0, 1)
--   blog_tag: 2 (0, 0, 2)
--   blog_post_tags: 3 (0, 3, 0)
-- Rows whose key the database already has are skipped; any other error stops the patch.

SET NAMES utf8mb4;
-- TIMESTAMP values are in the zone the dump was written in.
SET TIME_ZONE = '+00:00';
SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';
START TRANSACTION;

-- auth_user: 3 rows (1 roots, 0 descendants, 2 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_1` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `password`, `last_login`, `is_superuser`, `username`, `first_name`, `last_name`, `email`, `is_staff`, `is_active`, `date_joined` FROM `auth_user` LIMIT 0;
INSERT INTO `_dbsalvage_stage_1` (`_dbsalvage_seq`, `id`, `password`, `last_login`, `is_superuser`, `username`, `first_name`, `last_name`, `email`, `is_staff`, `is_active`, `date_joined`) VALUES
(1,2,'pbkdf2_sha256$600000$salt$hash2',NULL,0,'bob','X',_utf8mb4 X'4F27427269656E','',0,1,'2024-02-11 10:30:00.123456'),
(2,3,'pbkdf2_sha256$600000$salt$hash3',NULL,0,_utf8mb4 X'63686C6FC3A9','X',_utf8mb4 X'5A6FC3AB20F09F9880','',0,1,'2025-05-31 23:59:59.999999'),
(3,4,'pbkdf2_sha256$600000$salt$hash4',NULL,0,'newbie','New','Bie','newbie@example.com',0,1,'2025-06-01 00:00:00.000001');
DELETE FROM `_dbsalvage_stage_1` WHERE EXISTS (SELECT 1 FROM `auth_user` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_1`.`id`);
INSERT INTO `auth_user` (`id`, `password`, `last_login`, `is_superuser`, `username`, `first_name`, `last_name`, `email`, `is_staff`, `is_active`, `date_joined`) SELECT `id`, `password`, `last_login`, `is_superuser`, `username`, `first_name`, `last_name`, `email`, `is_staff`, `is_active`, `date_joined` FROM `_dbsalvage_stage_1` ORDER BY `_dbsalvage_seq`;
DROP TEMPORARY TABLE `_dbsalvage_stage_1`;

-- blog_post: 3 rows (2 roots, 0 descendants, 1 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_2` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `title`, `body`, `created`, `updated`, `author_id` FROM `blog_post` LIMIT 0;
INSERT INTO `_dbsalvage_stage_2` (`_dbsalvage_seq`, `id`, `title`, `body`, `created`, `updated`, `author_id`) VALUES
(1,2,_utf8mb4 X'5B6D696772617465645D204261636B736C6173686573205C20616E642071756F74657320272022','','2024-03-01 12:00:00.000000','2024-03-02 12:00:00.000000',2),
(2,5,'New post by a new user',_utf8mb4 X'4C696E6520310A4C696E6520320D0A54616209456E64205C206261636B736C617368','2025-06-02 10:00:00.000000','2025-06-02 10:00:00.000000',4),
(3,6,'New post by an old user',_utf8mb4 X'F09F9880','2025-06-03 10:00:00.000000','2025-06-03 11:00:00.000000',2);
DELETE FROM `_dbsalvage_stage_2` WHERE EXISTS (SELECT 1 FROM `blog_post` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_2`.`id`);
INSERT INTO `blog_post` (`id`, `title`, `body`, `created`, `updated`, `author_id`) SELECT `id`, `title`, `body`, `created`, `updated`, `author_id` FROM `_dbsalvage_stage_2` ORDER BY `_dbsalvage_seq`;
DROP TEMPORARY TABLE `_dbsalvage_stage_2`;

-- blog_comment: 4 rows (3 roots, 0 descendants, 1 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_3` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `body`, `created_at`, `author_id`, `parent_id`, `post_id` FROM `blog_comment` LIMIT 0;
INSERT INTO `_dbsalvage_stage_3` (`_dbsalvage_seq`, `id`, `body`, `created_at`, `author_id`, `parent_id`, `post_id`) VALUES
(1,3,'lost','2024-03-03 10:00:00.000000',3,NULL,2),
(2,7,'Late reply to an old comment','2025-06-02 12:00:00.000000',4,3,2),
(3,8,'Reply to the late reply','2025-06-02 13:00:00.000000',2,7,2),
(4,9,'Comment on the new post','2025-06-02 14:00:00.000000',NULL,NULL,5);
DELETE FROM `_dbsalvage_stage_3` WHERE EXISTS (SELECT 1 FROM `blog_comment` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_3`.`id`);
INSERT INTO `blog_comment` (`id`, `body`, `created_at`, `author_id`, `parent_id`, `post_id`) SELECT `id`, `body`, `created_at`, `author_id`, `parent_id`, `post_id` FROM `_dbsalvage_stage_3` ORDER BY `_dbsalvage_seq`;
DROP TEMPORARY TABLE `_dbsalvage_stage_3`;

-- blog_tag: 2 rows (0 roots, 0 descendants, 2 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_4` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `name`, `slug` FROM `blog_tag` LIMIT 0;
INSERT INTO `_dbsalvage_stage_4` (`_dbsalvage_seq`, `id`, `name`, `slug`) VALUES
(1,1,'news','news'),
(2,4,'brand new','brand-new');
DELETE FROM `_dbsalvage_stage_4` WHERE EXISTS (SELECT 1 FROM `blog_tag` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_4`.`id`);
INSERT INTO `blog_tag` (`id`, `name`, `slug`) SELECT `id`, `name`, `slug` FROM `_dbsalvage_stage_4` ORDER BY `_dbsalvage_seq`;
DROP TEMPORARY TABLE `_dbsalvage_stage_4`;

-- blog_post_tags: 3 rows (0 roots, 3 descendants, 0 ancestors); existing rows are recognised by its primary key (id).
CREATE TEMPORARY TABLE `_dbsalvage_stage_5` (`_dbsalvage_seq` BIGINT UNSIGNED NOT NULL DEFAULT 0 PRIMARY KEY) SELECT `id`, `post_id`, `tag_id` FROM `blog_post_tags` LIMIT 0;
INSERT INTO `_dbsalvage_stage_5` (`_dbsalvage_seq`, `id`, `post_id`, `tag_id`) VALUES
(1,6,5,1),
(2,5,5,4),
(3,7,6,4);
DELETE FROM `_dbsalvage_stage_5` WHERE EXISTS (SELECT 1 FROM `blog_post_tags` AS `t` WHERE `t`.`id` = `_dbsalvage_stage_5`.`id`);
INSERT INTO `blog_post_tags` (`id`, `post_id`, `tag_id`) SELECT `id`, `post_id`, `tag_id` FROM `_dbsalvage_stage_5` ORDER BY `_dbsalvage_seq`;
DROP TEMPORARY TABLE `_dbsalvage_stage_5`;

COMMIT;
