//! Knobs from the environment: how many threads to use and how big the units of parallel work
//! are. Users never need them; tests set them tiny so that small dumps are cut everywhere
//! (`tests/support::IN_PIECES`), and benchmarks set the thread count.
//!
//! | variable | default | what |
//! |---|---|---|
//! | `DBSALVAGE_THREADS` | the machine's cores | threads for a read (1 = no helper threads) |
//! | `DBSALVAGE_SPLIT_BYTES` | 256 KiB | the least window of rows a first read shares with a helper |
//! | `DBSALVAGE_PIECE_BYTES` | 4 MiB | the least piece a table re-read is cut into |
//! | `DBSALVAGE_RESUME_SPACING` | 1 MiB | the least distance between two resume points of a segment |

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
