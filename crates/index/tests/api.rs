//! Threads, facets, statistics, highlights, sorting and the JSON shape of results, on the
//! hand-written archive (post N has the id …/statuses/N; see tests/data/queries.txt).

mod common;

use permafrost_index::{parse_query, FacetCount, Index, Mode, SearchOptions, SearchResult, Sort};
use permafrost_model::Account;

fn setup() -> (Account, Index) {
    let account = common::small_account();
    let index = Index::build(&account);
    (account, index)
}

/// The post id of post number N.
fn post(account: &Account, n: u32) -> u32 {
    (0..account.posts.len() as u32)
        .find(|&p| common::post_number(account, p) == n)
        .expect("post number")
}

fn search(account: &Account, index: &Index, q: &str, opts: SearchOptions) -> SearchResult {
    index.search(account, &parse_query(q, Mode::Exact), &opts)
}

fn numbers(account: &Account, r: &SearchResult) -> Vec<u32> {
    r.hits
        .iter()
        .map(|h| common::post_number(account, h.post))
        .collect()
}

fn counts(v: &[FacetCount]) -> Vec<(&str, u32)> {
    v.iter().map(|f| (f.value.as_str(), f.count)).collect()
}

#[test]
fn threads_are_rebuilt_with_missing_parents_marked() {
    let (account, index) = setup();
    let p = |n| post(&account, n);
    let thread = index.thread_of(p(11)).expect("thread");
    assert_eq!(thread.root, p(1));
    let chain: Vec<(u32, u32)> = thread.posts.iter().map(|t| (t.post, t.depth)).collect();
    assert_eq!(chain, vec![(p(1), 0), (p(10), 1), (p(11), 2)]);
    assert_eq!(thread.posts[2].parent, Some(p(10)));
    assert!(!thread.missing_parent);
    assert_eq!(index.parent_of(p(10)), Some(p(1)));
    assert_eq!(index.replies_to(p(1)), &[p(10)]);
    assert!(index.in_thread(p(1)) && !index.in_thread(p(2)));

    let deleted = index.thread_of(p(13)).expect("thread");
    assert_eq!(deleted.posts.len(), 1);
    assert!(deleted.missing_parent && deleted.missing_own_parent);
    let other = index.thread_of(p(12)).expect("thread");
    assert!(other.missing_parent && !other.missing_own_parent);
    let alone = index.thread_of(p(2)).expect("thread");
    assert!(!alone.missing_parent && alone.posts.len() == 1);
    assert!(index.thread_of(10_000).is_none());
}

#[test]
fn threads_collapse_to_their_first_post_in_date_order() {
    let (account, index) = setup();
    let p = |n| post(&account, n);
    assert_eq!(index.thread_len(p(11)), 3);
    assert_eq!(index.thread_len(p(1)), 3);
    assert_eq!(index.thread_len(p(2)), 1);
    assert_eq!(index.thread_len(10_000), 0);
    // Newest first: 11 and 10 become their root 1, kept once, at 1's date.
    let hits = [p(11), p(3), p(10), p(2)];
    let collapsed = index.collapse_threads(&hits, Some(true));
    assert_eq!(collapsed, vec![p(3), p(2), p(1)]);
    assert_eq!(
        index.collapse_threads(&hits, Some(false)),
        vec![p(1), p(2), p(3)]
    );
    // Relevance: a chain stays where its best post was.
    assert_eq!(index.collapse_threads(&hits, None), vec![p(1), p(3), p(2)]);
}

/// A crafted chain of 200,000 replies, and a cycle: roots in linear time, every post of a
/// cycle in one thread.
#[test]
fn long_chains_and_cycles_have_one_root() {
    use permafrost_model::{Post, PostKind};
    let template = common::small_account().posts[0].clone();
    let mut account = common::small_account();
    account.posts.clear();
    let n = 200_000;
    for i in 0..n {
        let mut post = Post {
            id: format!("https://ex.social/users/me/statuses/{i}").into(),
            kind: PostKind::Original,
            in_reply_to: (i > 0)
                .then(|| format!("https://ex.social/users/me/statuses/{}", i - 1).into()),
            published: Some(1_600_000_000 + i64::from(i)),
            ..template.clone()
        };
        post.attachments.clear();
        account.posts.push(post);
    }
    // A cycle of three: a -> b -> c -> a, and d replying into it.
    for (name, parent) in [("a", "c"), ("b", "a"), ("c", "b"), ("d", "b")] {
        account.posts.push(Post {
            id: format!("https://ex.social/users/me/statuses/{name}").into(),
            kind: PostKind::Original,
            in_reply_to: Some(format!("https://ex.social/users/me/statuses/{parent}").into()),
            ..template.clone()
        });
    }
    let index = Index::build(&account);
    assert_eq!(index.root_of(n - 1), 0);
    assert_eq!(index.thread_len(n - 1), n);
    let cycle = [n, n + 1, n + 2, n + 3];
    let root = index.root_of(n);
    assert!(cycle.iter().all(|&q| index.root_of(q) == root));
    assert_eq!(index.thread_len(n + 3), 4);
    let thread = index.thread_of(n + 3).expect("thread");
    assert_eq!(thread.posts.len(), 4);
    let found = index.search(
        &account,
        &parse_query("thread:d", Mode::Exact),
        &SearchOptions {
            limit: 10,
            ..SearchOptions::default()
        },
    );
    assert_eq!(found.total, 4);
}

#[test]
fn facets_count_the_whole_result_set() {
    let (account, index) = setup();
    let r = search(
        &account,
        &index,
        "",
        SearchOptions {
            limit: 3,
            ..SearchOptions::default()
        },
    );
    assert_eq!(r.total, 30);
    assert_eq!(r.hits.len(), 3);
    let f = r.facets.expect("facets");
    assert_eq!(counts(&f.years), vec![("2023", 19), ("2024", 10)]);
    assert_eq!(
        f.months.first().map(|m| (m.value.as_str(), m.count)),
        Some(("2023-01", 4))
    );
    assert_eq!(
        counts(&f.visibility),
        vec![
            ("public", 25),
            ("unlisted", 2),
            ("followers", 1),
            ("direct", 2)
        ]
    );
    let kinds = counts(&f.kinds);
    assert!(
        kinds.contains(&("boost", 2))
            && kinds.contains(&("self-reply", 2))
            && kinds.contains(&("thread", 3))
    );
    assert_eq!(
        counts(&f.media),
        vec![
            ("image", 1),
            ("gif", 0),
            ("video", 1),
            ("audio", 1),
            ("other", 0)
        ]
    );
    assert_eq!(
        counts(&f.content_warning),
        vec![("with", 2), ("without", 28)]
    );
    assert_eq!(
        f.languages.first().map(|l| (l.value.as_str(), l.count)),
        Some(("en", 19))
    );
    // Tags keep their first spelling; ties sort by name.
    assert_eq!(
        counts(&f.hashtags),
        vec![
            ("Caturday", 1),
            ("Coffee", 1),
            ("Rust", 1),
            ("Ñandú", 1),
            ("日本語", 1)
        ]
    );
    assert_eq!(
        counts(&f.mentions),
        vec![
            ("alice@ex.social", 1),
            ("bob@other.example", 1),
            ("bookclub@groups.example", 1)
        ]
    );
    assert_eq!(
        counts(&f.domains),
        vec![("blog.example.org", 1), ("www.example.com", 1)]
    );

    let r = search(&account, &index, "coffee", SearchOptions::default());
    let f = r.facets.expect("facets");
    assert_eq!(counts(&f.years), vec![("2023", 4)]); // 30 has no date
    assert_eq!(
        counts(&f.content_warning),
        vec![("with", 0), ("without", 5)]
    );
}

#[test]
fn statistics_follow_the_time_zone_and_daylight_saving() {
    let (account, index) = setup();
    let opts = |tz: &str| SearchOptions {
        tz: tz.into(),
        stats: true,
        facets: false,
        ..SearchOptions::default()
    };
    // 7 and 8 are 00:30 and 01:30 UTC on 2023-10-29: both 02:30 in Berlin, either side of the end
    // of summer time; 5 (23:30 UTC on Saturday 25 March) is Sunday 00:30 in Berlin, 6 (01:30 UTC)
    // Sunday 03:30, after the start of summer time.
    let r = search(
        &account,
        &index,
        "thirty OR 東京 OR 天气",
        opts("Europe/Berlin"),
    );
    let s = r.stats.expect("stats");
    assert_eq!(s.punchcard[6][2], 2);
    assert_eq!(s.punchcard[6][0], 1);
    assert_eq!(s.punchcard[6][3], 1);
    assert_eq!(
        counts(&s.per_day),
        vec![("2023-03-26", 2), ("2023-10-29", 2)]
    );
    let r = search(&account, &index, "thirty OR 東京 OR 天气", opts("UTC"));
    let s = r.stats.expect("stats");
    assert_eq!(s.punchcard[5][23], 1); // Saturday 23:30
    assert_eq!(s.punchcard[6][0], 1);
    assert_eq!(s.punchcard[6][1], 2);
    assert_eq!(
        counts(&s.per_day),
        vec![("2023-03-25", 1), ("2023-03-26", 1), ("2023-10-29", 2)]
    );
    // Months and ISO weeks run without gaps from the first to the last.
    assert_eq!(s.per_month.len(), 8);
    assert_eq!(
        s.per_month.first().map(|m| m.value.as_str()),
        Some("2023-03")
    );
    assert_eq!(
        s.per_week.first().map(|w| w.value.as_str()),
        Some("2023-W12")
    );
    assert_eq!(
        s.per_week.last().map(|w| w.value.as_str()),
        Some("2023-W43")
    );
    assert_eq!(s.per_week.iter().map(|w| w.count).sum::<u32>(), 4);

    let r = search(&account, &index, "", opts("UTC"));
    let s = r.stats.expect("stats");
    assert_eq!(counts(&s.top_boosted), vec![("other.example/users/bob", 2)]);
    let alt: Vec<(&str, u32, u32)> = s
        .alt_text
        .iter()
        .map(|a| (a.month.as_str(), a.attachments, a.described))
        .collect();
    assert_eq!(alt, vec![("2023-06", 3, 2), ("2024-08", 1, 1)]);
}

#[test]
fn sorting_and_paging() {
    let (account, index) = setup();
    let newest = search(&account, &index, "coffee", SearchOptions::default());
    assert_eq!(numbers(&account, &newest), vec![16, 11, 10, 1, 30]);
    let oldest = search(
        &account,
        &index,
        "coffee",
        SearchOptions {
            sort: Sort::Oldest,
            offset: 1,
            limit: 2,
            ..SearchOptions::default()
        },
    );
    assert_eq!(numbers(&account, &oldest), vec![1, 10]);
    assert_eq!(oldest.total, 5);
    // Relevance: "coffee" twice in a short text first (16: text and poll option; 1: text and tag,
    // one word longer with its ☕), then once, shorter texts first.
    let best = search(
        &account,
        &index,
        "coffee",
        SearchOptions {
            sort: Sort::Relevance,
            ..SearchOptions::default()
        },
    );
    assert_eq!(numbers(&account, &best), vec![16, 1, 30, 10, 11]);
    assert_eq!(best.total, 5);
}

#[test]
fn highlights_point_at_the_matches() {
    let (account, index) = setup();
    let marked = |q: &str, mode: Mode| -> Vec<String> {
        let r = index.search(&account, &parse_query(q, mode), &SearchOptions::default());
        r.hits
            .iter()
            .flat_map(|h| {
                let plain = account.posts[h.post as usize].content.plain_text();
                h.highlights
                    .iter()
                    .map(|&(s, e)| plain[s as usize..e as usize].to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(marked("cafe", Mode::Exact), vec!["café"]);
    assert_eq!(marked("\"lazy dog\"", Mode::Exact), vec!["lazy dog"]);
    assert_eq!(marked("京都", Mode::Exact), vec!["京都"]);
    assert_eq!(marked("東京都に", Mode::Exact), vec!["東京都に"]);
    assert_eq!(marked("京", Mode::Exact), vec!["京", "京"]);
    assert_eq!(marked("#coffee", Mode::Exact), vec!["#Coffee"]);
    assert_eq!(marked("@bob", Mode::Exact), vec!["@bob"]);
    assert_eq!(marked("sec", Mode::Typing), vec!["second", "second"]);
    assert_eq!(marked("coffee -time", Mode::Exact).len(), 4);
    assert_eq!(marked("e-mail", Mode::Exact), vec!["e-mail"]);
    assert!(marked("is:poll", Mode::Exact).is_empty());

    // Off, the same hits come without highlights; the free function gives them per post.
    let parsed = parse_query("cafe", Mode::Exact);
    let off = index.search(
        &account,
        &parsed,
        &SearchOptions {
            highlights: false,
            ..SearchOptions::default()
        },
    );
    assert_eq!(off.total, 1);
    assert!(off.hits[0].highlights.is_empty());
    let post = &account.posts[off.hits[0].post as usize];
    assert_eq!(
        permafrost_index::highlights(post, &parsed.query),
        vec![(3, 8)]
    );
}

#[test]
fn results_cross_the_worker_boundary_as_json() {
    let (account, index) = setup();
    let r = search(
        &account,
        &index,
        "coffee OR #rust hass:media",
        SearchOptions {
            stats: true,
            ..SearchOptions::default()
        },
    );
    let json = serde_json::to_string(&r).expect("json");
    let back: SearchResult = serde_json::from_str(&json).expect("parse back");
    assert_eq!(back, r);
    let parsed = parse_query(
        "coffee -(is:boost OR \"a b\") after:2023-05 likes:>=3",
        Mode::Typing,
    );
    let json = serde_json::to_string(&parsed).expect("json");
    assert_eq!(
        serde_json::from_str::<permafrost_index::Parsed>(&json).expect("parse back"),
        parsed
    );
    let opts: SearchOptions =
        serde_json::from_str(r#"{"sort":"relevance","tz":"Asia/Tokyo"}"#).expect("options");
    assert_eq!(opts.limit, 50);
}

#[test]
fn an_unknown_time_zone_is_reported_and_utc_used() {
    let (account, index) = setup();
    let r = search(
        &account,
        &index,
        "on:2023-03-25",
        SearchOptions {
            tz: "Mars/Olympus".into(),
            ..SearchOptions::default()
        },
    );
    assert_eq!(numbers(&account, &r), vec![5]);
    assert_eq!(r.errors.len(), 1);
    assert!(r.errors[0].message.text.contains("Mars/Olympus"));
    assert_eq!(r.errors[0].message.code, "query.unknown_time_zone");
    assert!(permafrost_index::is_known_time_zone("europe/berlin"));
}

#[test]
fn help_mentions_every_filter() {
    for needle in [
        "after:",
        "before:",
        "on:",
        "during:",
        "is:self-reply",
        "is:thread",
        "visibility:",
        "has:noalt",
        "lang:",
        "domain:",
        "likes:",
        "shares:",
        " OR ",
        "#rust",
        "@alice",
    ] {
        assert!(permafrost_index::HELP.contains(needle), "{needle}");
    }
}

/// The hand-written archive and a copy of it as another account's (its posts' addresses
/// changed), open together.
fn two_accounts() -> (Account, Index) {
    let mut a = common::small_account();
    let mut b = common::small_account();
    for p in &mut b.posts {
        p.id = p.id.replace("/users/me/", "/users/you/").into();
    }
    let n = a.posts.len();
    let mut seen = a.posts.iter().map(|p| p.id.clone()).collect();
    a.absorb(b, &mut seen);
    a.owners.names = vec!["me@ex.social".into(), "you@ex.social".into()];
    a.owners.of_post = (0..a.posts.len()).map(|i| u16::from(i >= n)).collect();
    let index = Index::build(&a);
    (a, index)
}

#[test]
fn account_filter_and_facet_over_two_accounts() {
    let (one, one_index) = setup();
    let (account, index) = two_accounts();
    let n = one.posts.len();
    assert_eq!(account.posts.len(), 2 * n);
    let opts = SearchOptions {
        limit: 1000,
        ..SearchOptions::default()
    };
    let total = |q: &str| search(&account, &index, q, opts.clone()).total;
    assert_eq!(total(""), 2 * n as u32);
    assert_eq!(total("account:me@ex.social"), n as u32);
    assert_eq!(total("account:YOU"), n as u32);
    assert_eq!(total("account:@you@ex.social"), n as u32);
    assert_eq!(total("-account:you"), n as u32);
    assert_eq!(total("account:nobody"), 0);
    // Each account's own results are the archive's alone.
    let coffee = search(&one, &one_index, "coffee", opts.clone()).total;
    assert_eq!(total("coffee account:you"), coffee);
    assert_eq!(total("coffee"), 2 * coffee);
    // The facet: posts per account, over the results.
    let r = search(&account, &index, "coffee", opts.clone());
    let facets = r.facets.expect("facets");
    assert_eq!(
        counts(&facets.accounts),
        vec![("me@ex.social", coffee), ("you@ex.social", coffee)]
    );
    let r = search(&account, &index, "account:me coffee", opts.clone());
    assert_eq!(
        counts(&r.facets.expect("facets").accounts),
        vec![("me@ex.social", coffee)]
    );
    // One archive: no account facet.
    let r = search(&one, &one_index, "coffee", opts);
    assert!(r.facets.expect("facets").accounts.is_empty());
}

#[test]
fn a_query_splits_into_the_parts_its_implied_and_joins() {
    use permafrost_index::query_parts;
    assert_eq!(query_parts("tea OR coffee"), ["tea OR coffee"]);
    assert_eq!(
        query_parts("coffee AND -(tea OR cup)  has:media"),
        ["coffee", "-(tea OR cup)", "has:media"]
    );
    assert_eq!(
        query_parts("\"good morning\" NOT NOT #rust (a b"),
        ["\"good morning\"", "NOT NOT #rust", "(a b"]
    );
    // Stray operators and a lone minus are not parts.
    assert_eq!(query_parts(") tea AND OR -"), ["tea"]);
    assert!(query_parts("").is_empty());
    assert!(query_parts("  ( ) ").is_empty());
}

#[test]
fn a_query_that_matches_nothing_says_what_each_part_taken_out_matches() {
    let (account, index) = setup();
    // coffee: 1 10 11 16 30; cat: 14; tea: 11 16; cup: 10 11.
    let broader = |q: &str| index.broader(q, Mode::Exact, "UTC");
    fn said(found: &[permafrost_index::Broader]) -> Vec<(&str, &str, u32)> {
        found
            .iter()
            .map(|b| (b.without.as_str(), b.query.as_str(), b.total))
            .collect()
    }
    assert_eq!(
        said(&broader("coffee cat")),
        [("coffee", "cat", 1), ("cat", "coffee", 5)]
    );
    // A part whose removal still matches nothing is left out; the rest keeps its words as written.
    let found = broader("Coffee AND -(tea OR cup) cat");
    assert_eq!(
        said(&found),
        [
            ("Coffee", "-(tea OR cup) cat", 1),
            ("cat", "Coffee -(tea OR cup)", 2)
        ]
    );
    for b in &found {
        let r = search(&account, &index, &b.query, SearchOptions::default());
        assert_eq!(r.total, b.total, "{}", b.query);
    }
    // As typed, the last word of the rest is a prefix, as it was in the query.
    let typed = index.broader("cat coff", Mode::Typing, "UTC");
    assert_eq!(typed.len(), 2, "{typed:?}");
    assert_eq!((typed[0].query.as_str(), typed[0].total), ("coff", 5));
    // One part, or more than can be tried: nothing to say.
    assert!(broader("coffee").is_empty());
    let many = format!(
        "cat{}",
        " coffee".repeat(permafrost_index::BROADER_PARTS - 1)
    );
    assert!(!broader(&many).is_empty(), "{many}");
    assert!(broader(&format!("{many} tea")).is_empty());
}

/// A link to a subdomain counts for the domain too, when the domain is a linked site itself:
/// each site's count is what `domain:` (which takes subdomains) finds, as a click on it shows.
#[test]
fn linked_sites_count_the_posts_their_domain_filter_finds() {
    let mut account = common::small_account();
    // A post that links to example.org itself (blog.example.org is linked from another).
    let at = (0..account.posts.len())
        .find(|&i| {
            let mut links = false;
            account.posts[i].content.for_each_inline(&mut |x| {
                links |= matches!(x, permafrost_model::Inline::Link { .. })
            });
            !links
        })
        .expect("a post without links");
    account.posts[at]
        .content
        .blocks
        .push(permafrost_model::Block::Paragraph(vec![
            permafrost_model::Inline::Link {
                href: Some(permafrost_model::Href {
                    url: "https://example.org/about".into(),
                    host: "example.org".into(),
                }),
                text: "example.org/about".into(),
                short: None,
            },
        ]));
    let index = Index::build(&account);
    let f = search(&account, &index, "", SearchOptions::default())
        .facets
        .expect("facets");
    assert_eq!(
        counts(&f.domains),
        vec![
            ("example.org", 2),
            ("blog.example.org", 1),
            ("www.example.com", 1)
        ]
    );
    for listed in &f.domains {
        let found = search(
            &account,
            &index,
            &format!("domain:{}", listed.value),
            SearchOptions::default(),
        );
        assert_eq!(found.total, listed.count, "{}", listed.value);
    }
}
