//! Syntax tree → [`Query`]: words become folded pieces, filters are checked, and every mistake
//! becomes a [`QueryError`] while the offending term is left out.

use super::filters::{FilterSpec, FILTERS, WEEKDAYS};
use super::messages as m;
use super::parse::Ast;
use super::suggest::did_you_mean;
use super::{
    visibility_name, Cmp, CountField, DateOp, DateSpec, HasFilter, IsFilter, Mode, Query,
    QueryError, Text,
};
use crate::text::{self, Class, Piece};
use permafrost_model::{Message, Visibility};

/// Lowers a syntax tree. `None` means nothing is left to run.
pub(super) fn lower(
    ast: &Ast<'_>,
    _text: &str,
    mode: Mode,
    errors: &mut Vec<QueryError>,
) -> Option<Query> {
    let mut l = Lower { mode, errors };
    l.node(ast, false)
}

struct Lower<'e> {
    mode: Mode,
    errors: &'e mut Vec<QueryError>,
}

/// A mistake in a value: the message and a corrected value.
struct Bad {
    message: Message,
    fix: Option<String>,
}

impl Bad {
    fn new(message: Message, fix: Option<String>) -> Bad {
        Bad { message, fix }
    }
}

impl Lower<'_> {
    fn error(&mut self, start: usize, end: usize, message: Message, suggestion: Option<String>) {
        self.errors.push(QueryError {
            span: (start, end),
            message,
            suggestion,
        });
    }

    fn node(&mut self, ast: &Ast<'_>, negated: bool) -> Option<Query> {
        match ast {
            Ast::Empty => None,
            Ast::And(items) => {
                let mut out = Vec::new();
                for item in items {
                    match self.node(item, negated) {
                        Some(Query::And(inner)) => out.extend(inner),
                        Some(Query::All) | None => {}
                        Some(q) => out.push(q),
                    }
                }
                match out.len() {
                    0 => None,
                    1 => out.pop(),
                    _ => Some(Query::And(out)),
                }
            }
            Ast::Or(items) => {
                let mut out = Vec::new();
                for item in items {
                    match self.node(item, negated) {
                        Some(Query::Or(inner)) => out.extend(inner),
                        Some(q) => out.push(q),
                        None => {}
                    }
                }
                match out.len() {
                    0 => None,
                    1 => out.pop(),
                    _ => Some(Query::Or(out)),
                }
            }
            Ast::Not(inner) => self.node(inner, !negated).map(|q| match q {
                Query::Not(x) => *x,
                q => Query::Not(Box::new(q)),
            }),
            Ast::Word {
                text,
                start,
                end,
                last,
            } => self.word(
                text,
                *start,
                *end,
                *last && self.mode == Mode::Typing,
                negated,
            ),
            Ast::Phrase {
                text,
                start,
                end,
                closed,
                last,
            } => {
                let typing_last = *last && self.mode == Mode::Typing;
                if !closed && !typing_last {
                    self.error(
                        *start,
                        *end,
                        m::MISSING_QUOTE.message(),
                        Some(format!("\"{text}\"")),
                    );
                }
                let (body, star) = strip_star(text.trim_end());
                let pieces = text::pieces(body);
                if pieces.is_empty() {
                    if !typing_last && !text.trim().is_empty() {
                        self.error(*start, *end, m::EMPTY_PHRASE.message(), None);
                    }
                    return None;
                }
                let prefix = star || (typing_last && !closed && !negated);
                Some(Query::Text(make_text(pieces, prefix, true)))
            }
        }
    }

    fn word(
        &mut self,
        word: &str,
        start: usize,
        end: usize,
        typing_last: bool,
        negated: bool,
    ) -> Option<Query> {
        if let Some(rest) = word.strip_prefix(['#', '＃']) {
            let (name, star) = strip_star(rest);
            let name = tag_name(name);
            if name.is_empty() {
                if !typing_last {
                    self.error(start, end, m::TAG_NEEDS_NAME.message(), None);
                }
                return None;
            }
            return Some(Query::Tag {
                name: name.to_lowercase(),
                prefix: star || (typing_last && !negated),
            });
        }
        if let Some(rest) = word.strip_prefix(['@', '＠']) {
            let (acct, star) = strip_star(rest);
            let acct = acct.trim_end_matches(|c: char| {
                matches!(c, '.' | ',' | ':' | ';' | '!' | '?' | '@' | '\'' | '’')
            });
            if acct.is_empty() {
                if !typing_last {
                    self.error(start, end, m::MENTION_NEEDS_NAME.message(), None);
                }
                return None;
            }
            return Some(Query::Mention {
                acct: acct.to_lowercase(),
                prefix: star || (typing_last && !negated),
            });
        }
        if let Some((key, value)) = split_filter(word) {
            return self.filter(key, value, start, end, typing_last);
        }
        let (body, star) = strip_star(word);
        let pieces = text::pieces(body);
        if pieces.is_empty() {
            if !typing_last {
                self.error(start, end, m::EMPTY_WORD.with(&[("word", &word)]), None);
            }
            return None;
        }
        Some(Query::Text(make_text(
            pieces,
            star || (typing_last && !negated),
            false,
        )))
    }

    fn filter(
        &mut self,
        key: &str,
        value: &str,
        start: usize,
        end: usize,
        typing_last: bool,
    ) -> Option<Query> {
        let Some(spec) = FilterSpec::find(key) else {
            // An unknown key: suggest the closest name, with its value mended too if need be.
            let lower_key = key.to_ascii_lowercase();
            let names: Vec<&str> = FILTERS
                .iter()
                .map(|f| f.key)
                .chain(FILTERS.iter().flat_map(|f| f.key_aliases.iter().copied()))
                .collect();
            match did_you_mean(&lower_key, &names) {
                Some(best) => {
                    let fixed = match FilterSpec::find(best).map(|f| check_value(f, value)) {
                        Some(Err(bad)) => bad.fix.unwrap_or_else(|| value.to_string()),
                        _ => value.to_string(),
                    };
                    self.error(
                        start,
                        end,
                        m::UNKNOWN_FILTER.with(&[("key", &key)]),
                        Some(format!("{best}:{fixed}")),
                    );
                }
                None => {
                    let keys: Vec<&str> = FILTERS.iter().map(|f| f.key).collect();
                    self.error(
                        start,
                        end,
                        m::UNKNOWN_FILTER_LIST
                            .with(&[("key", &key), ("filters", &keys.join(", "))]),
                        None,
                    )
                }
            }
            return None;
        };
        if value.is_empty() {
            if !typing_last {
                self.error(start, end, needs_value(spec, key), None);
            }
            return None;
        }
        match check_value(spec, value) {
            Ok(q) => Some(q),
            Err(bad) => {
                if !(typing_last && is_value_prefix(spec, value)) {
                    self.error(
                        start,
                        end,
                        bad.message,
                        bad.fix.map(|v| format!("{}:{v}", spec.key)),
                    );
                }
                None
            }
        }
    }
}

fn make_text(mut pieces: Vec<Piece>, prefix: bool, quoted: bool) -> Text {
    pieces.truncate(64);
    let prefix = prefix && matches!(pieces.last(), Some(Piece::Word(_)));
    Text {
        pieces,
        prefix,
        quoted,
    }
}

/// Strips trailing `*`s; true when there was one.
fn strip_star(s: &str) -> (&str, bool) {
    let t = s.trim_end_matches('*');
    (t, t.len() != s.len())
}

/// The leading part of a tag: letters, digits, marks, `_` and `·`.
fn tag_name(s: &str) -> &str {
    let end = s
        .char_indices()
        .find(|&(_, c)| {
            !(matches!(text::classify(c), Class::Word | Class::Cjk | Class::Ignore)
                || c == '_'
                || c == '·')
        })
        .map_or(s.len(), |(i, _)| i);
    s.get(..end).unwrap_or("")
}

/// Splits `key:value` when the key looks like a filter name (ASCII letters, `-`, `_`) and the value
/// does not look like the rest of a URL.
fn split_filter(word: &str) -> Option<(&str, &str)> {
    let (key, value) = word.split_once(':')?;
    let mut chars = key.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic()
        || !chars.all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
        || value.starts_with("//")
    {
        return None;
    }
    Some((key, value))
}

/// The values a fixed-list filter accepts: its values, then their aliases (for "did you mean").
fn choices(spec: &FilterSpec) -> Vec<&'static str> {
    let aliases = spec.value_aliases.iter().map(|&(alias, _)| alias);
    spec.values.iter().copied().chain(aliases).collect()
}

/// "`key:` needs a value", saying what the filter takes.
fn needs_value(spec: &FilterSpec, key: &str) -> Message {
    let template = if !spec.values.is_empty() {
        m::NEEDS_VALUE_LIST
    } else {
        match spec.key {
            "after" | "before" | "on" | "during" => m::NEEDS_VALUE_DATE,
            "lang" => m::NEEDS_VALUE_LANG,
            "domain" => m::NEEDS_VALUE_DOMAIN,
            "hour" => m::NEEDS_VALUE_HOUR,
            "boosted" => m::NEEDS_VALUE_ACCOUNT,
            "account" => m::NEEDS_VALUE_OPEN_ACCOUNT,
            "id" | "thread" => m::NEEDS_VALUE_ID,
            _ => m::NEEDS_VALUE_COUNT,
        }
    };
    template.with(&[("key", &key), ("values", &spec.values.join(", "))])
}

/// "unknown value": the value and the filter's values.
fn unknown(template: permafrost_model::Template, value: &str, spec: &FilterSpec) -> Message {
    template.with(&[("value", &value), ("values", &spec.values.join(", "))])
}

/// Checks a value for a filter.
fn check_value(spec: &FilterSpec, value: &str) -> Result<Query, Bad> {
    let key = spec.key;
    let lower = value.to_lowercase();
    // A fixed-list value, by the name the table gives it.
    let listed = || -> Result<&'static str, Bad> {
        spec.canonical_value(&lower).ok_or_else(|| {
            let template = if key == "visibility" {
                m::UNKNOWN_VISIBILITY
            } else {
                m::UNKNOWN_VALUE
            };
            let fix = did_you_mean(&lower, &choices(spec)).map(str::to_string);
            Bad::new(unknown(template, value, spec), fix)
        })
    };
    // Should the table and this function ever disagree (a test checks they do not).
    let unlisted = || Bad::new(unknown(m::UNKNOWN_VALUE, value, spec), None);
    match key {
        "after" | "before" | "on" | "during" if day_of_year(value).is_some() => {
            match (key, day_of_year(value)) {
                ("on" | "during", Some(Some((month, day)))) => Ok(Query::DayOfYear { month, day }),
                ("on" | "during", _) => Err(Bad::new(m::BAD_DAY.with(&[("value", &value)]), None)),
                _ => Err(Bad::new(m::DAY_NEEDS_YEAR.with(&[("key", &key)]), None)),
            }
        }
        "after" | "before" | "on" | "during" => {
            let op = match key {
                "after" => DateOp::After,
                "before" => DateOp::Before,
                _ => DateOp::On,
            };
            parse_date(value).map(|date| Query::Date { op, date })
        }
        "is" => {
            let name = listed()?;
            let v = IsFilter::ALL.into_iter().find(|v| v.as_str() == name);
            v.map(Query::Is).ok_or_else(unlisted)
        }
        "visibility" => {
            let name = listed()?;
            let all = [
                Visibility::Public,
                Visibility::Unlisted,
                Visibility::Private,
                Visibility::Direct,
            ];
            let v = all.into_iter().find(|&v| visibility_name(v) == name);
            v.map(Query::Visibility).ok_or_else(unlisted)
        }
        "has" => {
            let name = listed()?;
            let v = HasFilter::ALL.into_iter().find(|v| v.as_str() == name);
            v.map(Query::Has).ok_or_else(unlisted)
        }
        "lang" => {
            let ok = {
                let mut parts = lower.split('-');
                let first = parts.next().unwrap_or("");
                (2..=3).contains(&first.len())
                    && first.chars().all(|c| c.is_ascii_alphabetic())
                    && parts.all(|p| {
                        (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
                    })
            };
            if ok {
                Ok(Query::Lang(lower.replace('_', "-")))
            } else {
                let fix = lower.replace('_', "-");
                let fix_ok = fix != lower && check_value(spec, &fix).is_ok();
                Err(Bad::new(
                    m::BAD_LANGUAGE.with(&[("value", &value)]),
                    fix_ok.then_some(fix),
                ))
            }
        }
        "domain" => {
            let mut d = lower.as_str();
            for scheme in ["https://", "http://"] {
                if let Some(rest) = d.strip_prefix(scheme) {
                    d = rest;
                }
            }
            let d = d.split(['/', '?', '#']).next().unwrap_or("");
            let d = d.trim_matches('.');
            if d.is_empty() || !d.chars().any(char::is_alphanumeric) {
                return Err(Bad::new(m::BAD_DOMAIN.with(&[("value", &value)]), None));
            }
            Ok(Query::Domain(d.to_string()))
        }
        "weekday" => {
            let name = listed()?;
            let day = WEEKDAYS.iter().position(|&d| d == name);
            day.map(|d| Query::Weekday(d as u8)).ok_or_else(unlisted)
        }
        "hour" => {
            let hour = |s: &str| {
                s.parse::<u8>()
                    .ok()
                    .filter(|&h| h < 24 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            };
            let (a, b) = value.split_once('-').unwrap_or((value, value));
            match (hour(a), hour(b)) {
                (Some(from), Some(to)) => Ok(Query::Hour { from, to }),
                _ => Err(Bad::new(m::BAD_HOUR.with(&[("value", &value)]), None)),
            }
        }
        "boosted" => {
            let a = crate::accounts::address(lower.trim_start_matches('@'));
            if a.is_empty() {
                return Err(Bad::new(m::BAD_ACCOUNT.with(&[("value", &value)]), None));
            }
            Ok(Query::Boosted(a))
        }
        "account" => {
            let a = lower.trim().trim_start_matches('@');
            if a.is_empty() {
                return Err(Bad::new(
                    m::BAD_OPEN_ACCOUNT.with(&[("value", &value)]),
                    None,
                ));
            }
            Ok(Query::Account(a.to_string()))
        }
        "id" | "thread" => {
            let id = permafrost_model::short_id(&lower);
            if id.is_empty() {
                return Err(Bad::new(m::BAD_POST_ID.with(&[("value", &value)]), None));
            }
            Ok(if key == "id" {
                Query::Id(id.to_string())
            } else {
                Query::Thread(id.to_string())
            })
        }
        "likes" | "shares" => {
            let field = if key == "likes" {
                CountField::Likes
            } else {
                CountField::Shares
            };
            let (op, digits) = if let Some(r) = value.strip_prefix(">=") {
                (Cmp::Ge, r)
            } else if let Some(r) = value.strip_prefix("<=") {
                (Cmp::Le, r)
            } else if let Some(r) = value.strip_prefix('>') {
                (Cmp::Gt, r)
            } else if let Some(r) = value.strip_prefix('<') {
                (Cmp::Lt, r)
            } else if let Some(r) = value.strip_prefix('=') {
                (Cmp::Eq, r)
            } else {
                (Cmp::Eq, value)
            };
            match digits.parse::<u32>() {
                Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok(Query::Count {
                    field,
                    op,
                    value: n,
                }),
                _ => Err(Bad::new(m::BAD_COUNT.with(&[("value", &value)]), None)),
            }
        }
        // A key in the table that this function does not know (a test checks there is none).
        _ => Err(unlisted()),
    }
}

/// True when `value` could still become valid by typing more (for [`Mode::Typing`]).
fn is_value_prefix(spec: &FilterSpec, value: &str) -> bool {
    let lower = value.to_lowercase();
    if !spec.values.is_empty() {
        return choices(spec).iter().any(|v| v.starts_with(&lower));
    }
    match spec.key {
        "after" | "before" | "on" | "during" if lower.len() <= 4 && lower.contains('-') => {
            // `12-0` of `on:12-02`.
            day_of_year(&format!("{lower}1")).is_some() || lower.ends_with('-')
        }
        "after" | "before" | "on" | "during" => {
            let pattern = b"dddd-dd-dd";
            lower.len() < pattern.len()
                && lower.bytes().zip(pattern.iter()).all(|(b, &p)| {
                    if p == b'd' {
                        b.is_ascii_digit()
                    } else {
                        b == p
                    }
                })
        }
        "lang" => lower.len() < 2 || lower.ends_with('-'),
        "hour" => lower.ends_with('-') && lower.len() <= 3,
        "likes" | "shares" => matches!(value, ">" | "<" | ">=" | "<=" | "="),
        _ => false,
    }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses YYYY, YYYY-MM or YYYY-MM-DD (`/` and `.` also separate, one-digit months and days are
/// fine). A date out of range, or day-first, is an error whose fix is the nearest valid date.
/// `MM-DD` (a day of every year): `None` when the value does not have that shape, `Some(None)`
/// when it has but is no day (`13-01`, `02-30`).
fn day_of_year(value: &str) -> Option<Option<(u8, u8)>> {
    let (m, d) = value.split_once('-')?;
    let digits = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(m) || !digits(d) {
        return None;
    }
    let (m, d) = (m.parse::<u8>().ok()?, d.parse::<u8>().ok()?);
    // 2000 was a leap year: 02-29 is a day of the year.
    let valid =
        (1..=12).contains(&m) && d >= 1 && i64::from(d) <= days_in_month(2000, i64::from(m));
    Some(valid.then_some((m, d)))
}

fn parse_date(value: &str) -> Result<DateSpec, Bad> {
    let invalid = |fix: Option<String>| Bad::new(m::BAD_DATE.with(&[("value", &value)]), fix);
    let parts: Vec<&str> = value.split(['-', '/', '.']).collect();
    if parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid(None));
    }
    let nums: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (first, len) = (parts.first().map_or(0, |p| p.len()), parts.len());
    let (y, m, d, reordered) = if first == 4 {
        (
            nums.first().copied().unwrap_or(0),
            nums.get(1).copied(),
            nums.get(2).copied(),
            false,
        )
    } else if len == 3 && parts.get(2).is_some_and(|p| p.len() == 4) {
        // Day first (or month first when the middle number cannot be a month).
        let (a, b) = (
            nums.first().copied().unwrap_or(1),
            nums.get(1).copied().unwrap_or(1),
        );
        let (m, d) = if b > 12 && a <= 12 { (a, b) } else { (b, a) };
        (nums.get(2).copied().unwrap_or(0), Some(m), Some(d), true)
    } else {
        return Err(invalid(None));
    };
    let cm = m.map(|m| m.clamp(1, 12));
    let cd = match (cm, d) {
        (Some(m), Some(d)) => Some(d.clamp(1, days_in_month(y, m))),
        _ => None,
    };
    let spec = DateSpec {
        year: i16::try_from(y).unwrap_or(0),
        month: cm.and_then(|m| u8::try_from(m).ok()),
        day: cd.and_then(|d| u8::try_from(d).ok()),
    };
    if reordered || cm != m || cd != d {
        return Err(invalid(Some(spec.to_string())));
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(parse_date("2023").is_ok());
        assert!(parse_date("2023-5-1").is_ok());
        assert!(parse_date("2024-02-29").is_ok());
        assert_eq!(
            parse_date("2023-02-29").err().and_then(|b| b.fix),
            Some("2023-02-28".into())
        );
        assert_eq!(
            parse_date("2023-13").err().and_then(|b| b.fix),
            Some("2023-12".into())
        );
        assert_eq!(
            parse_date("31.12.2023").err().and_then(|b| b.fix),
            Some("2023-12-31".into())
        );
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("2023--01").is_err());
    }
}
