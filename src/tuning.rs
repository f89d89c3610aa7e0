//! Knobs from the environment: how many threads to use, how big the units of parallel work
//! are, and whether to trace a run's steps. Users never need them; tests set them tiny so that
//! small dumps are cut everywhere (`tests/support::IN_PIECES`), and benchmarks set the thread
//! count.
//!
//! | variable | default | what |
//! |---|---|---|
//! | `DBSALVAGE_THREADS` | the machine's cores | threads for a read (1 = no helper threads) |
//! | `DBSALVAGE_SPLIT_BYTES` | 256 KiB | the least window of rows a first read shares with a helper |
//! | `DBSALVAGE_PIECE_BYTES` | 4 MiB | the least piece a table re-read is cut into |
//! | `DBSALVAGE_RESUME_SPACING` | 1 MiB | the least distance between two resume points of a segment |
//! | `DBSALVAGE_TRACE` | unset | set: print the time and peak memory at each step of a run |

use std::sync::OnceLock;

/// A positive number from the environment.
pub fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok().filter(|&n| n > 0)
}

/// How many threads a read may keep busy: `DBSALVAGE_THREADS`, else the machine's cores.
pub fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        env_number("DBSALVAGE_THREADS")
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// The default of [`split_bytes`]: a window this big takes a helper thread about 50 µs, an
/// order of magnitude more than starting it.
pub const SPLIT_BYTES: usize = 256 << 10;

/// The least window of rows a first read shares with a helper thread, or `None` when it must
/// not (one thread).
pub fn split_bytes() -> Option<usize> {
    static SPLIT: OnceLock<Option<usize>> = OnceLock::new();
    *SPLIT.get_or_init(|| {
        (threads() > 1).then(|| {
            env_number("DBSALVAGE_SPLIT_BYTES")
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(SPLIT_BYTES)
        })
    })
}

/// The default of [`piece_bytes`]: tables smaller than this are re-read in one piece, as
/// splitting them gains less than it costs.
pub const PIECE_BYTES: u64 = 4 << 20;

/// The least bytes a piece of a table re-read holds: `DBSALVAGE_PIECE_BYTES`, else
/// [`PIECE_BYTES`] (tests set it to 1 to cut small dumps anywhere).
pub fn piece_bytes() -> u64 {
    static PIECE: OnceLock<u64> = OnceLock::new();
    *PIECE.get_or_init(|| env_number("DBSALVAGE_PIECE_BYTES").unwrap_or(PIECE_BYTES))
}

/// The default of [`resume_spacing`].
pub const RESUME_SPACING: u64 = 1 << 20;

/// The least distance between two resume points of a segment (where a re-read may start):
/// `DBSALVAGE_RESUME_SPACING`, else [`RESUME_SPACING`]. Tests set it tiny so that runs of
/// INSERTs in small dumps are read backwards and cut into pieces at every statement.
pub fn resume_spacing() -> u64 {
    static SPACING: OnceLock<u64> = OnceLock::new();
    *SPACING.get_or_init(|| env_number("DBSALVAGE_RESUME_SPACING").unwrap_or(RESUME_SPACING))
}

/// Is `DBSALVAGE_TRACE` set (print the time and peak memory at each step)?
pub fn tracing() -> bool {
    static TRACE: OnceLock<bool> = OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("DBSALVAGE_TRACE").is_some())
}
