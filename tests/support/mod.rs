//! Shared helpers for the integration tests: the binary under test, and the policy for tests
//! that need a real database server (run everywhere the server exists; in CI a missing server
//! is a failure, never a silent skip).
#![allow(dead_code)]

pub mod mariadb;
pub mod pg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The dbsalvage binary built for this test run.
pub fn dbsalvage() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dbsalvage"))
}

/// Runs dbsalvage with `args`, returning its output.
pub fn run_dbsalvage(args: &[&str]) -> Output {
    dbsalvage().args(args).output().expect("dbsalvage runs")
}

/// The environment that makes `dbsalvage` cut even a small dump's reads the way a large dump's
/// are cut on a machine with several cores: re-reads in three pieces, split wherever a row
/// starts, with resume points (and so skippable stretches) at every row or statement; and every
/// window of COPY rows of the first read shared with a helper thread.
pub const IN_PIECES: &[(&str, &str)] = &[
    ("DBSALVAGE_THREADS", "3"),
    ("DBSALVAGE_PIECE_BYTES", "1"),
    ("DBSALVAGE_RESUME_SPACING", "1"),
    ("DBSALVAGE_SPLIT_BYTES", "1"),
];

/// Is this a CI run (where real-server tests must not skip)?
pub fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

/// Decides whether a real-server test can run: `true` if `binary` exists. When it does not, the
/// test is skipped with a message on a developer machine, and fails in CI.
pub fn server_available(what: &str, binary: &Path) -> bool {
    if binary.exists() {
        return true;
    }
    if in_ci() {
        panic!(
            "{what} is required in CI but {} is missing",
            binary.display()
        );
    }
    eprintln!(
        "skipping: {what} not installed ({} missing)",
        binary.display()
    );
    false
}

/// A folder of the shared sample data sets (`pagila`, `sakila`): `$DBSALVAGE_SHARED_DIR`, else
/// the `shared/` folder beside the repository (where CI puts it), else `/work/shared`.
pub fn shared_dataset(name: &str) -> std::path::PathBuf {
    let base = std::env::var_os("DBSALVAGE_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = base.join("datasets").join(name);
    if dir.exists() {
        dir
    } else {
        Path::new("/work/shared/datasets").join(name)
    }
}

/// The `gen` example (`examples/gen.rs`): the one `cargo test` built beside this test (in
/// `target/<profile>/examples/`), else built (in this test's profile) the first time it is
/// needed.
pub fn gen_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let beside = std::env::current_exe().ok().and_then(|exe| {
            let profile_dir = exe.parent()?.parent()?;
            let gen = profile_dir
                .join("examples")
                .join(format!("gen{}", std::env::consts::EXE_SUFFIX));
            gen.is_file().then_some(gen)
        });
        if let Some(gen) = beside {
            return gen;
        }
        let out = Command::new(env!("CARGO"))
            .args(["build", "--example", "gen", "--message-format=json"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "cargo build --example gen failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "gen")
            .find_map(|msg| msg["executable"].as_str().map(PathBuf::from))
            .expect("cargo build reports the gen executable")
    })
}
