//! Criterion benches for the hot paths, on deterministic generated input (tens of MB):
//! the PostgreSQL statement splitter, the COPY line decoder, the INSERT tuple scanner, and the
//! whole first read of a dump. Each reports bytes/s and checks its row count inside the timed
//! closure, so a bench that silently does nothing fails instead.

use std::hint::black_box;
use std::io::Read;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dbsalvage::dialect::postgres::{copy, insert, lexer, PostgresReader};
use dbsalvage::dialect::DumpReader;
use dbsalvage::row::{RowAccess, RowSink};
use dbsalvage::scan::ByteStream;
use dbsalvage::schema::{Table, TableId};

const ROWS: usize = 200_000;

/// A deterministic text cell with some characters that need escaping.
fn text(i: usize) -> String {
    let mut s = format!("row {i} says hello");
    if i % 7 == 0 {
        s.push_str("\twith\ttabs");
    }
    if i % 11 == 0 {
        s.push_str("\nand a newline \\ and a backslash");
    }
    s.push_str(&" lorem ipsum dolor sit amet".repeat(1 + i % 5));
    s
}

fn copy_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

/// A pg_dump-like dump with one COPY block of ROWS rows.
fn copy_dump() -> Vec<u8> {
    let mut d =
        String::from("--\n-- PostgreSQL database dump\n--\n\nSET client_encoding = 'UTF8';\n\n");
    d.push_str("CREATE TABLE public.post (\n    id integer NOT NULL,\n    author_id integer,\n    title text,\n    created timestamp with time zone\n);\n\n");
    d.push_str("COPY public.post (id, author_id, title, created) FROM stdin;\n");
    for i in 0..ROWS {
        d.push_str(&format!(
            "{i}\t{}\t{}\t2026-11-{:02} 10:{:02}:00+00\n",
            i % 1000,
            copy_escape(&text(i)),
            1 + i % 28,
            i % 60
        ));
    }
    d.push_str("\\.\n\n\nALTER TABLE ONLY public.post\n    ADD CONSTRAINT post_pkey PRIMARY KEY (id);\n\n--\n-- PostgreSQL database dump complete\n--\n\n");
    d.into_bytes()
}

/// The same rows as `INSERT … VALUES` statements of 100 rows each.
fn insert_dump() -> Vec<u8> {
    let mut d = String::new();
    for chunk in 0..ROWS / 100 {
        d.push_str("INSERT INTO public.post (id, author_id, title, created) VALUES\n");
        for j in 0..100 {
            let i = chunk * 100 + j;
            d.push_str(&format!(
                "\t({i}, {}, '{}', '2026-11-{:02} 10:{:02}:00+00'){}\n",
                i % 1000,
                text(i).replace('\'', "''"),
                1 + i % 28,
                i % 60,
                if j == 99 { ";" } else { "," }
            ));
        }
    }
    d.into_bytes()
}

struct CountingSink {
    rows: usize,
}

impl RowSink for CountingSink {
    fn wants(&mut self, _: &[Table], _: TableId) -> bool {
        true
    }
    fn row(&mut self, _: &[Table], _: TableId, row: &mut dyn RowAccess) -> dbsalvage::Result<()> {
        // Look at the created column, as the root finder does.
        black_box(row.cell(3)?);
        self.rows += 1;
        Ok(())
    }
}

fn bench_statement_splitter(c: &mut Criterion) {
    let dump = insert_dump();
    let mut g = c.benchmark_group("pg_statement_splitter");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    g.sample_size(10);
    g.bench_function("insert_statements", |b| {
        b.iter(|| {
            let mut at = 0;
            let mut n = 0;
            while at < dump.len() {
                match lexer::statement_end(&dump[at..], true) {
                    lexer::StatementEnd::At(i) => {
                        at += i + 1;
                        n += 1;
                    }
                    lexer::StatementEnd::Incomplete { .. } => break,
                }
            }
            assert_eq!(n, ROWS / 100);
        })
    });
    g.finish();
}

fn bench_copy_decoder(c: &mut Criterion) {
    let dump = copy_dump();
    let start = memchr::memmem::find(&dump, b"FROM stdin;\n").expect("COPY") + 12;
    let end = memchr::memmem::find(&dump, b"\\.\n").expect("end");
    let body = &dump[start..end];
    let mut g = c.benchmark_group("pg_copy_decoder");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(10);
    g.bench_function("split_and_decode_lines", |b| {
        let mut spans = Vec::new();
        let mut scratch = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for line in body.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                copy::split_fields(line, &mut spans);
                for &(s, e) in &spans {
                    copy::decode_field(&line[s..e], &mut scratch).expect("valid field");
                    black_box(&scratch);
                }
                n += 1;
            }
            assert_eq!(n, ROWS);
        })
    });
    g.finish();
}

fn bench_insert_tuples(c: &mut Criterion) {
    let dump = insert_dump();
    let stmts: Vec<&[u8]> = dump.split_inclusive(|&b| b == b';').collect();
    let mut g = c.benchmark_group("pg_insert_tuple_scanner");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    g.sample_size(10);
    g.bench_function("tuples", |b| {
        let mut fields = Vec::new();
        let mut scratch = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for stmt in &stmts {
                let stmt = stmt.strip_suffix(b";").unwrap_or(stmt);
                let Some(h) = insert::parse_header(stmt) else {
                    continue;
                };
                let mut at = h.values_at;
                while let Some(next) =
                    insert::next_tuple(stmt, at, true, &mut fields).expect("valid")
                {
                    for f in &fields {
                        black_box(insert::field_text(stmt, f, &mut scratch));
                    }
                    at = next;
                    n += 1;
                }
            }
            assert_eq!(n, ROWS);
        })
    });
    g.finish();
}

fn bench_first_read(c: &mut Criterion) {
    let dump = copy_dump();
    let mut g = c.benchmark_group("pg_first_read");
    g.throughput(Throughput::Bytes(dump.len() as u64));
    g.sample_size(10);
    g.bench_function("copy_dump_all_rows", |b| {
        b.iter(|| {
            let mut slice: &[u8] = &dump;
            let raw: &mut dyn Read = &mut slice;
            let mut stream = ByteStream::new(raw, 0);
            let mut sink = CountingSink { rows: 0 };
            let scan = PostgresReader::new()
                .scan(&mut stream, &mut sink)
                .expect("valid dump");
            assert_eq!(sink.rows, ROWS);
            black_box(scan);
        })
    });
    g.finish();
}

fn bench_extract(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dump_path = dir.path().join("dump.sql");
    std::fs::write(&dump_path, copy_dump()).expect("write dump");
    let len = std::fs::metadata(&dump_path).expect("dump").len();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(len));
    g.sample_size(10);
    g.bench_function("copy_dump_since", |b| {
        let args = dbsalvage::cli::DumpArgs::quiet_file(dump_path.clone());
        let config = dbsalvage::extract::Config::new(&args, Some("2026-11-27")).expect("config");
        b.iter(|| {
            let a = dbsalvage::extract::analyse(&config, false).expect("analysis");
            // Rows of 2026-11-27 and -28 (all after midnight) are the roots.
            let selected = a.selection.as_ref().map_or(0, |s| s.row_count());
            assert_eq!(selected, (0..ROWS).filter(|i| 1 + i % 28 >= 27).count());
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_statement_splitter,
    bench_copy_decoder,
    bench_insert_tuples,
    bench_first_read,
    bench_extract
);
criterion_main!(benches);
