//! Deterministic generator of large, realistic database dumps for benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen -- --dialect postgres|mysql --scale N \
//!     [--new-fraction 0.02] [--seed 1] [--out FILE|-] [--expect FILE.json]
//! ```
//!
//! It writes a Django-like blog database (`auth_user`, `blog_post`, `blog_comment`, `blog_tag`,
//! `blog_post_tags`, `media_blob`) as pg_dump 15 plain format (COPY blocks) or as mariadb-dump
//! 10.11 default output (extended INSERTs), byte for byte the way those tools lay it out. The
//! schema text was taken from real pg_dump 15.18 / mariadb-dump 10.11.19 output of the same
//! schema; `tests/generator_loads.rs` loads the result into real servers and dumps it again.
//!
//! * **Deterministic**: every row is a pure function of (seed, table, id), so the same arguments
//!   give byte-identical output, and any row can be recomputed without keeping state.
//! * **Streaming**: rows are formatted into a 4 MiB buffer that is flushed as it fills; memory
//!   does not grow with `--scale`.
//! * **Time model**: each table's `created` values increase with the id and spread evenly over
//!   the 60 days ending at 2026-11-20 03:00:00 UTC (with random microseconds inside each row's
//!   slot). A row only references rows created no later than itself. The last `--new-fraction`
//!   of the time range is "new": the generator prints the `--since` value that selects exactly
//!   those rows and, per table, the number of rows, of roots (created after `--since`) and of
//!   rows a correct extraction selects (roots, rows referencing them, and every row they
//!   reference, transitively), on stderr and in a JSON sidecar (`FILE.expect.json` by default
//!   when writing a file).
//! * **Size**: `--scale 1` is about 10 MB (PostgreSQL) / 8 MB (MySQL); the size is linear in the
//!   scale. Fractions like `--scale 0.1` work.

// Tables are ids (USER, POST...) indexing several parallel arrays; `for t in 0..6` says that.
#![allow(clippy::needless_range_loop)]

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};

/// Command line.
#[derive(Debug, Parser)]
#[command(
    name = "gen",
    about = "Write a deterministic Django-like pg_dump / mariadb-dump of any size"
)]
struct Args {
    /// Which dump to write.
    #[arg(long, value_enum)]
    dialect: Dialect,
    /// Size: 1 is about 10 MB; linear (200 is about 2 GB). Fractions allowed.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Fraction of the 60-day time range (its end) whose rows are "new".
    #[arg(long, default_value_t = 0.02)]
    new_fraction: f64,
    /// Seed of all the randomness.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file, or `-` for stdout.
    #[arg(long, default_value = "-")]
    out: String,
    /// Where to write the expectations as JSON (default: OUT.expect.json when OUT is a file,
    /// none for stdout).
    #[arg(long, value_name = "FILE")]
    expect: Option<PathBuf>,
    /// PostgreSQL: leave out the `\restrict` / `\unrestrict` lines that pg_dump releases since
    /// August 2025 write (older psql rejects them).
    #[arg(long)]
    no_restrict: bool,
    /// No report on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Dialect {
    Postgres,
    Mysql,
}

// ---------------------------------------------------------------------------------------------
// Time

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// The end of the time range: 2026-11-20 03:00:00 UTC, in microseconds since the epoch.
const END: i64 = (days_from_civil(2026, 11, 20) * 86_400 + 3 * 3600) * 1_000_000;
/// The time range: 60 days.
const SPAN: i64 = 60 * MICROS_PER_DAY;
/// Its start.
const START: i64 = END - SPAN;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Appends `YYYY-MM-DD HH:MM:SS` and returns the microseconds part.
fn push_datetime(out: &mut Vec<u8>, micros: i64) -> u32 {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let rest = micros.rem_euclid(MICROS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = rest / 1_000_000;
    let frac = (rest % 1_000_000) as u32;
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    let two = |out: &mut Vec<u8>, v: i64| {
        out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8])
    };
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, i64::from(m));
    out.push(b'-');
    two(out, i64::from(d));
    out.push(b' ');
    two(out, hh);
    out.push(b':');
    two(out, mm);
    out.push(b':');
    two(out, ss);
    frac
}

/// Appends six fraction digits.
fn push_micros6(out: &mut Vec<u8>, frac: u32) {
    let mut digits = [b'0'; 6];
    let mut v = frac;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        v /= 10;
    }
    out.extend_from_slice(&digits);
}

/// A timestamptz the way PostgreSQL prints it in UTC: trailing fraction zeros trimmed, `+00`.
fn push_pg_timestamptz(out: &mut Vec<u8>, micros: i64) {
    let frac = push_datetime(out, micros);
    if frac != 0 {
        out.push(b'.');
        let start = out.len();
        push_micros6(out, frac);
        while out.len() > start && out[out.len() - 1] == b'0' {
            out.pop();
        }
    }
    out.extend_from_slice(b"+00");
}

/// A DATETIME(6) the way MariaDB prints it: always six fraction digits.
fn push_mysql_datetime6(out: &mut Vec<u8>, micros: i64) {
    let frac = push_datetime(out, micros);
    out.push(b'.');
    push_micros6(out, frac);
}

/// RFC 3339 UTC text of an instant (for `--since`).
fn rfc3339(micros: i64) -> String {
    let mut v = Vec::new();
    let frac = push_datetime(&mut v, micros);
    v[10] = b'T';
    if frac != 0 {
        v.push(b'.');
        push_micros6(&mut v, frac);
    }
    v.push(b'Z');
    String::from_utf8(v).expect("ASCII")
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, good enough, and fully deterministic.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; multiply-shift, bias negligible for our n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn fill(&mut self, out: &mut Vec<u8>, n: usize) {
        let mut left = n;
        while left > 0 {
            let bytes = self.next().to_le_bytes();
            let take = left.min(8);
            out.extend_from_slice(&bytes[..take]);
            left -= take;
        }
    }
}

// Tables, in the (alphabetical) order both dump tools write them.
const USER: usize = 0;
const COMMENT: usize = 1;
const POST: usize = 2;
const POST_TAGS: usize = 3;
const TAG: usize = 4;
const BLOB: usize = 5;
const TABLES: [&str; 6] = [
    "auth_user",
    "blog_comment",
    "blog_post",
    "blog_post_tags",
    "blog_tag",
    "media_blob",
];
/// The created column of each table (`None`: the table has no timestamp).
const CREATED: [Option<&str>; 6] = [
    Some("date_joined"),
    Some("created_at"),
    Some("created"),
    None,
    None,
    Some("created"),
];
/// Rows per unit of scale.
const PER_SCALE: [f64; 6] = [1000.0, 15000.0, 5000.0, 0.0, 100.0, 500.0];

/// Independent random streams of one row.
const STREAM_TIME: u64 = 1;
const STREAM_REFS: u64 = 2;
const STREAM_TEXT: u64 = 3;
const STREAM_TAGS: u64 = 4;

// ---------------------------------------------------------------------------------------------
// The model: every row is a pure function of (seed, table, id)

struct Model {
    seed: u64,
    /// Rows per table (post_tags computed from the posts).
    n: [u64; 6],
    /// The `--since` instant.
    since: i64,
    /// The words tag names are made of.
    tag_words: Vec<&'static str>,
}

struct CommentRefs {
    post: u64,
    parent: Option<u64>,
    author: u64,
}

impl Model {
    fn new(seed: u64, scale: f64, new_fraction: f64) -> Model {
        let mut n = [0u64; 6];
        for t in 0..6 {
            if PER_SCALE[t] > 0.0 {
                n[t] = ((PER_SCALE[t] * scale).round() as u64).max(1);
            }
        }
        let since = END - (SPAN as f64 * new_fraction).round() as i64;
        let tag_words = WORDS.iter().copied().filter(|w| w.is_ascii()).collect();
        let mut model = Model {
            seed,
            n,
            since,
            tag_words,
        };
        model.n[POST_TAGS] = (1..=model.n[POST])
            .map(|p| model.post_tags(p).len() as u64)
            .sum();
        model
    }

    fn rng(&self, table: usize, stream: u64, id: u64) -> Rng {
        let mut r = Rng(self.seed
            ^ ((table as u64) << 56)
            ^ (stream << 48)
            ^ id.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next();
        r
    }

    /// Start of row `i`'s time slot (rows are spread evenly over the span).
    fn slot_start(&self, table: usize, i: u64) -> i64 {
        START + ((u128::from(i - 1) * SPAN as u128) / u128::from(self.n[table])) as i64
    }

    /// Created time of row `i` of a timestamped table: a random instant inside its slot (row 1 at
    /// the very start), so times never decrease with the id.
    fn created(&self, table: usize, i: u64) -> i64 {
        let start = self.slot_start(table, i);
        if i == 1 {
            return start;
        }
        let width = (self.slot_start(table, i + 1) - start).max(1) as u64;
        start + self.rng(table, STREAM_TIME, i).below(width) as i64
    }

    /// How many rows of `table` are certainly created at or before `t`: the `k` first ones with
    /// `slot_start(k + 1) <= t` (at least row 1, created at the start).
    fn limit(&self, table: usize, t: i64) -> u64 {
        let n = u128::from(self.n[table]);
        let d = (t - START).max(0) as u128;
        let k = (((d + 1) * n - 1) / SPAN as u128).min(n) as u64;
        debug_assert!(k == 0 || self.slot_start(table, k + 1) <= t || k == self.n[table]);
        k.max(1)
    }

    fn post_author(&self, i: u64) -> u64 {
        let t = self.created(POST, i);
        1 + self.rng(POST, STREAM_REFS, i).below(self.limit(USER, t))
    }

    fn comment_refs(&self, i: u64) -> CommentRefs {
        let t = self.created(COMMENT, i);
        let mut r = self.rng(COMMENT, STREAM_REFS, i);
        let author = 1 + r.below(self.limit(USER, t));
        if i > 1 && r.chance(300) {
            // A reply to one of the recent comments, on the same post.
            let parent = i - 1 - r.below((i - 1).min(200));
            return CommentRefs {
                post: self.comment_post(parent),
                parent: Some(parent),
                author,
            };
        }
        let lim = self.limit(POST, t);
        let post = if r.chance(600) {
            lim - r.below(lim.min(300))
        } else {
            1 + r.below(lim)
        };
        CommentRefs {
            post,
            parent: None,
            author,
        }
    }

    /// The post of comment `i` (following the reply chain without recursion).
    fn comment_post(&self, mut i: u64) -> u64 {
        loop {
            let refs = self.comment_refs_shallow(i);
            match refs {
                Ok(post) => return post,
                Err(parent) => i = parent,
            }
        }
    }

    /// Like [`Model::comment_refs`] but stops at the parent: `Ok(post)` or `Err(parent)`.
    fn comment_refs_shallow(&self, i: u64) -> Result<u64, u64> {
        let t = self.created(COMMENT, i);
        let mut r = self.rng(COMMENT, STREAM_REFS, i);
        let _author = r.below(self.limit(USER, t));
        if i > 1 && r.chance(300) {
            return Err(i - 1 - r.below((i - 1).min(200)));
        }
        let lim = self.limit(POST, t);
        Ok(if r.chance(600) {
            lim - r.below(lim.min(300))
        } else {
            1 + r.below(lim)
        })
    }

    fn blob_post(&self, i: u64) -> u64 {
        let lim = self.limit(POST, self.created(BLOB, i));
        lim - self.rng(BLOB, STREAM_REFS, i).below(lim.min(20))
    }

    /// The tags of post `p`: 0 to 4 distinct tag ids, ascending.
    fn post_tags(&self, p: u64) -> Vec<u64> {
        let mut r = self.rng(POST, STREAM_TAGS, p);
        let k = r.below(5).min(self.n[TAG]) as usize;
        let mut tags = Vec::with_capacity(k);
        while tags.len() < k {
            // Popular tags are popular: half the picks go to the first 20.
            let tag = if r.chance(500) {
                1 + r.below(self.n[TAG].min(20))
            } else {
                1 + r.below(self.n[TAG])
            };
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        tags.sort_unstable();
        tags
    }

    /// Tag names: the ASCII words, then the same with `-1`, `-2`... (lower-case ASCII, so byte
    /// order is also MariaDB's utf8mb4_general_ci order).
    fn tag_name(&self, i: u64) -> String {
        let words = &self.tag_words;
        let w = words[(i - 1) as usize % words.len()];
        match (i - 1) / words.len() as u64 {
            0 => w.to_string(),
            round => format!("{w}-{round}"),
        }
    }

    /// First id of `table` created after `since` (n + 1 if none).
    fn first_new(&self, table: usize) -> u64 {
        let (mut lo, mut hi) = (1, self.n[table] + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.created(table, mid) > self.since {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }

    /// Per table: (roots, selected). Roots are rows created after `since`. Descendants are rows
    /// referencing a selected root or descendant; because a row only references rows created no
    /// later than itself, every descendant in a timestamped table is a root already, so the only
    /// descendants outside the roots are the `blog_post_tags` rows of root posts. Ancestors are
    /// every row a selected row references, transitively (but not their descendants).
    fn expectations(&self) -> ([u64; 6], [u64; 6]) {
        let mut roots = [0u64; 6];
        let mut sel: [HashSet<u64>; 6] = Default::default();
        let mut work: Vec<(usize, u64)> = Vec::new();
        for t in [USER, COMMENT, POST, BLOB] {
            let first = self.first_new(t);
            roots[t] = self.n[t] + 1 - first;
            for i in first..=self.n[t] {
                sel[t].insert(i);
                work.push((t, i));
            }
        }
        let mut post_tags = 0;
        for p in self.first_new(POST)..=self.n[POST] {
            for tag in self.post_tags(p) {
                post_tags += 1;
                if sel[TAG].insert(tag) {
                    work.push((TAG, tag));
                }
            }
        }
        while let Some((t, i)) = work.pop() {
            let mut refs: Vec<(usize, u64)> = Vec::new();
            match t {
                POST => refs.push((USER, self.post_author(i))),
                COMMENT => {
                    let c = self.comment_refs(i);
                    refs.push((POST, c.post));
                    refs.push((USER, c.author));
                    if let Some(p) = c.parent {
                        refs.push((COMMENT, p));
                    }
                }
                BLOB => refs.push((POST, self.blob_post(i))),
                _ => {}
            }
            for (rt, ri) in refs {
                if sel[rt].insert(ri) {
                    work.push((rt, ri));
                }
            }
        }
        let mut selected = [0u64; 6];
        for t in 0..6 {
            selected[t] = sel[t].len() as u64;
        }
        selected[POST_TAGS] = post_tags;
        (roots, selected)
    }
}

// ---------------------------------------------------------------------------------------------
// Text

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "database",
    "backup",
    "restore",
    "query",
    "index",
    "table",
    "column",
    "migration",
    "deploy",
    "server",
    "cache",
    "latency",
    "request",
    "response",
    "python",
    "django",
    "rust",
    "postgres",
    "mysql",
    "release",
    "feature",
    "bug",
    "fix",
    "review",
    "comment",
    "thread",
    "user",
    "post",
    "blog",
    "tutorial",
    "guide",
    "performance",
    "benchmark",
    "memory",
    "disk",
    "network",
    "timeout",
    "retry",
    "schema",
    "foreign",
    "key",
    "primary",
    "unique",
    "constraint",
    "transaction",
    "commit",
    "rollback",
    "replica",
    "failover",
    "snapshot",
    "archive",
    "stream",
    "parser",
    "escape",
    "unicode",
    "encoding",
    "timezone",
    "timestamp",
    "interval",
    "weekend",
    "morning",
    "coffee",
    "team",
    "project",
    "issue",
    "question",
    "answer",
    "thanks",
    "great",
    "simple",
    "complex",
    "quick",
    "slow",
    "fast",
    "reliable",
    "broken",
    "working",
    "testing",
    "production",
    "staging",
    "local",
    "remote",
    "config",
    "option",
    "default",
    "value",
    "number",
    "string",
    "café",
    "naïve",
    "über",
    "résumé",
    "straße",
    "smörgåsbord",
    "東京",
    "日本語",
    "привет",
    "ελληνικά",
    "mañana",
    "façade",
    "Ωmega",
    "emoji🎉",
    "™",
    "½",
];

/// Byte strings that need escaping in one dialect or the other, sprinkled into text.
const SPECIALS: &[&[u8]] = &[
    b"\n",
    b"\n\n",
    b"\t",
    b"\r\n",
    b"\\",
    b"'",
    b"\"",
    b"O'Brien",
    b"\"quoted\"",
    b"C:\\temp\\new",
    b"\\N",
    b"\n\\.\n",
    b"; -- not a comment",
    b"/* not a comment */",
    b"NULL",
    b"\x08",
    b"\x0b",
    b"\x0c",
    b"\x1a",
    b"it's",
    b"\\x41",
    b"100% of _all_",
    "😀".as_bytes(),
];

const FIRST: &[&str] = &[
    "olivia",
    "liam",
    "emma",
    "noah",
    "amelia",
    "oliver",
    "ava",
    "elijah",
    "sophia",
    "james",
    "isabella",
    "william",
    "mia",
    "benjamin",
    "charlotte",
    "lucas",
    "harper",
    "henry",
    "evelyn",
    "theodore",
    "josé",
    "zoë",
    "françois",
    "søren",
    "yuki",
    "wei",
    "priya",
    "omar",
    "aiyana",
    "kwame",
];
const LAST: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "müller",
    "o'neil",
];
const DOMAINS: &[&str] = &["example.com", "example.org", "example.net", "mail.example"];
const LANGS: &[&str] = &["en", "de", "fr", "es", "ja", "pt-BR"];

/// Escapes for PostgreSQL COPY text: byte -> char after the backslash (0 = raw).
const PG_ESC: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\\' as usize] = b'\\';
    t[b'\t' as usize] = b't';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[0x08] = b'b';
    t[0x0b] = b'v';
    t[0x0c] = b'f';
    t
};

/// Escapes of mysql_real_escape_string: byte -> char after the backslash (0 = raw).
const MY_ESC: [u8; 256] = {
    let mut t = [0u8; 256];
    t[0] = b'0';
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\\' as usize] = b'\\';
    t[b'\'' as usize] = b'\'';
    t[b'"' as usize] = b'"';
    t[0x1a] = b'Z';
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

fn escape_into(out: &mut Vec<u8>, raw: &[u8], table: &[u8; 256]) {
    let mut clean = 0;
    for (i, &b) in raw.iter().enumerate() {
        let e = table[b as usize];
        if e != 0 {
            out.extend_from_slice(&raw[clean..i]);
            out.push(b'\\');
            out.push(e);
            clean = i + 1;
        }
    }
    out.extend_from_slice(&raw[clean..]);
}

/// Appends `v` in decimal.
fn push_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes the raw (unescaped) value of text fields; `esc` is applied by the caller's sink.
struct Text<'a> {
    out: &'a mut Vec<u8>,
    esc: &'static [u8; 256],
    /// Unescaped bytes written so far (the same in both dialects).
    len: usize,
}

impl Text<'_> {
    /// Bytes that need no escaping in either dialect (our word lists).
    fn clean(&mut self, s: &[u8]) {
        debug_assert!(s
            .iter()
            .all(|&b| PG_ESC[b as usize] == 0 && MY_ESC[b as usize] == 0));
        self.out.extend_from_slice(s);
        self.len += s.len();
    }

    fn raw(&mut self, s: &[u8]) {
        escape_into(self.out, s, self.esc);
        self.len += s.len();
    }

    /// Prose of about `min..=max` bytes, with the odd special sequence.
    fn prose(&mut self, r: &mut Rng, min: u64, max: u64, special_per_mille: u64) {
        let target = r.range(min, max) as usize;
        let start = self.len;
        let mut first = true;
        while self.len - start < target {
            if !first {
                if r.chance(special_per_mille) {
                    let s = r.pick(SPECIALS);
                    self.raw(s);
                } else if r.chance(80) {
                    self.clean(b". ");
                } else if r.chance(40) {
                    self.clean(b", ");
                } else {
                    self.clean(b" ");
                }
            }
            first = false;
            let w = r.pick(WORDS);
            self.clean(w.as_bytes());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rows

/// Formats the fields of one row in either dialect.
struct RowFmt<'a> {
    out: &'a mut Vec<u8>,
    dialect: Dialect,
    first: bool,
}

impl<'a> RowFmt<'a> {
    fn new(out: &'a mut Vec<u8>, dialect: Dialect) -> RowFmt<'a> {
        out.clear();
        if dialect == Dialect::Mysql {
            out.push(b'(');
        }
        RowFmt {
            out,
            dialect,
            first: true,
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(if self.dialect == Dialect::Postgres {
                b'\t'
            } else {
                b','
            });
        }
        self.first = false;
    }

    fn int(&mut self, v: u64) {
        self.sep();
        push_u64(self.out, v);
    }

    fn opt_int(&mut self, v: Option<u64>) {
        match v {
            Some(v) => self.int(v),
            None => {
                self.sep();
                self.out.extend_from_slice(match self.dialect {
                    Dialect::Postgres => b"\\N",
                    Dialect::Mysql => b"NULL",
                });
            }
        }
    }

    fn boolean(&mut self, v: bool) {
        self.sep();
        self.out.push(match (self.dialect, v) {
            (Dialect::Postgres, true) => b't',
            (Dialect::Postgres, false) => b'f',
            (Dialect::Mysql, true) => b'1',
            (Dialect::Mysql, false) => b'0',
        });
    }

    fn quote(&mut self) {
        if self.dialect == Dialect::Mysql {
            self.out.push(b'\'');
        }
    }

    fn text(&mut self, f: impl FnOnce(&mut Text)) {
        self.sep();
        self.quote();
        let esc = match self.dialect {
            Dialect::Postgres => &PG_ESC,
            Dialect::Mysql => &MY_ESC,
        };
        f(&mut Text {
            out: self.out,
            esc,
            len: 0,
        });
        self.quote();
    }

    fn timestamp(&mut self, micros: i64) {
        self.sep();
        match self.dialect {
            Dialect::Postgres => push_pg_timestamptz(self.out, micros),
            Dialect::Mysql => {
                self.out.push(b'\'');
                push_mysql_datetime6(self.out, micros);
                self.out.push(b'\'');
            }
        }
    }

    fn bytes(&mut self, data: &[u8]) {
        self.sep();
        match self.dialect {
            Dialect::Postgres => {
                // bytea hex output, its backslash doubled by COPY.
                self.out.reserve(data.len() * 2 + 3);
                self.out.extend_from_slice(b"\\\\x");
                for &b in data {
                    self.out.push(HEX[(b >> 4) as usize]);
                    self.out.push(HEX[(b & 15) as usize]);
                }
            }
            Dialect::Mysql => {
                self.out.push(b'\'');
                escape_into(self.out, data, &MY_ESC);
                self.out.push(b'\'');
            }
        }
    }

    fn finish(self) {
        match self.dialect {
            Dialect::Postgres => self.out.push(b'\n'),
            Dialect::Mysql => self.out.push(b')'),
        }
    }
}

impl Model {
    /// Formats row `i` of `table` into `out` (cleared first); `scratch` is a reusable buffer.
    fn row(&self, table: usize, i: u64, d: Dialect, out: &mut Vec<u8>, scratch: &mut Vec<u8>) {
        let mut f = RowFmt::new(out, d);
        let mut r = self.rng(table, STREAM_TEXT, i);
        match table {
            USER => {
                let first = r.pick(FIRST);
                let last = r.pick(LAST);
                f.int(i);
                f.text(|t| {
                    t.raw(first.as_bytes());
                    t.clean(b".");
                    t.raw(last.as_bytes());
                    let mut n = Vec::new();
                    push_u64(&mut n, i);
                    t.clean(&n);
                });
                let domain = r.pick(DOMAINS);
                f.text(|t| {
                    t.clean(format!("user{i}.{}@{domain}", &first[..1]).as_bytes());
                });
                f.timestamp(self.created(USER, i));
                f.boolean(!r.chance(50));
            }
            COMMENT => {
                let c = self.comment_refs(i);
                f.int(i);
                f.int(c.post);
                f.opt_int(c.parent);
                f.int(c.author);
                f.text(|t| t.prose(&mut r, 30, 300, 20));
                f.timestamp(self.created(COMMENT, i));
            }
            POST => {
                f.int(i);
                f.int(self.post_author(i));
                f.text(|t| {
                    let words = r.range(3, 9);
                    for k in 0..words {
                        if k > 0 {
                            t.clean(b" ");
                        }
                        let w = r.pick(WORDS).as_bytes();
                        if k == 0 && w[0].is_ascii_lowercase() {
                            t.clean(&[w[0].to_ascii_uppercase()]);
                            t.clean(&w[1..]);
                        } else {
                            t.clean(w);
                        }
                    }
                    if r.chance(100) {
                        t.raw(b": \"quoted\" it's");
                    }
                });
                f.text(|t| t.prose(&mut r, 200, 900, 15));
                // jsonb output form: keys by length then bytes, ", " and ": " separators.
                scratch.clear();
                scratch.extend_from_slice(b"{\"lang\": \"");
                scratch.extend_from_slice(r.pick(LANGS).as_bytes());
                scratch.extend_from_slice(b"\", \"views\": ");
                push_u64(scratch, r.below(100_000));
                scratch.extend_from_slice(b", \"source\": \"");
                if r.chance(200) {
                    scratch.extend_from_slice(
                        "imported from \\\"Old Blog\\\" — C:\\\\data ✓".as_bytes(),
                    );
                } else {
                    scratch.extend_from_slice(b"https://blog.example.com/p/");
                    push_u64(scratch, i);
                }
                scratch.extend_from_slice(b"\", \"featured\": ");
                scratch.extend_from_slice(if r.chance(100) { b"true" } else { b"false" });
                scratch.extend_from_slice(b", \"word_count\": ");
                push_u64(scratch, r.range(30, 180));
                scratch.push(b'}');
                f.text(|t| t.raw(scratch));
                f.timestamp(self.created(POST, i));
            }
            BLOB => {
                f.int(i);
                f.int(self.blob_post(i));
                scratch.clear();
                let len = r.range(1024, 4096) as usize;
                r.fill(scratch, len);
                f.bytes(scratch);
                f.timestamp(self.created(BLOB, i));
            }
            TAG => {
                f.int(i);
                let name = self.tag_name(i);
                f.text(|t| t.clean(name.as_bytes()));
            }
            _ => unreachable!("post_tags rows are written by the caller"),
        }
        f.finish();
    }
}

// ---------------------------------------------------------------------------------------------
// Output

/// A big buffer in front of the output, counting bytes.
struct Out {
    buf: Vec<u8>,
    w: Box<dyn Write>,
    bytes: u64,
}

const OUT_BUF: usize = 4 << 20;

impl Out {
    fn put(&mut self, s: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(s);
        if self.buf.len() >= OUT_BUF {
            self.flush_buf()?;
        }
        Ok(())
    }

    fn flush_buf(&mut self) -> io::Result<()> {
        self.w.write_all(&self.buf)?;
        self.bytes += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush_buf()?;
        self.w.flush()
    }
}

/// Calls `each(row_bytes)` for every row of `table`, in id order.
fn for_each_row(
    m: &Model,
    table: usize,
    d: Dialect,
    mut each: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut row = Vec::with_capacity(16 << 10);
    let mut scratch = Vec::with_capacity(8 << 10);
    if table == POST_TAGS {
        let mut id = 0;
        for p in 1..=m.n[POST] {
            for tag in m.post_tags(p) {
                id += 1;
                let mut f = RowFmt::new(&mut row, d);
                f.int(id);
                f.int(p);
                f.int(tag);
                f.finish();
                each(&row)?;
            }
        }
        return Ok(());
    }
    if table == TAG && d == Dialect::Mysql {
        // mariadb-dump reads this two-column table through its covering unique index on
        // `name`, so the rows come out in name order.
        let mut order: Vec<(String, u64)> = (1..=m.n[TAG]).map(|i| (m.tag_name(i), i)).collect();
        order.sort_unstable();
        for (_, i) in order {
            m.row(table, i, d, &mut row, &mut scratch);
            each(&row)?;
        }
        return Ok(());
    }
    for i in 1..=m.n[table] {
        m.row(table, i, d, &mut row, &mut scratch);
        each(&row)?;
    }
    Ok(())
}

const PG_COLUMNS: [&str; 6] = [
    "id, username, email, date_joined, is_active",
    "id, post_id, parent_id, author_id, body, created_at",
    "id, author_id, title, body, meta, created",
    "id, post_id, tag_id",
    "id, name",
    "id, post_id, data, created",
];

/// A 63-character key for `\restrict` (pg_dump draws a random one; ours is seeded).
fn restrict_key(seed: u64) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut r = Rng(seed ^ 0x5EED_0F4E_5721_57AA);
    (0..63).map(|_| *r.pick(ALNUM) as char).collect()
}

fn write_postgres(m: &Model, out: &mut Out, restrict: bool) -> io::Result<()> {
    let key = restrict_key(m.seed);
    out.put(b"--\n-- PostgreSQL database dump\n--\n\n")?;
    if restrict {
        out.put(format!("\\restrict {key}\n\n").as_bytes())?;
    }
    out.put(PG_HEADER.as_bytes())?;
    out.put(PG_PRE_DATA.as_bytes())?;
    for t in 0..6 {
        out.put(
            format!(
                "--\n-- Data for Name: {name}; Type: TABLE DATA; Schema: public; Owner: postgres\n--\n\n\
                 COPY public.{name} ({cols}) FROM stdin;\n",
                name = TABLES[t],
                cols = PG_COLUMNS[t]
            )
            .as_bytes(),
        )?;
        for_each_row(m, t, Dialect::Postgres, |row| out.put(row))?;
        out.put(b"\\.\n\n\n")?;
    }
    for t in 0..6 {
        let (value, called) = if m.n[t] == 0 {
            (1, "false")
        } else {
            (m.n[t], "true")
        };
        out.put(
            format!(
                "--\n-- Name: {name}_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres\n--\n\n\
                 SELECT pg_catalog.setval('public.{name}_id_seq', {value}, {called});\n\n\n",
                name = TABLES[t]
            )
            .as_bytes(),
        )?;
    }
    out.put(PG_POST_DATA.as_bytes())?;
    out.put(b"--\n-- PostgreSQL database dump complete\n--\n\n")?;
    if restrict {
        out.put(format!("\\unrestrict {key}\n\n").as_bytes())?;
    }
    Ok(())
}

/// mariadb-dump's effective default `net_buffer_length`: an extended INSERT ends before reaching
/// it. The option's default is 1 MiB - 1025, rounded down to its 1024-byte block size: 1 046 528
/// (the split points of real mariadb-dump 10.11.19 output bound it to 1 046 501..=1 046 610).
const NET_BUFFER_LENGTH: usize = 1022 * 1024;

fn write_mysql(m: &Model, out: &mut Out) -> io::Result<()> {
    out.put(MY_HEADER.as_bytes())?;
    for t in 0..6 {
        let name = TABLES[t];
        let auto_increment = if m.n[t] > 0 {
            format!(" AUTO_INCREMENT={}", m.n[t] + 1)
        } else {
            String::new()
        };
        out.put(
            format!(
                "\n--\n-- Table structure for table `{name}`\n--\n\n\
                 DROP TABLE IF EXISTS `{name}`;\n\
                 /*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
                 /*!40101 SET character_set_client = utf8mb4 */;\n\
                 CREATE TABLE `{name}` (\n{body}\n) ENGINE=InnoDB{auto_increment} DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n\
                 /*!40101 SET character_set_client = @saved_cs_client */;\n\n\
                 --\n-- Dumping data for table `{name}`\n--\n\n\
                 LOCK TABLES `{name}` WRITE;\n\
                 /*!40000 ALTER TABLE `{name}` DISABLE KEYS */;\n",
                body = MY_TABLE_BODIES[t]
            )
            .as_bytes(),
        )?;
        // mysqldump.cc: a row joins the current statement while the statement stays below
        // net_buffer_length (counting 2 bytes per row separator and 4 for the statement ends).
        let insert = format!("INSERT INTO `{name}` VALUES\n");
        let init_length = insert.len() + 4;
        let mut total = 0usize;
        let mut open = false;
        for_each_row(m, t, Dialect::Mysql, |row| {
            let row_length = 2 + row.len();
            if open && total + row_length < NET_BUFFER_LENGTH {
                total += row_length;
                out.put(b",\n")?;
            } else {
                if open {
                    out.put(b";\n")?;
                }
                open = true;
                out.put(insert.as_bytes())?;
                total = row_length + init_length;
            }
            out.put(row)
        })?;
        if open {
            out.put(b";\n")?;
        }
        out.put(
            format!("/*!40000 ALTER TABLE `{name}` ENABLE KEYS */;\nUNLOCK TABLES;\n").as_bytes(),
        )?;
    }
    out.put(MY_FOOTER.as_bytes())?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Main

fn expect_json(
    args: &Args,
    m: &Model,
    bytes: u64,
    roots: &[u64; 6],
    selected: &[u64; 6],
) -> String {
    let obj = |vals: &[u64; 6], only_timestamped: bool| -> String {
        let items: Vec<String> = (0..6)
            .filter(|&t| !only_timestamped || CREATED[t].is_some())
            .map(|t| format!("\"{}\": {}", TABLES[t], vals[t]))
            .collect();
        format!("{{{}}}", items.join(", "))
    };
    let created: Vec<String> = (0..6)
        .filter_map(|t| CREATED[t].map(|c| format!("\"{}\": \"{c}\"", TABLES[t])))
        .collect();
    format!(
        "{{\n  \"dialect\": \"{}\",\n  \"scale\": {},\n  \"seed\": {},\n  \"new_fraction\": {},\n  \
         \"since\": \"{}\",\n  \"bytes\": {bytes},\n  \"created_columns\": {{{}}},\n  \
         \"rows\": {},\n  \"roots\": {},\n  \"selected\": {},\n  \"total_roots\": {},\n  \
         \"total_selected\": {}\n}}\n",
        match args.dialect {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        },
        args.scale,
        args.seed,
        args.new_fraction,
        rfc3339(m.since),
        created.join(", "),
        obj(&m.n, false),
        obj(roots, true),
        obj(selected, false),
        roots.iter().sum::<u64>(),
        selected.iter().sum::<u64>(),
    )
}

fn run(args: &Args) -> io::Result<()> {
    if !(args.scale > 0.0 && args.scale.is_finite()) {
        return Err(io::Error::other("--scale must be a positive number"));
    }
    if !(0.0..=1.0).contains(&args.new_fraction) {
        return Err(io::Error::other("--new-fraction must be between 0 and 1"));
    }
    let unique: HashSet<&str> = WORDS.iter().copied().collect();
    assert_eq!(
        unique.len(),
        WORDS.len(),
        "tag names come from WORDS: keep it free of duplicates"
    );
    let started = Instant::now();
    let m = Model::new(args.seed, args.scale, args.new_fraction);
    let (roots, selected) = m.expectations();
    let w: Box<dyn Write> = if args.out == "-" {
        Box::new(io::stdout().lock())
    } else {
        Box::new(File::create(&args.out)?)
    };
    let mut out = Out {
        buf: Vec::with_capacity(OUT_BUF + (64 << 10)),
        w,
        bytes: 0,
    };
    match args.dialect {
        Dialect::Postgres => write_postgres(&m, &mut out, !args.no_restrict)?,
        Dialect::Mysql => write_mysql(&m, &mut out)?,
    }
    out.finish()?;
    let bytes = out.bytes;
    drop(out);
    let secs = started.elapsed().as_secs_f64();

    let expect_path = match (&args.expect, args.out.as_str()) {
        (Some(p), _) => Some(p.clone()),
        (None, "-") => None,
        (None, file) => Some(PathBuf::from(format!("{file}.expect.json"))),
    };
    if let Some(p) = &expect_path {
        std::fs::write(p, expect_json(args, &m, bytes, &roots, &selected))?;
    }
    if !args.quiet {
        let mut e = io::stderr().lock();
        writeln!(
            e,
            "gen: {:?} scale {} seed {}: {} bytes in {:.2}s ({:.0} MB/s)",
            args.dialect,
            args.scale,
            args.seed,
            bytes,
            secs,
            bytes as f64 / 1e6 / secs.max(1e-9)
        )?;
        writeln!(e, "gen: --since {}", rfc3339(m.since))?;
        writeln!(
            e,
            "gen: {:<15} {:>10} {:>8} {:>9}",
            "table", "rows", "roots", "selected"
        )?;
        for t in 0..6 {
            writeln!(
                e,
                "gen: {:<15} {:>10} {:>8} {:>9}",
                TABLES[t], m.n[t], roots[t], selected[t]
            )?;
        }
        writeln!(
            e,
            "gen: {:<15} {:>10} {:>8} {:>9}",
            "total",
            m.n.iter().sum::<u64>(),
            roots.iter().sum::<u64>(),
            selected.iter().sum::<u64>()
        )?;
        if let Some(p) = &expect_path {
            writeln!(e, "gen: expectations in {}", p.display())?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen: error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed text, copied from pg_dump 15.18 and mariadb-dump 10.11.19 output of this schema

const PG_HEADER: &str = "-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

";

const MY_HEADER: &str = "/*M!999999\\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: blog
-- ------------------------------------------------------
-- Server version\t10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
";

const MY_FOOTER: &str = "/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-11-20  3:00:00
";

const PG_PRE_DATA: &str = r#"SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: auth_user; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.auth_user (
    id bigint NOT NULL,
    username character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    date_joined timestamp with time zone NOT NULL,
    is_active boolean NOT NULL
);


ALTER TABLE public.auth_user OWNER TO postgres;

--
-- Name: auth_user_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.auth_user_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.auth_user_id_seq OWNER TO postgres;

--
-- Name: auth_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.auth_user_id_seq OWNED BY public.auth_user.id;


--
-- Name: blog_comment; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.blog_comment (
    id bigint NOT NULL,
    post_id bigint NOT NULL,
    parent_id bigint,
    author_id bigint NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


ALTER TABLE public.blog_comment OWNER TO postgres;

--
-- Name: blog_comment_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.blog_comment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.blog_comment_id_seq OWNER TO postgres;

--
-- Name: blog_comment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.blog_comment_id_seq OWNED BY public.blog_comment.id;


--
-- Name: blog_post; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.blog_post (
    id bigint NOT NULL,
    author_id bigint NOT NULL,
    title character varying(200) NOT NULL,
    body text NOT NULL,
    meta jsonb NOT NULL,
    created timestamp with time zone NOT NULL
);


ALTER TABLE public.blog_post OWNER TO postgres;

--
-- Name: blog_post_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.blog_post_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.blog_post_id_seq OWNER TO postgres;

--
-- Name: blog_post_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.blog_post_id_seq OWNED BY public.blog_post.id;


--
-- Name: blog_post_tags; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.blog_post_tags (
    id bigint NOT NULL,
    post_id bigint NOT NULL,
    tag_id bigint NOT NULL
);


ALTER TABLE public.blog_post_tags OWNER TO postgres;

--
-- Name: blog_post_tags_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.blog_post_tags_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.blog_post_tags_id_seq OWNER TO postgres;

--
-- Name: blog_post_tags_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.blog_post_tags_id_seq OWNED BY public.blog_post_tags.id;


--
-- Name: blog_tag; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.blog_tag (
    id bigint NOT NULL,
    name character varying(50) NOT NULL
);


ALTER TABLE public.blog_tag OWNER TO postgres;

--
-- Name: blog_tag_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.blog_tag_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.blog_tag_id_seq OWNER TO postgres;

--
-- Name: blog_tag_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.blog_tag_id_seq OWNED BY public.blog_tag.id;


--
-- Name: media_blob; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.media_blob (
    id bigint NOT NULL,
    post_id bigint NOT NULL,
    data bytea NOT NULL,
    created timestamp with time zone NOT NULL
);


ALTER TABLE public.media_blob OWNER TO postgres;

--
-- Name: media_blob_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.media_blob_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.media_blob_id_seq OWNER TO postgres;

--
-- Name: media_blob_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.media_blob_id_seq OWNED BY public.media_blob.id;


--
-- Name: auth_user id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user ALTER COLUMN id SET DEFAULT nextval('public.auth_user_id_seq'::regclass);


--
-- Name: blog_comment id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_comment ALTER COLUMN id SET DEFAULT nextval('public.blog_comment_id_seq'::regclass);


--
-- Name: blog_post id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post ALTER COLUMN id SET DEFAULT nextval('public.blog_post_id_seq'::regclass);


--
-- Name: blog_post_tags id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post_tags ALTER COLUMN id SET DEFAULT nextval('public.blog_post_tags_id_seq'::regclass);


--
-- Name: blog_tag id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_tag ALTER COLUMN id SET DEFAULT nextval('public.blog_tag_id_seq'::regclass);


--
-- Name: media_blob id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.media_blob ALTER COLUMN id SET DEFAULT nextval('public.media_blob_id_seq'::regclass);


"#;

const PG_POST_DATA: &str = r#"--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: blog_comment blog_comment_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_pkey PRIMARY KEY (id);


--
-- Name: blog_post blog_post_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post
    ADD CONSTRAINT blog_post_pkey PRIMARY KEY (id);


--
-- Name: blog_post_tags blog_post_tags_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_pkey PRIMARY KEY (id);


--
-- Name: blog_post_tags blog_post_tags_post_id_tag_id_4925ec37_uniq; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_post_id_tag_id_4925ec37_uniq UNIQUE (post_id, tag_id);


--
-- Name: blog_tag blog_tag_name_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_tag
    ADD CONSTRAINT blog_tag_name_key UNIQUE (name);


--
-- Name: blog_tag blog_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_tag
    ADD CONSTRAINT blog_tag_pkey PRIMARY KEY (id);


--
-- Name: media_blob media_blob_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.media_blob
    ADD CONSTRAINT media_blob_pkey PRIMARY KEY (id);


--
-- Name: auth_user_username_6821ab7c_like; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX auth_user_username_6821ab7c_like ON public.auth_user USING btree (username varchar_pattern_ops);


--
-- Name: blog_comment_author_id_3b8f1a2d; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_comment_author_id_3b8f1a2d ON public.blog_comment USING btree (author_id);


--
-- Name: blog_comment_parent_id_f2a027bb; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_comment_parent_id_f2a027bb ON public.blog_comment USING btree (parent_id);


--
-- Name: blog_comment_post_id_580e96ef; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_comment_post_id_580e96ef ON public.blog_comment USING btree (post_id);


--
-- Name: blog_post_author_id_dd7a8485; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_post_author_id_dd7a8485 ON public.blog_post USING btree (author_id);


--
-- Name: blog_post_created_4c8a7f3e; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_post_created_4c8a7f3e ON public.blog_post USING btree (created);


--
-- Name: blog_post_tags_post_id_a1c71c8a; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_post_tags_post_id_a1c71c8a ON public.blog_post_tags USING btree (post_id);


--
-- Name: blog_post_tags_tag_id_0875c551; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_post_tags_tag_id_0875c551 ON public.blog_post_tags USING btree (tag_id);


--
-- Name: blog_tag_name_5ae4b1c6_like; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX blog_tag_name_5ae4b1c6_like ON public.blog_tag USING btree (name varchar_pattern_ops);


--
-- Name: media_blob_post_id_9b3e5d10; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX media_blob_post_id_9b3e5d10 ON public.media_blob USING btree (post_id);


--
-- Name: blog_comment blog_comment_author_id_3b8f1a2d_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_author_id_3b8f1a2d_fk_auth_user_id FOREIGN KEY (author_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_comment blog_comment_parent_id_f2a027bb_fk_blog_comment_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_parent_id_f2a027bb_fk_blog_comment_id FOREIGN KEY (parent_id) REFERENCES public.blog_comment(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_comment blog_comment_post_id_580e96ef_fk_blog_post_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_comment
    ADD CONSTRAINT blog_comment_post_id_580e96ef_fk_blog_post_id FOREIGN KEY (post_id) REFERENCES public.blog_post(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_post blog_post_author_id_dd7a8485_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post
    ADD CONSTRAINT blog_post_author_id_dd7a8485_fk_auth_user_id FOREIGN KEY (author_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_post_tags blog_post_tags_post_id_a1c71c8a_fk_blog_post_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_post_id_a1c71c8a_fk_blog_post_id FOREIGN KEY (post_id) REFERENCES public.blog_post(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: blog_post_tags blog_post_tags_tag_id_0875c551_fk_blog_tag_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.blog_post_tags
    ADD CONSTRAINT blog_post_tags_tag_id_0875c551_fk_blog_tag_id FOREIGN KEY (tag_id) REFERENCES public.blog_tag(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: media_blob media_blob_post_id_9b3e5d10_fk_blog_post_id; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.media_blob
    ADD CONSTRAINT media_blob_post_id_9b3e5d10_fk_blog_post_id FOREIGN KEY (post_id) REFERENCES public.blog_post(id) DEFERRABLE INITIALLY DEFERRED;


"#;
const MY_TABLE_BODIES: [&str; 6] = [
    // auth_user
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `username` varchar(150) NOT NULL,
  `email` varchar(254) NOT NULL,
  `date_joined` datetime(6) NOT NULL,
  `is_active` tinyint(1) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `username` (`username`)"#,
    // blog_comment
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `post_id` bigint(20) NOT NULL,
  `parent_id` bigint(20) DEFAULT NULL,
  `author_id` bigint(20) NOT NULL,
  `body` longtext NOT NULL,
  `created_at` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `blog_comment_post_id_580e96ef_fk_blog_post_id` (`post_id`),
  KEY `blog_comment_parent_id_f2a027bb_fk_blog_comment_id` (`parent_id`),
  KEY `blog_comment_author_id_3b8f1a2d_fk_auth_user_id` (`author_id`),
  CONSTRAINT `blog_comment_author_id_3b8f1a2d_fk_auth_user_id` FOREIGN KEY (`author_id`) REFERENCES `auth_user` (`id`),
  CONSTRAINT `blog_comment_parent_id_f2a027bb_fk_blog_comment_id` FOREIGN KEY (`parent_id`) REFERENCES `blog_comment` (`id`),
  CONSTRAINT `blog_comment_post_id_580e96ef_fk_blog_post_id` FOREIGN KEY (`post_id`) REFERENCES `blog_post` (`id`)"#,
    // blog_post
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `author_id` bigint(20) NOT NULL,
  `title` varchar(200) NOT NULL,
  `body` longtext NOT NULL,
  `meta` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`meta`)),
  `created` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `blog_post_author_id_dd7a8485_fk_auth_user_id` (`author_id`),
  KEY `blog_post_created_4c8a7f3e` (`created`),
  CONSTRAINT `blog_post_author_id_dd7a8485_fk_auth_user_id` FOREIGN KEY (`author_id`) REFERENCES `auth_user` (`id`)"#,
    // blog_post_tags
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `post_id` bigint(20) NOT NULL,
  `tag_id` bigint(20) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `blog_post_tags_post_id_tag_id_4925ec37_uniq` (`post_id`,`tag_id`),
  KEY `blog_post_tags_tag_id_0875c551_fk_blog_tag_id` (`tag_id`),
  CONSTRAINT `blog_post_tags_post_id_a1c71c8a_fk_blog_post_id` FOREIGN KEY (`post_id`) REFERENCES `blog_post` (`id`),
  CONSTRAINT `blog_post_tags_tag_id_0875c551_fk_blog_tag_id` FOREIGN KEY (`tag_id`) REFERENCES `blog_tag` (`id`)"#,
    // blog_tag
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `name` varchar(50) NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)"#,
    // media_blob
    r#"  `id` bigint(20) NOT NULL AUTO_INCREMENT,
  `post_id` bigint(20) NOT NULL,
  `data` longblob NOT NULL,
  `created` datetime(6) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `media_blob_post_id_9b3e5d10_fk_blog_post_id` (`post_id`),
  CONSTRAINT `media_blob_post_id_9b3e5d10_fk_blog_post_id` FOREIGN KEY (`post_id`) REFERENCES `blog_post` (`id`)"#,
];
