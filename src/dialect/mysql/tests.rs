//! Reader tests over whole dumps: the real MariaDB samples, hand-made MySQL 8 style dumps, every
//! window boundary, truncation, re-reads.

use std::io::Read;

use super::*;
use crate::row::{Cell, RowAccess};
use crate::schema::Table;

use crate::scan::tests::OneByte;

/// One row as read: table name, offset, every cell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rec {
    table: String,
    offset: u64,
    cells: Vec<Cell>,
}

#[derive(Debug, Default)]
struct Collect {
    rows: Vec<Rec>,
    zones: Vec<String>,
}

impl RowSink for Collect {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }

    fn session_time_zone(&mut self, zone: &str) -> Result<()> {
        self.zones.push(zone.to_string());
        Ok(())
    }

    fn row(&mut self, tables: &[Table], table: TableId, row: &mut dyn RowAccess) -> Result<()> {
        let n = tables[table].columns.len();
        let r = row.to_row(n)?;
        self.rows.push(Rec {
            table: tables[table].name.name.clone(),
            offset: r.offset,
            cells: r.cells.into_vec(),
        });
        Ok(())
    }
}

/// Wants nothing: rows must still be parsed.
struct Nothing;

impl RowSink for Nothing {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        false
    }
    fn row(&mut self, _: &[Table], _: TableId, _: &mut dyn RowAccess) -> Result<()> {
        panic!("row handed to a sink that wants none")
    }
}

fn scan_with<R: Read>(reader: R) -> Result<(ScanResult, Delimiters, Collect)> {
    let mut stream = ByteStream::new(reader, 0);
    let mut sink = Collect::default();
    let (result, delims) = scan_stream(&mut stream, &mut sink, None)?;
    Ok((result, delims, sink))
}

fn scan(dump: &[u8]) -> (ScanResult, Delimiters, Collect) {
    scan_with(dump).unwrap_or_else(|e| panic!("{e}"))
}

/// Re-reads every segment and checks the rows equal the first read's.
fn check_rescan(dump: &[u8], result: &ScanResult, delims: &Delimiters, first: &[Rec]) {
    let mut again = Vec::new();
    for seg in &result.segments {
        let mut slice = &dump[seg.start as usize..seg.end as usize];
        let mut stream = ByteStream::new(&mut slice, seg.start);
        let mut sink = Collect::default();
        let delim = delims.get(&seg.start).map_or(&b";"[..], Vec::as_slice);
        rescan_stream(&mut stream, &result.schema, seg, delim, &mut sink)
            .unwrap_or_else(|e| panic!("{e}"));
        again.extend(sink.rows);
    }
    assert_eq!(again, first);
}

fn v(b: &[u8]) -> Cell {
    Cell::Value(b.into())
}

const DEFAULT: &[u8] = include_bytes!("../../../testdata/mysql/samples/mariadb10.11_default.sql");
const HEXBLOB: &[u8] = include_bytes!(
    "../../../testdata/mysql/samples/mariadb10.11_databases_skip-ext_complete_hexblob_routines.sql"
);

#[test]
fn mariadb_default_sample_schema_info_and_rows() {
    let (r, delims, sink) = scan(DEFAULT);
    let s = &r.schema;
    let names: Vec<String> = s.tables.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(
        names,
        ["customers", "empty_table", "geo", "latin", "orders"]
    );
    let customers = &s.tables[0];
    assert_eq!(customers.primary_key, Some(vec![0]));
    assert_eq!(customers.unique_keys.len(), 1);
    assert_eq!(customers.triggers, ["trg_cust"]);
    assert_eq!(customers.columns[5].class, TypeClass::Timestamp);
    assert_eq!(customers.columns[6].class, TypeClass::TimestampSession);
    let orders = &s.tables[4];
    assert!(orders.columns[4].generated && orders.columns[5].generated);
    assert_eq!(orders.columns[6].class, TypeClass::Json);
    assert_eq!(s.foreign_keys.len(), 1);
    assert_eq!((s.foreign_keys[0].child, s.foreign_keys[0].parent), (4, 0));

    let info = &r.info;
    assert_eq!(
        info.tool.as_deref(),
        Some("MariaDB dump 10.19 Distrib 10.11.19-MariaDB")
    );
    assert_eq!(
        info.server_version.as_deref(),
        Some("10.11.19-MariaDB-0+deb12u1")
    );
    assert_eq!(info.encoding.as_deref(), Some("utf8mb4"));
    assert_eq!(info.time_zone.as_deref(), Some("+00:00"));
    assert!(info.complete);
    assert!(info.skipped_statements > 30);
    assert_eq!(sink.zones, ["+00:00"]);

    // One segment per non-empty table.
    let segs: Vec<(TableId, usize)> = r
        .segments
        .iter()
        .map(|s| (s.table, s.columns.len()))
        .collect();
    assert_eq!(segs, [(0, 7), (2, 4), (3, 3), (4, 18)]);
    for seg in &r.segments {
        assert!(DEFAULT[seg.start as usize..].starts_with(b"INSERT INTO"));
        assert_eq!(DEFAULT[seg.end as usize - 1], b';');
    }

    assert_eq!(sink.rows.len(), 7 + 1 + 2 + 3);
    let c4 = &sink.rows[3];
    assert_eq!(c4.table, "customers");
    assert_eq!(
        c4.cells[2],
        v(b"O'Brien \"quoted\" ; -- dash /* not */ #hash")
    );
    assert!(DEFAULT[c4.offset as usize..].starts_with(b"(4,'d@example.com'"));
    assert_eq!(sink.rows[4].cells[2], v(b"nul:\0 ctrlz:\x1a cr:\r bs:\x08"));
    assert_eq!(sink.rows[2].cells[2], v(b"tab\there\nnewline\\backslash"));
    assert_eq!(sink.rows[2].cells[5], Cell::Null);
    let o1 = &sink.rows[10];
    assert_eq!(o1.table, "orders");
    assert_eq!(
        o1.cells[6],
        v(br#"{"k": "v\"q", "n": [1,2.5,null], "nl": "a\nb"}"#)
    );
    assert_eq!(o1.cells[7], v(b"\x00\x01\x02\x03\xff\\\n'"));
    assert_eq!(o1.cells[8], v(b"\x15"));
    assert_eq!(o1.cells[11], v(b"1e308"));
    assert_eq!(o1.cells[16], v(b"x"));
    check_rescan(DEFAULT, &r, &delims, &sink.rows);
}

#[test]
fn hexblob_sample_gives_the_same_cells_as_the_default_one() {
    let (a, _, rows_a) = scan(DEFAULT);
    let (b, delims, rows_b) = scan(HEXBLOB);
    let strip = |rows: &[Rec]| -> Vec<(String, Vec<Cell>)> {
        rows.iter()
            .map(|r| (r.table.clone(), r.cells.clone()))
            .collect()
    };
    assert_eq!(strip(&rows_a.rows), strip(&rows_b.rows));
    // --databases: names carry the database.
    assert_eq!(b.schema.tables[0].name.to_string(), "shop.customers");
    assert_eq!(a.schema.tables[0].name.to_string(), "customers");
    // One INSERT per row, merged into one segment per table.
    assert_eq!(b.segments.len(), 4);
    assert!(b.info.complete);
    assert_eq!(b.schema.tables[0].triggers, ["trg_cust"]);
    check_rescan(HEXBLOB, &b, &delims, &rows_b.rows);
}

/// Every position of the dump on a window boundary, and a reader of one byte per call: the
/// same schema, segments and rows each time.
fn check_boundaries(dump: &[u8], stride: usize) {
    let (want, _, want_rows) = scan(dump);
    let pad_to = 64 * 1024;
    let mut k = 0;
    while k < dump.len() {
        let pad = pad_to - k;
        let mut padded = Vec::with_capacity(pad + dump.len());
        padded.extend_from_slice(b"-- ");
        padded.resize(pad - 1, b'x');
        padded.push(b'\n');
        padded.extend_from_slice(dump);
        let (got, _, got_rows) = scan(&padded);
        assert_eq!(got.segments.len(), want.segments.len(), "boundary at {k}");
        for (g, w) in got.segments.iter().zip(&want.segments) {
            assert_eq!(g.start, w.start + pad as u64, "boundary at {k}");
            assert_eq!(g.columns, w.columns);
        }
        let shifted: Vec<Rec> = want_rows
            .rows
            .iter()
            .map(|r| Rec {
                offset: r.offset + pad as u64,
                ..r.clone()
            })
            .collect();
        assert_eq!(got_rows.rows, shifted, "boundary at {k}");
        assert_eq!(got.schema.tables, want.schema.tables);
        k += stride;
    }
    let (one, _, one_rows) = scan_with(OneByte(dump)).unwrap();
    assert_eq!(one.segments, want.segments);
    assert_eq!(one_rows.rows, want_rows.rows);
}

#[test]
fn samples_across_window_boundaries() {
    check_boundaries(DEFAULT, 13);
    check_boundaries(HEXBLOB, 17);
}

/// MySQL 8 mysqldump style: one-line extended inserts, `_binary`, generated columns left out
/// with a forced column list, native JSON, DELIMITER ;; trigger, `#` comments.
const MYSQL8: &[u8] = b"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version\t8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
# a hash comment ; with a semicolon
DROP TABLE IF EXISTS `t`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `t` (
  `id` int NOT NULL AUTO_INCREMENT,
  `doc` json DEFAULT NULL,
  `twice` int GENERATED ALWAYS AS ((`id` * 2)) VIRTUAL,
  `bin` varbinary(10) DEFAULT NULL,
  `flag` bit(1) DEFAULT NULL,
  `g` geometry /*!80003 SRID 4326 */ DEFAULT NULL,
  `s` varchar(20) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;
LOCK TABLES `t` WRITE;
/*!40000 ALTER TABLE `t` DISABLE KEYS */;
INSERT INTO `t` (`id`, `doc`, `bin`, `flag`, `g`, `s`) VALUES (1,'{\\\"a\\\": 1}',_binary '\\0\\n\\'x',_binary '\\0',_binary '\xe6\x10\\0\\0',''),(2,NULL,_binary '',_binary '',NULL,'it''s');
INSERT INTO `t` (`id`, `doc`, `bin`, `flag`, `g`, `s`) VALUES (3,'[]',0x000A2778,0x01,NULL,'a');
/*!40000 ALTER TABLE `t` ENABLE KEYS */;
UNLOCK TABLES;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.s = 'x;;y' */;;
DELIMITER ;
-- Dump completed on 2026-01-01 10:00:00
";

#[test]
fn mysql8_style_dump() {
    let (r, delims, sink) = scan(MYSQL8);
    let t = &r.schema.tables[0];
    assert_eq!(t.triggers, ["t_bi"]);
    assert_eq!(t.columns[1].class, TypeClass::Json);
    assert_eq!(
        r.info.tool.as_deref(),
        Some("MySQL dump 10.13 Distrib 8.0.36")
    );
    assert_eq!(r.info.encoding.as_deref(), Some("utf8mb4"));
    assert!(r.info.complete);
    assert_eq!(r.segments.len(), 1);
    assert_eq!(r.segments[0].columns, [0, 1, 3, 4, 5, 6]);
    let rows: Vec<&Vec<Cell>> = sink.rows.iter().map(|r| &r.cells).collect();
    assert_eq!(
        rows,
        [
            &vec![
                v(b"1"),
                v(br#"{"a": 1}"#),
                Cell::Absent,
                v(b"\0\n'x"),
                v(b"\0"),
                v(b"\xe6\x10\0\0"),
                v(b"")
            ],
            &vec![
                v(b"2"),
                Cell::Null,
                Cell::Absent,
                v(b""),
                v(b""),
                Cell::Null,
                v(b"it's")
            ],
            &vec![
                v(b"3"),
                v(b"[]"),
                Cell::Absent,
                v(b"\0\n'x"),
                v(b"\x01"),
                Cell::Null,
                v(b"a")
            ],
        ]
    );
    check_rescan(MYSQL8, &r, &delims, &sink.rows);
    check_boundaries(MYSQL8, 1);
}

#[test]
fn unwanted_rows_are_still_parsed() {
    let mut bad = MYSQL8.to_vec();
    let at = memchr::memmem::find(&bad, b"'it''s'").unwrap();
    bad[at] = b'"';
    let mut stream = ByteStream::new(&bad[..], 0);
    let e = scan_stream(&mut stream, &mut Nothing, None).unwrap_err();
    assert!(matches!(e, Error::Syntax { .. }), "{e}");
    let mut stream = ByteStream::new(MYSQL8, 0);
    let (r, _) = scan_stream(&mut stream, &mut Nothing, None).unwrap();
    assert_eq!(r.segments.len(), 1);
}

#[test]
fn truncated_inserts_are_errors() {
    for (dump, stride) in [(DEFAULT, 3), (HEXBLOB, 3), (MYSQL8, 1)] {
        let (r, _, _) = scan(dump);
        for seg in &r.segments {
            for cut in ((seg.start as usize + 1)..(seg.end as usize)).step_by(stride) {
                if dump[..cut].trim_ascii_end().ends_with(b";") {
                    // Between two INSERTs of one segment: a complete prefix.
                    continue;
                }
                let e = scan_with(&dump[..cut]).err();
                assert!(
                    matches!(e, Some(Error::Syntax { .. })),
                    "cut at {cut}: {e:?}"
                );
            }
        }
    }
    let e =
        scan_with(&b"CREATE TABLE `t` (`a` text);\nINSERT INTO `t` VALUES ('abc"[..]).unwrap_err();
    assert!(
        e.to_string()
            .contains("unterminated string started at byte 53"),
        "{e}"
    );
}

/// Rows of a table the dump does not declare (before them) are an error naming the table and
/// where the INSERT starts, as in PostgreSQL: skipping them would lose them silently.
#[test]
fn inserts_into_an_undeclared_table_are_errors() {
    let declared = b"USE `shop`;\nCREATE TABLE `t` (`a` int);\nINSERT INTO `t` VALUES (1);\n";
    for (insert, table) in [
        (&b"INSERT INTO `u` VALUES (2);\n"[..], "shop.u"),
        (b"INSERT INTO `other`.`t` VALUES (2);\n", "other.t"),
        (b"REPLACE INTO u VALUES (2),(3);\n", "shop.u"),
    ] {
        let mut dump = declared.to_vec();
        dump.extend_from_slice(insert);
        let e = scan_with(&dump[..]).unwrap_err();
        match &e {
            Error::Syntax { pos, what, .. } => {
                assert_eq!(pos.byte, declared.len() as u64, "{e}");
                assert_eq!(
                    what,
                    &format!(
                        "rows for table {table}, which the dump does not declare before them \
                         (a dump made with --no-create-info?)"
                    )
                );
            }
            other => panic!("{other}"),
        }
    }
    // Declared after its rows is too late.
    let dump = b"INSERT INTO `t` VALUES (1);\nCREATE TABLE `t` (`a` int);\n";
    let e = scan_with(&dump[..]).unwrap_err();
    assert!(
        matches!(e, Error::Syntax { pos, .. } if pos.byte == 0),
        "{e}"
    );
}

#[test]
fn wrong_field_count_is_a_data_error() {
    let dump = b"CREATE TABLE `t` (`a` int, `b` int);\nINSERT INTO `t` VALUES (1,2),(3);\n";
    let e = scan_with(&dump[..]).unwrap_err();
    match e {
        Error::Data { pos, what, .. } => {
            assert_eq!(pos.byte, 66);
            assert!(what.contains("1 values"), "{what}");
        }
        other => panic!("{other}"),
    }
    let dump = b"CREATE TABLE `t` (`a` int, `b` int);\nINSERT INTO `t` (`a`, `c`) VALUES (1,2);\n";
    assert!(matches!(scan_with(&dump[..]), Err(Error::Data { .. })));
}

#[test]
fn ddl_errors_are_positioned() {
    let dump = b"SET NAMES utf8mb4;\nCREATE TABLE `t` (`a` int BOGUS);\n";
    match scan_with(&dump[..]).unwrap_err() {
        Error::Ddl { pos, head, .. } => {
            assert_eq!(pos.byte, 19);
            assert!(head.starts_with("CREATE TABLE `t`"), "{head}");
        }
        other => panic!("{other}"),
    }
}

/// Statements the reader must step over without choking.
#[test]
fn routines_events_views_sequences_and_odd_statements() {
    let dump = b"/*M!999999\\- enable the sandbox mode */ 
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `a``b` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
USE `a``b`;
CREATE SEQUENCE `seq1` start with 100 minvalue 1 maxvalue 9223372036854775806 increment by 5 cache 1000 nocycle ENGINE=InnoDB;
DO SETVAL(`seq1`, 5100, 0);
CREATE TABLE `p` (`id` int NOT NULL, `c` int, PRIMARY KEY (`id`), CONSTRAINT `fk` FOREIGN KEY (`c`) REFERENCES `q` (`id`), CONSTRAINT `x` FOREIGN KEY (`c`) REFERENCES `elsewhere`.`q` (`id`));
CREATE TABLE `q` (`id` int NOT NULL PRIMARY KEY);
/*!50001 CREATE TABLE `v` (`id` tinyint NOT NULL) ENGINE=MyISAM */;
DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `p_count`(OUT n INT)
BEGIN SELECT COUNT(*) INTO n FROM p; -- comment ; here
 # hash ; comment
 SELECT 'a;;b'; END
;;
/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `ev` ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM p; END */ ;;
delimiter ;
/*!50001 DROP VIEW IF EXISTS `v`*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
/*!50001 VIEW `v` AS select `p`.`id` AS `id` from `p` */;
INSERT INTO p VALUES (1,NULL),(2,1);
INSERT IGNORE INTO `p` VALUES (3,NULL);
REPLACE INTO `p` VALUES (4,NULL);
INSERT INTO `p` SELECT * FROM `p`;
CREATE TABLE `zz` (`a` int);
INSERT INTO `zz` VALUES (1);
;
";
    let (r, delims, sink) = scan(dump);
    let s = &r.schema;
    assert_eq!(s.tables.len(), 4);
    assert_eq!(s.tables[0].name.to_string(), "a`b.p");
    assert!(
        s.tables[2].is_partitioned,
        "the view stand-in holds no rows"
    );
    assert_eq!(
        s.foreign_keys.len(),
        1,
        "the FK to another database is dropped"
    );
    assert_eq!(r.info.warnings.len(), 1, "{:?}", r.info.warnings);
    assert!(
        r.info.warnings[0].contains("references elsewhere.q, which the dump does not hold"),
        "{:?}",
        r.info.warnings
    );
    assert_eq!(sink.rows.len(), 5);
    // INSERT, INSERT IGNORE and REPLACE of one table with one column list: one segment (and
    // one for `zz`).
    assert_eq!(r.segments.len(), 2);
    assert_eq!(r.segments[0].table, 0);
    check_rescan(dump, &r, &delims, &sink.rows);
}

#[test]
fn inserts_under_another_delimiter_rescan() {
    let dump = b"CREATE TABLE t (a int);\nDELIMITER $$\nINSERT INTO t VALUES (1),(2)$$\nINSERT INTO t VALUES ('$$')$$\nDELIMITER ;\nINSERT INTO t VALUES (3);\n";
    let (r, delims, sink) = scan(dump);
    assert_eq!(r.segments.len(), 2);
    assert_eq!(
        delims.get(&r.segments[0].start).map(Vec::as_slice),
        Some(&b"$$"[..])
    );
    assert_eq!(sink.rows.len(), 4);
    assert_eq!(sink.rows[2].cells[0], v(b"$$"));
    check_rescan(dump, &r, &delims, &sink.rows);
}

#[test]
fn sakila_schema_and_data_read_fully() {
    let (Ok(schema), Ok(data)) = (
        std::fs::read("/work/shared/datasets/sakila/sakila-schema.sql"),
        std::fs::read("/work/shared/datasets/sakila/sakila-data.sql"),
    ) else {
        eprintln!("skipping: Sakila is not available here");
        return;
    };
    let mut dump = schema;
    dump.extend_from_slice(&data);
    let (r, delims, sink) = scan(&dump);
    let s = &r.schema;
    let table = |n: &str| &s.tables[s.tables.iter().position(|t| t.name.name == n).unwrap()];
    assert_eq!(table("customer").triggers, ["customer_create_date"]);
    assert_eq!(table("film").triggers, ["ins_film", "upd_film", "del_film"]);
    assert_eq!(table("address").columns[7].class, TypeClass::Geometry);
    assert_eq!(table("rental").unique_keys.len(), 1);
    assert_eq!(
        sink.rows.iter().filter(|r| r.table == "rental").count(),
        16044
    );
    assert_eq!(
        sink.rows.iter().filter(|r| r.table == "payment").count(),
        16044
    );
    let addr = sink.rows.iter().find(|r| r.table == "address").unwrap();
    assert_eq!(addr.cells[7].value().map(<[u8]>::len), Some(25));
    check_rescan(&dump, &r, &delims, &sink.rows);
}

#[test]
fn crlf_and_bom_change_nothing() {
    let (want, _, want_rows) = scan(DEFAULT);
    let mut crlf = b"\xef\xbb\xbf".to_vec();
    for &b in DEFAULT {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    let (got, delims, got_rows) = scan(&crlf);
    assert_eq!(got.schema.tables, want.schema.tables);
    assert_eq!(got.info.encoding, want.info.encoding);
    assert!(got.info.complete);
    let cells = |rows: &[Rec]| rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>();
    assert_eq!(cells(&got_rows.rows), cells(&want_rows.rows));
    check_rescan(&crlf, &got, &delims, &got_rows.rows);
}

/// Mutated dumps: errors are fine, panics are not; whatever is read must re-read the same.
#[test]
fn mutated_dumps_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let specials = b"'\"`\\;()/*!#-\n ,0xXbB_N";
    for base in [DEFAULT, HEXBLOB, MYSQL8] {
        for _ in 0..400 {
            let mut d = base.to_vec();
            for _ in 0..1 + rand() % 4 {
                let at = (rand() % d.len() as u64) as usize;
                match rand() % 3 {
                    0 => d[at] = specials[(rand() % specials.len() as u64) as usize],
                    1 => {
                        d.remove(at);
                    }
                    _ => d.insert(at, specials[(rand() % specials.len() as u64) as usize]),
                }
            }
            if let Ok((r, delims, rows)) = scan_with(&d[..]) {
                check_rescan(&d, &r, &delims, &rows.rows);
            }
        }
    }
}

/// Long INSERTs in both layouts (`),(` and `),\n(`), with strings that hold what looks like a
/// tuple start, escapes, NULLs, and a short statement between them.
fn long_insert_dump(rows: usize, bad_row: Option<usize>) -> Vec<u8> {
    let mut d = String::from(
        "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `parent` int DEFAULT NULL,\n  `s` text,\n  \
         `created` datetime DEFAULT NULL,\n  PRIMARY KEY (`id`)\n);\n",
    );
    for (layout, range) in [(",\n", 0..rows / 2), (",", rows / 2..rows)] {
        d.push_str("INSERT INTO `t` VALUES ");
        for i in range.clone() {
            if i != range.start {
                d.push_str(layout);
            }
            let parent = if i % 5 == 0 {
                "NULL".to_string()
            } else {
                (i / 2).to_string()
            };
            let text = match i % 4 {
                // What looks like tuple starts inside a string, the first two complete tuples:
                // wrong guesses for the helper.
                0 => "x),\n(9,9,\"fake\",NULL),(8,8,\"f\",NULL".to_string(),
                2 => "x),(7,7,\"fake\",NULL),\n(\\'".to_string(),
                1 => "it\\'s \\\\ here".to_string(),
                _ => "y".repeat(i % 23),
            };
            if bad_row == Some(i) {
                d.push_str(&format!("({i},{parent},'{text}')"));
            } else {
                d.push_str(&format!(
                    "({i},{parent},'{text}','2024-01-01 00:00:{:02}')",
                    i % 60
                ));
            }
        }
        d.push_str(";\nINSERT INTO `t` VALUES (1000000,NULL,'between',NULL);\n");
    }
    d.into_bytes()
}

fn make_split(split: Option<usize>) -> Box<dyn DumpReader> {
    Box::new(MysqlReader::with_split(split))
}

#[test]
fn tuples_shared_with_a_helper_read_as_one_thread_does() {
    for dump in [DEFAULT, HEXBLOB, &long_insert_dump(3000, None)] {
        crate::dialect::testutil::shared_reads_the_same(&make_split, dump);
    }
}

#[test]
fn a_broken_tuple_in_a_helpers_share_is_the_same_error() {
    let broken = long_insert_dump(3000, Some(2900));
    let e = crate::dialect::testutil::shared_fails_the_same(&make_split, &broken);
    assert!(e.contains("values"), "{e}");
}

#[test]
fn a_table_created_again_after_its_rows_is_an_error() {
    let create = "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n);\n";
    let create2 =
        "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `x` int,\n  PRIMARY KEY (`id`)\n);\n";
    let rows = "INSERT INTO `t` VALUES (1);\n";
    // Declared twice before any row: the second declaration counts.
    let (r, _, _) = scan(format!("{create}{create2}INSERT INTO `t` VALUES (1,2);\n").as_bytes());
    assert_eq!(r.schema.tables[0].columns.len(), 2);
    let e = scan_with(format!("{create}{rows}{create2}").as_bytes()).unwrap_err();
    assert!(
        e.to_string()
            .contains("table t is created again after rows of it were read"),
        "{e}"
    );
}
