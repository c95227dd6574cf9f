//! The query language: parsed in both modes (error spans must be on character boundaries), the
//! query shown and parsed again, and searched in a small index (tests/data/small_outbox.json of
//! the index crate) with facets, statistics and highlights, and with each of its parts taken out.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use permafrost_index::{parse_query, query_parts, Index, Mode, SearchOptions, Sort};
use permafrost_model::{outbox, Account};

fn small() -> &'static (Account, Index) {
    static SMALL: OnceLock<(Account, Index)> = OnceLock::new();
    SMALL.get_or_init(|| {
        let mut account = Account::default();
        outbox::read_outbox(
            include_bytes!("../../crates/index/tests/data/small_outbox.json").as_slice(),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("small_outbox.json");
        let index = Index::build(&account);
        (account, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (account, index) = small();
    for (n, mode) in [Mode::Exact, Mode::Typing].into_iter().enumerate() {
        let parsed = parse_query(&text, mode);
        for e in &parsed.errors {
            assert!(e.span.0 <= e.span.1 && e.span.1 <= text.len(), "{e:?}");
            assert!(text.is_char_boundary(e.span.0) && text.is_char_boundary(e.span.1));
            assert!(
                !e.message.text.is_empty() && !e.message.code.is_empty(),
                "{e:?}"
            );
        }
        let shown = parsed.query.to_string();
        let _ = parse_query(&shown, Mode::Exact);
        let opts = SearchOptions {
            sort: [Sort::Relevance, Sort::Oldest][n],
            offset: data.len() % 3,
            limit: 10,
            tz: ["Europe/Berlin", "UTC"][n].to_string(),
            facets: true,
            stats: true,
            highlights: true,
        };
        let result = index.search(account, &parsed, &opts);
        assert!(result.hits.len() <= opts.limit);
        // What the query finds with each part taken out is what that query finds.
        for b in index.broader(&text, mode, &opts.tz) {
            assert!(b.total > 0 && query_parts(&text).contains(&b.without.as_str()), "{b:?}");
            let again = index.matched(&parse_query(&b.query, mode), &opts.tz).total();
            assert_eq!(again, b.total, "{b:?}");
        }
        for hit in &result.hits {
            let plain = account.posts[hit.post as usize].content.plain_text();
            for &(s, e) in &hit.highlights {
                assert!(s < e && e as usize <= plain.len(), "{s}..{e}");
                assert!(plain.is_char_boundary(s as usize) && plain.is_char_boundary(e as usize));
            }
        }
    }
});
