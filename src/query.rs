//! Editing query text: the facet sidebar toggles terms in it, the search box completes the word
//! being typed. The query text is the single source of truth; facets are derived from it.

use permafrost_protocol::{Completions, QueryFilter};

/// The query's terms, split on whitespace outside double quotes (`"two words"` is one term).
pub fn terms(query: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in query.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    out.push(&query[s..i]);
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push(&query[s..]);
    }
    out
}

/// True when `term` is one of the query's terms (ignoring case).
pub fn has_term(query: &str, term: &str) -> bool {
    terms(query).iter().any(|t| t.eq_ignore_ascii_case(term))
}

/// The filter key of a term (`year` of `year:2023`), if it has one.
pub fn key_of(term: &str) -> Option<&str> {
    let term = term.trim_start_matches('-');
    let (key, value) = term.split_once(':')?;
    (!key.is_empty() && !value.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(key)
}

/// The query as a click writes it (a filter, a chart's bar, a tag in a post): with a space after
/// a last word that the search box would read as a prefix while typing, so that it finds what
/// the click's count said (`#cat`, not every tag that starts with "cat"). A filter (`has:poll`)
/// is read whole either way.
fn finished(query: String) -> String {
    match terms(&query).last() {
        Some(last) if key_of(last).is_none() && !query.ends_with(char::is_whitespace) => {
            query + " "
        }
        _ => query,
    }
}

/// Narrows the query to the posts of a chart element: puts the element's terms (`during:2023-06`,
/// `weekday:sat hour:14`) that it lacks in front, so that the last word, read as a prefix while
/// typing, stays last and the count stays the one the chart showed.
pub fn narrow(query: &str, term: &str) -> String {
    let missing: Vec<&str> = terms(term)
        .into_iter()
        .filter(|t| !has_term(query, t))
        .collect();
    match (missing.is_empty(), query.trim().is_empty()) {
        (true, _) => query.to_string(),
        (false, true) => finished(missing.join(" ")),
        (false, false) => format!("{} {}", missing.join(" "), query.trim_start()),
    }
}

/// Adds `term` to the query, or removes it when present. With `exclusive`, other terms with the
/// same filter key are removed first (choosing year 2022 replaces year 2023).
pub fn toggle(query: &str, term: &str, exclusive: bool) -> String {
    if has_term(query, term) {
        return finished(
            terms(query)
                .into_iter()
                .filter(|t| !t.eq_ignore_ascii_case(term))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    let key = key_of(term);
    let mut kept: Vec<&str> = terms(query)
        .into_iter()
        .filter(|t| !(exclusive && key.is_some() && key_of(t) == key && !t.starts_with('-')))
        .collect();
    kept.push(term);
    finished(kept.join(" "))
}

/// The account a query keeps to: the value of its one `account:` term (not negated),
/// lowercase, without a leading `@`; `None` when it has none, or several.
pub fn account_of(query: &str) -> Option<String> {
    let mut found = terms(query)
        .into_iter()
        .filter(|t| !t.starts_with('-'))
        .filter_map(|t| t.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("account"))
        .map(|(_, v)| v.trim_start_matches('@').to_lowercase());
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// Which of the accounts `names` (`alice@example.social`, as the worker lists them) an
/// `account:` value names: the whole name, or the user name alone when only one has it.
pub fn account_index(names: &[&str], value: &str) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(value)) {
        return Some(i);
    }
    let user = |n: &str| n.split('@').next().unwrap_or("").to_lowercase();
    let mut hits = (0..names.len()).filter(|&i| !value.contains('@') && user(names[i]) == value);
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// The query keeping to account `name` (`None`: every account): its `account:` terms
/// (negated or not) replaced by `account:NAME` in front, the rest as it was.
pub fn with_account(query: &str, name: Option<&str>) -> String {
    let rest: Vec<&str> = terms(query)
        .into_iter()
        .filter(|t| {
            !t.trim_start_matches('-')
                .split_once(':')
                .is_some_and(|(k, _)| k.eq_ignore_ascii_case("account"))
        })
        .collect();
    let term = name.map(|n| format!("account:{n}"));
    term.into_iter()
        .chain(rest.into_iter().map(String::from))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A suggestion for the word being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// What the list shows.
    pub label: String,
    /// What is shown beside it.
    pub detail: Detail,
    /// The query once it is chosen.
    pub query: String,
}

/// What a suggestion shows beside its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The number of posts with this hashtag, mention or language.
    Posts(u32),
    /// What a filter does (`what it contains`), with the filter's key (the page says the hint
    /// in its language by the key).
    Hint(String, String),
}

/// Suggestions for the last word of `query` (the one being typed), at most `max`.
pub fn suggestions(
    query: &str,
    filters: &[QueryFilter],
    completions: &Completions,
    max: usize,
) -> Vec<Suggestion> {
    let trimmed_end = query.len() - query.trim_end_matches(|c: char| !c.is_whitespace()).len();
    let word_start = query.len() - trimmed_end;
    let word = &query[word_start..];
    if word.is_empty() || word.starts_with('"') {
        return Vec::new();
    }
    let before = &query[..word_start];
    let (negation, word) = match word.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", word),
    };
    // ASCII case folding is enough to match what is being typed (and keeps Unicode tables
    // out of the page's bundle); the search itself folds case fully.
    let lower = word.to_ascii_lowercase();
    let replace = |with: &str, space: bool| {
        format!("{before}{negation}{with}{}", if space { " " } else { "" })
    };
    let mut out = Vec::new();
    let ranked = |list: &[(String, u32)], prefix: &str, sigil: &str, out: &mut Vec<Suggestion>| {
        for (value, n) in list {
            if value.to_ascii_lowercase().starts_with(prefix) && !value.eq_ignore_ascii_case(prefix)
            {
                out.push(Suggestion {
                    label: format!("{sigil}{value}"),
                    detail: Detail::Posts(*n),
                    query: replace(&format!("{sigil}{value}"), true),
                });
            }
        }
    };
    if let Some(tag) = lower.strip_prefix('#') {
        ranked(&completions.hashtags, tag, "#", &mut out);
    } else if let Some(who) = lower.strip_prefix('@') {
        ranked(&completions.mentions, who, "@", &mut out);
    } else if let Some((key, value)) = lower.split_once(':') {
        let list = match key {
            "lang" | "language" => Some(&completions.languages),
            "tag" | "hashtag" => Some(&completions.hashtags),
            "mention" | "to" => Some(&completions.mentions),
            _ => None,
        };
        let prefix = &word[..key.len() + 1];
        if let Some(list) = list {
            ranked(list, value, prefix, &mut out);
        } else if let Some(filter) = filters.iter().find(|f| f.key == key) {
            for v in &filter.values {
                if v.starts_with(value) && v != value {
                    out.push(Suggestion {
                        label: format!("{prefix}{v}"),
                        detail: Detail::Hint(filter.key.clone(), filter.hint.clone()),
                        query: replace(&format!("{prefix}{v}"), true),
                    });
                }
            }
        }
    } else {
        for filter in filters {
            if filter.key.starts_with(&lower) && filter.key != lower {
                out.push(Suggestion {
                    label: format!("{}:", filter.key),
                    detail: Detail::Hint(filter.key.clone(), filter.hint.clone()),
                    query: replace(&format!("{}:", filter.key), false),
                });
            }
        }
    }
    out.truncate(max);
    out
}
