//! Instants: the `--since` argument, `--timezone`, and created-column values from the dump.
//!
//! Every comparison happens on UTC microseconds since the epoch (`i64`), so a PostgreSQL
//! `timestamptz` written with `-03:30`, a MySQL TIMESTAMP in the dump's `TIME_ZONE` and a naive
//! DATETIME read in `--timezone` all compare correctly. Cell parsing is hand-written: it runs on
//! every row of every table with a created column.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::error::{Error, Result};
use crate::schema::TypeClass;

/// A zone to read naive times in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// A fixed offset (UTC is `+00:00`).
    Fixed(FixedOffset),
    /// An IANA zone with its daylight-saving rules.
    Named(chrono_tz::Tz),
}

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset is valid"))
    }

    /// Reads a naive local time in this zone, as UTC microseconds. A time that a DST change
    /// skips is taken in the offset before the gap; an ambiguous one is the earlier instant.
    pub fn local_to_utc_micros(&self, naive: &NaiveDateTime) -> i64 {
        let micros = |dt: DateTime<Utc>| dt.timestamp_micros();
        match self {
            Zone::Fixed(off) => {
                micros(naive.and_utc()) - i64::from(off.local_minus_utc()) * 1_000_000
            }
            Zone::Named(tz) => match tz.from_local_datetime(naive) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    micros(t.with_timezone(&Utc))
                }
                LocalResult::None => {
                    // In a spring-forward gap: shift by an hour, as the servers do.
                    let later = *naive + chrono::Duration::hours(1);
                    match tz.from_local_datetime(&later) {
                        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                            micros(t.with_timezone(&Utc)) - 3_600_000_000
                        }
                        LocalResult::None => micros(naive.and_utc()),
                    }
                }
            },
        }
    }
}

/// Parses `--timezone`: `UTC`, a fixed offset (`+02:00`, `-0530`, `+05`), or an IANA name.
///
/// # Errors
/// Anything else, with the accepted forms.
pub fn parse_zone(s: &str) -> Result<Zone> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t == "GMT" {
        return Ok(Zone::utc());
    }
    if let Some(off) = parse_offset(t.as_bytes()) {
        return FixedOffset::east_opt(off)
            .map(Zone::Fixed)
            .ok_or_else(|| Error::Usage(format!("time zone offset out of range: {s}")));
    }
    chrono_tz::Tz::from_str(t).map(Zone::Named).map_err(|_| {
        Error::Usage(format!(
            "unknown time zone `{s}`: use UTC, an offset like +02:00, or an IANA name like Europe/Berlin"
        ))
    })
}

/// `+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS` → seconds east of UTC.
fn parse_offset(s: &[u8]) -> Option<i32> {
    let (sign, rest) = match s.first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    // At most six digits (hhmmss), colons anywhere between them; no allocation (this runs for
    // every created value that carries an offset).
    let mut buf = [0u8; 6];
    let mut n = 0;
    for &b in rest {
        match b {
            b':' => {}
            b'0'..=b'9' if n < buf.len() => {
                buf[n] = b;
                n += 1;
            }
            _ => return None,
        }
    }
    let digits = &buf[..n];
    let num = |d: &[u8]| {
        d.iter()
            .try_fold(0i32, |a, b| Some(a * 10 + i32::from(b - b'0')))
    };
    let (h, m, sec) = match digits.len() {
        1 | 2 => (num(digits)?, 0, 0),
        4 => (num(&digits[..2])?, num(&digits[2..])?, 0),
        6 => (num(&digits[..2])?, num(&digits[2..4])?, num(&digits[4..])?),
        _ => return None,
    };
    if m >= 60 || sec >= 60 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// The forms `--since` accepts, for error messages.
pub const SINCE_FORMS: &str = "2026-11-20T03:00:00Z, 2026-11-20 03:00:00+01:00, 2026-11-20 03:00:00, 2026-11-20 03:00, or 2026-11-20 (naive forms are read in --timezone)";

/// Parses `--since` into UTC microseconds.
///
/// # Errors
/// A value in none of the accepted forms.
pub fn parse_since(s: &str, zone: &Zone) -> Result<i64> {
    let t = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc).timestamp_micros());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(t, fmt) {
            return Ok(dt.with_timezone(&Utc).timestamp_micros());
        }
    }
    if let Some(stripped) = t.strip_suffix('Z').or_else(|| t.strip_suffix(" UTC")) {
        if let Some(naive) = parse_naive(stripped) {
            return Ok(naive.and_utc().timestamp_micros());
        }
    }
    if let Some(naive) = parse_naive(t) {
        return Ok(zone.local_to_utc_micros(&naive));
    }
    Err(Error::Usage(format!(
        "cannot read --since `{s}` as a time; accepted forms: {SINCE_FORMS}"
    )))
}

fn parse_naive(t: &str) -> Option<NaiveDateTime> {
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(n);
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// How to read a created column's values.
#[derive(Debug, Clone, Copy)]
pub struct CellClock {
    /// The column's class (decides whether the text carries an offset).
    pub class: TypeClass,
    /// Zone for naive values (`--timezone`).
    pub naive_zone: Zone,
    /// Zone the dump session wrote session-zoned values in (MySQL `TIME_ZONE`).
    pub session_zone: Zone,
}

/// The outcome of reading a created cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {
    /// A point in time, UTC microseconds (±infinity saturate).
    At(i64),
    /// No point in time (MySQL zero date): never a root.
    Never,
}

impl CellClock {
    /// Reads a cell's text as an instant.
    ///
    /// # Errors
    /// Text that is no timestamp; the message says what was found.
    pub fn read(&self, text: &[u8]) -> std::result::Result<Instant, String> {
        self.read_with_offset(text).map(|(instant, _)| instant)
    }

    /// Like [`CellClock::read`], and whether the text carried its own zone offset.
    ///
    /// # Errors
    /// As [`CellClock::read`].
    pub fn read_with_offset(&self, text: &[u8]) -> std::result::Result<(Instant, bool), String> {
        parse_cell(text, self).ok_or_else(|| {
            format!(
                "`{}` is not a {} value",
                crate::error::excerpt(text, 60),
                match self.class {
                    TypeClass::Date => "date",
                    _ => "timestamp",
                }
            )
        })
    }
}

fn parse_cell(text: &[u8], clock: &CellClock) -> Option<(Instant, bool)> {
    match text {
        b"infinity" => return Some((Instant::At(i64::MAX), false)),
        b"-infinity" => return Some((Instant::At(i64::MIN), false)),
        _ => {}
    }
    let (mut text, bc) = match text.strip_suffix(b" BC") {
        Some(t) => (t, true),
        None => (text, false),
    };
    let (days, zero_parts, date_len) = date_part(text, bc)?;
    text = &text[date_len..];
    let mut micros_of_day: i64 = 0;
    let mut offset: Option<i64> = None;
    if let Some(rest) = text.strip_prefix(b" ").or_else(|| text.strip_prefix(b"T")) {
        if rest.len() < 8 || rest[2] != b':' || rest[5] != b':' {
            return None;
        }
        let h = digits(&rest[..2])? as i64;
        let m = digits(&rest[3..5])? as i64;
        let s = digits(&rest[6..8])? as i64;
        if h > 24 || m > 59 || s > 60 {
            return None;
        }
        micros_of_day = (h * 3600 + m * 60 + s) * 1_000_000;
        let mut rest = &rest[8..];
        if let Some(frac) = rest.strip_prefix(b".") {
            let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let mut f = digits(&frac[..n.min(6)])? as i64;
            for _ in n.min(6)..6 {
                f *= 10;
            }
            micros_of_day += f;
            rest = &frac[n..];
        }
        if !rest.is_empty() {
            if rest == b"Z" {
                offset = Some(0);
            } else {
                offset = Some(i64::from(parse_offset(rest)?));
            }
        }
    } else if !text.is_empty() {
        return None;
    }
    if zero_parts {
        return Some((Instant::Never, offset.is_some()));
    }
    let naive_micros = days
        .checked_mul(86_400_000_000)?
        .checked_add(micros_of_day)?;
    let utc = match (offset, clock.class) {
        (Some(off), _) => naive_micros - off * 1_000_000,
        (None, TypeClass::TimestampSession) => local(naive_micros, &clock.session_zone)?,
        (None, _) => local(naive_micros, &clock.naive_zone)?,
    };
    Some((Instant::At(utc), offset.is_some()))
}

thread_local! {
    /// The last `YYYY-MM-DD` read on this thread and its day number. Created values come
    /// roughly in date order, so most rows repeat the date of the row before: the date's digits
    /// and [`days_from_civil`] were a third of reading a created value.
    static LAST_DATE: std::cell::Cell<Option<([u8; 10], i64)>> = const {
        std::cell::Cell::new(None)
    };
}

/// The date part `YYYY[Y..]-MM-DD` at the start of `text`: (days since 1970-01-01, whether the
/// month or day is zero, its length).
fn date_part(text: &[u8], bc: bool) -> Option<(i64, bool, usize)> {
    let recent = text.get(..10).filter(|_| !bc);
    if let Some(key) = recent {
        // Only valid dates with a four-digit year are kept, so equal bytes read the same.
        if let Some((last, days)) = LAST_DATE.get() {
            if last == key {
                return Some((days, false, 10));
            }
        }
    }
    let year_len = text.iter().position(|&b| b == b'-').filter(|&n| n >= 4)?;
    let year = digits(&text[..year_len])? as i32;
    if text.len() < year_len + 6 || text[year_len + 3] != b'-' {
        return None;
    }
    let month = digits(&text[year_len + 1..year_len + 3])?;
    let day = digits(&text[year_len + 4..year_len + 6])?;
    // MySQL keeps the zero date ('0000-00-00') and, where its sql_mode allows (MariaDB's
    // default does), dates with a zero month or day ('2024-05-00'): no point in time, but a
    // value its server takes back as written.
    let zero_parts = month == 0 || day == 0;
    if zero_parts && (month > 12 || day > 31) {
        return None;
    }
    if zero_parts {
        return Some((0, true, year_len + 6));
    }
    let year = if bc { 1 - year } else { year };
    let days = days_from_civil(year, month, day)?;
    if let (Some(key), 4) = (recent, year_len) {
        if let Ok(key) = <[u8; 10]>::try_from(key) {
            LAST_DATE.set(Some((key, days)));
        }
    }
    Some((days, false, year_len + 6))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`),
/// `None` for a date that does not exist. Runs for every created value: no calendar library.
fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn local(naive_micros: i64, zone: &Zone) -> Option<i64> {
    match zone {
        Zone::Fixed(off) => Some(naive_micros - i64::from(off.local_minus_utc()) * 1_000_000),
        Zone::Named(_) => {
            let naive = DateTime::from_timestamp_micros(naive_micros)?.naive_utc();
            Some(zone.local_to_utc_micros(&naive))
        }
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.iter().try_fold(0u32, |a, &b| {
        b.is_ascii_digit().then(|| a * 10 + u32::from(b - b'0'))
    })
}

/// Formats UTC microseconds for messages and patch headers.
pub fn format_micros(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S%.f UTC").to_string())
        .unwrap_or_else(|| micros.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_micros()
    }

    fn clock(class: TypeClass, naive: &str) -> CellClock {
        CellClock {
            class,
            naive_zone: parse_zone(naive).unwrap(),
            session_zone: Zone::utc(),
        }
    }

    #[test]
    fn since_forms() {
        let utc = Zone::utc();
        assert_eq!(
            parse_since("2026-11-20T03:00:00Z", &utc).unwrap(),
            at("2026-11-20T03:00:00Z")
        );
        assert_eq!(
            parse_since("2026-11-20 03:00:00+01:00", &utc).unwrap(),
            at("2026-11-20T02:00:00Z")
        );
        assert_eq!(
            parse_since("2026-11-20 03:00:00", &utc).unwrap(),
            at("2026-11-20T03:00:00Z")
        );
        assert_eq!(
            parse_since("2026-11-20 03:00", &utc).unwrap(),
            at("2026-11-20T03:00:00Z")
        );
        assert_eq!(
            parse_since("2026-11-20", &utc).unwrap(),
            at("2026-11-20T00:00:00Z")
        );
        let berlin = parse_zone("Europe/Berlin").unwrap();
        assert_eq!(
            parse_since("2026-11-20 03:00", &berlin).unwrap(),
            at("2026-11-20T02:00:00Z")
        );
        let plus2 = parse_zone("+02:00").unwrap();
        assert_eq!(
            parse_since("2026-11-20", &plus2).unwrap(),
            at("2026-11-19T22:00:00Z")
        );
        let err = parse_since("yesterday", &utc).unwrap_err().to_string();
        assert!(err.contains("accepted forms"), "{err}");
    }

    #[test]
    fn zones() {
        assert!(parse_zone("UTC").is_ok());
        assert!(parse_zone("-05:30").is_ok());
        assert!(parse_zone("+0530").is_ok());
        assert!(parse_zone("America/St_Johns").is_ok());
        assert!(parse_zone("Mars/Olympus").is_err());
    }

    /// Reading a value right after another with the same first ten bytes (the remembered
    /// date) gives what reading it alone gives, whatever came before.
    #[test]
    fn the_remembered_date_changes_no_result() {
        let values: &[&[u8]] = &[
            b"2024-06-01 07:04:56+00",
            b"2024-06-01 BC",
            b"2024-06-01",
            b"2024-06-012",
            b"2024-06-01x",
            b"2024-06-01 25:00:00",
            b"20240-06-01 00:00:00",
            b"2024-02-30",
            b"2024-02-29 12:00:00.5-05:30",
            b"2023-02-29",
            b"0000-00-00 00:00:00",
            b"2024-06-00",
            b"\0\0\0\0\0\0\0\0\0\0",
            b"infinity",
            b"2024-06-01T23:59:60Z",
        ];
        let c = clock(TypeClass::TimestampTz, "UTC");
        let alone: Vec<_> = values
            .iter()
            .map(|v| {
                let v = v.to_vec();
                std::thread::spawn(move || c.read_with_offset(&v))
                    .join()
                    .unwrap()
            })
            .collect();
        for first in values {
            for (v, want) in values.iter().zip(&alone) {
                let _ = c.read_with_offset(first);
                assert_eq!(&c.read_with_offset(v), want, "{:?} after {:?}", v, first);
            }
        }
    }

    #[test]
    fn pg_timestamptz_offsets() {
        let c = clock(TypeClass::TimestampTz, "UTC");
        assert_eq!(
            c.read(b"2024-06-01 07:04:56.789+00"),
            Ok(Instant::At(at("2024-06-01T07:04:56.789Z")))
        );
        assert_eq!(
            c.read(b"2024-06-01 02:04:56-05"),
            Ok(Instant::At(at("2024-06-01T07:04:56Z")))
        );
        assert_eq!(
            c.read(b"2024-06-01 12:34:56+05:30"),
            Ok(Instant::At(at("2024-06-01T07:04:56Z")))
        );
        assert_eq!(
            c.read(b"2024-06-01 03:34:56-03:30"),
            Ok(Instant::At(at("2024-06-01T07:04:56Z")))
        );
        assert_eq!(
            c.read(b"1900-01-01 00:19:32+00:19:32"),
            Ok(Instant::At(at("1900-01-01T00:00:00Z")))
        );
        assert_eq!(c.read(b"infinity"), Ok(Instant::At(i64::MAX)));
        assert_eq!(c.read(b"-infinity"), Ok(Instant::At(i64::MIN)));
        assert!(matches!(c.read(b"0044-03-15 00:00:00+00 BC"), Ok(Instant::At(t)) if t < 0));
        assert!(c.read(b"garbage").is_err());
        assert!(c.read(b"2024-13-01 00:00:00").is_err());
    }

    #[test]
    fn naive_values_use_the_zone() {
        let c = clock(TypeClass::Timestamp, "+02:00");
        assert_eq!(
            c.read(b"2024-03-01 12:00:00.123456"),
            Ok(Instant::At(at("2024-03-01T10:00:00.123456Z")))
        );
        let d = clock(TypeClass::Date, "UTC");
        assert_eq!(
            d.read(b"2024-02-29"),
            Ok(Instant::At(at("2024-02-29T00:00:00Z")))
        );
        let z = clock(TypeClass::Timestamp, "UTC");
        assert_eq!(z.read(b"0000-00-00 00:00:00"), Ok(Instant::Never));
        assert_eq!(z.read(b"2024-05-00 10:00:00"), Ok(Instant::Never));
        assert_eq!(d.read(b"2024-00-12"), Ok(Instant::Never));
        assert!(d.read(b"2024-13-00").is_err() && d.read(b"2024-02-30").is_err());
        let ny = clock(TypeClass::Timestamp, "America/New_York");
        assert_eq!(
            ny.read(b"2024-07-01 08:00:00"),
            Ok(Instant::At(at("2024-07-01T12:00:00Z")))
        );
    }

    #[test]
    fn civil_days_match_chrono() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2000, 2, 29),
            (2024, 12, 31),
            (1, 1, 1),
            (-43, 3, 15),
            (262000, 12, 31),
            (1900, 3, 1),
        ] {
            let want = NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
                .num_days();
            assert_eq!(days_from_civil(y, m, d), Some(want), "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(1900, 2, 29), None);
        assert_eq!(days_from_civil(2024, 4, 31), None);
        assert_eq!(days_from_civil(2024, 13, 1), None);
    }

    #[test]
    fn session_zone_for_mysql_timestamp() {
        let c = CellClock {
            class: TypeClass::TimestampSession,
            naive_zone: parse_zone("+05:00").unwrap(),
            session_zone: parse_zone("+01:00").unwrap(),
        };
        assert_eq!(
            c.read(b"2024-03-01 10:00:00"),
            Ok(Instant::At(at("2024-03-01T09:00:00Z")))
        );
    }
}
