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
