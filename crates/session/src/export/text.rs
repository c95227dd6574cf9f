//! Small pieces every format shares: dates in a zone, redacted mentions, base64, safe names.

use jiff::tz::{TimeZone, TimeZoneDatabase};
use permafrost_model::time::format_rfc3339;
use permafrost_model::Message;
use permafrost_model::{Account, Post, PostKind};
use std::sync::OnceLock;

/// What other people's mentions become when they are redacted.
pub(crate) const PLACEHOLDER: &str = "@someone";

/// Looks up an IANA zone in jiff's bundled database, the one the index uses (empty: UTC).
pub(crate) fn zone(name: &str) -> Result<TimeZone, Message> {
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    let name = name.trim();
    if name.is_empty() || name.eq_ignore_ascii_case("utc") || name == "Z" {
        return Ok(TimeZone::UTC);
    }
    DB.get_or_init(TimeZoneDatabase::bundled)
        .get(name)
        .map_err(|_| crate::messages::EXPORT_TIME_ZONE.with(&[("zone", &name)]))
}

/// A time in a zone, RFC 3339 with its offset (`2023-01-02T12:04:05+09:00`).
pub(crate) fn local(t: i64, tz: &TimeZone) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(t) else {
        return format_rfc3339(t);
    };
    // Written out rather than through `strftime`, which parses its format for every post.
    let offset = tz.to_offset(ts);
    let d = offset.to_datetime(ts);
    let seconds = offset.seconds();
    let minutes = seconds.abs() / 60;
    // By hand rather than with `format!`, whose padding was 13 % of a Markdown export's work.
    let mut out = String::with_capacity(25);
    let year = d.year();
    // Four digits, and a sign before years BCE (`-0044`) as in ISO 8601 (jiff's years are
    // -9999 to 9999).
    if year < 0 {
        out.push('-');
    }
    let parts = [
        (u32::from(year.unsigned_abs()), 4, ""),
        (d.month() as u32, 2, "-"),
        (d.day() as u32, 2, "-"),
        (d.hour() as u32, 2, "T"),
        (d.minute() as u32, 2, ":"),
        (d.second() as u32, 2, ":"),
        (
            (minutes / 60) as u32,
            2,
            if seconds < 0 { "-" } else { "+" },
        ),
        ((minutes % 60) as u32, 2, ":"),
    ];
    for (value, width, before) in parts {
        out.push_str(before);
        digits(&mut out, value, width);
    }
    out
}

/// `value` in decimal, zero-padded to `width` digits.
fn digits(out: &mut String, value: u32, width: u32) {
    let mut n = value;
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    let mut div = 10u32.pow(len - 1);
    while div > 0 {
        out.push(char::from(b'0' + (value / div % 10) as u8));
        div /= 10;
    }
}

/// The local date (`2023-01-02`) of a time in a zone.
pub(crate) fn local_date(t: i64, tz: &TimeZone) -> String {
    let mut s = local(t, tz);
    // ASCII up to the date's end (a year past 9999 is still `+`-free digits).
    if let Some(end) = s.find('T') {
        s.truncate(end);
    }
    s
}

/// A time in a zone for people to read, in the HTML page's English: `Mon 2 Jan 2023, 12:04`.
/// The zone is said once, at the top of the page; each post's `<time>` carries [`local`].
pub(crate) fn readable(t: i64, tz: &TimeZone) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Ok(ts) = jiff::Timestamp::from_second(t) else {
        return format_rfc3339(t);
    };
    let d = tz.to_offset(ts).to_datetime(ts);
    let day = DAYS[d.weekday().to_monday_zero_offset() as usize];
    let month = MONTHS[(d.month() as usize).saturating_sub(1) % 12];
    let mut out = format!("{day} {} {month} {}, ", d.day(), d.year());
    digits(&mut out, d.hour() as u32, 2);
    out.push(':');
    digits(&mut out, d.minute() as u32, 2);
    out
}

/// The post a reply answers, as the export writes it: not written when other people are
/// redacted and it is someone else's, whose address names them (`…/users/bob/statuses/1`). The
/// kind still says `reply`.
pub(crate) fn reply_to<'a>(post: &'a Post, own: &Own, redact: bool) -> Option<&'a str> {
    post.in_reply_to
        .as_deref()
        .filter(|url| !redact || own.is_own_post(url))
}

/// `original`, `reply` or `boost`.
pub(crate) fn kind(post: &Post) -> &'static str {
    match post.kind {
        PostKind::Boost => "boost",
        PostKind::Original if post.in_reply_to.is_some() => "reply",
        PostKind::Original => "original",
    }
}

/// Who the account is, to tell its own mentions from other people's.
pub(crate) struct Own {
    /// `user@host`, lowercased.
    handle: String,
    /// `user`, lowercased.
    user: String,
    /// The actor's URI and profile page.
    urls: Vec<String>,
}

impl Own {
    pub(crate) fn of(account: &Account) -> Own {
        let handle = account
            .actor
            .as_ref()
            .map(|a| a.handle.trim_start_matches('@').to_lowercase())
            .unwrap_or_default();
        let user = handle.split('@').next().unwrap_or("").to_string();
        let urls = account
            .actor
            .iter()
            .flat_map(|a| {
                [
                    Some(a.id.clone()),
                    a.url.as_ref().map(|u| u.url.to_string()),
                ]
            })
            .flatten()
            .filter(|u| !u.is_empty())
            .collect();
        Own { handle, user, urls }
    }

    /// True when a mention in a post's text names the account itself: by its link when it has
    /// one (`@alice` on another server is someone else), else by its text.
    pub(crate) fn is_self_mention(&self, text: &str, href: Option<&str>) -> bool {
        match href {
            Some(h) => self.urls.iter().any(|u| u == h),
            None => self.is_self(text),
        }
    }

    /// True when `url` is one of the account's own posts (under its actor's URI or profile
    /// page): a reply to it names nobody else.
    pub(crate) fn is_own_post(&self, url: &str) -> bool {
        self.urls.iter().any(|u| {
            url.strip_prefix(u.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// True when a mention (`@bob`, `bob@host`, any case) names the account itself.
    pub(crate) fn is_self(&self, mention: &str) -> bool {
        let m = mention.trim_start_matches('@').to_lowercase();
        !self.handle.is_empty() && (m == self.handle || (!m.contains('@') && m == self.user))
    }
}

/// A post's mentions as the export writes them (`bob@host`), other people's redacted when asked.
pub(crate) fn mentions(account: &Account, post: &Post, own: &Own, redact: bool) -> Vec<String> {
    post.mentions
        .iter()
        .map(|m| account.strings.resolve(m.acct))
        .map(|acct| {
            if redact && !own.is_self(acct) {
                PLACEHOLDER.trim_start_matches('@').to_string()
            } else {
                acct.to_string()
            }
        })
        .collect()
}

/// Mentions of other people in a post (what redaction replaces).
pub(crate) fn others_mentioned(account: &Account, post: &Post, own: &Own) -> u32 {
    post.mentions
        .iter()
        .filter(|m| !own.is_self(account.strings.resolve(m.acct)))
        .count() as u32
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8], out: &mut String) {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.reserve(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
}

/// A path inside an export ZIP: `/` separators, no empty, `.` or `..` parts, no leading `/`.
pub(crate) fn safe_path(name: &str) -> String {
    name.split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect::<Vec<_>>()
        .join("/")
}

/// The last part of a path or URL, made safe as a file name (letters, digits, `.`, `-`, `_`).
pub(crate) fn file_part(name: &str) -> String {
    let base = name
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("");
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.').to_string();
    if clean.is_empty() {
        "file".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut out = String::new();
            base64(plain.as_bytes(), &mut out);
            assert_eq!(out, coded);
        }
    }

    #[test]
    fn paths_stay_inside_the_zip() {
        assert_eq!(safe_path("/a/../b//./c.png"), "a/b/c.png");
        assert_eq!(file_part("https://x.example/a/b%20c.png?x=1"), "b_20c.png");
        assert_eq!(file_part("/"), "file");
        assert_eq!(file_part("..."), "file");
    }

    #[test]
    fn local_times_carry_their_offset() {
        let tz = zone("Asia/Tokyo").unwrap_or(TimeZone::UTC);
        assert_eq!(local(1_672_628_645, &tz), "2023-01-02T12:04:05+09:00");
        assert_eq!(
            local(1_672_628_645, &TimeZone::UTC),
            "2023-01-02T03:04:05+00:00"
        );
        assert_eq!(local_date(1_672_628_645, &tz), "2023-01-02");
        // Half an hour behind, and the day before in that zone.
        let tz = zone("America/St_Johns").unwrap_or(TimeZone::UTC);
        assert_eq!(local(1_672_628_645, &tz), "2023-01-01T23:34:05-03:30");
        assert_eq!(local_date(1_672_628_645, &tz), "2023-01-01");
        assert_eq!(
            local(-62_198_755_200, &TimeZone::UTC),
            "-0001-01-01T00:00:00+00:00"
        );
        assert!(zone("Mars/Olympus").is_err());
        assert_eq!(
            readable(1_672_628_645, &TimeZone::UTC),
            "Mon 2 Jan 2023, 03:04"
        );
        assert_eq!(readable(1_672_628_645, &tz), "Sun 1 Jan 2023, 23:34");
    }
}
