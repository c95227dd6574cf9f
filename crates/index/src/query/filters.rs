//! The filter vocabulary (`key:value`): one table that the parser checks against, that "did you
//! mean" picks from, and that the app completes from.

use super::{visibility_name, HasFilter, IsFilter};
use permafrost_model::Visibility;
use serde::Serialize;

/// One filter of the query language, `key:value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FilterSpec {
    /// The key, as completed and as error messages and the query's canonical form write it.
    pub key: &'static str,
    /// What it filters on, in a few words (shown beside the key while completing).
    pub hint: &'static str,
    /// The values it takes when they are a fixed list, in the order to offer them; empty when the
    /// value is free-form (a date, a language code, a host name, a count).
    pub values: &'static [&'static str],
    /// Other names of the key, read as [`FilterSpec::key`] but not offered while completing
    /// (`language:` for `lang:`).
    pub key_aliases: &'static [&'static str],
    /// Other spellings of values, each with the value in [`FilterSpec::values`] it means
    /// (`visibility:private` is `visibility:followers`); accepted, not offered while completing.
    pub value_aliases: &'static [(&'static str, &'static str)],
    /// A value that parses, for examples and tests.
    pub example: &'static str,
}

impl FilterSpec {
    /// The filter a key (or key alias) names, ASCII case-insensitively.
    pub fn find(key: &str) -> Option<&'static FilterSpec> {
        FILTERS.iter().find(|f| {
            f.key.eq_ignore_ascii_case(key)
                || f.key_aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
        })
    }

    /// The value a (lowercase) value or value alias means, when the filter has a fixed list and
    /// the value is in it.
    pub fn canonical_value(&self, value: &str) -> Option<&'static str> {
        self.values
            .iter()
            .copied()
            .find(|&v| v == value)
            .or_else(|| {
                self.value_aliases
                    .iter()
                    .find(|(alias, _)| *alias == value)
                    .map(|&(_, v)| v)
            })
    }
}

/// The names of `is:` values, from [`IsFilter::as_str`].
const IS_VALUES: [&str; IsFilter::ALL.len()] = {
    let mut out = [""; IsFilter::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = IsFilter::ALL[i].as_str();
        i += 1;
    }
    out
};

/// The names of `has:` values, from [`HasFilter::as_str`].
const HAS_VALUES: [&str; HasFilter::ALL.len()] = {
    let mut out = [""; HasFilter::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = HasFilter::ALL[i].as_str();
        i += 1;
    }
    out
};

/// The names of `visibility:` values, from [`visibility_name`], most public first.
const VISIBILITY_VALUES: [&str; 4] = [
    visibility_name(Visibility::Public),
    visibility_name(Visibility::Unlisted),
    visibility_name(Visibility::Private),
    visibility_name(Visibility::Direct),
];

/// The names of `weekday:` values, Monday first (the index of a name is its day number).
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Every filter of the query language, in the order the app offers them while completing (and
/// error messages list them). [`HELP`](super::HELP) describes each one.
pub const FILTERS: &[FilterSpec] = &[
    FilterSpec {
        key: "is",
        hint: "kind of post",
        values: &IS_VALUES,
        key_aliases: &[],
        value_aliases: &[],
        example: "reply",
    },
    FilterSpec {
        key: "has",
        hint: "what it contains",
        values: &HAS_VALUES,
        key_aliases: &[],
        value_aliases: &[],
        example: "media",
    },
    FilterSpec {
        key: "visibility",
        hint: "who could see it",
        values: &VISIBILITY_VALUES,
        key_aliases: &[],
        value_aliases: &[("private", "followers"), ("dm", "direct")],
        example: "public",
    },
    FilterSpec {
        key: "lang",
        hint: "language code",
        values: &[],
        key_aliases: &["language"],
        value_aliases: &[],
        example: "pt-BR",
    },
    FilterSpec {
        key: "during",
        hint: "YYYY, YYYY-MM or YYYY-MM-DD",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "2023-06",
    },
    FilterSpec {
        key: "on",
        hint: "a day, month or year",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "2023-06-01",
    },
    FilterSpec {
        key: "before",
        hint: "before a date",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "2023",
    },
    FilterSpec {
        key: "after",
        hint: "after a date",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "2022-12-31",
    },
    FilterSpec {
        key: "weekday",
        hint: "day of the week",
        values: &WEEKDAYS,
        key_aliases: &[],
        value_aliases: &[
            ("monday", "mon"),
            ("tuesday", "tue"),
            ("wednesday", "wed"),
            ("thursday", "thu"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ],
        example: "sat",
    },
    FilterSpec {
        key: "hour",
        hint: "hour of the day, 0–23 or 9-17",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "9-17",
    },
    FilterSpec {
        key: "domain",
        hint: "links to a site",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "example.org",
    },
    FilterSpec {
        key: "likes",
        hint: "favourites, e.g. likes:>=10",
        values: &[],
        key_aliases: &["favourites", "favorites"],
        value_aliases: &[],
        example: ">=10",
    },
    FilterSpec {
        key: "shares",
        hint: "boosts, e.g. shares:>5",
        values: &[],
        key_aliases: &["boosts"],
        value_aliases: &[],
        example: ">5",
    },
    FilterSpec {
        key: "boosted",
        hint: "boosts of an account",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "alice@example.org",
    },
    FilterSpec {
        key: "account",
        hint: "one of the accounts open",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "alice@example.social",
    },
    FilterSpec {
        key: "thread",
        hint: "the chain of your replies holding a post",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "109876543210",
    },
    FilterSpec {
        key: "id",
        hint: "one post, by the end of its address",
        values: &[],
        key_aliases: &[],
        value_aliases: &[],
        example: "109876543210",
    },
];
