//! Numbers, sizes, durations and dates for people. The plain functions here build natively;
//! those that need the browser's `Intl` (locale-aware numbers and dates, time zones) are in the
//! wasm32-only `intl` part, re-exported here.

#[cfg(target_arch = "wasm32")]
mod intl;
#[cfg(target_arch = "wasm32")]
pub use intl::{
    browser_time_zone, count, date, duration, is_one, is_time_zone, posts, size, time_zones, today,
    weekday,
};

/// How much of a date to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateStyle {
    /// `Mar 5, 2023, 14:07` in the user's locale.
    DateTime,
    /// `Mar 5, 2023`.
    Date,
    /// `March 2023`.
    Month,
}

/// An RFC 3339 date as the machine-readable `datetime` of a `<time>` element.
pub fn iso_utc(unix_secs: i64) -> String {
    permafrost_model::time::format_rfc3339(unix_secs)
}

/// The host of an http(s) URL, without `www.`, for naming accounts and mentions. Not for labelling
/// links: a link's label comes with it (`Href::host`), parsed by the browser's URL rules.
pub fn domain(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// An account named by its URI, as people write it: `@name@host` where the URI has one of the
/// shapes servers give accounts (`/users/name`, `/@name`, `/u/name`, `/profile/name`,
/// `/accounts/name`), else the URI shortened to host and path (`self.example/actor.json`): a
/// last path segment is not a name when the server does not say so.
pub fn account_label(uri: &str) -> String {
    let Some(host) = domain(uri) else {
        return uri.to_string();
    };
    let path = uri
        .split_once("://")
        .map_or("", |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && !s.contains("..")
            && !s.ends_with(".json")
    };
    let name = match segments.as_slice() {
        [prefix, name] if matches!(*prefix, "users" | "u" | "profile" | "accounts" | "c") => {
            Some(*name)
        }
        [at] if at.starts_with('@') => Some(&at[1..]),
        _ => None,
    };
    match name.filter(|n| is_name(n)) {
        Some(name) => format!("@{name}@{host}"),
        None if path.is_empty() => host.to_string(),
        None => format!("{host}/{path}"),
    }
}

/// The unit of a size (0 bytes, 1 KB, 2 MB, 3 GB, 4 TB) and its scale.
pub fn size_unit(n: u64) -> (usize, u64) {
    let mut unit = 0;
    let mut scale = 1u64;
    while n / scale >= 1000 && unit < 4 {
        scale *= 1000;
        unit += 1;
    }
    (unit, scale)
}

/// `2.5 MB` (decimal units), in English (the page says sizes in its language with `size`).
/// Integer arithmetic: float formatting would cost bundle size.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let (unit, scale) = size_unit(n);
    if unit == 0 {
        return format!("{n} bytes");
    }
    // In u128: `n * 10` overflows u64 for the largest sizes.
    let tenths = (u128::from(n) * 10 + u128::from(scale) / 2) / u128::from(scale);
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

/// `1.5 s` from milliseconds.
pub fn seconds(ms: u32) -> String {
    let tenths = (u64::from(ms) + 50) / 100;
    format!("{}.{} s", tenths / 10, tenths % 10)
}

/// Whether the browser's message for a dead worker means it ran out of memory (see
/// [`worker_stopped`]; the page says it in the interface's language, `app.out_of_memory`).
pub fn out_of_memory(detail: &str) -> bool {
    let lower = detail.to_ascii_lowercase();
    lower.contains("unreachable") || lower.contains("memory")
}

/// What to tell the user when the worker died, from the browser's error message. A WebAssembly
/// program that runs out of memory stops at an `unreachable` trap with no other word (the
/// allocator's failure aborts), and that is by far the likeliest cause on a huge archive: say so,
/// and what to try, rather than show the trap.
pub fn worker_stopped(detail: &str) -> String {
    if out_of_memory(detail) {
        "the browser ran out of memory for this archive (a page's worker gets a few gigabytes at \
         most) and its reader stopped; close other tabs and open it again, or use the \
         `permafrost` command-line tool, which has no such limit"
            .to_string()
    } else {
        format!("the worker stopped unexpectedly ({detail}); reload the page and try again")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_what_a_link_shows() {
        assert_eq!(domain("https://www.example.org/a?b#c"), Some("example.org"));
        assert_eq!(
            domain("http://user@host.example:8080/x"),
            Some("host.example")
        );
        assert_eq!(domain("mailto:a@b.example"), None);
        assert_eq!(domain("https://"), None);
    }

    #[test]
    fn accounts_are_named_as_people_write_them() {
        assert_eq!(
            account_label("https://ex.social/users/ana"),
            "@ana@ex.social"
        );
        assert_eq!(account_label("https://ex.social/@ana"), "@ana@ex.social");
        assert_eq!(
            account_label("https://lemmy.example/u/bo/"),
            "@bo@lemmy.example"
        );
        // A self-hosted server's actor document is no name.
        assert_eq!(
            account_label("https://self.example/actor.json"),
            "self.example/actor.json"
        );
        assert_eq!(account_label("https://self.example/"), "self.example");
        assert_eq!(
            account_label("https://mk.example/users/9abc/x"),
            "mk.example/users/9abc/x"
        );
        assert_eq!(account_label("not a url"), "not a url");
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(bytes(999), "999 bytes");
        assert_eq!(bytes(1_000), "1.0 KB");
        assert_eq!(bytes(2_549_999), "2.5 MB");
        assert_eq!(bytes(u64::MAX / 100), "184467.4 TB");
        assert_eq!(bytes(u64::MAX), "18446744.1 TB");
        assert_eq!(seconds(0), "0.0 s");
        assert_eq!(seconds(1_549), "1.5 s");
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
    }
}
