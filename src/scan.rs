//! The byte buffer every dialect scanner reads through.
//!
//! [`ByteStream`] owns the buffer and the `Read`; scanners look at [`ByteStream::window`], decide
//! how much is a complete frame (statement, COPY line, tuple), and [`ByteStream::consume`] it.
//! When a frame is incomplete they call [`ByteStream::fill`], which keeps the unconsumed bytes and
//! at least doubles what is available, so re-scanning a frame from its start after each refill
//! stays linear overall. A frame larger than [`MAX_FRAME`] is an error, not an out-of-memory.
//!
//! The buffer is reference-counted: [`ByteStream::shared_window`] hands the window to another
//! thread without copying it (a first read's helper), and the stream copies the buffer before
//! changing it only if such a share is still alive (never, when the helper is waited for).

use std::io::{self, Read};
use std::sync::Arc;

use crate::error::{Error, Result};

/// The largest single frame (statement or row) held in memory: MySQL's own packet ceiling.
pub const MAX_FRAME: usize = 1 << 30;

const INITIAL_CAPACITY: usize = 256 * 1024;

/// Hands out the input in chunks produced elsewhere (a read-ahead thread), so that reading and
/// decompressing overlap with parsing and no byte is copied twice.
pub trait ChunkFeed: Send {
    /// The next chunk: its bytes `[head..]` are data, `[..head]` is free room in front, where the
    /// stream puts the unfinished frame of the previous chunk instead of copying the new one.
    /// `Ok(None)` at the end of the input.
    ///
    /// # Errors
    /// Read (or decompression) failures.
    fn next_chunk(&mut self) -> io::Result<Option<(Vec<u8>, usize)>>;

    /// Gives a used buffer back for reuse.
    fn recycle(&mut self, buf: Vec<u8>);
}

/// A refillable window over a byte stream, with absolute offsets.
pub struct ByteStream<R> {
    inner: R,
    /// When set, bytes come from this feed instead of `inner`.
    feed: Option<Box<dyn ChunkFeed>>,
    buf: Arc<Vec<u8>>,
    start: usize,
    end: usize,
    /// Absolute offset of `buf[0]` — modulo 2^64: with a chunk feed, `buf[0]` may lie before
    /// offset 0 (room in front of the first chunk), so all arithmetic on it wraps.
    base: u64,
    eof: bool,
    /// The least a refill adds (tests make it tiny to put frame boundaries everywhere).
    min_read: usize,
}

impl<R: Read> ByteStream<R> {
    /// Wraps a reader whose first byte is at absolute offset `base`.
    pub fn new(inner: R, base: u64) -> ByteStream<R> {
        ByteStream::with_min_read(inner, base, INITIAL_CAPACITY / 4)
    }

    /// Like [`ByteStream::new`], with refills that add at least `min_read` bytes (at least 1).
    /// Small values exercise every frame boundary in tests.
    pub fn with_min_read(inner: R, base: u64, min_read: usize) -> ByteStream<R> {
        ByteStream {
            inner,
            feed: None,
            buf: Arc::new(vec![0; min_read.clamp(1, INITIAL_CAPACITY)]),
            start: 0,
            end: 0,
            base,
            eof: false,
            min_read: min_read.max(1),
        }
    }

    /// A stream over chunks from `feed`, the first at absolute offset `base`.
    pub fn from_feed(inner: R, feed: Box<dyn ChunkFeed>, base: u64) -> ByteStream<R> {
        let mut s = ByteStream::new(inner, base);
        s.buf = Arc::new(Vec::new());
        s.feed = Some(feed);
        s
    }

    /// The unconsumed bytes in memory.
    #[inline]
    pub fn window(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// The window as an owned handle that another thread may keep (see the module doc).
    pub fn shared_window(&self) -> SharedBytes {
        SharedBytes {
            buf: Arc::clone(&self.buf),
            start: self.start,
            end: self.end,
        }
    }

    /// Absolute offset of the first unconsumed byte.
    #[inline]
    pub fn offset(&self) -> u64 {
        self.base.wrapping_add(self.start as u64)
    }

    /// Marks `n` bytes of the window as used.
    #[inline]
    pub fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.start);
        self.start += n;
    }

    /// Has the stream ended (and everything in memory been consumed)?
    pub fn at_end(&mut self) -> Result<bool> {
        if self.start < self.end {
            return Ok(false);
        }
        Ok(!self.fill()?)
    }

    /// Reads more: afterwards the window holds at least twice as many bytes as before (or
    /// everything up to the end of the stream). Returns `false` when nothing more could be read.
    ///
    /// # Errors
    /// Read failures, and a window that would exceed [`MAX_FRAME`].
    pub fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        let have = self.end - self.start;
        if have >= MAX_FRAME {
            return Err(Error::syntax(
                self.offset(),
                format!("a single statement or row exceeds {} bytes", MAX_FRAME),
            ));
        }
        if self.feed.is_some() {
            return self.fill_from_feed();
        }
        let buf = Arc::make_mut(&mut self.buf);
        // Keep the unconsumed bytes at the front.
        if self.start > 0 {
            buf.copy_within(self.start..self.end, 0);
            self.base = self.base.wrapping_add(self.start as u64);
            self.end = have;
            self.start = 0;
        }
        let want = have.max(self.min_read);
        if buf.len() < have + want {
            buf.resize((have + want).next_power_of_two(), 0);
        }
        let target = (have + want).min(buf.len());
        let before = self.end;
        while self.end < target {
            match self.inner.read(&mut buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_error(e, self.base.wrapping_add(self.end as u64))),
            }
        }
        Ok(self.end > before)
    }

    fn fill_from_feed(&mut self) -> Result<bool> {
        let before = self.end - self.start;
        let target = 2 * before.max(1);
        loop {
            let have = self.end - self.start;
            if have >= target {
                return Ok(true);
            }
            let next = match self.feed.as_mut() {
                Some(feed) => feed.next_chunk(),
                None => Ok(None),
            };
            let (mut chunk, head) = match next {
                Ok(Some(c)) => c,
                Ok(None) => {
                    self.eof = true;
                    return Ok(have > before);
                }
                Err(e) => return Err(read_error(e, self.base.wrapping_add(self.end as u64))),
            };
            let head = head.min(chunk.len());
            // Absolute offset of the first new byte.
            let at = self.base.wrapping_add(self.end as u64);
            let old = if have <= head {
                // The unfinished frame goes into the room in front of the new chunk.
                chunk[head - have..head].copy_from_slice(&self.buf[self.start..self.end]);
                self.base = at.wrapping_sub(head as u64);
                self.start = head - have;
                self.end = chunk.len();
                Arc::try_unwrap(std::mem::replace(&mut self.buf, Arc::new(chunk))).ok()
            } else {
                // A frame longer than the room: append (a copy, for long frames only).
                let buf = Arc::make_mut(&mut self.buf);
                buf.copy_within(self.start..self.end, 0);
                self.base = self.base.wrapping_add(self.start as u64);
                buf.truncate(have);
                buf.extend_from_slice(&chunk[head..]);
                self.start = 0;
                self.end = buf.len();
                Some(chunk)
            };
            // A buffer still shared is not reused (it is freed when the share ends).
            if let (Some(feed), Some(old)) = (self.feed.as_mut(), old) {
                feed.recycle(old);
            }
        }
    }

    /// Consumes everything up to and including the next `\n` (or to the end of the stream).
    /// Returns the line without its `\n`... by length: the number of bytes before the newline,
    /// and whether a newline was found. The line is `window()[..len]` until the next call.
    ///
    /// # Errors
    /// As [`ByteStream::fill`].
    pub fn line_len(&mut self) -> Result<(usize, bool)> {
        let mut searched = 0;
        loop {
            let w = self.window();
            if let Some(i) = memchr::memchr(b'\n', &w[searched..]) {
                return Ok((searched + i, true));
            }
            searched = w.len();
            if !self.fill()? {
                return Ok((self.window().len(), false));
            }
        }
    }

    /// Gives back the reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

/// A window of a [`ByteStream`] that outlives the borrow: another thread's view of it.
#[derive(Debug, Clone)]
pub struct SharedBytes {
    buf: Arc<Vec<u8>>,
    start: usize,
    end: usize,
}

impl std::ops::Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }
}

/// Turns a read error into ours: gzip corruption is bad input (exit 2), the rest is I/O.
pub fn read_error(e: io::Error, offset: u64) -> Error {
    match e.kind() {
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => {
            Error::syntax(offset, format!("corrupt compressed input: {e}"))
        }
        _ => Error::io("reading the dump", e),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A reader that hands out one byte per call: the worst case for frame boundaries.
    pub(crate) struct OneByte<'a>(pub &'a [u8]);
    impl Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, rest)), Some(out)) => {
                    *out = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn lines_across_refills() {
        let data = b"first\nsecond line\nlast";
        let mut s = ByteStream::new(OneByte(data), 0);
        let mut lines = Vec::new();
        loop {
            let (len, nl) = s.line_len().unwrap();
            lines.push(String::from_utf8(s.window()[..len].to_vec()).unwrap());
            s.consume(len + usize::from(nl));
            if !nl {
                break;
            }
        }
        assert_eq!(lines, ["first", "second line", "last"]);
        assert_eq!(s.offset(), data.len() as u64);
        assert!(s.at_end().unwrap());
    }

    /// Feeds fixed-size chunks of a slice.
    struct SliceFeed {
        data: Vec<u8>,
        at: usize,
        chunk: usize,
        head: usize,
    }

    impl ChunkFeed for SliceFeed {
        fn next_chunk(&mut self) -> io::Result<Option<(Vec<u8>, usize)>> {
            if self.at >= self.data.len() {
                return Ok(None);
            }
            let end = (self.at + self.chunk).min(self.data.len());
            let mut buf = vec![0xAA; self.head];
            buf.extend_from_slice(&self.data[self.at..end]);
            self.at = end;
            Ok(Some((buf, self.head)))
        }
        fn recycle(&mut self, _: Vec<u8>) {}
    }

    #[test]
    fn fed_chunks_give_the_same_lines_and_offsets() {
        let data = b"first\nsecond line that is long\n\nlast".to_vec();
        for chunk in 1..8 {
            for (head, base) in [(0, 100), (2, 100), (64, 100), (200, 100), (64, 0)] {
                let feed = SliceFeed {
                    data: data.clone(),
                    at: 0,
                    chunk,
                    head,
                };
                let mut s = ByteStream::from_feed(io::empty(), Box::new(feed), base);
                let mut lines = Vec::new();
                loop {
                    let at = s.offset();
                    let (len, nl) = s.line_len().unwrap();
                    lines.push((String::from_utf8(s.window()[..len].to_vec()).unwrap(), at));
                    s.consume(len + usize::from(nl));
                    if !nl {
                        break;
                    }
                }
                assert_eq!(
                    lines,
                    [
                        ("first".to_string(), base),
                        ("second line that is long".to_string(), base + 6),
                        (String::new(), base + 31),
                        ("last".to_string(), base + 32)
                    ],
                    "chunk {chunk} head {head}"
                );
            }
        }
    }

    #[test]
    fn fill_at_least_doubles() {
        let data = vec![b'x'; 10 * INITIAL_CAPACITY];
        let mut s = ByteStream::new(&data[..], 0);
        s.fill().unwrap();
        let first = s.window().len();
        s.fill().unwrap();
        assert!(s.window().len() >= 2 * first);
    }
}
