//! The whole pipeline on an in-memory dump: the bytes go to a temporary file, `extract` reads
//! it with `--since` and writes the patch, the JSON and its schema file; when that succeeds,
//! `patch` must rebuild the same patch from the JSON (see `checks.rs`). Never a panic or a hang, and the peak
//! heap (counted by the allocator below) must stay in proportion to the input.
#![no_main]

#[path = "checks.rs"]
mod checks;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Fixed heap the pipeline may use whatever the input (read buffers, chunk queue, sqlparser,
/// time zone tables), and how much more per input byte.
const BASE_BUDGET: usize = 128 << 20;
const PER_BYTE: usize = 256;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir").keep())
}

fuzz_target!(|data: &[u8]| {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    checks::check_extract(data, dir());
    let used = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    assert!(
        used <= BASE_BUDGET + PER_BYTE * data.len(),
        "extract used {used} bytes of heap for a {}-byte dump",
        data.len()
    );
});
