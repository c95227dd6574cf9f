//! Timestamps: seconds since the Unix epoch, UTC. Archives write RFC 3339 (`2022-11-17T21:34:08Z`,
//! sometimes with fractions or an offset); a small parser keeps the model free of a date library.

/// Seconds since 1970-01-01T00:00:00Z.
pub type Timestamp = i64;

/// Parses an RFC 3339 / ISO 8601 date-time (`2022-11-17T21:34:08Z`, `…08.123Z`, `…08+02:00`,
/// or a bare date `2022-11-07`). Returns `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let b = s.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let year = num(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None; // February 30 is no date (it used to become March 2).
    }
    let date = days_from_civil(year, month, day) * 86_400;
    if b.len() == 10 {
        return Some(date);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let mut i = 16;
    let mut second = 0;
    if b.get(16) == Some(&b':') {
        second = num(17..19)?;
        i = 19;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    let offset = match b.get(i) {
        None | Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let oh = num(i + 1..i + 3)?;
            let om = if b.get(i + 3) == Some(&b':') {
                num(i + 4..i + 6)?
            } else {
                num(i + 3..i + 5).unwrap_or(0)
            };
            if oh > 23 || om > 59 {
                return None; // -99:99 is no offset (it used to push dates into year 10000).
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let t = date + hour * 3600 + minute * 60 + second - offset;
    // Years 0000 to 9999 only, after the offset too: the formats that print dates have four digits.
    (-62_167_219_200..=253_402_300_799)
        .contains(&t)
        .then_some(t)
}

/// Formats a timestamp as RFC 3339 in UTC, e.g. `2022-11-17T21:34:08Z`.
pub fn format_rfc3339(t: Timestamp) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The number of days in `month` (1 to 12) of `year`, leap years counted.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number from [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Parses an ISO 8601 duration as Mastodon writes it (`PT12.5S`, `PT1M3S`, `PT1H`) into seconds.
pub fn parse_duration(s: &str) -> Option<f64> {
    let rest = s.trim().strip_prefix('P')?;
    let mut total = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                total += n * match (in_time, unit) {
                    (false, 'D') => 86_400.0,
                    (true, 'H') => 3600.0,
                    (true, 'M') => 60.0,
                    (true, 'S') => 1.0,
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_archives_use() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2022-11-17T21:34:08Z"), Some(1_668_720_848));
        assert_eq!(
            parse_rfc3339("2022-11-17T21:34:08.123Z"),
            Some(1_668_720_848)
        );
        assert_eq!(
            parse_rfc3339("2022-11-17T23:34:08+02:00"),
            Some(1_668_720_848)
        );
        assert_eq!(parse_rfc3339("2022-11-07"), Some(1_667_779_200));
        assert_eq!(parse_rfc3339("2022-13-07"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2022-11-17T21:3"), None);
    }

    #[test]
    fn impossible_dates_are_no_dates() {
        assert_eq!(parse_rfc3339("2023-02-30T10:00:00Z"), None);
        assert_eq!(parse_rfc3339("2023-02-29T10:00:00Z"), None);
        assert_eq!(parse_rfc3339("2023-04-31"), None);
        assert!(parse_rfc3339("2024-02-29T10:00:00Z").is_some());
        assert!(parse_rfc3339("2000-02-29").is_some());
        assert_eq!(parse_rfc3339("1900-02-29"), None);
        assert_eq!(parse_rfc3339("9999-12-31T23:00:00-99:99"), None);
        assert_eq!(parse_rfc3339("2023-01-01T00:00:00+24:00"), None);
        // Within range before the offset, beyond it after: still no date.
        assert_eq!(parse_rfc3339("9999-12-31T23:00:00-02:00"), None);
        assert_eq!(parse_rfc3339("9999-12-31T23:00:00Z"), Some(253_402_297_200));
    }

    #[test]
    fn formats_round_trip() {
        for t in [0, 1_668_720_848, 951_782_400, -86_400, 4_102_444_800] {
            assert_eq!(parse_rfc3339(&format_rfc3339(t)), Some(t));
        }
        assert_eq!(format_rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT12.5S"), Some(12.5));
        assert_eq!(parse_duration("PT1M3S"), Some(63.0));
        assert_eq!(parse_duration("PT1H"), Some(3600.0));
        assert_eq!(parse_duration("12"), None);
    }
}
