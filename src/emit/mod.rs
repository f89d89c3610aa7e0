//! Output stage: the JSON review file ([`json`]) and the safe way to write any output file.
//!
//! Outputs are written to a temporary file beside the target and renamed over it only when the
//! whole run succeeded, so a failed run never leaves half a patch behind. The SQL patches
//! themselves are written by each dialect's [`crate::dialect::PatchWriter`].

pub mod json;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Appends `bytes` as hexadecimal digits, lower-case or upper-case (binary values in every
/// output: JSON strings, PostgreSQL `'\x…'`, MySQL `X'…'`).
pub fn extend_hex(out: &mut Vec<u8>, bytes: &[u8], upper: bool) {
    let start = out.len();
    out.resize(start + 2 * bytes.len(), 0);
    let digits = &mut out[start..];
    // `digits` is exactly twice as long as `bytes`, the one thing the encoder checks.
    let _ = if upper {
        const_hex::encode_to_slice_upper(bytes, digits)
    } else {
        const_hex::encode_to_slice(bytes, digits)
    };
}

/// An output file that appears at its path only on [`OutputFile::commit`] (or stdout, written
/// as it goes).
pub struct OutputFile {
    path: PathBuf,
    temp: Option<NamedTempFile>,
    writer: Option<BufWriter<Box<dyn Write + Send>>>,
}

impl OutputFile {
    /// Creates the temporary file beside `path` (so a missing directory fails before any work).
    ///
    /// # Errors
    /// The directory does not exist or is not writable.
    pub fn create(path: &Path) -> Result<OutputFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let fail = |source| Error::Output {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(fail(io::Error::other("it is a directory")));
        }
        // A device or pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place: renaming a
        // temporary file over it would replace the device.
        if let Ok(meta) = std::fs::metadata(path) {
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(fail)?;
                return Ok(OutputFile {
                    path: path.to_path_buf(),
                    temp: None,
                    writer: Some(BufWriter::with_capacity(1 << 20, Box::new(file))),
                });
            }
        }
        if !dir.is_dir() {
            return Err(fail(io::Error::new(
                io::ErrorKind::NotFound,
                format!("directory {} does not exist", dir.display()),
            )));
        }
        // The temporary file's own name would only confuse the message.
        let temp = tempfile::Builder::new()
            .prefix(".dbsalvage-")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| {
                fail(io::Error::new(
                    e.kind(),
                    e.to_string()
                        .split(" at path")
                        .next()
                        .unwrap_or("")
                        .to_string(),
                ))
            })?;
        let file = temp.reopen().map_err(fail)?;
        Ok(OutputFile {
            path: path.to_path_buf(),
            temp: Some(temp),
            writer: Some(BufWriter::with_capacity(
                1 << 20,
                Box::new(EarlyWriteback::new(file)),
            )),
        })
    }

    /// Standard output (`-`).
    pub fn stdout() -> OutputFile {
        OutputFile {
            path: PathBuf::from("<stdout>"),
            temp: None,
            writer: Some(BufWriter::with_capacity(1 << 20, Box::new(io::stdout()))),
        }
    }

    /// The writer to fill.
    pub fn writer(&mut self) -> &mut dyn Write {
        self.writer
            .as_mut()
            .expect("writer is present until commit")
    }

    /// Is the output written to a temporary file until [`OutputFile::commit`]? (Not stdout, not
    /// a device or pipe: those receive the bytes as they are written.)
    pub fn is_staged(&self) -> bool {
        self.temp.is_some()
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes and syncs what was written (the slow part of [`OutputFile::commit`], which
    /// writer threads do side by side); nothing is written after it.
    ///
    /// # Errors
    /// Any write or sync failure.
    pub fn finish(&mut self) -> Result<()> {
        let fail = |source| Error::Output {
            path: self.path.clone(),
            source,
        };
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let mut inner = writer.into_inner().map_err(|e| fail(e.into_error()))?;
        inner.flush().map_err(fail)?;
        drop(inner);
        if let Some(temp) = &self.temp {
            temp.as_file().sync_all().map_err(fail)?;
        }
        Ok(())
    }

    /// Flushes, syncs and renames the file into place.
    ///
    /// # Errors
    /// Any write, sync or rename failure (the temporary file is removed).
    pub fn commit(mut self) -> Result<()> {
        self.finish()?;
        if let Some(temp) = self.temp.take() {
            temp.persist(&self.path).map_err(|e| Error::Output {
                path: self.path.clone(),
                source: e.error,
            })?;
        }
        Ok(())
    }

    /// Turns a write error into an output error naming this file.
    pub fn error(&self, source: io::Error) -> Error {
        Error::Output {
            path: self.path.clone(),
            source,
        }
    }
}

/// How many bytes an output file gets between two requests to write its data back.
const WRITEBACK_EVERY: u64 = 16 << 20;

/// A file writer that has its data written to disk as it goes, by a thread of its own, so
/// that the sync before the rename (see [`OutputFile::finish`]) finds little left to do: on
/// the machine measured, syncing a 117 MB JSON file at the end took 50–60 ms of the run.
struct EarlyWriteback {
    file: File,
    /// Bytes written since the last request.
    pending: u64,
    /// Requests to the syncing thread (started with the first one). One request waits while
    /// another is served; more are dropped, as the waiting one covers them.
    requests: Option<SyncSender<()>>,
    syncer: Option<JoinHandle<()>>,
}

impl EarlyWriteback {
    fn new(file: File) -> EarlyWriteback {
        EarlyWriteback {
            file,
            pending: 0,
            requests: None,
            syncer: None,
        }
    }

    fn request(&mut self) {
        if self.requests.is_none() {
            let Ok(clone) = self.file.try_clone() else {
                return;
            };
            let (tx, rx) = sync_channel::<()>(1);
            let thread = std::thread::Builder::new()
                .name("dbsalvage-writeback".into())
                .spawn(move || {
                    // Failures are not reported here: the final sync reports them.
                    while rx.recv().is_ok() {
                        let _ = clone.sync_data();
                    }
                });
            let Ok(thread) = thread else {
                return;
            };
            self.requests = Some(tx);
            self.syncer = Some(thread);
        }
        if let Some(requests) = &self.requests {
            let _ = requests.try_send(());
        }
    }
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.pending += n as u64;
        if self.pending >= WRITEBACK_EVERY {
            self.pending = 0;
            self.request();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Drop for EarlyWriteback {
    fn drop(&mut self) {
        // The last request is served before the file is synced for good (or dropped).
        self.requests = None;
        if let Some(thread) = self.syncer.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value, in both cases, appended after what the buffer held.
    #[test]
    fn hex_digits_of_every_byte() {
        let bytes: Vec<u8> = (0..=255u8).rev().collect();
        for upper in [false, true] {
            let mut out = b"X'".to_vec();
            extend_hex(&mut out, &bytes, upper);
            let want: String = bytes
                .iter()
                .map(|b| match upper {
                    true => format!("{b:02X}"),
                    false => format!("{b:02x}"),
                })
                .collect();
            assert_eq!(out, [&b"X'"[..], want.as_bytes()].concat());
        }
        let mut out = b"keep".to_vec();
        extend_hex(&mut out, b"", true);
        assert_eq!(out, b"keep");
    }

    #[test]
    fn nothing_appears_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sql");
        let mut out = OutputFile::create(&path).unwrap();
        out.writer().write_all(b"hello").unwrap();
        assert!(!path.exists());
        out.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A file big enough for writebacks on the way arrives whole, and one dropped after them
    /// leaves nothing behind.
    #[test]
    fn written_back_on_the_way_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        let piece: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        // Two writebacks and a bit.
        let pieces = 2 * (WRITEBACK_EVERY as usize / piece.len()) + 3;
        let mut out = OutputFile::create(&path).unwrap();
        for _ in 0..pieces {
            out.writer().write_all(&piece).unwrap();
        }
        out.commit().unwrap();
        let back = std::fs::read(&path).unwrap();
        assert_eq!(back.len(), piece.len() * pieces);
        assert!(back.chunks(piece.len()).all(|c| c == piece));

        let other = dir.path().join("dropped.json");
        let mut out = OutputFile::create(&other).unwrap();
        for _ in 0..WRITEBACK_EVERY as usize / piece.len() + 1 {
            out.writer().write_all(&piece).unwrap();
        }
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// The syncing thread is started by the write that reaches the threshold, not before.
    #[test]
    fn writeback_is_asked_for_at_its_threshold() {
        let mut w = EarlyWriteback::new(tempfile::tempfile().unwrap());
        w.write_all(&vec![1u8; WRITEBACK_EVERY as usize - 1])
            .unwrap();
        assert!(w.syncer.is_none() && w.requests.is_none());
        w.write_all(&[1u8]).unwrap();
        assert!(w.syncer.is_some() && w.requests.is_some());
        assert_eq!(w.pending, 0);
        // Dropping it waits for the thread.
        drop(w);
    }

    #[test]
    fn dropped_output_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sql");
        let mut out = OutputFile::create(&path).unwrap();
        out.writer().write_all(b"half").unwrap();
        drop(out);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn devices_are_written_in_place() {
        let out = OutputFile::create(Path::new("/dev/null")).unwrap();
        out.commit().unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn missing_directory_fails_early() {
        let err = OutputFile::create(Path::new("/nonexistent-dir/x/out.sql"))
            .err()
            .unwrap();
        assert_eq!(err.exit_code(), 1);
        assert!(err.to_string().contains("/nonexistent-dir/x/out.sql"));
    }
}
