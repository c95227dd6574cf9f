//! Time zones: date filters in the search's zone, and per-zone calendar columns for facets and
//! statistics.
//!
//! The IANA database is the one bundled into `jiff` (`tzdb-bundle-always`), so the CLI and the
//! browser agree to the transition and the core reads no files.

use crate::bitset::Bitset;
use crate::query::DateSpec;
use jiff::tz::{TimeZone, TimeZoneDatabase};
use jiff::Timestamp;
use permafrost_model::time::{civil_from_days, days_from_civil};
use std::sync::OnceLock;

/// The bundled time zone database.
fn db() -> &'static TimeZoneDatabase {
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

/// Looks up an IANA zone (`Europe/Berlin`); empty means UTC.
pub(crate) fn resolve(name: &str) -> Result<TimeZone, permafrost_model::Message> {
    let name = name.trim();
    if name.is_empty() || name.eq_ignore_ascii_case("utc") || name == "Z" {
        return Ok(TimeZone::UTC);
    }
    db().get(name)
        .map_err(|_| crate::query::messages::UNKNOWN_TIME_ZONE.with(&[("zone", &name)]))
}

/// True when the bundled database knows the zone.
pub fn is_known_time_zone(name: &str) -> bool {
    resolve(name).is_ok()
}

/// What [`Index::search`](crate::Index::search) says of an unknown zone (which it reads as
/// UTC), for the callers of [`Index::matching`](crate::Index::matching); `None` for a known one.
pub fn time_zone_error(name: &str) -> Option<permafrost_model::Message> {
    resolve(name).err()
}

/// The local days `[from, to)` (days since 1970-01-01) of a year, month or day.
pub(crate) fn day_range(spec: &DateSpec) -> (i64, i64) {
    let y = i64::from(spec.year);
    match (spec.month, spec.day) {
        (Some(m), Some(d)) => {
            let day = days_from_civil(y, i64::from(m), i64::from(d));
            (day, day + 1)
        }
        (Some(m), None) => {
            let m = i64::from(m);
            let (ny, nm) = if m >= 12 { (y + 1, 1) } else { (y, m + 1) };
            (days_from_civil(y, m, 1), days_from_civil(ny, nm, 1))
        }
        _ => (days_from_civil(y, 1, 1), days_from_civil(y + 1, 1, 1)),
    }
}

/// A zone's offset changes over `[from, to]`: the offset in force at `from`, then each change.
pub(crate) struct Offsets {
    first: i32,
    changes: Vec<(i64, i32)>,
}

impl Offsets {
    pub(crate) fn new(tz: &TimeZone, from: i64, to: i64) -> Offsets {
        let first = Timestamp::from_second(from)
            .map(|t| tz.to_offset(t).seconds())
            .unwrap_or(0);
        let mut changes = Vec::new();
        if let Ok(start) = Timestamp::from_second(from) {
            for t in tz.following(start).take(100_000) {
                let at = t.timestamp().as_second();
                if at > to {
                    break;
                }
                changes.push((at, t.offset().seconds()));
            }
        }
        Offsets { first, changes }
    }
}

/// Calendar columns of one archive in one zone.
#[derive(Debug)]
pub(crate) struct TzCols {
    pub(crate) name: String,
    /// Local day (days since 1970-01-01) of each rank; `i32::MIN` when the time is unknown.
    pub(crate) day: Vec<i32>,
    /// Local hour of each rank.
    pub(crate) hour: Vec<u8>,
    /// When local days never go backwards in rank order (true unless a daylight-saving change
    /// crosses midnight among the posts): each day with its run of ranks `[lo, hi)`.
    pub(crate) day_runs: Option<Vec<(i32, u32, u32)>>,
    /// Punchcard over all posts (weekday × hour, Monday first).
    pub(crate) punch_all: [[u32; 24]; 7],
}

impl TzCols {
    pub(crate) fn new(name: &str, tz: &TimeZone, times: &[i64], first_timed: u32) -> TzCols {
        let n = times.len();
        let mut day = vec![i32::MIN; n];
        let mut hour = vec![0u8; n];
        let mut punch_all = [[0u32; 24]; 7];
        let timed = times.get(first_timed as usize..).unwrap_or(&[]);
        if let (Some(&from), Some(&to)) = (timed.first(), timed.last()) {
            let offsets = Offsets::new(tz, from, to);
            let mut k = 0usize;
            let mut current = offsets.first;
            for (r, &t) in times.iter().enumerate().skip(first_timed as usize) {
                while let Some(&(at, off)) = offsets.changes.get(k) {
                    if at > t {
                        break;
                    }
                    current = off;
                    k += 1;
                }
                let local = t.saturating_add(i64::from(current));
                let d = i32::try_from(local.div_euclid(86_400)).unwrap_or(i32::MIN + 1);
                let h = (local.rem_euclid(86_400) / 3600) as u8;
                if let Some(x) = day.get_mut(r) {
                    *x = d;
                }
                if let Some(x) = hour.get_mut(r) {
                    *x = h;
                }
                if let Some(row) = punch_all.get_mut(weekday(d)) {
                    if let Some(c) = row.get_mut(h as usize) {
                        *c += 1;
                    }
                }
            }
        }
        let mut runs: Vec<(i32, u32, u32)> = Vec::new();
        let mut monotone = true;
        for (r, &d) in day.iter().enumerate().skip(first_timed as usize) {
            match runs.last_mut() {
                Some(last) if last.0 == d => last.2 = r as u32 + 1,
                Some(last) if last.0 > d => {
                    monotone = false;
                    break;
                }
                _ => runs.push((d, r as u32, r as u32 + 1)),
            }
        }
        TzCols {
            name: name.to_string(),
            day,
            hour,
            day_runs: monotone.then_some(runs),
            punch_all,
        }
    }

    /// The ranks whose local day is in `[from, to)`.
    pub(crate) fn ranks_in_days(&self, n: u32, from: i64, to: i64) -> Bitset {
        if let Some(runs) = &self.day_runs {
            let lo = runs.partition_point(|r| i64::from(r.0) < from);
            let hi = runs.partition_point(|r| i64::from(r.0) < to);
            let (Some(a), Some(b)) = (
                runs.get(lo).map(|r| r.1).or(runs.last().map(|r| r.2)),
                runs.get(hi).map(|r| r.1).or(runs.last().map(|r| r.2)),
            ) else {
                return Bitset::empty(n);
            };
            return Bitset::range(n, a, b);
        }
        let mut set = Bitset::empty(n);
        for (r, &d) in self.day.iter().enumerate() {
            if d != i32::MIN && (from..to).contains(&i64::from(d)) {
                set.insert(r as u32);
            }
        }
        set
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        4 * self.day.capacity()
            + self.hour.capacity()
            + self.day_runs.as_ref().map_or(0, |r| 12 * r.capacity())
    }
}

/// Day of the week of a day number, 0 for Monday.
pub(crate) fn weekday(day: i32) -> usize {
    (i64::from(day) + 3).rem_euclid(7) as usize
}

/// `(year, month)` of a day number.
pub(crate) fn year_month(day: i32) -> (i64, i64) {
    let (y, m, _) = civil_from_days(i64::from(day));
    (y, m)
}

/// `(month, day)` of a day number.
pub(crate) fn month_day(day: i32) -> (i64, i64) {
    let (_, m, d) = civil_from_days(i64::from(day));
    (m, d)
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn day_key(day: i32) -> String {
    let (y, m, d) = civil_from_days(i64::from(day));
    format!("{y:04}-{m:02}-{d:02}")
}

/// ISO week `(year, week)` of a day number.
pub(crate) fn iso_week(day: i32) -> (i64, i64) {
    let thursday = i64::from(day) - weekday(day) as i64 + 3;
    let (y, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    (y, (thursday - jan1) / 7 + 1)
}

/// A month as an index (`year * 12 + month - 1`).
pub(crate) fn month_index(day: i32) -> i64 {
    let (y, m) = year_month(day);
    y * 12 + m - 1
}

/// `YYYY-MM` of a month index.
pub(crate) fn month_key(index: i64) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}
