//! Timestamps: UTC seconds, parsed from RFC 3339 or Unix seconds.
//!
//! Calendar arithmetic is the proleptic Gregorian calendar in UTC (no leap
//! seconds), after Howard Hinnant's `days_from_civil` algorithms, so any
//! `i64` second count is valid, including before 1970 and after 9999.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A point in time: whole seconds since 1970-01-01T00:00:00Z (UTC).
///
/// Deserializes from an RFC 3339 string (`"2024-03-01T09:30:00Z"`,
/// `"2024-03-01T10:30:00+01:00"`, fractions of a second are dropped), a date
/// (`"2024-03-01"`, midnight UTC) or a number of Unix seconds (`1709285400`).
/// Serializes as RFC 3339 in UTC (`"2024-03-01T09:30:00Z"`) for years 0 to
/// 9999 and as Unix seconds outside them, so every value round-trips.
///
/// # Example
///
/// ```
/// use painpoint::Timestamp;
///
/// let t: Timestamp = "2024-03-01T10:30:00+01:00".parse().unwrap();
/// assert_eq!(t, Timestamp::from_unix(1_709_285_400));
/// assert_eq!(t.to_string(), "2024-03-01T09:30:00Z");
/// assert_eq!(Timestamp::from_unix(-86_400).to_string(), "1969-12-31T00:00:00Z");
/// assert!("2024-13-01".parse::<Timestamp>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The timestamp `seconds` after (or before, if negative) the Unix epoch.
    ///
    /// ```
    /// use painpoint::Timestamp;
    /// assert_eq!(Timestamp::from_unix(86_400).to_string(), "1970-01-02T00:00:00Z");
    /// assert_eq!(Timestamp::from_unix(-1).to_string(), "1969-12-31T23:59:59Z");
    /// ```
    pub const fn from_unix(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// Seconds since the Unix epoch.
    ///
    /// ```
    /// let t: painpoint::Timestamp = "1970-01-01T01:00:00+01:00".parse().unwrap();
    /// assert_eq!(t.unix(), 0);
    /// ```
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// Midnight UTC of a calendar date, or `None` if the date does not exist.
    ///
    /// ```
    /// use painpoint::Timestamp;
    /// assert_eq!(Timestamp::from_date(1970, 1, 2), Some(Timestamp::from_unix(86_400)));
    /// assert_eq!(Timestamp::from_date(2023, 2, 29), None);
    /// ```
    pub fn from_date(year: i64, month: u32, day: u32) -> Option<Timestamp> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        i64::try_from(days_from_civil_wide(year, month, day))
            .ok()?
            .checked_mul(86_400)
            .map(Timestamp)
    }

    /// Whole days since the epoch (floor division, so negative before 1970).
    ///
    /// ```
    /// use painpoint::Timestamp;
    /// assert_eq!(Timestamp::from_unix(86_399).days(), 0);
    /// assert_eq!(Timestamp::from_unix(-1).days(), -1);
    /// ```
    pub const fn days(self) -> i64 {
        self.0.div_euclid(86_400)
    }

    /// The calendar date `(year, month, day)` in UTC.
    ///
    /// ```
    /// use painpoint::Timestamp;
    /// assert_eq!(Timestamp::from_unix(0).date(), (1970, 1, 1));
    /// ```
    pub fn date(self) -> (i64, u32, u32) {
        civil_from_days(self.days())
    }

    /// ISO weekday, Monday = 1 ... Sunday = 7.
    ///
    /// ```
    /// // 1970-01-01 was a Thursday.
    /// assert_eq!(painpoint::Timestamp::from_unix(0).weekday(), 4);
    /// ```
    pub const fn weekday(self) -> u32 {
        // Day 0 was a Thursday (ISO 4).
        ((self.days() + 3).rem_euclid(7) + 1) as u32
    }
}

/// Days from 1970-01-01 to the given civil date (may be negative),
/// saturating at the ends of `i64` (only years far beyond any timestamp).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let wide = days_from_civil_wide(year, month, day);
    i64::try_from(wide).unwrap_or(if wide < 0 { i64::MIN } else { i64::MAX })
}

/// [`days_from_civil`] in `i128`, so that no `i64` year overflows.
fn days_from_civil_wide(year: i64, month: u32, day: u32) -> i128 {
    let year = i128::from(year);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i128::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i128::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_error(value: &str, reason: &'static str) -> Error {
    Error::Parse {
        path: "created_at".to_string(),
        value: crate::error::clip(value, 80),
        reason,
    }
}

fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    bytes.iter().try_fold(0i64, |n, b| {
        n.checked_mul(10)?.checked_add(i64::from(b - b'0'))
    })
}

impl std::str::FromStr for Timestamp {
    type Err = Error;

    /// Parses RFC 3339 (`T` or a space between date and time), a bare date,
    /// or an integer number of Unix seconds.
    fn from_str(text: &str) -> Result<Timestamp> {
        let s = text.trim();
        let b = s.as_bytes();
        if let Some(rest) = s.strip_prefix('-').or(Some(s))
            && !rest.is_empty()
            && rest.bytes().all(|c| c.is_ascii_digit())
        {
            return s
                .parse::<i64>()
                .map(Timestamp)
                .map_err(|_| parse_error(text, "Unix seconds out of range"));
        }
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(parse_error(
                text,
                "expected RFC 3339, YYYY-MM-DD or Unix seconds",
            ));
        }
        let (year, month, day) = match (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) {
            (Some(y), Some(m), Some(d)) => (y, m as u32, d as u32),
            _ => return Err(parse_error(text, "bad date digits")),
        };
        let midnight = Timestamp::from_date(year, month, day)
            .ok_or_else(|| parse_error(text, "no such calendar date"))?;
        if b.len() == 10 {
            return Ok(midnight);
        }
        if !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
            || b.len() < 19
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(parse_error(text, "expected HH:MM:SS after the date"));
        }
        let (h, m, sec) = match (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19])) {
            (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s <= 60 => (h, m, s),
            _ => return Err(parse_error(text, "bad time of day")),
        };
        let mut i = 19;
        if i < b.len() && b[i] == b'.' {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(parse_error(text, "empty fraction of a second"));
            }
        }
        let offset = match &b[i..] {
            [] | [b'Z'] | [b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let (oh, om) = match (digits(&[*h1, *h2]), digits(&[*m1, *m2])) {
                    (Some(oh), Some(om)) if oh < 24 && om < 60 => (oh, om),
                    _ => return Err(parse_error(text, "bad UTC offset")),
                };
                let total = oh * 3600 + om * 60;
                if *sign == b'+' { total } else { -total }
            }
            _ => return Err(parse_error(text, "bad UTC offset")),
        };
        midnight
            .0
            .checked_add(h * 3600 + m * 60 + sec - offset)
            .map(Timestamp)
            .ok_or_else(|| parse_error(text, "out of range"))
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC for years 0 to 9999, Unix seconds otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.date();
        if !(0..=9999).contains(&year) {
            return write!(f, "{}", self.0);
        }
        let secs = self.0.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let (year, _, _) = self.date();
        if (0..=9999).contains(&year) {
            serializer.collect_str(self)
        } else {
            serializer.serialize_i64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Timestamp, D::Error> {
        struct TimestampVisitor;

        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp, a YYYY-MM-DD date or Unix seconds")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Timestamp, E> {
                Ok(Timestamp(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Timestamp, E> {
                i64::try_from(v)
                    .map(Timestamp)
                    .map_err(|_| E::custom("created_at: Unix seconds out of range"))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Timestamp, E> {
                if v.is_finite() && v.abs() < 9.0e18 {
                    Ok(Timestamp(v.floor() as i64))
                } else {
                    Err(E::custom("created_at: Unix seconds out of range"))
                }
            }

            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_any(TimestampVisitor)
    }
}

/// The width of a ledger's time buckets. All buckets are in UTC.
///
/// Bucket boundaries:
///
/// * `Day`: from 00:00:00 UTC to the next midnight.
/// * `Week`: ISO weeks, from Monday 00:00:00 UTC to the next Monday.
/// * `Month`: from the first of the month 00:00:00 UTC to the first of the next.
///
/// Each bucket has an integer index (days since the epoch, Monday-weeks
/// since the epoch's week, months since January of year 0) so buckets sort
/// and subtract as integers. Serialized as `"day"`, `"week"`, `"month"`.
///
/// ```
/// use painpoint::{Period, Timestamp};
///
/// let t: Timestamp = "2024-03-06T15:00:00Z".parse().unwrap(); // a Wednesday
/// assert_eq!(Period::Day.bucket_start(t).to_string(), "2024-03-06T00:00:00Z");
/// assert_eq!(Period::Week.bucket_start(t).to_string(), "2024-03-04T00:00:00Z");
/// assert_eq!(Period::Month.bucket_start(t).to_string(), "2024-03-01T00:00:00Z");
/// let i = Period::Month.bucket(t);
/// assert_eq!(Period::Month.start_of(i + 10).to_string(), "2025-01-01T00:00:00Z");
/// assert_eq!("week".parse::<Period>().unwrap(), Period::Week);
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// One UTC day.
    Day,
    /// One ISO week, Monday to Sunday (UTC).
    #[default]
    Week,
    /// One calendar month (UTC).
    Month,
}

impl Period {
    /// The index of the bucket holding `t`. Constant time.
    ///
    /// ```
    /// use painpoint::{Period, Timestamp};
    /// let sunday: Timestamp = "2024-03-10T23:59:59Z".parse().unwrap();
    /// let monday: Timestamp = "2024-03-11T00:00:00Z".parse().unwrap();
    /// assert_eq!(Period::Week.bucket(monday), Period::Week.bucket(sunday) + 1);
    /// assert_eq!(Period::Day.bucket(Timestamp::from_unix(0)), 0);
    /// assert_eq!(Period::Month.bucket(Timestamp::from_unix(0)), 1970 * 12);
    /// ```
    pub fn bucket(self, t: Timestamp) -> i64 {
        let days = t.days();
        match self {
            Period::Day => days,
            // Day 0 was a Thursday; day -3 (1969-12-29) a Monday.
            Period::Week => (days + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + i64::from(m) - 1
            }
        }
    }

    /// The first second of bucket `index` (saturating far outside
    /// representable time). Constant time.
    ///
    /// ```
    /// use painpoint::{Period, Timestamp};
    /// let t: Timestamp = "2024-02-29T12:00:00Z".parse().unwrap();
    /// let next_month = Period::Month.bucket(t) + 1;
    /// assert_eq!(Period::Month.start_of(next_month).to_string(), "2024-03-01T00:00:00Z");
    /// assert_eq!(Period::Week.start_of(0).to_string(), "1969-12-29T00:00:00Z");
    /// ```
    pub fn start_of(self, index: i64) -> Timestamp {
        let days = match self {
            Period::Day => index,
            Period::Week => index.saturating_mul(7).saturating_sub(3),
            Period::Month => {
                let y = index.div_euclid(12);
                let m = index.rem_euclid(12) as u32 + 1;
                days_from_civil(y, m, 1)
            }
        };
        Timestamp(days.saturating_mul(86_400))
    }

    /// The first second of the bucket holding `t`.
    ///
    /// ```
    /// use painpoint::{Period, Timestamp};
    /// let t: Timestamp = "2024-03-06T15:00:00Z".parse().unwrap();
    /// assert_eq!(Period::Day.bucket_start(t).to_string(), "2024-03-06T00:00:00Z");
    /// ```
    pub fn bucket_start(self, t: Timestamp) -> Timestamp {
        self.start_of(self.bucket(t))
    }

    /// The lower-case name: `day`, `week` or `month` (what `FromStr` and
    /// serde read back).
    ///
    /// ```
    /// use painpoint::Period;
    /// assert_eq!(Period::Week.name(), "week");
    /// assert_eq!(Period::Week.name().parse::<Period>().unwrap(), Period::Week);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Period {
    type Err = Error;

    fn from_str(text: &str) -> Result<Period> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" => Ok(Period::Day),
            "week" | "weekly" => Ok(Period::Week),
            "month" | "monthly" => Ok(Period::Month),
            _ => Err(Error::Parse {
                path: "period".to_string(),
                value: crate::error::clip(text, 80),
                reason: "expected day, week or month",
            }),
        }
    }
}
