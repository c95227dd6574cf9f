//! The Statistics view's arithmetic, without the DOM: the days of a calendar year laid out in
//! weeks, shades for counts, and the names screen readers give each element of a chart.

use permafrost_model::time::{civil_from_days, days_from_civil};
use permafrost_protocol::FacetValue;

/// The weekdays as the punchcard's rows and the `weekday:` filter name them, Monday first.
pub const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "Mondays"),
    ("tue", "Tuesdays"),
    ("wed", "Wednesdays"),
    ("thu", "Thursdays"),
    ("fri", "Fridays"),
    ("sat", "Saturdays"),
    ("sun", "Sundays"),
];

/// The shade of `count` among counts up to `max`: 0 for none, then 1 (least) to 4 (the most).
pub fn level(count: u32, max: u32) -> u8 {
    if count == 0 {
        return 0;
    }
    let max = u64::from(max.max(count));
    1 + ((u64::from(count) * 4 - 1) / max).min(3) as u8
}

/// One day of a calendar heatmap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    /// Column: the week of the year, 0 for the week holding 1 January (weeks start on Monday).
    pub week: u32,
    /// Row: 0 for Monday.
    pub weekday: u32,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Posts on the day.
    pub count: u32,
}

/// Every day of `year` in calendar order, with the counts of `days` (`YYYY-MM-DD` labels, as the
/// worker sends them; days without posts may be absent).
pub fn calendar(year: i32, days: &[FacetValue]) -> Vec<CalendarDay> {
    let first = days_from_civil(i64::from(year), 1, 1);
    let next = days_from_civil(i64::from(year) + 1, 1, 1);
    let offset = weekday(first);
    let prefix = format!("{year:04}-");
    let mut counts = days
        .iter()
        .filter(|d| d.label.starts_with(&prefix))
        .map(|d| (d.label.as_str(), d.count))
        .peekable();
    (first..next)
        .map(|day| {
            let (y, m, d) = civil_from_days(day);
            let date = format!("{y:04}-{m:02}-{d:02}");
            // Labels come oldest first, so the counts are met in calendar order.
            let count = match counts.peek() {
                Some(&(label, n)) if label == date => {
                    counts.next();
                    n
                }
                _ => 0,
            };
            let n = (day - first) as u32 + offset;
            CalendarDay {
                week: n / 7,
                weekday: n % 7,
                date,
                count,
            }
        })
        .collect()
}

/// The years that have posts, from day labels (`YYYY-MM-DD`), oldest first.
pub fn years(days: &[FacetValue]) -> Vec<i32> {
    let mut out: Vec<i32> = days
        .iter()
        .filter_map(|d| d.label.get(..4)?.parse().ok())
        .collect();
    out.dedup();
    out
}

/// `14:00–14:59`.
pub fn hour_range(hour: usize) -> String {
    format!("{hour:02}:00–{hour:02}:59")
}

/// The query terms of a punchcard cell (`weekday:sat hour:14`), row-major, Monday and 00:00 first.
pub fn punchcard_term(cell: usize) -> String {
    let day = WEEKDAYS.get(cell / 24).map_or("mon", |d| d.0);
    format!("weekday:{day} hour:{}", cell % 24)
}

/// Monday = 0.
fn weekday(day: i64) -> u32 {
    (day + 3).rem_euclid(7) as u32
}
