//! COPY text format: one row per line, fields separated by TAB, `\N` for NULL, backslash
//! escapes; and the two text forms of `bytea` (hex `\x…` and the old escape format).
//!
//! Pure functions over byte slices, allocation-free unless a field holds an escape (then it is
//! decoded into a caller-supplied buffer).

/// Splits a COPY line into field spans (start, end) — reusing `spans`.
#[inline]
pub fn split_fields(line: &[u8], spans: &mut Vec<(usize, usize)>) {
    spans.clear();
    let mut start = 0;
    for tab in memchr::memchr_iter(b'\t', line) {
        spans.push((start, tab));
        start = tab + 1;
    }
    spans.push((start, line.len()));
}

/// Is this raw field the NULL marker?
#[inline]
pub fn is_null(raw: &[u8]) -> bool {
    raw == b"\\N"
}

/// Decodes the escapes of one COPY field into `out` (cleared first).
///
/// Accepts what COPY FROM accepts: `\b \f \n \r \t \v \\`, 1–3 octal digits, `\x` with 1–2 hex
/// digits, and `\` + any other character = that character.
///
/// # Errors
/// A backslash at the very end of the field.
pub fn decode_field(raw: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
    out.clear();
    out.reserve(raw.len());
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'\\', &raw[i..]) {
        out.extend_from_slice(&raw[i..i + p]);
        i += p + 1;
        let Some(&c) = raw.get(i) else {
            return Err("a COPY field ends with a lone backslash");
        };
        i += 1;
        match c {
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(c - b'0');
                let mut k = 0;
                while k < 2 && i < raw.len() && (b'0'..=b'7').contains(&raw[i]) {
                    v = v * 8 + u32::from(raw[i] - b'0');
                    i += 1;
                    k += 1;
                }
                out.push((v & 0xff) as u8);
            }
            b'x' if raw.get(i).is_some_and(u8::is_ascii_hexdigit) => {
                let mut v = 0u8;
                let mut k = 0;
                while k < 2 && i < raw.len() && raw[i].is_ascii_hexdigit() {
                    v = v * 16 + hex_value(raw[i]);
                    i += 1;
                    k += 1;
                }
                out.push(v);
            }
            other => out.push(other),
        }
    }
    out.extend_from_slice(&raw[i..]);
    Ok(())
}

#[inline]
fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// Decodes bytea's text form (after COPY or string-literal decoding) into raw bytes: hex
/// (`\x0aff`) or the escape format (`\000`, `\\`, other bytes as themselves).
///
/// # Errors
/// Malformed hex digits or escapes.
pub fn decode_bytea(text: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
    out.clear();
    if let Some(hex) = text.strip_prefix(b"\\x") {
        // One pass, whitespace skipped (as before: also between the two digits of a byte).
        out.reserve(hex.len() / 2);
        let mut high = None;
        for &b in hex {
            if b.is_ascii_whitespace() {
                continue;
            }
            if !b.is_ascii_hexdigit() {
                return Err("malformed bytea hex value");
            }
            match high.take() {
                None => high = Some(hex_value(b)),
                Some(h) => out.push(h * 16 + hex_value(b)),
            }
        }
        if high.is_some() {
            return Err("malformed bytea hex value");
        }
        return Ok(());
    }
    let mut i = 0;
    while i < text.len() {
        if text[i] != b'\\' {
            out.push(text[i]);
            i += 1;
        } else if text.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else if let Some(o) = text.get(i + 1..i + 4).filter(|o| {
            (b'0'..=b'3').contains(&o[0]) && o[1..].iter().all(|d| (b'0'..=b'7').contains(d))
        }) {
            out.push((o[0] - b'0') * 64 + (o[1] - b'0') * 8 + (o[2] - b'0'));
            i += 4;
        } else {
            return Err("malformed bytea escape");
        }
    }
    Ok(())
}

/// Hands each complete line of `buf` to `each` as `(start, end)`, its bounds (the `\n` at
/// `end` excluded). `each` returns whether to go on. Returns the offset just past the last line
/// handed over: the bytes from there on are an unfinished line (or were not wanted).
///
/// # Errors
/// Whatever `each` returns.
#[inline]
pub fn for_each_line<E>(
    buf: &[u8],
    mut each: impl FnMut(usize, usize) -> Result<bool, E>,
) -> Result<usize, E> {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', buf) {
        if !each(start, end)? {
            return Ok(end + 1);
        }
        start = end + 1;
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines a plain search finds.
    fn plain_lines(buf: &[u8]) -> (Vec<(usize, usize)>, usize) {
        let mut lines = Vec::new();
        let mut start = 0;
        while let Some(p) = buf[start..].iter().position(|&b| b == b'\n') {
            let end = start + p;
            lines.push((start, end));
            start = end + 1;
        }
        (lines, start)
    }

    #[test]
    fn lines_agree_with_a_plain_search() {
        // Lines of every length up to 200 bytes, starts at odd offsets, a last line without its
        // newline.
        let mut buf = Vec::new();
        for n in 0..200usize {
            for i in 0..n {
                buf.push(if (i * 7 + n) % 5 == 0 {
                    b'\t'
                } else {
                    b'a' + (i % 26) as u8
                });
            }
            buf.push(b'\n');
        }
        buf.extend_from_slice(b"unfinished\tline");
        for from in [0, 1, 63, 64, 65, 1000] {
            let part = &buf[from..];
            let (want, want_end) = plain_lines(part);
            let mut got = Vec::new();
            let end = for_each_line::<()>(part, |s, e| {
                got.push((s, e));
                Ok(true)
            })
            .unwrap();
            assert_eq!(got, want, "from {from}");
            assert_eq!(end, want_end, "from {from}");
        }
        // Stopping early returns the offset after the line it stopped at.
        let mut seen = 0;
        let end = for_each_line::<()>(&buf, |_, _| {
            seen += 1;
            Ok(seen < 100)
        })
        .unwrap();
        assert_eq!(end, plain_lines(&buf).0[99].1 + 1);
    }

    fn dec(raw: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        decode_field(raw, &mut out).unwrap();
        out
    }

    #[test]
    fn copy_escapes() {
        assert_eq!(dec(b"plain"), b"plain");
        assert_eq!(
            dec(b"a\\tb\\nc\\rd\\be\\ff\\vg"),
            b"a\tb\nc\rd\x08e\x0cf\x0bg"
        );
        assert_eq!(dec(b"back\\\\slash"), b"back\\slash");
        assert_eq!(dec(b"two\\\\N"), b"two\\N");
        assert_eq!(dec(b"\\101\\0\\1x"), b"A\x00\x01x");
        assert_eq!(dec(b"\\x41\\x4g"), b"A\x04g");
        assert_eq!(dec(b"\\xz"), b"xz");
        assert_eq!(dec(b"\\\\."), b"\\.");
        assert_eq!(dec(b"\\q"), b"q");
        assert!(decode_field(b"bad\\", &mut Vec::new()).is_err());
    }

    #[test]
    fn fields_split_on_tabs_and_keep_empty_ones() {
        let mut spans = Vec::new();
        let line = b"1\t\t\\N\t";
        split_fields(line, &mut spans);
        let fields: Vec<&[u8]> = spans.iter().map(|&(s, e)| &line[s..e]).collect();
        assert_eq!(fields, [&b"1"[..], b"", b"\\N", b""]);
        assert!(is_null(fields[2]));
        assert!(!is_null(b"\\\\N"));
    }

    #[test]
    fn bytea_forms() {
        let mut out = Vec::new();
        decode_bytea(b"\\x00ff5C0a", &mut out).unwrap();
        assert_eq!(out, [0, 255, 0x5c, 10]);
        decode_bytea(b"\\x", &mut out).unwrap();
        assert!(out.is_empty());
        decode_bytea(b"\\000\\001\\377\\\\ab", &mut out).unwrap();
        assert_eq!(out, [0, 1, 255, b'\\', b'a', b'b']);
        assert!(decode_bytea(b"\\x0", &mut out).is_err());
        assert!(decode_bytea(b"\\9", &mut out).is_err());
    }
}
