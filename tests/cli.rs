//! The command line as a user meets it: `inspect` (text, JSON, DOT), `extract` outputs and dry
//! run, table filters, error messages and exit codes, completions and the man page, stdin and
//! gzip input. No database server needed.
//!
//! Most tests read `testdata/cli/blog.sql`, a real `pg_dump` of `testdata/cli/blog-source.sql`
//! (see the README there). With `--since 2024-06-01` its plan is:
//!
//! | table          | roots | descendants | ancestors | rows |
//! |----------------|-------|-------------|-----------|------|
//! | auth_user      | 1 (carol)     | 0     | 2 (alice, bob: authors of selected posts) | 3 |
//! | blog_post      | 2 (2, 3)      | 0     | 1 (post 1: a new comment answers it) | 3 |
//! | blog_comment   | 2 (2, 3)      | 1 (4: NULL created_at, on new post 3) | 1 (comment 1) | 4 |
//! | blog_tag       | 0             | 0     | 2 (1, 2) | 2 |
//! | blog_post_tags | 0             | 2 (2, 3) | 0 | 2 |
//!
//! and `django_session` (no foreign keys, no created column) has nothing selected.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const SINCE: &str = "2024-06-01";

fn blog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cli/blog.sql")
}

/// Runs dbsalvage in `dir` (stdin closed).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    support::dbsalvage()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("dbsalvage runs")
}

/// Runs dbsalvage with `stdin` as its standard input.
fn run_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = support::dbsalvage()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dbsalvage starts");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    pipe.write_all(stdin).expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("dbsalvage finishes")
}

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    run_in(dir.path(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts the exit code, showing the output when it differs.
#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit status {:?}, expected {code}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Names of the entries of `dir`, sorted (hidden ones included: a leftover temporary file is a
/// failure too).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// The plan lines of `text` (from the `table  roots ...` header to `total`), whitespace
/// normalised: `["public.auth_user 1 0 2 3", ...]`.
fn plan_rows(text: &str) -> Vec<String> {
    let mut rows = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words == ["table", "roots", "descendants", "ancestors", "total"] {
            inside = true;
            continue;
        }
        if inside {
            rows.push(words.join(" "));
            if words.first() == Some(&"total") {
                break;
            }
        }
    }
    rows
}

/// The plan of blog.sql for `--since 2024-06-01`, in patch order (parents first).
const BLOG_PLAN: &[&str] = &[
    "public.auth_user 1 0 2 3",
    "public.blog_post 2 0 1 3",
    "public.blog_comment 2 1 1 4",
    "public.blog_tag 0 0 2 2",
    "public.blog_post_tags 0 2 0 2",
    "total 5 3 6 14",
];

const UNTIMED_LINE: &str = "no created column (new rows there are found only through references): \
     public.blog_post_tags, public.blog_tag, public.django_session";

/// The `-- source:` header line differs between inputs; everything else must not.
fn without_source_line(patch: &str) -> String {
    patch
        .lines()
        .filter(|l| !l.starts_with("-- source:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

// ---------------------------------------------------------------------------------------------
// inspect

#[test]
fn inspect_text_lists_every_table_with_rows_created_range_keys() {
    let b = blog();
    let o = run(&["inspect", b.to_str().unwrap()]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    assert!(
        head.starts_with(
            "dialect: PostgreSQL; dumped by: pg_dump 15.18 (Debian 15.18-0+deb12u1); \
             server: 15.18 (Debian 15.18-0+deb12u1); encoding: UTF8; 6.2 KB read"
        ),
        "{head}"
    );
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "table", "rows", "created", "column", "(min", "..", "max)", "primary", "key", "FKs",
            "out", "FKs", "in"
        ]
    );
    // name, rows, created column (range), primary key, foreign keys out, in
    let want: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "public.auth_user",
            "4",
            "date_joined (2020-01-15 09:00:00+00 .. 2024-07-01 08:30:00+00)",
            "id",
            "0",
            "1",
        ),
        (
            "public.blog_comment",
            "5",
            "created_at (2019-01-02 00:00:00+00 .. 2024-06-20 10:00:00+00)",
            "id",
            "2",
            "1",
        ),
        (
            "public.blog_post",
            "4",
            "created (2019-01-01 00:00:00+00 .. 2024-07-02 10:00:00+00)",
            "id",
            "1",
            "2",
        ),
        ("public.blog_post_tags", "4", "-", "id", "2", "0"),
        ("public.blog_tag", "3", "-", "id", "0", "1"),
        ("public.django_session", "1", "-", "session_key", "0", "0"),
    ];
    for &(table, rows, created, pk, out, inc) in want {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("no line for {table} in:\n{text}"));
        let words: Vec<&str> = line.split_whitespace().collect();
        let n = words.len();
        assert_eq!(words[1], rows, "rows of {table}: {line}");
        assert_eq!(words[2..n - 3].join(" "), created, "created of {table}");
        assert_eq!(&words[n - 3..], [pk, out, inc], "keys of {table}: {line}");
    }
    let table_lines = text.lines().filter(|l| l.starts_with("public.")).count();
    assert_eq!(table_lines, want.len(), "one line per table:\n{text}");
    let fks: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "foreign keys:")
        .skip(1)
        .collect();
    assert_eq!(
        fks,
        [
            "  public.blog_comment(parent_id) -> public.blog_comment(id)  [blog_comment_parent_id_fkey]",
            "  public.blog_comment(post_id) -> public.blog_post(id)  [blog_comment_post_id_fkey]",
            "  public.blog_post(author_id) -> public.auth_user(id)  [blog_post_author_id_fkey, deferrable]",
            "  public.blog_post_tags(post_id) -> public.blog_post(id)  [blog_post_tags_post_id_fkey]",
            "  public.blog_post_tags(tag_id) -> public.blog_tag(id)  [blog_post_tags_tag_id_fkey]",
        ]
    );
    assert!(!text.contains("plan for"), "no plan without --since");
    assert_eq!(stderr(&o), "", "inspect prints nothing on stderr");
}

// Was a bug (the created column had a fixed width of 44): fixed on main.
#[test]
fn inspect_text_columns_are_aligned() {
    let b = blog();
    let o = run(&["inspect", b.to_str().unwrap()]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines[1];
    let pk_at = header.find("primary key").unwrap();
    for line in lines.iter().filter(|l| l.starts_with("public.")) {
        let pk = if line.starts_with("public.django_session") {
            "session_key"
        } else {
            "id "
        };
        assert_eq!(
            line.find(pk),
            Some(pk_at),
            "the primary key is not under its header:\n{header}\n{line}"
        );
    }
}

#[test]
fn inspect_json_describes_dump_tables_and_keys() {
    let b = blog();
    let o = run(&["inspect", "--format", "json", b.to_str().unwrap()]);
    assert_exit(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("inspect --format json is JSON");
    assert_eq!(v["dialect"], "postgres");
    assert_eq!(v["tool"], "pg_dump 15.18 (Debian 15.18-0+deb12u1)");
    assert_eq!(v["server_version"], "15.18 (Debian 15.18-0+deb12u1)");
    assert_eq!(v["encoding"], "UTF8");
    assert_eq!(
        v["bytes"].as_u64(),
        Some(fs::metadata(&b).unwrap().len()),
        "bytes read = the file's size"
    );
    assert_eq!(v["plan"], Value::Null, "no plan without --since");
    let fk = |c: &str, cc: &str, p: &str, pc: &str| format!("public.{c}({cc}) -> public.{p}({pc})");
    let want = json!([
        {
            "table": "public.auth_user", "rows": 4, "created_column": "date_joined",
            "created_min": "2020-01-15 09:00:00+00", "created_max": "2024-07-01 08:30:00+00",
            "primary_key": ["id"], "foreign_keys_out": [],
            "foreign_keys_in": [fk("blog_post", "author_id", "auth_user", "id")],
        },
        {
            "table": "public.blog_comment", "rows": 5, "created_column": "created_at",
            "created_min": "2019-01-02 00:00:00+00", "created_max": "2024-06-20 10:00:00+00",
            "primary_key": ["id"],
            "foreign_keys_out": [
                fk("blog_comment", "parent_id", "blog_comment", "id"),
                fk("blog_comment", "post_id", "blog_post", "id"),
            ],
            "foreign_keys_in": [fk("blog_comment", "parent_id", "blog_comment", "id")],
        },
        {
            "table": "public.blog_post", "rows": 4, "created_column": "created",
            "created_min": "2019-01-01 00:00:00+00", "created_max": "2024-07-02 10:00:00+00",
            "primary_key": ["id"],
            "foreign_keys_out": [fk("blog_post", "author_id", "auth_user", "id")],
            "foreign_keys_in": [
                fk("blog_comment", "post_id", "blog_post", "id"),
                fk("blog_post_tags", "post_id", "blog_post", "id"),
            ],
        },
        {
            "table": "public.blog_post_tags", "rows": 4, "created_column": null,
            "created_min": null, "created_max": null, "primary_key": ["id"],
            "foreign_keys_out": [
                fk("blog_post_tags", "post_id", "blog_post", "id"),
                fk("blog_post_tags", "tag_id", "blog_tag", "id"),
            ],
            "foreign_keys_in": [],
        },
        {
            "table": "public.blog_tag", "rows": 3, "created_column": null,
            "created_min": null, "created_max": null, "primary_key": ["id"],
            "foreign_keys_out": [],
            "foreign_keys_in": [fk("blog_post_tags", "tag_id", "blog_tag", "id")],
        },
        {
            "table": "public.django_session", "rows": 1, "created_column": null,
            "created_min": null, "created_max": null, "primary_key": ["session_key"],
            "foreign_keys_out": [], "foreign_keys_in": [],
        },
    ]);
    assert_eq!(v["tables"], want);
}

#[test]
fn inspect_since_prints_the_plan() {
    let b = blog();
    let o = run(&["inspect", "--since", SINCE, b.to_str().unwrap()]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(
        text.contains(&format!("plan for rows created after {SINCE}:\n")),
        "{text}"
    );
    let plan_part = text.split("plan for").nth(1).unwrap();
    assert_eq!(plan_rows(plan_part), BLOG_PLAN);
    assert!(text.contains(UNTIMED_LINE), "{text}");
    assert!(!text.contains("warning:"), "{text}");

    let o = run(&[
        "inspect",
        "--since",
        SINCE,
        "--format",
        "json",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let t = |name: &str, r: u64, d: u64, a: u64| json!({"table": name, "roots": r, "descendants": d, "ancestors": a, "total": r + d + a});
    assert_eq!(
        v["plan"],
        json!({
            "since": SINCE,
            "tables": [
                t("public.auth_user", 1, 0, 2),
                t("public.blog_post", 2, 0, 1),
                t("public.blog_comment", 2, 1, 1),
                t("public.blog_tag", 0, 0, 2),
                t("public.blog_post_tags", 0, 2, 0),
            ],
            "tables_without_created_column":
                ["public.blog_post_tags", "public.blog_tag", "public.django_session"],
            "whole_row_match_tables": [],
            "warnings": [],
        })
    );
}

/// One DOT statement per line, as dbsalvage writes them: `"a" [label=...];`, `"a" -> "b" ...`.
fn dot_statements(dot: &str) -> (Vec<String>, Vec<String>) {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for line in dot.lines().map(str::trim) {
        if !line.starts_with('"') {
            continue;
        }
        if line.contains("\" -> \"") {
            edges.push(line.to_string());
        } else {
            nodes.push(line.to_string());
        }
    }
    (nodes, edges)
}

#[test]
fn inspect_graph_is_dot_with_a_node_per_table_and_an_edge_per_foreign_key() {
    let b = blog();
    let o = run(&["inspect", "--graph", "--since", SINCE, b.to_str().unwrap()]);
    assert_exit(&o, 0);
    let dot = stdout(&o);
    assert!(dot.starts_with("digraph "), "{dot}");
    assert_eq!(dot.trim_end().chars().last(), Some('}'));
    assert_eq!(dot.matches('{').count(), dot.matches('}').count());
    let (nodes, edges) = dot_statements(&dot);
    let node = |table: &str, label: &str| {
        nodes
            .iter()
            .find(|n| n.starts_with(&format!("\"public.{table}\" [")))
            .unwrap_or_else(|| panic!("no node for {table} in:\n{dot}"))
            .contains(&format!("label=\"public.{table}\\n{label}\""))
    };
    assert_eq!(nodes.len(), 6, "{dot}");
    assert!(
        node("auth_user", "4 rows\\ncreated: date_joined\\n3 selected"),
        "{dot}"
    );
    assert!(
        node("blog_comment", "5 rows\\ncreated: created_at\\n4 selected"),
        "{dot}"
    );
    assert!(
        node("blog_post", "4 rows\\ncreated: created\\n3 selected"),
        "{dot}"
    );
    assert!(node("blog_post_tags", "4 rows\\n2 selected"), "{dot}");
    assert!(node("blog_tag", "3 rows\\n2 selected"), "{dot}");
    assert!(node("django_session", "1 rows\\n0 selected"), "{dot}");
    let mut edges = edges;
    edges.sort();
    assert_eq!(
        edges,
        [
            r#""public.blog_comment" -> "public.blog_comment" [label="parent_id"];"#,
            r#""public.blog_comment" -> "public.blog_post" [label="post_id"];"#,
            r#""public.blog_post" -> "public.auth_user" [label="author_id"];"#,
            r#""public.blog_post_tags" -> "public.blog_post" [label="post_id"];"#,
            r#""public.blog_post_tags" -> "public.blog_tag" [label="tag_id"];"#,
        ]
    );

    // Without --since: no "selected" counts.
    let o = run(&["inspect", "--graph", b.to_str().unwrap()]);
    assert_exit(&o, 0);
    assert!(!stdout(&o).contains("selected"), "{}", stdout(&o));

    // --graph and --format are exclusive.
    let o = run(&[
        "inspect",
        "--graph",
        "--format",
        "json",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
}

#[test]
fn inspect_graph_renders_with_graphviz_when_installed() {
    let Ok(probe) = Command::new("dot").arg("-V").output() else {
        eprintln!("skipping: Graphviz `dot` is not installed");
        return;
    };
    if !probe.status.success() {
        eprintln!("skipping: `dot -V` failed");
        return;
    }
    // A dump with quoted names ("Sales"."Mixed Case") as well as the blog.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pg/samples");
    for dump in [blog(), samples.join("pg15_plain_copy.sql")] {
        let o = run(&[
            "inspect",
            "--graph",
            "--since",
            SINCE,
            dump.to_str().unwrap(),
        ]);
        assert_exit(&o, 0);
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dot starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&o.stdout)
            .expect("feed dot");
        let svg = child.wait_with_output().expect("dot finishes");
        assert!(
            svg.status.success() && svg.stderr.is_empty(),
            "dot rejected the graph of {}: {}\n{}",
            dump.display(),
            String::from_utf8_lossy(&svg.stderr),
            stdout(&o)
        );
        assert!(String::from_utf8_lossy(&svg.stdout).contains("<svg"));
    }
}

// ---------------------------------------------------------------------------------------------
// extract outputs

#[test]
fn extract_dry_run_prints_the_plan_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--dry-run",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(
        text.starts_with(&format!(
            "dry run: PostgreSQL dump, 6.2 KB read; rows created after {SINCE} and the rows linked to them:\n"
        )),
        "{text}"
    );
    assert_eq!(plan_rows(&text), BLOG_PLAN);
    assert!(text.contains(UNTIMED_LINE), "{text}");
    assert_eq!(stderr(&o), "");
    assert_eq!(
        entries(dir.path()),
        Vec::<String>::new(),
        "dry run wrote files"
    );

    // --dry-run with an output is a usage error.
    for out in ["--sql", "--json"] {
        let o = run_in(
            dir.path(),
            &[
                "extract",
                "--since",
                SINCE,
                "--dry-run",
                out,
                "x",
                b.to_str().unwrap(),
            ],
        );
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    }
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn extract_sql_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "-",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let sql = stdout(&o);
    assert!(
        sql.starts_with("-- dbsalvage patch (PostgreSQL)\n"),
        "{sql}"
    );
    assert!(
        sql.contains("\nBEGIN;\n") && sql.trim_end().ends_with("COMMIT;"),
        "{sql}"
    );
    assert!(
        sql.contains("-- rows: 14 (5 roots, 3 descendants, 6 ancestors) in 5 tables"),
        "{sql}"
    );
    assert!(
        sql.contains("(3, 'carol', '2024-07-01 08:30:00+00')"),
        "{sql}"
    );
    assert!(!sql.contains("django_session"), "{sql}");
    // The same patch as written to a file.
    let o2 = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "-q",
            "--sql",
            "p.sql",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o2, 0);
    assert_eq!(fs::read_to_string(dir.path().join("p.sql")).unwrap(), sql);
    assert_eq!(entries(dir.path()), ["p.sql"]);
}

#[test]
fn extract_json_to_stdout_writes_no_schema_file() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--json",
            "-",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    let rows = v.as_array().expect("an array");
    assert_eq!(rows.len(), 14);
    let carol = rows
        .iter()
        .find(|r| r["table"] == "public.auth_user" && r["pk"] == json!({"id": 3}))
        .expect("carol is selected");
    assert_eq!(
        carol,
        &json!({"table": "public.auth_user", "app": "auth", "model": "user", "pk": {"id": 3},
                "reason": "root", "via": null,
                "data": {"id": 3, "username": "carol", "date_joined": "2024-07-01 08:30:00+00"}})
    );
    let undated = rows
        .iter()
        .find(|r| r["table"] == "public.blog_comment" && r["pk"] == json!({"id": 4}))
        .expect("comment 4 is selected");
    assert_eq!(undated["reason"], "descendant");
    assert_eq!(undated["via"]["foreign_key"], "blog_comment_post_id_fkey");
    assert_eq!(undated["data"]["created_at"], Value::Null);
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn extract_both_outputs_on_stdout_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "-",
            "--json",
            "-",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 2);
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "dbsalvage: error: --sql - and --json - cannot both write to stdout\n"
    );
}

#[test]
fn extract_json_and_schema_files() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "-q",
            "--json",
            "rows.json",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    assert_eq!(entries(dir.path()), ["rows.json", "rows.schema.json"]);
    let rows: Value =
        serde_json::from_slice(&fs::read(dir.path().join("rows.json")).unwrap()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 14);
    let schema: Value =
        serde_json::from_slice(&fs::read(dir.path().join("rows.schema.json")).unwrap()).unwrap();
    assert_eq!(schema["format"], "dbsalvage-schema");
    assert_eq!(schema["dialect"], "postgres");
    assert_eq!(schema["rows"], 14);
}

#[test]
fn extract_json_lines_gives_one_object_per_line() {
    let b = blog();
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--json",
        "-",
        "--json-lines",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 14, "{text}");
    let array: Vec<Value> = {
        let o = run(&[
            "extract",
            "--since",
            SINCE,
            "--json",
            "-",
            b.to_str().unwrap(),
        ]);
        serde_json::from_slice(&o.stdout).unwrap()
    };
    for (line, from_array) in lines.iter().zip(&array) {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("line is not JSON ({e}): {line}"));
        assert!(v.is_object(), "{line}");
        assert_eq!(&v, from_array, "JSON lines and array hold the same objects");
    }
    // --json-lines needs --json.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--sql",
        "-",
        "--json-lines",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
}

#[test]
fn extract_summary_on_stderr_without_terminal_codes() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "p.sql",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(
        !err.contains('\x1b') && !err.contains('\r'),
        "terminal control codes on a non-terminal stderr: {err:?}"
    );
    let first = err.lines().next().unwrap();
    assert!(
        first.starts_with("dbsalvage: PostgreSQL dump, 6.2 KB read in ")
            && first.contains(" table re-reads"),
        "{first}"
    );
    assert_eq!(plan_rows(&err), BLOG_PLAN);
    assert!(err.contains(UNTIMED_LINE), "{err}");
    assert!(
        err.ends_with("apply with: psql -X -v ON_ERROR_STOP=1 -d RESTORED_DB -f p.sql\n"),
        "{err}"
    );

    // --quiet and -q: nothing on stderr, same patch.
    for q in ["--quiet", "-q"] {
        let o = run_in(
            dir.path(),
            &[
                "extract",
                "--since",
                SINCE,
                q,
                "--sql",
                "q.sql",
                b.to_str().unwrap(),
            ],
        );
        assert_exit(&o, 0);
        assert_eq!(stderr(&o), "", "{q}");
        assert_eq!(stdout(&o), "", "{q}");
        assert_eq!(
            fs::read(dir.path().join("q.sql")).unwrap(),
            fs::read(dir.path().join("p.sql")).unwrap()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// table filters

#[test]
fn exclude_parent_table_warns_and_selects_none_of_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--exclude-table",
            "auth_*",
            "--json",
            "rows.json",
            "--sql",
            "p.sql",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert_eq!(
        plan_rows(&err),
        [
            "public.blog_post 2 0 1 3",
            "public.blog_comment 2 1 1 4",
            "public.blog_tag 0 0 2 2",
            "public.blog_post_tags 0 2 0 2",
            "total 4 3 4 11",
        ]
    );
    let warning = "warning: rows of public.blog_post reference excluded table public.auth_user \
                   (foreign key blog_post_author_id_fkey): the restored backup must already hold them";
    assert!(err.contains(warning), "{err}");
    let rows: Value =
        serde_json::from_slice(&fs::read(dir.path().join("rows.json")).unwrap()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 11);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["table"] != "public.auth_user"));
    let sql = fs::read_to_string(dir.path().join("p.sql")).unwrap();
    assert!(
        !sql.contains("INSERT INTO \"public\".\"auth_user\""),
        "{sql}"
    );

    // The dry run and inspect --since warn the same way.
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--exclude-table",
            "public.auth_user",
            "--dry-run",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    assert!(stdout(&o).contains(warning), "{}", stdout(&o));
    let o = run_in(
        dir.path(),
        &[
            "inspect",
            "--since",
            SINCE,
            "--exclude-table",
            "auth_user",
            "--format",
            "json",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["plan"]["warnings"],
        json!([&warning["warning: ".len()..]])
    );
}

#[test]
fn include_table_globs_limit_the_selection() {
    let b = blog();
    // Bare and qualified globs, repeatable.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--include-table",
        "blog_post",
        "--include-table",
        "public.blog_c*",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert_eq!(
        plan_rows(&text),
        [
            "public.blog_post 2 0 1 3",
            "public.blog_comment 2 1 1 4",
            "total 4 1 2 7",
        ]
    );
    assert!(
        text.contains(
            "warning: rows of public.blog_post reference excluded table public.auth_user"
        ),
        "{text}"
    );
    // Only the tables the filter allows are listed as lacking a created column.
    assert!(!text.contains("no created column"), "{text}");

    // Include and exclude together: exclude wins.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--include-table",
        "public.*",
        "--exclude-table",
        "blog_*",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert_eq!(
        plan_rows(&text),
        ["public.auth_user 1 0 0 1", "total 1 0 0 1"]
    );
    assert!(text.contains(
        "no created column (new rows there are found only through references): public.django_session"
    ), "{text}");

    // A glob that is not one.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--include-table",
        "blog_[",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).starts_with("dbsalvage: error: --include-table `blog_[`"),
        "{}",
        stderr(&o)
    );
}

// ---------------------------------------------------------------------------------------------
// errors and exit codes

#[test]
fn unknown_created_column_suggests_close_matches() {
    let b = blog();
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--created-column",
        "blog_post=craeted",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        "dbsalvage: error: --created-column blog_post=craeted: table public.blog_post has no \
         column `craeted` (did you mean `created`?)\n"
    );
    assert_eq!(stdout(&o), "");
    // A bare candidate no table has.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--created-column",
        "creatd_at",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        "dbsalvage: error: --created-column creatd_at: no table in the dump has a column \
         `creatd_at` (did you mean `created_at`?)\n"
    );
    // A qualified table name that is close.
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--created-column",
        "public.blog_pots=created",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        "dbsalvage: error: --created-column public.blog_pots=created: the dump has no table \
         `public.blog_pots` (did you mean `public.blog_post`?)\n"
    );
}

#[test]
fn unknown_bare_created_table_suggests_close_match() {
    let b = blog();
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--dry-run",
        "--created-column",
        "blog_pots=created",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("the dump has no table `blog_pots`")
            && err.contains("did you mean `blog_post`"),
        "{err}"
    );
}

#[test]
fn bad_since_lists_the_accepted_forms() {
    let b = blog();
    for since in ["yesterday", "2024-13-01", "2024-06-01 25:00", ""] {
        let o = run(&[
            "extract",
            "--since",
            since,
            "--dry-run",
            b.to_str().unwrap(),
        ]);
        assert_exit(&o, 2);
        assert_eq!(
            stderr(&o),
            format!(
                "dbsalvage: error: cannot read --since `{since}` as a time; accepted forms: \
                 2026-11-20T03:00:00Z, 2026-11-20 03:00:00+01:00, 2026-11-20 03:00:00, \
                 2026-11-20 03:00, or 2026-11-20 (naive forms are read in --timezone)\n"
            )
        );
    }
    // Every documented form is accepted.
    for since in [
        "2024-06-01T00:00:00Z",
        "2024-06-01 02:00:00+02:00",
        "2024-06-01 00:00:00",
        "2024-06-01 00:00",
        "2024-06-01",
    ] {
        let o = run(&[
            "extract",
            "--since",
            since,
            "--dry-run",
            b.to_str().unwrap(),
        ]);
        assert_exit(&o, 0);
        assert_eq!(plan_rows(&stdout(&o)), BLOG_PLAN, "--since {since}");
    }
    // --timezone moves a naive --since: 2024-06-20 12:00 in Berlin is 10:00 UTC, after comment 3
    // (2024-06-20 10:00 UTC exactly: not a root, strictly later only).
    let o = run(&[
        "extract",
        "--since",
        "2024-06-20 12:00",
        "--timezone",
        "Europe/Berlin",
        "--dry-run",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    assert_eq!(
        plan_rows(&stdout(&o)),
        [
            "public.auth_user 1 0 0 1",
            "public.blog_post 1 0 0 1",
            "public.blog_comment 0 1 0 1",
            "public.blog_tag 0 0 1 1",
            "public.blog_post_tags 0 1 0 1",
            "total 2 2 1 5",
        ]
    );
    let o = run(&[
        "extract",
        "--since",
        SINCE,
        "--timezone",
        "Mars/Olympus",
        "--dry-run",
        b.to_str().unwrap(),
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("unknown time zone `Mars/Olympus`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn output_in_a_missing_directory_is_an_io_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--json",
            "rows.json",
            "--sql",
            "missing/patch.sql",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 1);
    assert_eq!(
        stderr(&o),
        "dbsalvage: error: cannot write missing/patch.sql: directory missing does not exist\n"
    );
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--json",
            "missing/rows.json",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 1);
    assert!(
        stderr(&o).contains("cannot write missing/rows.json"),
        "{}",
        stderr(&o)
    );
    // A missing input is an I/O error too.
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "p.sql",
            "no-such-dump.sql",
        ],
    );
    assert_exit(&o, 1);
    assert!(
        stderr(&o).starts_with("dbsalvage: error: cannot open no-such-dump.sql"),
        "{}",
        stderr(&o)
    );
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn usage_errors_exit_2() {
    let b = blog();
    let cases: &[&[&str]] = &[
        &["extract", "--since", SINCE], // no output
        &["extract", "--sql", "-"],     // no --since
        &["bogus"],                     // no such command
        &["extract", "--since", SINCE, "--sql", "-", "--nope"],
        &["inspect", "--format", "yaml"],
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "-",
            "--dialect",
            "oracle",
        ],
        &[],
    ];
    for args in cases {
        let mut args = args.to_vec();
        if !args.is_empty() && args[0] != "bogus" {
            args.push(b.to_str().unwrap());
        }
        let o = run(&args);
        assert_exit(&o, 2);
        assert_eq!(stdout(&o), "", "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
    // A file that is not a dump.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "hello\n").unwrap();
    let o = run_in(dir.path(), &["inspect", "notes.txt"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("not a pg_dump or mysqldump plain SQL dump"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_mentions_the_exit_codes() {
    let line =
        "Exit codes: 0 success, 2 bad input or usage, 1 I/O failure (reading or writing files).";
    for args in [
        &["--help"][..],
        &["extract", "--help"],
        &["inspect", "--help"],
        &["patch", "--help"],
        &["help", "extract"],
    ] {
        let o = run(args);
        assert_exit(&o, 0);
        assert!(stdout(&o).contains(line), "{args:?}:\n{}", stdout(&o));
    }
    let o = run(&["extract", "--help"]);
    for flag in [
        "--since",
        "--sql",
        "--json",
        "--json-lines",
        "--dry-run",
        "--include-table",
        "--exclude-table",
        "--created-column",
        "--timezone",
        "--dialect",
        "--spool-dir",
        "--quiet",
    ] {
        assert!(stdout(&o).contains(flag), "extract --help lacks {flag}");
    }
}

// ---------------------------------------------------------------------------------------------
// completions and man page

#[test]
fn completions_for_bash_zsh_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert_exit(&o, 0);
        let text = stdout(&o);
        assert!(text.len() > 1000, "{shell}: {} bytes", text.len());
        // (fish names long options without their dashes: `-l since`)
        for word in [
            "dbsalvage",
            "extract",
            "inspect",
            "patch",
            "since",
            "created-column",
        ] {
            assert!(text.contains(word), "{shell} completion lacks {word}");
        }
        assert_eq!(stderr(&o), "");
    }
    let o = run(&["completions", "tcsh"]);
    assert_exit(&o, 2);
}

#[test]
fn completions_bash_is_valid_shell() {
    let Ok(probe) = Command::new("bash").arg("--version").output() else {
        eprintln!("skipping: no bash");
        return;
    };
    assert!(probe.status.success());
    let o = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dbsalvage.bash");
    fs::write(&script, &o.stdout).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn man_page_is_roff() {
    let o = run(&["man"]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(
        text.lines().any(|l| l.starts_with(".TH dbsalvage 1")),
        "{text}"
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH SUBCOMMANDS",
    ] {
        assert!(text.contains(section), "man page lacks {section}");
    }
    assert!(text.contains("Exit codes: 0 success"), "{text}");
    assert_eq!(stderr(&o), "");
}

#[test]
fn man_page_documents_extract_options() {
    let o = run(&["man"]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    for flag in [
        "since",
        "created\\-column",
        "json\\-lines",
        "allow\\-dangling",
    ] {
        assert!(
            text.contains(&format!("\\-\\-{flag}")),
            "man page lacks --{flag}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// input: stdin and gzip

#[test]
fn stdin_with_dash_and_without_input() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let dump = fs::read(&b).unwrap();
    let from_file = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "-",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&from_file, 0);
    for args in [
        &["extract", "--since", SINCE, "--sql", "-", "-"][..],
        &["extract", "--since", SINCE, "--sql", "-"],
    ] {
        let o = run_with_stdin(dir.path(), args, &dump);
        assert_exit(&o, 0);
        let sql = stdout(&o);
        assert!(sql.contains("\n-- source: <stdin>\n"), "{args:?}");
        assert_eq!(
            without_source_line(&sql),
            without_source_line(&stdout(&from_file)),
            "{args:?}"
        );
    }
    // inspect reads stdin the same way.
    let o = run_with_stdin(dir.path(), &["inspect", "--format", "json"], &dump);
    assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tables"].as_array().unwrap().len(), 6);
    // Empty stdin is bad input.
    let o = run_with_stdin(dir.path(), &["inspect"], b"");
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("the input is empty"), "{}", stderr(&o));
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn gzip_is_detected_by_content_whatever_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let b = blog();
    let dump = fs::read(&b).unwrap();
    // A gzip file named .sql, and a plain file named .gz.
    fs::write(dir.path().join("dump.sql"), gzip(&dump)).unwrap();
    fs::write(dir.path().join("plain.sql.gz"), &dump).unwrap();
    let reference = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "-",
            b.to_str().unwrap(),
        ],
    );
    assert_exit(&reference, 0);
    for input in ["dump.sql", "plain.sql.gz"] {
        let o = run_in(
            dir.path(),
            &["extract", "--since", SINCE, "--sql", "-", input],
        );
        assert_exit(&o, 0);
        assert_eq!(
            without_source_line(&stdout(&o)),
            without_source_line(&stdout(&reference)),
            "{input}"
        );
    }
    // gzip on stdin, and inspect of a gzip file.
    let o = run_with_stdin(
        dir.path(),
        &["extract", "--since", SINCE, "--sql", "-"],
        &gzip(&dump),
    );
    assert_exit(&o, 0);
    assert_eq!(
        without_source_line(&stdout(&o)),
        without_source_line(&stdout(&reference))
    );
    let o = run_in(dir.path(), &["inspect", "--since", SINCE, "dump.sql"]);
    assert_exit(&o, 0);
    assert_eq!(
        plan_rows(stdout(&o).split("plan for").nth(1).unwrap()),
        BLOG_PLAN
    );
    // A damaged gzip stream is an error, and leaves no output.
    let mut broken = gzip(&dump);
    broken.truncate(broken.len() / 2);
    fs::write(dir.path().join("broken.sql"), broken).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            SINCE,
            "--sql",
            "out.sql",
            "broken.sql",
        ],
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(!dir.path().join("out.sql").exists());
}

#[test]
fn mysql_dump_inspect_and_summary() {
    let dump = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/mysql/samples/mariadb10.11_default.sql");
    let o = run(&[
        "inspect",
        "--since",
        "2000-01-01",
        "--format",
        "json",
        dump.to_str().unwrap(),
    ]);
    assert_exit(&o, 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dialect"], "mysql");
    assert_eq!(v["tool"], "MariaDB dump 10.19 Distrib 10.11.19-MariaDB");
    assert_eq!(v["encoding"], "utf8mb4");
    let names: Vec<&str> = v["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["customers", "empty_table", "geo", "latin", "orders"]
    );
    let customers = &v["tables"][0];
    assert_eq!(customers["rows"], 7);
    assert_eq!(customers["created_column"], "created");
    assert_eq!(customers["created_min"], "1000-01-01 00:00:00.000000");
    assert_eq!(customers["created_max"], "9999-12-31 23:59:59.999999");
    assert_eq!(customers["primary_key"], json!(["id"]));
    assert_eq!(
        customers["foreign_keys_in"],
        json!(["orders(customer_id) -> customers(id)"])
    );
    assert_eq!(
        v["plan"]["tables"],
        json!([
            {"table": "customers", "roots": 4, "descendants": 0, "ancestors": 0, "total": 4},
            {"table": "orders", "roots": 0, "descendants": 2, "ancestors": 0, "total": 2},
        ])
    );
    // The summary names the MySQL client.
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            "2000-01-01",
            "--sql",
            "p.sql",
            dump.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let err = stderr(&o);
    assert!(err.starts_with("dbsalvage: MySQL/MariaDB dump, "), "{err}");
    assert!(
        err.ends_with("apply with: mysql RESTORED_DB < p.sql\n"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// nothing lost: the summary, the JSON and the patch count the same rows

/// Rows per table, sorted by table name.
type Counts = std::collections::BTreeMap<String, u64>;

/// Per-table totals of the plan the end summary prints (`table roots descendants ancestors
/// total`), and its `total` line.
fn summary_counts(stderr: &str) -> (Counts, u64) {
    let mut counts = Counts::new();
    let mut total = None;
    for line in plan_rows(stderr) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words.len(), 5, "a plan line: {line}");
        let n: u64 = words[4].parse().expect("a row count");
        let parts: Vec<u64> = words[1..4].iter().map(|w| w.parse().unwrap()).collect();
        assert_eq!(
            parts.iter().sum::<u64>(),
            n,
            "roots + descendants + ancestors: {line}"
        );
        if words[0] == "total" {
            total = Some(n);
        } else {
            assert!(counts.insert(words[0].to_string(), n).is_none(), "{line}");
        }
    }
    (counts, total.expect("a total line in the summary"))
}

/// Rows per table of a JSON-lines review file.
fn json_lines_counts(text: &str) -> Counts {
    let mut counts = Counts::new();
    for line in text.lines() {
        let row: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let table = row["table"].as_str().expect("a table name").to_string();
        *counts.entry(table).or_default() += 1;
    }
    counts
}

/// A token of a SQL patch, as far as counting rows needs.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word, upper-cased (keyword, bare identifier, number).
    Word(String),
    /// A quoted identifier (`"…"` or `` `…` ``), unquoted.
    Ident(String),
    /// A string literal (its text is of no interest).
    Str,
    /// Any other character.
    Punct(char),
}

/// The statements of a patch written by dbsalvage, as tokens: `'…'` strings (`''` inside),
/// `"…"` and `` `…` `` identifiers (the quote doubled inside), `--` comments and psql `\`
/// lines skipped. Neither dialect's patch writes a backslash escape in a literal.
fn sql_statements(sql: &str) -> Vec<Vec<Tok>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut statements = Vec::new();
    let mut current = Vec::new();
    let mut line_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if line_start && c == '\\' || c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        line_start = c == '\n';
        match c {
            '\'' | '"' | '`' => {
                let mut text = String::new();
                i += 1;
                loop {
                    assert!(i < chars.len(), "unterminated {c} in the patch");
                    if chars[i] == c {
                        if chars.get(i + 1) == Some(&c) {
                            text.push(c);
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    text.push(chars[i]);
                    i += 1;
                }
                current.push(if c == '\'' {
                    Tok::Str
                } else {
                    Tok::Ident(text)
                });
            }
            ';' => {
                statements.push(std::mem::take(&mut current));
                i += 1;
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_$".contains(chars[i])) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                current.push(Tok::Word(word.to_uppercase()));
            }
            c if c.is_whitespace() => i += 1,
            c => {
                current.push(Tok::Punct(c));
                i += 1;
            }
        }
    }
    assert!(
        current.is_empty(),
        "the patch ends inside a statement: {current:?}"
    );
    statements
}

/// A dotted name at `toks[*i..]` (`"public"."t"`, `` `t` ``, `pg_temp.stage`), advancing `i`.
fn sql_name(toks: &[Tok], i: &mut usize) -> String {
    let mut parts = Vec::new();
    loop {
        match &toks[*i] {
            Tok::Ident(s) => parts.push(s.clone()),
            Tok::Word(w) => parts.push(w.to_lowercase()),
            other => panic!("expected a name, found {other:?}"),
        }
        *i += 1;
        if toks.get(*i) != Some(&Tok::Punct('.')) {
            return parts.join(".");
        }
        *i += 1;
    }
}

/// Rows per table in a patch's `INSERT … VALUES` statements (the tuples after `VALUES`). Rows
/// staged in a temporary table first (MySQL always, PostgreSQL for a table without a key:
/// `CREATE TEMPORARY TABLE stage … SELECT … FROM table …`) count for that table; the
/// `INSERT … SELECT` from the stage adds none.
fn patch_counts(sql: &str) -> Counts {
    let mut stages: std::collections::HashMap<String, String> = Default::default();
    let mut counts = Counts::new();
    let word = |t: &Tok, w: &str| *t == Tok::Word(w.into());
    for toks in sql_statements(sql) {
        if toks.len() > 3 && word(&toks[0], "CREATE") && word(&toks[1], "TEMPORARY") {
            assert!(word(&toks[2], "TABLE"), "{toks:?}");
            let mut i = 3;
            let stage = sql_name(&toks, &mut i);
            let from = toks
                .iter()
                .rposition(|t| word(t, "FROM"))
                .expect("… FROM table");
            let mut j = from + 1;
            let table = sql_name(&toks, &mut j);
            stages.insert(stage.clone(), table.clone());
            stages.insert(format!("pg_temp.{stage}"), table);
            continue;
        }
        if toks.len() < 3 || !word(&toks[0], "INSERT") || !word(&toks[1], "INTO") {
            continue;
        }
        let mut i = 2;
        let target = sql_name(&toks, &mut i);
        let mut depth = 0usize;
        let mut values = None;
        for (k, t) in toks.iter().enumerate().skip(i) {
            match t {
                Tok::Punct('(') => depth += 1,
                Tok::Punct(')') => depth -= 1,
                t if depth == 0 && word(t, "VALUES") => {
                    values = Some(k);
                    break;
                }
                _ => {}
            }
        }
        let Some(values) = values else {
            continue; // INSERT … SELECT
        };
        // `(…), (…), …` up to what follows the rows (`ON CONFLICT (…) …`, or the end).
        let mut rows = 0;
        let mut k = values + 1;
        while toks.get(k) == Some(&Tok::Punct('(')) {
            rows += 1;
            let mut depth = 0usize;
            loop {
                match &toks[k] {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') => depth -= 1,
                    _ => {}
                }
                k += 1;
                if depth == 0 {
                    break;
                }
            }
            if toks.get(k) != Some(&Tok::Punct(',')) {
                break;
            }
            k += 1;
        }
        assert!(rows > 0, "an INSERT … VALUES without rows: {toks:?}");
        let table = stages.get(&target).cloned().unwrap_or(target);
        *counts.entry(table).or_default() += rows;
    }
    counts
}

/// Extracts `dump` with `--since` to a patch and a JSON-lines file and checks that nothing is
/// lost on the way: the per-table counts of the end summary (stderr) are the JSON's rows per
/// table, the patch's rows per table (counted in its INSERT statements), and the schema file's
/// row count. Returns the summary's counts.
#[track_caller]
fn counts_agree(dump: &Path, since: &str) -> Counts {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            since,
            "--sql",
            "patch.sql",
            "--json",
            "rows.json",
            "--json-lines",
            dump.to_str().unwrap(),
        ],
    );
    assert_exit(&o, 0);
    let (summary, total) = summary_counts(&stderr(&o));
    assert!(total > 0, "nothing selected from {}", dump.display());
    assert_eq!(summary.values().sum::<u64>(), total, "the summary's total");
    let json = json_lines_counts(&fs::read_to_string(dir.path().join("rows.json")).unwrap());
    assert_eq!(json, summary, "JSON rows per table vs the summary");
    let patch = patch_counts(&fs::read_to_string(dir.path().join("patch.sql")).unwrap());
    assert_eq!(patch, summary, "patch rows per table vs the summary");
    let schema: Value =
        serde_json::from_slice(&fs::read(dir.path().join("rows.schema.json")).unwrap()).unwrap();
    assert_eq!(
        schema["rows"].as_u64(),
        Some(total),
        "the schema file's rows"
    );
    summary
}

#[test]
fn counts_agree_between_summary_json_and_patch() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pg = counts_agree(
        &root.join("testdata/pg/samples/blog.sql"),
        "2024-06-01 00:00",
    );
    assert_eq!(pg.values().sum::<u64>(), 19, "{pg:?}");
    let my = counts_agree(
        &root.join("testdata/mysql/samples/blog.sql"),
        "2025-06-01 00:00",
    );
    assert_eq!(my.values().sum::<u64>(), 15, "{my:?}");
    // The blog of tests/cli (a table without created column and nothing selected in it).
    let cli = counts_agree(&blog(), SINCE);
    assert_eq!(cli.values().sum::<u64>(), 14, "{cli:?}");
}

/// The same on generated dumps (`examples/gen.rs`, 10 MB PostgreSQL / 8 MB MariaDB, a thousand
/// rows per patch statement), whose sidecar also says which rows a correct extraction selects.
#[test]
fn counts_agree_on_generated_dumps() {
    let dir = tempfile::tempdir().unwrap();
    for dialect in ["postgres", "mysql"] {
        let dump = dir.path().join(format!("{dialect}.sql"));
        let o = Command::new(support::gen_binary())
            .args(["--dialect", dialect, "--scale", "1", "--quiet", "--out"])
            .arg(&dump)
            .output()
            .expect("gen runs");
        assert_exit(&o, 0);
        let expect: Value = serde_json::from_slice(
            &fs::read(dir.path().join(format!("{dialect}.sql.expect.json"))).unwrap(),
        )
        .unwrap();
        let counts = counts_agree(&dump, expect["since"].as_str().unwrap());
        let schema = if dialect == "postgres" { "public." } else { "" };
        let want: Counts = expect["selected"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, n)| n.as_u64() != Some(0))
            .map(|(t, n)| (format!("{schema}{t}"), n.as_u64().unwrap()))
            .collect();
        assert_eq!(
            counts, want,
            "{dialect}: the selection the generator promises"
        );
    }
}

/// The patch reader on what the writers may put in a statement: quotes, `;`, `(`, `--` inside
/// literals and names, hex literals, a staged table, `ON CONFLICT (…)`, `INSERT … SELECT`.
#[test]
fn patch_counts_reads_both_patch_shapes() {
    let pg = "-- public.t: 2 rows\n\
              INSERT INTO \"public\".\"t;(\" (\"id\", \"a\"\"b\") VALUES\n\
              (1, 'x); -- not a comment\n''('),\n\
              (2, NULL)\n\
              ON CONFLICT (\"id\") DO NOTHING;\n\
              \\connect other\n\
              CREATE TEMPORARY TABLE dbsalvage_stage ON COMMIT DROP AS SELECT \"a\" FROM \"public\".\"nokey\" WITH NO DATA;\n\
              INSERT INTO pg_temp.dbsalvage_stage (\"a\") VALUES\n(ROW(1, 2)),\n('(');\n\
              INSERT INTO \"public\".\"nokey\" (\"a\") SELECT n.\"a\" FROM pg_temp.dbsalvage_stage n;\n";
    let want: Counts = [
        ("public.nokey".to_string(), 2),
        ("public.t;(".to_string(), 2),
    ]
    .into();
    assert_eq!(patch_counts(pg), want);
    let my = "CREATE TEMPORARY TABLE `_s_1` (`seq` BIGINT PRIMARY KEY) SELECT `id` FROM `db`.`t``x` LIMIT 0;\n\
              INSERT INTO `_s_1` (`seq`, `id`) VALUES\n(1,_utf8mb4 X'28'),\n(2,'a;b'),\n(3,-4);\n\
              INSERT INTO `db`.`t``x` (`id`) SELECT `id` FROM `_s_1` WHERE `seq` = 2;\n";
    let want: Counts = [("db.t`x".to_string(), 3)].into();
    assert_eq!(patch_counts(my), want);
}

/// Two selected rows with the same key: the message names the table, the key columns and both
/// rows' byte offsets (another row lies between them), with the line of the second; nothing is
/// written — not to files, and not to stdout either (which would receive a patch as it is
/// written, so the check must come first there).
#[test]
fn duplicate_selected_keys_are_refused_with_both_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let head = "CREATE TABLE t (id integer NOT NULL, created_at timestamp);\n\
                ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);\n\
                COPY t (id, created_at) FROM stdin;\n";
    let rows = ["7\t2024-01-01\n", "8\t2024-01-02\n", "7\t2024-01-03\n"];
    let dump = format!("{head}{}\\.\n", rows.concat());
    std::fs::write(dir.path().join("d.sql"), &dump).unwrap();
    let o = run_in(
        dir.path(),
        &[
            "extract",
            "--since",
            "2023-01-01",
            "--sql",
            "p.sql",
            "--json",
            "r.json",
            "d.sql",
        ],
    );
    assert_exit(&o, 2);
    let (a, b) = (head.len(), head.len() + rows[0].len() + rows[1].len());
    let want = format!("two rows with the same key (id), at bytes {a} and {b}");
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 6"), "{}", stderr(&o));
    assert_eq!(entries(dir.path()), ["d.sql"]);

    let o = run_in(
        dir.path(),
        &["extract", "--since", "2023-01-01", "--sql", "-", "d.sql"],
    );
    assert_exit(&o, 2);
    assert!(stderr(&o).contains(&want), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "a patch went to stdout");
}
