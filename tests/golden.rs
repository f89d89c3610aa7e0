//! Golden cases: every directory under `testdata/golden/` is one run of the binary.
//!
//! A case holds `args` (one argument per line; run in the case directory, `$OUT` is a fresh
//! temporary directory), optionally `stdin` (fed to the process), and the expectations:
//! `expected.json` / `expected.sql` (compared with `$OUT/rows.json` / `$OUT/patch.sql`),
//! `expected.stderr` and `expected.exit` (default 0). `DBSALVAGE_BLESS=1 cargo test --test
//! golden` rewrites the expectations from the current output; review the diff before committing.
//!
//! Every case runs twice: as it is, and with table re-reads cut into three pieces wherever a
//! row starts and resume points at every row or statement (`DBSALVAGE_THREADS=3
//! DBSALVAGE_PIECE_BYTES=1 DBSALVAGE_RESUME_SPACING=1`: reads for ancestors then skip every
//! stretch that cannot hold them); both must give the expected output.

mod support;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/golden");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("testdata/golden exists")
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.join("args").exists())
        .collect();
    dirs.sort();
    dirs
}

fn check(case: &Path, name: &str, got: &[u8], bless: bool, failures: &mut Vec<String>) {
    let path = case.join(name);
    if bless {
        fs::write(&path, got).expect("write expectation");
        return;
    }
    let want = fs::read(&path).unwrap_or_default();
    if want != got {
        failures.push(format!(
            "{}/{name} differs:\n--- expected\n{}\n--- got\n{}",
            case.display(),
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(got)
        ));
    }
}

#[test]
fn golden_cases() {
    let bless = std::env::var("DBSALVAGE_BLESS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no golden cases found");
    let configurations: &[&[(&str, &str)]] = if bless {
        &[&[]]
    } else {
        &[&[], support::IN_PIECES]
    };
    for (case, env) in cases
        .iter()
        .flat_map(|c| configurations.iter().map(move |e| (c, *e)))
    {
        let failed_before = failures.len();
        let out = tempfile::tempdir().expect("temp dir");
        let args: Vec<String> = fs::read_to_string(case.join("args"))
            .expect("args file")
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.replace("$OUT", &out.path().display().to_string()))
            .collect();
        let stdin = fs::read(case.join("stdin")).ok();
        let mut child = support::dbsalvage()
            .args(&args)
            .envs(env.iter().copied())
            .current_dir(case)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dbsalvage starts");
        if let Some(bytes) = stdin {
            let mut pipe = child.stdin.take().expect("stdin pipe");
            // The process may exit early on bad input; a broken pipe is part of the case.
            let _ = pipe.write_all(&bytes);
        }
        let output = child.wait_with_output().expect("dbsalvage finishes");
        let code = output.status.code().unwrap_or(-1);
        let want_code: i32 = fs::read_to_string(case.join("expected.exit"))
            .map(|s| s.trim().parse().expect("expected.exit holds a number"))
            .unwrap_or(0);
        if bless {
            if code != 0 {
                fs::write(case.join("expected.exit"), format!("{code}\n")).expect("write");
            }
        } else if code != want_code {
            failures.push(format!(
                "{}: exit code {code}, expected {want_code}; stderr:\n{}",
                case.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        if case.join("expected.stderr").exists() || (bless && code != 0) {
            let stderr = String::from_utf8_lossy(&output.stderr)
                .replace(&out.path().display().to_string(), "$OUT");
            check(
                case,
                "expected.stderr",
                stderr.as_bytes(),
                bless,
                &mut failures,
            );
        }
        for (file, expected) in [
            ("rows.json", "expected.json"),
            ("patch.sql", "expected.sql"),
        ] {
            let produced = out.path().join(file);
            if case.join(expected).exists() || (bless && produced.exists()) {
                let got = fs::read(&produced).unwrap_or_default();
                check(case, expected, &got, bless, &mut failures);
            }
            if code != 0 && produced.exists() {
                failures.push(format!("{}: failed run left {file} behind", case.display()));
            }
        }
        let leftovers: Vec<_> = fs::read_dir(out.path())
            .expect("out dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".dbsalvage-"))
            .collect();
        if !leftovers.is_empty() {
            failures.push(format!(
                "{}: temporary files left: {leftovers:?}",
                case.display()
            ));
        }
        if !env.is_empty() {
            for failure in &mut failures[failed_before..] {
                failure.push_str(&format!("\n(run with {env:?})"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
