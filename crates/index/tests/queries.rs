//! Data-driven query tests: `tests/data/queries.txt` (query in, expected posts and errors out) over
//! the hand-written `tests/data/small_outbox.json`, checked against the index and the oracle.

mod common;

use permafrost_index::{oracle, parse_query, Index, Mode, SearchOptions};

#[test]
fn queries_txt() {
    let account = common::small_account();
    let index = Index::build(&account);
    let number = |post: u32| common::post_number(&account, post);
    let all: Vec<u32> = {
        let mut v: Vec<u32> = (0..account.posts.len() as u32).map(number).collect();
        v.sort_unstable();
        v
    };
    let text = include_str!("data/queries.txt");
    let mut tz = "UTC".to_string();
    let mut mode = Mode::Exact;
    let mut failures = Vec::new();
    let mut cases = 0;
    for (line_no, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with("# ") || line == "#" {
            continue;
        }
        if let Some(zone) = line.strip_prefix("@tz ") {
            tz = zone.trim().to_string();
            continue;
        }
        if let Some(m) = line.strip_prefix("@mode ") {
            mode = if m.trim() == "typing" {
                Mode::Typing
            } else {
                Mode::Exact
            };
            continue;
        }
        let (query, expected) = line
            .rsplit_once(" => ")
            .or_else(|| line.strip_prefix("=> ").map(|e| ("", e)))
            .unwrap_or_else(|| panic!("line {}: no ` => `", line_no + 1));
        let mut parts = expected.split(" ! ");
        let ids = parts.next().unwrap_or("").trim();
        let want_errors: Vec<String> = parts.map(|e| e.trim().to_string()).collect();
        let want_ids: Vec<u32> = match ids {
            "*" => all.clone(),
            "-" => Vec::new(),
            list => list
                .split_whitespace()
                .map(|n| {
                    n.parse()
                        .unwrap_or_else(|_| panic!("line {}: bad id {n}", line_no + 1))
                })
                .collect(),
        };
        cases += 1;
        let parsed = parse_query(query, mode);
        let opts = SearchOptions {
            limit: usize::MAX,
            tz: tz.clone(),
            facets: false,
            ..SearchOptions::default()
        };
        let result = index.search(&account, &parsed, &opts);
        let mut got: Vec<u32> = result.hits.iter().map(|h| number(h.post)).collect();
        got.sort_unstable();
        let mut naive: Vec<u32> = oracle::matching(&account, &parsed.query, &tz)
            .into_iter()
            .map(number)
            .collect();
        naive.sort_unstable();
        let got_errors: Vec<String> = parsed
            .errors
            .iter()
            .map(|e| {
                let mut s = format!("{}..{} {}", e.span.0, e.span.1, e.message);
                if let Some(fix) = &e.suggestion {
                    s.push_str(" -> ");
                    s.push_str(fix);
                }
                s
            })
            .collect();
        if got != want_ids
            || naive != want_ids
            || got_errors != want_errors
            || result.total as usize != got.len()
        {
            failures.push(format!(
                "line {} [{tz}, {mode:?}] `{query}` (parsed as `{}`)\n   want {want_ids:?} {want_errors:?}\n  index {got:?} {got_errors:?}\n oracle {naive:?}",
                line_no + 1,
                parsed.query
            ));
        }
    }
    assert!(cases > 100, "only {cases} cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `FILTERS` is the vocabulary the app completes from: everything in it must parse, and the
/// fixed lists must be exactly what the parser accepts.
#[test]
fn every_filter_in_the_table_parses() {
    use permafrost_index::{FilterSpec, Query, FILTERS, HELP};
    let clean = |text: &str| {
        let parsed = parse_query(text, Mode::Exact);
        assert!(parsed.errors.is_empty(), "`{text}`: {:?}", parsed.errors);
        assert_ne!(parsed.query, Query::All, "`{text}` parsed to nothing");
        parsed.query
    };
    for spec in FILTERS {
        assert!(!spec.hint.is_empty(), "{}: no hint", spec.key);
        assert!(
            HELP.contains(&format!("{}:", spec.key)),
            "{}: not in HELP",
            spec.key
        );
        let example = clean(&format!("{}:{}", spec.key, spec.example));
        for alias in spec.key_aliases {
            assert_eq!(
                clean(&format!("{alias}:{}", spec.example)),
                example,
                "{alias}: is {}:",
                spec.key
            );
            assert_eq!(FilterSpec::find(alias), Some(spec));
        }
        assert_eq!(FilterSpec::find(&spec.key.to_uppercase()), Some(spec));
        for value in spec.values {
            let text = format!("{}:{value}", spec.key);
            assert_eq!(clean(&text).to_string(), text, "canonical form");
            assert_eq!(clean(&text.to_uppercase()).to_string(), text, "any case");
        }
        for (alias, value) in spec.value_aliases {
            assert!(
                spec.values.contains(value),
                "{alias} means {value}, not listed"
            );
            assert_eq!(
                clean(&format!("{}:{alias}", spec.key)),
                clean(&format!("{}:{value}", spec.key))
            );
        }
    }
    let keys: Vec<&str> = FILTERS.iter().map(|f| f.key).collect();
    for key in [
        "is",
        "has",
        "visibility",
        "lang",
        "during",
        "on",
        "before",
        "after",
        "domain",
        "likes",
        "shares",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
    // Outside the fixed lists is an error, whatever the enums might also know.
    for key in ["is", "has", "visibility"] {
        let spec = FilterSpec::find(key).expect("in the table");
        assert!(!spec.values.is_empty());
        for value in ["bogus", "medias", "publicity", "self", "all", "1"] {
            let parsed = parse_query(&format!("{key}:{value}"), Mode::Exact);
            assert_eq!(parsed.errors.len(), 1, "{key}:{value}");
            assert_eq!(parsed.query, Query::All, "{key}:{value} is left out");
        }
    }
    // A key outside the table is an error too.
    let parsed = parse_query("colour:red", Mode::Exact);
    assert_eq!(parsed.errors.len(), 1);
}
