//! Counts of every filter on synthetic archives checked against the generator's own ground truth
//! (`permafrost-synth` writes the archive without the project's parser and counts as it writes).

mod common;

use permafrost_index::{parse_query, Index, Mode, SearchOptions};

fn count(index: &Index, account: &permafrost_model::Account, q: &str) -> usize {
    let parsed = parse_query(q, Mode::Exact);
    assert!(parsed.errors.is_empty(), "{q}: {:?}", parsed.errors);
    let opts = SearchOptions {
        limit: 0,
        facets: false,
        ..SearchOptions::default()
    };
    index.search(account, &parsed, &opts).total as usize
}

#[test]
fn filters_match_the_generators_counts() {
    for (posts, seed) in [(1500, 1), (900, 42)] {
        let (account, want, _) = common::synth_account(posts, seed);
        let index = Index::build(&account);
        let c = |q: &str| count(&index, &account, q);
        assert_eq!(c(""), want.posts);
        assert_eq!(c("is:original"), want.originals);
        assert_eq!(c("is:boost"), want.boosts);
        assert_eq!(c("is:reply"), want.replies);
        assert_eq!(c("is:self-reply"), want.self_replies);
        assert_eq!(c("is:original visibility:public"), want.visibility.public);
        assert_eq!(
            c("is:original visibility:unlisted"),
            want.visibility.unlisted
        );
        assert_eq!(
            c("is:original visibility:followers"),
            want.visibility.private
        );
        assert_eq!(c("is:original visibility:direct"), want.visibility.direct);
        assert_eq!(c("is:original has:media"), want.with_media);
        assert_eq!(c("is:original is:poll"), want.polls);
        assert_eq!(c("is:original has:cw"), want.with_cw);
        assert_eq!(c("is:original is:edited"), want.edited);
        for (lang, n) in &want.languages {
            // lang:xx also takes regional variants; the generator's codes have none in common.
            assert_eq!(c(&format!("is:original lang:{lang}")), *n, "lang:{lang}");
        }
        for (tag, n) in &want.search.hashtags {
            assert_eq!(c(&format!("is:original #{tag}")), *n, "#{tag}");
        }
        for (word, n) in &want.search.words {
            assert_eq!(c(&format!("is:original {word}")), *n, "{word}");
        }
        assert!(want.search.words.values().any(|&n| n > 0));
        // The language facet shows codes as inspect does (`zh-CN`, not `zh-cn`).
        let parsed = parse_query("is:original", Mode::Exact);
        let facets = index
            .search(&account, &parsed, &SearchOptions::default())
            .facets
            .expect("facets");
        for l in &facets.languages {
            assert_eq!(
                want.languages.get(&l.value).copied(),
                Some(l.count as usize),
                "{}",
                l.value
            );
        }
        assert_eq!(facets.languages.len(), want.languages.len());
    }
}
