//! Nothing panics on any query string: random bytes, random mutations of valid queries, and
//! pathological shapes, parsed in both modes and run against an index.

mod common;

use permafrost_index::{parse_query, query_parts, Index, Mode, SearchOptions, Sort};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "(",
    ")",
    "\"",
    "“",
    "-",
    "−",
    "*",
    ":",
    "#",
    "@",
    " ",
    " OR ",
    " AND ",
    "NOT ",
    "has:",
    "is:",
    "after:",
    "on:",
    "lang:",
    "domain:",
    "likes:>=",
    "shares:<",
    "visibility:",
    "2023",
    "-13",
    "-02-30",
    "café",
    "東京都",
    "カ",
    "한",
    "🦀",
    "\u{301}",
    "\u{200d}",
    "\u{fe0f}",
    "ß",
    "İ",
    "\0",
    "\n",
    "\t",
    "medai",
    "self-reply",
    "https://",
    "//",
    ".",
    "e-mail",
    "｢",
    "＂",
    "ＡＢＣ",
    "\u{10FFFF}",
];

fn check(index: &Index, account: &permafrost_model::Account, text: &str, rng: &mut Rng) {
    for mode in [Mode::Exact, Mode::Typing] {
        let parsed = parse_query(text, mode);
        for e in &parsed.errors {
            assert!(
                e.span.0 <= e.span.1 && e.span.1 <= text.len(),
                "{text:?}: {e:?}"
            );
            assert!(text.is_char_boundary(e.span.0) && text.is_char_boundary(e.span.1));
            assert!(!e.message.text.is_empty() && !e.message.text.ends_with('.'));
            assert!(!e.message.code.is_empty(), "{text:?}: {e:?}");
        }
        let shown = parsed.query.to_string();
        let _ = parse_query(&shown, Mode::Exact);
        let opts = SearchOptions {
            sort: [Sort::Newest, Sort::Oldest, Sort::Relevance][rng.below(3)],
            offset: rng.below(3),
            limit: rng.below(5),
            tz: ["UTC", "Europe/Berlin", "Not/AZone", ""][rng.below(4)].to_string(),
            facets: true,
            stats: rng.below(4) == 0,
            highlights: rng.below(2) == 0,
        };
        let result = index.search(account, &parsed, &opts);
        assert!(result.hits.len() <= opts.limit);
        for hit in &result.hits {
            let plain = account.posts[hit.post as usize].content.plain_text();
            for &(s, e) in &hit.highlights {
                assert!(s < e && e as usize <= plain.len(), "{text:?}: {s}..{e}");
                assert!(plain.is_char_boundary(s as usize) && plain.is_char_boundary(e as usize));
            }
        }
        check_broader(index, text, mode, &opts.tz);
    }
}

/// A query's parts are pieces of its text, in order; what [`Index::broader`] says a query
/// without one of them finds is what searching that query finds.
fn check_broader(index: &Index, text: &str, mode: Mode, tz: &str) {
    let parts = query_parts(text);
    let mut from = 0;
    for &part in &parts {
        let at = text[from..].find(part).map(|i| from + i);
        assert!(at.is_some() && !part.is_empty(), "{text:?}: {part:?}");
        from = at.unwrap_or(from) + part.len();
    }
    for b in index.broader(text, mode, tz) {
        assert!(b.total > 0, "{text:?}: {b:?}");
        assert!(parts.contains(&b.without.as_str()), "{text:?}: {b:?}");
        let again = index.matched(&parse_query(&b.query, mode), tz).total();
        assert_eq!(again, b.total, "{text:?}: {b:?}");
    }
}

#[test]
fn parser_and_search_never_panic() {
    let account = common::small_account();
    let index = Index::build(&account);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    // Random bytes.
    for _ in 0..1500 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check(&index, &account, &text, &mut rng);
    }
    // Random sequences of meaningful pieces, and mutations of them.
    for _ in 0..3000 {
        let n = rng.below(10);
        let mut text: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        check(&index, &account, &text, &mut rng);
        let chars: Vec<char> = text.chars().collect();
        if !chars.is_empty() {
            let i = rng.below(chars.len());
            text = chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c)
                .collect();
            check(&index, &account, &text, &mut rng);
        }
    }
    // Pathological shapes.
    for text in [
        "(".repeat(10_000),
        ")".repeat(10_000),
        "-".repeat(10_000) + "x",
        "NOT ".repeat(5_000) + "x",
        "a OR ".repeat(2_000),
        "\"".repeat(999),
        "(-".repeat(5_000),
        "x".repeat(100_000),
        "東".repeat(10_000),
        format!("\"{}\"", "a ".repeat(5_000)),
        "has:medai ".repeat(500),
    ] {
        check(&index, &account, &text, &mut rng);
    }
}
