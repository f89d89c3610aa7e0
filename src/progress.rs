//! Progress on stderr while a dump is read — only when stderr is a terminal and `--quiet` is not
//! given. Bytes are counted where they are read (one update per read call, not per row); the
//! current table is set by the selection's first-pass sink when a table's rows begin.

use std::io::{self, IsTerminal, Read};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress display that may be off.
#[derive(Clone, Default)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Shows progress if `wanted` and stderr is a terminal. `total` is the size in bytes when
    /// known (a plain file), for a percentage; otherwise bytes and rate are shown.
    pub fn new(wanted: bool, total: Option<u64>) -> Progress {
        if !wanted || !io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = match total {
            Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{spinner} reading {bytes}/{total_bytes} ({percent}%, {bytes_per_sec}, eta {eta}) {msg}"
        } else {
            "{spinner} reading {bytes} ({bytes_per_sec}) {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar) }
    }

    /// Wraps the reader whose bytes are counted.
    pub fn reader<R: Read>(&self, inner: R) -> ProgressRead<R> {
        ProgressRead {
            inner,
            bar: self.bar.clone(),
        }
    }

    /// Counts `n` more bytes read.
    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Names what is being done (the current table, a phase).
    pub fn message(&self, msg: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(msg.to_string());
        }
    }

    /// Is anything shown?
    pub fn is_visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Removes the display (before the summary or an error line).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A reader that advances the progress display.
pub struct ProgressRead<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for ProgressRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}
