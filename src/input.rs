//! Opening the dump: a file or stdin, plain or gzip (detected by its magic bytes, whatever the
//! name), read once in full and then re-read in parts.
//!
//! A plain file is re-read where it lies. Anything that cannot be re-read cheaply — stdin, or a
//! gzip stream that would have to be decompressed again — is spooled, decompressed, to a
//! temporary file while the first read goes on. Gzip is decompressed on its own thread
//! (flate2's zlib-rs backend), so decompression overlaps with parsing.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use flate2::bufread::MultiGzDecoder;
use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::scan::ChunkFeed;

/// Where the dump comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// Standard input.
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl InputSpec {
    /// `-` or nothing is stdin.
    pub fn from_arg(arg: Option<&Path>) -> InputSpec {
        match arg {
            None => InputSpec::Stdin,
            Some(p) if p.as_os_str() == "-" => InputSpec::Stdin,
            Some(p) => InputSpec::Path(p.to_path_buf()),
        }
    }
}

/// What can be re-read after the first pass.
enum Reread {
    Plain(PathBuf),
    Spool(NamedTempFile),
    /// The spool was let go ([`Input::release_spool`]): nothing can be re-read.
    Released,
}

/// An opened dump.
pub struct Input {
    /// Name for messages: the path, or `<stdin>`.
    pub name: String,
    /// Was it gzip?
    pub gzip: bool,
    /// Size of the file as stored (compressed size for gzip), when it is a file.
    pub stored_size: Option<u64>,
    reread: Reread,
    first: Option<(Box<dyn Read + Send>, Option<File>)>,
}

const CHUNK: usize = 1 << 20;

impl Input {
    /// Is the first read copied to a spool file (stdin, gzip) as it is read?
    pub fn is_spooled(&self) -> bool {
        matches!(self.reread, Reread::Spool(_) | Reread::Released)
    }

    /// Lets the spool go once nothing will re-read it (not even to number the line of an
    /// error): its name is removed now, and its file is closed on a thread of its own. Closing
    /// a 2 GB spool frees its pages in the page cache, 0.09 s of system time here, which then
    /// overlaps with what the caller does next (syncing and renaming the outputs). The spool is
    /// gone even if the process ends first: it has no name any more, and the system closes the
    /// file at exit. A plain file is left alone.
    pub fn release_spool(&mut self) {
        match std::mem::replace(&mut self.reread, Reread::Released) {
            Reread::Spool(spool) => {
                let (file, path) = spool.into_parts();
                // Best effort, as NamedTempFile's own drop: a name that cannot be removed stays.
                let _ = path.close();
                // Without a thread, the file is closed right here.
                let _ = std::thread::Builder::new().spawn(move || drop(file));
            }
            other => self.reread = other,
        }
    }

    /// Opens the dump for its first read. `spool_dir` is where stdin or gzip input is spooled
    /// (default: the system temporary directory).
    ///
    /// # Errors
    /// The file cannot be opened, or the spool file cannot be created.
    pub fn open(spec: &InputSpec, spool_dir: Option<&Path>) -> Result<Input> {
        match spec {
            InputSpec::Stdin => {
                enlarge_pipe_buffer();
                Input::from_source("<stdin>".into(), Box::new(io::stdin()), None, spool_dir)
            }
            InputSpec::Path(p) => {
                let f = File::open(p)
                    .map_err(|e| Error::io(format!("cannot open {}", p.display()), e))?;
                let size = f.metadata().ok().map(|m| m.len());
                Input::from_source(
                    p.display().to_string(),
                    Box::new(f),
                    Some((p, size)),
                    spool_dir,
                )
            }
        }
    }

    /// [`Input::open`] of an opened source; `file` is its path and size when it is a file
    /// (re-read where it lies unless it is gzip).
    fn from_source(
        name: String,
        mut raw: Box<dyn Read + Send>,
        file: Option<(&PathBuf, Option<u64>)>,
        spool_dir: Option<&Path>,
    ) -> Result<Input> {
        // The first two bytes tell gzip: read until there are two or the input ends (a pipe
        // may hand over a single byte first).
        let mut head = Vec::with_capacity(2);
        (&mut raw)
            .take(2)
            .read_to_end(&mut head)
            .map_err(|e| Error::io(format!("cannot read {name}"), e))?;
        let gzip = head == [0x1f, 0x8b];
        // The bytes looked at, then the source itself (not through a buffer: most reads of a
        // pipe are short, and a buffer in front would copy each of them once more).
        let source = io::Cursor::new(head).chain(raw);
        let source: Box<dyn Read + Send> = if gzip {
            Box::new(MultiGzDecoder::new(BufReader::with_capacity(CHUNK, source)))
        } else {
            Box::new(source)
        };
        let new_spool = || {
            match spool_dir {
                Some(d) => NamedTempFile::new_in(d),
                None => NamedTempFile::new(),
            }
            .map_err(|e| Error::io("cannot create a temporary spool file", e))
        };
        let stored_size = file.and_then(|(_, size)| size);
        let path = file.map(|(p, _)| p.clone());
        let (reread, spool) = match (gzip, path) {
            (false, Some(p)) => (Reread::Plain(p), None),
            _ => {
                let spool = new_spool()?;
                let file = spool
                    .reopen()
                    .map_err(|e| Error::io("cannot open the spool file", e))?;
                (Reread::Spool(spool), Some(file))
            }
        };
        Ok(Input {
            name,
            gzip,
            stored_size,
            reread,
            first: Some((source, spool)),
        })
    }

    /// The decompressed input for the first, full read, produced by a read-ahead thread (which
    /// also writes the spool, and counts the bytes for `progress`). Can be taken once.
    pub fn first_read(&mut self, progress: &Progress) -> Option<ReadAhead> {
        let (source, spool) = self.first.take()?;
        if self.gzip {
            // Decompression keeps the reader thread busy; the parser has time to spare, so it
            // writes the spool.
            let mut feed = ReadAhead::spawn(source, None, progress.clone());
            feed.spool = spool;
            Some(feed)
        } else {
            Some(ReadAhead::spawn(source, spool, progress.clone()))
        }
    }

    /// A handle to re-read the decompressed dump from any offset.
    ///
    /// # Errors
    /// The file or spool cannot be reopened.
    pub fn reopen(&self) -> Result<File> {
        match &self.reread {
            Reread::Plain(p) => {
                File::open(p).map_err(|e| Error::io(format!("cannot reopen {}", p.display()), e))
            }
            Reread::Spool(s) => s
                .reopen()
                .map_err(|e| Error::io("cannot reopen the spool file", e)),
            Reread::Released => Err(Error::io(
                "cannot reopen the spool file",
                io::Error::new(io::ErrorKind::NotFound, "it was released"),
            )),
        }
    }

    /// The 1-based line holding byte `offset` (counted by re-reading; used for error messages).
    pub fn line_of(&self, offset: u64) -> Option<u64> {
        let mut f = self.reopen().ok()?;
        f.seek(SeekFrom::Start(0)).ok()?;
        let mut left = offset;
        let mut lines = 1u64;
        let mut buf = vec![0u8; CHUNK];
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = f.read(&mut buf[..want]).ok()?;
            if n == 0 {
                break;
            }
            lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
            left -= n as u64;
        }
        Some(lines)
    }
}

fn spool_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("writing the spool file: {e}"))
}

/// When stdin is a pipe, asks for a 1 MiB pipe buffer (the default 64 KiB one made reading a
/// 2 GB `cat dump |` three times slower here: 2.5 s against 0.8 s). Best effort: a pipe that
/// cannot grow, or no pipe at all, is read as it is.
fn enlarge_pipe_buffer() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::pipe::fcntl_setpipe_size(io::stdin(), 1 << 20);
    }
}

/// Writes `bytes` to the spool in pieces the page cache takes fast (see [`crate::pagecache`]).
fn write_spool(spool: &mut File, bytes: &[u8]) -> io::Result<()> {
    crate::pagecache::SmallWrites(spool).write_all(bytes)
}

/// Chunks read ahead of the parser.
const CHUNKS_AHEAD: usize = 4;

/// Chunks read ahead of the spool writer (stdin).
const SPOOL_AHEAD: usize = 2;

/// Used buffers kept for reuse by a read-ahead thread.
const RECYCLED: usize = 2;

/// Room left in front of each chunk for the unfinished frame of the previous one.
const HEAD_ROOM: usize = 64 * 1024;

/// Reads (and decompresses, and spools) on a thread of its own, up to [`CHUNKS_AHEAD`] chunks
/// ahead of the parser: reading overlaps with parsing, and chunks are handed over without
/// copying.
pub struct ReadAhead {
    chunks: Receiver<io::Result<Vec<u8>>>,
    recycle: SyncSender<Vec<u8>>,
    done: bool,
    /// Written here, on the consuming side, as chunks arrive (when the reading thread is the
    /// busier one).
    spool: Option<File>,
}

impl ReadAhead {
    /// Starts the thread reading `source`; each chunk is written to `spool` (if any) before it
    /// is handed over — by a second thread, so that reading the next chunk overlaps with
    /// writing this one (on a pipe, writing the spool into the page cache is the slower half).
    pub fn spawn<R: Read + Send + 'static>(
        mut source: R,
        spool: Option<File>,
        progress: Progress,
    ) -> ReadAhead {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(CHUNKS_AHEAD);
        // Room for two buffers given back. The parser gives one back just after it took the
        // next chunk, often after this thread has looked for one, so about a third of the
        // chunks are fresh allocations (memset 2.4 % of a one-thread MySQL first read, no
        // measurable wall time). Room for every buffer in flight (tried) stops that, but lets
        // the pool grow with the length of the read, to a dozen or more buffers per read-ahead
        // (re-reads run several): peak memory then grew with the dump.
        let (recycle_tx, recycle_rx) = sync_channel::<Vec<u8>>(RECYCLED);
        // Where the reading thread sends its chunks: the parser, or the spool writer before it.
        let read_tx = match spool {
            None => tx,
            Some(spool) => {
                let (spool_tx, spool_rx) = sync_channel::<io::Result<Vec<u8>>>(SPOOL_AHEAD);
                std::thread::spawn(move || write_spool_ahead(spool, &spool_rx, &tx));
                spool_tx
            }
        };
        std::thread::spawn(move || loop {
            let mut buf = recycle_rx.try_recv().unwrap_or_default();
            buf.resize(HEAD_ROOM + CHUNK, 0);
            let mut filled = HEAD_ROOM;
            let result = loop {
                match source.read(&mut buf[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == buf.len() {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            buf.truncate(filled);
            let got = filled - HEAD_ROOM;
            if got > 0 {
                progress.advance(got as u64);
                if read_tx.send(Ok(buf)).is_err() {
                    return;
                }
            }
            match result {
                Ok(()) if got == 0 => return,
                Ok(()) => {}
                Err(e) => {
                    let _ = read_tx.send(Err(e));
                    return;
                }
            }
        });
        ReadAhead {
            chunks: rx,
            recycle: recycle_tx,
            done: false,
            spool: None,
        }
    }
}

/// The spool writer between the reading thread and the parser: writes each chunk, then passes
/// it on (and passes on the reading thread's error, or its own, and stops).
fn write_spool_ahead(
    mut spool: File,
    chunks: &Receiver<io::Result<Vec<u8>>>,
    parser: &SyncSender<io::Result<Vec<u8>>>,
) {
    while let Ok(chunk) = chunks.recv() {
        let chunk = chunk.and_then(|c| {
            write_spool(&mut spool, &c[HEAD_ROOM..]).map_err(spool_error)?;
            Ok(c)
        });
        let failed = chunk.is_err();
        if parser.send(chunk).is_err() || failed {
            return;
        }
    }
}

impl ChunkFeed for ReadAhead {
    fn next_chunk(&mut self) -> io::Result<Option<(Vec<u8>, usize)>> {
        if self.done {
            return Ok(None);
        }
        match self.chunks.recv() {
            Ok(Ok(chunk)) => {
                if let Some(spool) = self.spool.as_mut() {
                    write_spool(spool, &chunk[HEAD_ROOM..]).map_err(spool_error)?;
                }
                Ok(Some((chunk, HEAD_ROOM)))
            }
            Ok(Err(e)) => {
                self.done = true;
                Err(e)
            }
            Err(_) => {
                self.done = true;
                Ok(None)
            }
        }
    }

    fn recycle(&mut self, buf: Vec<u8>) {
        let _ = self.recycle.try_send(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;

    fn read_all(input: &mut Input) -> io::Result<Vec<u8>> {
        let mut feed = input.first_read(&Progress::default()).unwrap();
        let mut all = Vec::new();
        while let Some((chunk, head)) = feed.next_chunk()? {
            all.extend_from_slice(&chunk[head..]);
        }
        Ok(all)
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_multi_member_is_read_whole_and_spooled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sql.weird");
        let mut bytes = gz(b"first member\n");
        bytes.extend(gz(&b"second member\n".repeat(200_000)));
        std::fs::write(&path, &bytes).unwrap();
        let mut input = Input::open(&InputSpec::Path(path), Some(dir.path())).unwrap();
        assert!(input.gzip);
        let all = read_all(&mut input).unwrap();
        assert!(all.starts_with(b"first member\nsecond member\n"));
        assert_eq!(all.len(), 13 + 14 * 200_000);
        let mut again = Vec::new();
        input.reopen().unwrap().read_to_end(&mut again).unwrap();
        assert_eq!(again, all);
        assert_eq!(input.line_of(13), Some(2));
    }

    /// The bytes looked at to tell gzip come first, then the rest of the file, in order.
    #[test]
    fn plain_input_is_read_whole_after_the_sniffed_head() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.sql");
        let data: Vec<u8> = (0..3 * CHUNK + 777).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut input = Input::open(&InputSpec::Path(path), Some(dir.path())).unwrap();
        assert!(!input.gzip && !input.is_spooled());
        assert!(read_all(&mut input).unwrap() == data);
    }

    /// A released spool has no name any more at once (its file is closed on another thread);
    /// nothing can re-read it, and a plain file is not touched.
    #[test]
    fn a_released_spool_is_gone() {
        let dump = tempfile::tempdir().unwrap();
        let spools = tempfile::tempdir().unwrap();
        let path = dump.path().join("d.sql.gz");
        std::fs::write(&path, gz(&b"line\n".repeat(100_000))).unwrap();
        let mut input = Input::open(&InputSpec::Path(path.clone()), Some(spools.path())).unwrap();
        assert_eq!(read_all(&mut input).unwrap().len(), 500_000);
        assert_eq!(std::fs::read_dir(spools.path()).unwrap().count(), 1);
        assert_eq!(input.line_of(10), Some(3));
        input.release_spool();
        assert_eq!(std::fs::read_dir(spools.path()).unwrap().count(), 0);
        assert!(input.is_spooled());
        assert!(input.reopen().is_err());
        assert_eq!(input.line_of(10), None);

        let plain = dump.path().join("p.sql");
        std::fs::write(&plain, b"a\nb\n").unwrap();
        let mut input = Input::open(&InputSpec::Path(plain.clone()), Some(spools.path())).unwrap();
        input.release_spool();
        assert_eq!(input.line_of(2), Some(2));
        assert!(plain.exists());
    }

    /// A source that hands over one byte per read, as a pipe may.
    struct ByteByByte(io::Cursor<Vec<u8>>);
    impl Read for ByteByByte {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let one = buf.len().min(1);
            self.0.read(&mut buf[..one])
        }
    }

    /// gzip is told by its first two bytes even when they come in two reads; plain input read
    /// a byte at a time arrives whole; an empty source or a lone first byte of the magic is
    /// plain.
    #[test]
    fn gzip_is_told_by_two_bytes_however_they_arrive() {
        let spools = tempfile::tempdir().unwrap();
        let text = b"COPY t (a) FROM stdin;\n1\n\\.\n".repeat(1000);
        let cases: [(Vec<u8>, bool, Vec<u8>); 4] = [
            (gz(&text), true, text.clone()),
            (text.clone(), false, text.clone()),
            (Vec::new(), false, Vec::new()),
            (vec![0x1f], false, vec![0x1f]),
        ];
        for (bytes, gzip, want) in cases {
            let source = Box::new(ByteByByte(io::Cursor::new(bytes)));
            let mut input =
                Input::from_source("<pipe>".into(), source, None, Some(spools.path())).unwrap();
            assert_eq!(input.gzip, gzip);
            assert!(read_all(&mut input).unwrap() == want);
        }
    }

    /// A source that gives `good` bytes in small reads, then fails.
    struct FailsAfter {
        good: usize,
    }
    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.good == 0 {
                return Err(io::Error::other("the pipe broke"));
            }
            let n = buf.len().min(self.good).min(100_000);
            buf[..n].fill(b'x');
            self.good -= n;
            Ok(n)
        }
    }

    /// Through the spool writer thread: chunks arrive in order and are spooled before they are
    /// handed over; a read error arrives after them, and the feed ends.
    #[test]
    fn spooled_chunks_then_the_read_error() {
        let spool = tempfile::NamedTempFile::new().unwrap();
        let good = 3 * CHUNK + 12_345;
        let mut feed = ReadAhead::spawn(
            FailsAfter { good },
            Some(spool.reopen().unwrap()),
            Progress::default(),
        );
        let mut got = 0;
        let err = loop {
            match feed.next_chunk() {
                Ok(Some((chunk, head))) => {
                    got += chunk.len() - head;
                    let spooled = std::fs::metadata(spool.path()).unwrap().len();
                    assert!(
                        spooled >= got as u64,
                        "{spooled} spooled, {got} handed over"
                    );
                }
                Ok(None) => panic!("the feed ended without the error"),
                Err(e) => break e,
            }
        };
        assert_eq!(got, good);
        assert!(err.to_string().contains("the pipe broke"), "{err}");
        assert_eq!(std::fs::read(spool.path()).unwrap(), vec![b'x'; good]);
        assert!(matches!(feed.next_chunk(), Ok(None)));
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.gz");
        let bytes = gz(&b"some data that compresses\n".repeat(10_000));
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let mut input = Input::open(&InputSpec::Path(path), Some(dir.path())).unwrap();
        assert!(read_all(&mut input).is_err());
    }
}
