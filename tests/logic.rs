//! The app's plain logic, natively: the URL hash, query editing and completion, highlighting,
//! the timeline's geometry, the results cache, the opening preview and its bar. (What needs a
//! browser is in the wasm32 tests beside this file.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use permafrost_protocol::{Completions, PostView, QueryFilter, RichText, Sort};
use permafrost_web::highlight::{split, Piece};
use permafrost_web::query::{self, Detail};
use permafrost_web::results::PostCache;
use permafrost_web::route::{LeftViews, Route, Tab};
use permafrost_web::virtual_list::Rows;

#[test]
fn routes_round_trip_through_the_hash() {
    let route = Route {
        query: "#rust \"two words\" year:2023 ü&=".into(),
        sort: Sort::Oldest,
        tab: Tab::Summary,
        year: None,
        collapse_threads: true,
        show: "blocks".into(),
        filter: "a&b #c".into(),
    };
    let hash = route.to_hash();
    assert!(hash.starts_with("#q=%23rust%20%22two%20words%22"), "{hash}");
    assert_eq!(Route::parse(&hash), route);
    assert_eq!(Route::default().to_hash(), "");
    assert_eq!(Route::parse(""), Route::default());
    assert_eq!(Route::parse("#q=a+b&sort=bogus&x=1").query, "a b");
    assert_eq!(Route::parse("#q=100%").query, "100%");
}

#[test]
fn facets_toggle_terms_in_the_query() {
    assert_eq!(query::terms(r#"a "b c" -d"#), vec!["a", "\"b c\"", "-d"]);
    // A word or a tag left last is followed by a space: the search box reads a last word as a
    // prefix while typing, and a click's count is of the tag itself (#cat, not #cats).
    assert_eq!(query::toggle("cats", "#rust", false), "cats #rust ");
    assert_eq!(query::toggle("cats #Rust", "#rust", false), "cats ");
    assert_eq!(query::toggle("", "#cat", false), "#cat ");
    assert_eq!(query::narrow("", "#cat"), "#cat ");
    assert_eq!(query::narrow("", "during:2023-06"), "during:2023-06");
    assert_eq!(query::narrow("coff", "#cat"), "#cat coff");
    assert_eq!(query::toggle("#cat ", "has:poll", false), "#cat has:poll");
    assert_eq!(
        query::toggle("year:2022 cats", "year:2023", true),
        "cats year:2023"
    );
    assert_eq!(query::toggle("year:2022", "year:2022", true), "");
    assert!(query::has_term("a LANG:en", "lang:en"));
    assert_eq!(query::key_of("-has:media"), Some("has"));
    assert_eq!(query::key_of("http://x"), Some("http"));
    assert_eq!(query::key_of("12:30"), None);
}

#[test]
fn completion_of_hashtags_mentions_and_filters() {
    let completions = Completions {
        hashtags: vec![("rust".into(), 5), ("rustlang".into(), 2), ("go".into(), 1)],
        mentions: vec![("alice@example.social".into(), 3)],
        languages: vec![("en".into(), 9), ("de".into(), 1)],
    };
    let filters = [QueryFilter {
        key: "has".into(),
        hint: "media, poll…".into(),
        values: vec!["media".into(), "poll".into(), "cw".into()],
    }];
    let labels = |q: &str| -> Vec<String> {
        query::suggestions(q, &filters, &completions, 10)
            .into_iter()
            .map(|s| s.label)
            .collect()
    };
    assert_eq!(labels("cats #ru"), vec!["#rust", "#rustlang"]);
    assert_eq!(
        query::suggestions("cats #ru", &filters, &completions, 10)[0].query,
        "cats #rust "
    );
    assert_eq!(labels("@al"), vec!["@alice@example.social"]);
    assert_eq!(labels("lang:"), vec!["lang:en", "lang:de"]);
    assert_eq!(labels("h"), vec!["has:"]);
    assert_eq!(labels("has:p"), vec!["has:poll"]);
    assert_eq!(labels("-has:m"), vec!["has:media"]);
    assert!(labels("cats ").is_empty());
    // Beside a value, how many posts have it; beside a filter, what it does.
    let first = |q: &str| {
        query::suggestions(q, &filters, &completions, 10)
            .remove(0)
            .detail
    };
    assert_eq!(first("#ru"), Detail::Posts(5));
    assert_eq!(
        first("ha"),
        Detail::Hint("has".into(), "media, poll…".into())
    );
    // Never more than asked for.
    assert_eq!(query::suggestions("#", &filters, &completions, 2).len(), 2);
}

#[test]
fn highlights_are_case_insensitive_and_longest_first() {
    let pieces = split("Rust and rusty RUST", &["rust".into(), "rusty".into()]);
    assert_eq!(
        split("Rust and rusty RUST", &["rust".into()])
            .iter()
            .filter(|p| p.matched)
            .count(),
        2
    );
    let matched: Vec<&str> = pieces
        .iter()
        .filter(|p| p.matched)
        .map(|p| p.text)
        .collect();
    assert_eq!(matched, vec!["Rust", "rusty", "RUST"]);
    assert_eq!(
        pieces.iter().map(|p| p.text).collect::<String>(),
        "Rust and rusty RUST"
    );
    assert_eq!(split("Straße", &["STRASSE".into()]).len(), 1);
    // Whole words only, as search matches: not inside another word.
    let marked = |text: &str, term: &str| -> Vec<String> {
        split(text, &[term.to_string()])
            .into_iter()
            .filter(|p| p.matched)
            .map(|p| p.text.to_string())
            .collect()
    };
    assert!(marked("ronsbikesblog.example", "bike").is_empty());
    assert_eq!(
        marked("a bike, bikes, e-bike!", "bike"),
        vec!["bike", "bike"]
    );
    assert_eq!(marked("#rust and rust2", "#rust"), vec!["#rust"]);
    // Chinese and Japanese have no spaces: any occurrence.
    assert_eq!(marked("私は東京都に住む", "東京"), vec!["東京"]);
    // The worker sends whole matched words (a prefix query's too), marked whatever their case.
    assert_eq!(
        split("Grüße!", &["GRÜSSE".into(), "grüße".into()])[0],
        Piece {
            text: "Grüße",
            matched: true
        }
    );
    assert!(split("Grüße", &["grü".into()]).iter().all(|p| !p.matched));
    assert_eq!(
        split("abc", &[]),
        vec![Piece {
            text: "abc",
            matched: false
        }]
    );
}

#[test]
fn rows_find_offsets_and_windows() {
    let mut rows = Rows::new(300_000, 100.0);
    assert_eq!(rows.total(), 30_000_000.0);
    assert_eq!(rows.row_at(0.0), 0);
    assert_eq!(rows.row_at(250.0), 2);
    assert_eq!(rows.row_at(1e12), 299_999);
    assert!(rows.measure(1, 300.0));
    assert!(!rows.measure(1, 300.2));
    assert_eq!(rows.offset(2), 400.0);
    assert_eq!(rows.row_at(399.0), 1);
    assert_eq!(rows.row_at(400.0), 2);
    let w = rows.window(10_000.0, 800.0, 400.0);
    assert_eq!((w.start, w.end), (94, 111));
    assert_eq!(w.before, 9_600.0);
    assert_eq!(
        w.before + (w.start..w.end).map(|_| 100.0).sum::<f64>() + w.after,
        rows.total()
    );
    assert_eq!(Rows::new(0, 50.0).window(0.0, 100.0, 0.0).end, 0);
}

/// `rows` gives the plain sums of `heights`: every row's offset, the row at each row's top and
/// middle, the total, and the last row past the end.
fn assert_rows_match(rows: &Rows, heights: &[f64]) {
    let len = heights.len();
    let mut sum = 0.0;
    for (i, h) in heights.iter().enumerate() {
        assert_eq!(rows.offset(i), sum, "len {len}, offset of row {i}");
        let middle = sum + h / 2.0;
        assert_eq!(rows.row_at(middle), i, "len {len}, row at {middle}");
        assert_eq!(rows.row_at(sum), i, "len {len}, row at {sum}");
        sum += h;
    }
    assert_eq!(rows.total(), sum);
    assert_eq!(rows.row_at(sum + 1e6), len - 1);
}

/// `Rows` against the plain sums of a list of heights, after measuring rows here and there
/// (the first ones, far ones that grow its tree, the last one, some twice).
#[test]
fn rows_agree_with_plain_sums_wherever_rows_are_measured() {
    for len in [1usize, 2, 63, 64, 65, 1000, 4097] {
        let mut rows = Rows::new(len, 120.0);
        let mut heights = vec![120.0; len];
        let mut seed = len as u64 * 7919 + 1;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for step in 0..200 {
            let row = match step % 4 {
                0 => next(len.min(10)),
                3 => len - 1,
                _ => next(len),
            };
            let height = (40 + next(400)) as f64;
            rows.measure(row, height);
            heights[row] = height;
            // Larger lists are checked once, after all the measuring.
            if len <= 64 {
                assert_rows_match(&rows, &heights);
            }
        }
        assert_rows_match(&rows, &heights);
    }
}

#[test]
fn very_long_lists_scroll_through_a_scaled_space() {
    use permafrost_web::virtual_list::MAX_HEIGHT;
    let rows = Rows::new(300_000, 150.0);
    let total = rows.total();
    let height = 900.0;
    let scale = rows.scale(height, MAX_HEIGHT);
    assert!(scale > 2.9 && scale < 3.1, "{scale}");
    // The top and the very bottom are both reachable, and the page is never taller than the cap.
    let top = rows.place(0.0, height, 500.0, MAX_HEIGHT);
    assert_eq!(top.window.start, 0);
    assert_eq!(top.window.before, 0.0);
    let bottom = rows.place(MAX_HEIGHT - height, height, 500.0, MAX_HEIGHT);
    assert_eq!(bottom.window.end, 300_000);
    assert_eq!(bottom.window.after, 0.0);
    for p in [0.0, 1_234_567.0, 7_500_000.0, MAX_HEIGHT - height] {
        let w = rows.place(p, height, 500.0, MAX_HEIGHT).window;
        let mounted = rows.offset(w.end) - rows.offset(w.start);
        assert!(
            (w.before + mounted + w.after - MAX_HEIGHT).abs() < 1.0,
            "{p}: {w:?}"
        );
        // The row at content offset p * scale is mounted, at the viewport's top.
        let row = rows.row_at(p * scale);
        assert!((w.start..w.end).contains(&row));
        let page_y = w.before + rows.offset(row) - rows.offset(w.start);
        assert!((page_y - (p + rows.offset(row) - p * scale)).abs() < 1.0);
    }
    // scroll_to brings a row to the viewport's top.
    let y = rows.scroll_to(200_000, 0.0, height, MAX_HEIGHT);
    let w = rows.place(y, height, 500.0, MAX_HEIGHT).window;
    let page_y = w.before + rows.offset(200_000) - rows.offset(w.start);
    assert!((page_y - y).abs() < 1.0, "{page_y} vs {y}");
    assert!(total > MAX_HEIGHT);
    // Short lists are not scaled.
    assert_eq!(Rows::new(100, 150.0).scale(height, MAX_HEIGHT), 1.0);
}

#[test]
fn new_results_are_estimated_at_the_average_measured_height() {
    let mut rows = Rows::new(10, 100.0);
    assert_eq!(rows.average_measured(), 100.0);
    rows.measure(0, 300.0);
    rows.measure(1, 200.0);
    // Measured again at another height: counted once, at the new height.
    rows.measure(1, 100.0);
    assert_eq!(rows.average_measured(), 200.0);
    assert_eq!(rows.total(), 300.0 + 100.0 + 8.0 * 100.0);
    // Out of range: ignored.
    assert!(!rows.measure(10, 50.0));
    // Scrolling the first row to 50 px below the viewport's top means scrolling above the list.
    assert_eq!(
        rows.scroll_to(0, 50.0, 900.0, permafrost_web::virtual_list::MAX_HEIGHT),
        -50.0
    );
    assert_eq!(rows.average_measured(), 200.0);
}

fn post(index: u32) -> PostView {
    let mut post = permafrost_protocol::samples::post();
    post.index = index;
    post
}

#[test]
fn the_cache_asks_for_each_missing_page_once_and_drops_other_searches() {
    let mut cache = PostCache::default();
    cache.reset(7, (0..25).map(post).collect());
    assert_eq!(cache.search(), 7);
    assert_eq!(cache.get(3).map(|p| p.0.index), Some(3));
    // Rows 20..60 need pages 1 and 2 (page 0 is here); asked for once only.
    assert_eq!(cache.take_missing(20..60), vec![1, 2]);
    assert!(cache.take_missing(20..60).is_empty());
    assert!(cache.take_missing(0..0).is_empty());
    // A page of an older search is dropped; this search's page is stored.
    assert!(!cache.insert(6, 25, (25..50).map(post).collect()));
    assert!(cache.get(25).is_none());
    assert!(cache.insert(7, 25, (25..50).map(post).collect()));
    assert_eq!(cache.get(30).map(|p| p.0.index), Some(30));
    assert_eq!(cache.len(), 50);
    // Page 2 is still on its way; page 3 is not asked for yet.
    assert_eq!(cache.take_missing(50..80), vec![3]);
    // A new search starts over.
    cache.reset(8, Vec::new());
    assert!(cache.is_empty());
    assert_eq!(cache.take_missing(0..10), vec![0]);
}

#[test]
fn the_cache_keeps_the_posts_near_the_window() {
    let mut cache = PostCache::default();
    cache.reset(1, Vec::new());
    for page in 0..120u32 {
        cache.insert(
            1,
            page * 25,
            (page * 25..page * 25 + 25).map(post).collect(),
        );
    }
    assert_eq!(cache.len(), 3_000);
    cache.trim(2_900..2_950);
    assert!(cache.len() < 3_000);
    assert!(cache.get(2_920).is_some());
    assert!(cache.get(0).is_none());
}

#[test]
fn the_opening_preview_lists_dates_then_text_or_warning() {
    let mut warned = post(1);
    warned.published = Some(0);
    let mut plain = post(2);
    plain.content_warning = None;
    plain.published = None;
    plain.content = RichText::from_plain("hello");
    let text = permafrost_web::preview::preview_text(
        vec![warned, plain],
        |t| format!("day {t}"),
        "Content warning: ",
    );
    let all = text.plain_text();
    assert!(all.contains("day 0"), "{all}");
    assert!(all.contains("Content warning: cw"), "{all}");
    assert!(all.contains("hello"), "{all}");
    // The warned post's text is not shown.
    assert!(!all.contains("a <b>"), "{all}");
}

#[test]
fn posts_picked_by_hand_with_shift_click_ranges() {
    use permafrost_web::selection::{Click, Picked};
    let mut picked = Picked::default();
    // Without an anchor, Shift picks just the one post.
    assert_eq!(picked.click(40, 4, true), Click::Done);
    assert!(picked.contains(40));
    assert_eq!(picked.click(40, 4, false), Click::Done);
    assert!(picked.is_empty());
    // A plain click, then Shift further down: the range between, picked like the anchor.
    assert_eq!(picked.click(10, 1, false), Click::Done);
    assert_eq!(
        picked.click(13, 4, true),
        Click::Range {
            from: 1,
            to: 4,
            pick: true
        }
    );
    picked.set_all(&[10, 11, 12, 13], true);
    assert_eq!(picked.posts(), vec![10, 11, 12, 13]);
    // Upwards from the anchor, and unpicking when the anchor is unpicked.
    assert_eq!(picked.click(12, 3, false), Click::Done);
    assert!(!picked.contains(12));
    assert_eq!(
        picked.click(10, 1, true),
        Click::Range {
            from: 1,
            to: 3,
            pick: false
        }
    );
    picked.set_all(&[10, 11, 12], false);
    assert_eq!(picked.posts(), vec![13]);
    // A new result forgets the anchor (its positions meant other posts), not the posts.
    picked.new_result();
    assert_eq!(picked.click(7, 0, true), Click::Done);
    assert_eq!(picked.posts(), vec![7, 13]);
    assert_eq!(picked.len(), 2);
    picked.clear();
    assert!(picked.is_empty());
}

#[test]
fn poll_shares_are_mastodons() {
    use permafrost_protocol::{Poll, PollOption};
    use permafrost_web::poll::shares;
    let poll = |multiple, voters, votes: &[Option<u32>]| Poll {
        multiple,
        options: votes
            .iter()
            .map(|&votes| PollOption {
                name: "o".into(),
                votes,
            })
            .collect(),
        end_time: None,
        closed: None,
        voters,
    };
    // A multiple-choice poll: 13 votes by 9 people. Shares of the voters, rounded to nearest.
    let several = poll(true, Some(9), &[Some(2), Some(3), Some(3), Some(5)]);
    assert_eq!(
        shares(&several),
        vec![Some(22), Some(33), Some(33), Some(56)]
    );
    // A single-choice poll divides by the votes, whatever the voters count says.
    let one = poll(false, Some(8), &[Some(1), Some(2)]);
    assert_eq!(shares(&one), vec![Some(33), Some(67)]);
    // No voters count: the votes. No votes at all: zero, not a division by zero.
    assert_eq!(
        shares(&poll(true, None, &[Some(1), Some(3)])),
        vec![Some(25), Some(75)]
    );
    assert_eq!(
        shares(&poll(true, Some(0), &[Some(0), None])),
        vec![Some(0), None]
    );
    assert_eq!(
        shares(&poll(false, None, &[Some(u32::MAX), Some(u32::MAX)])),
        vec![Some(50), Some(50)]
    );
}

#[test]
fn the_query_help_reads_into_sections_of_terms() {
    use permafrost_web::help::{sections, Item};
    let help = "Search syntax\n\nWords\n  coffee            posts with the word \"coffee\" (whole word;\n                    cafe finds Café)\n  coff*             words starting with \"coff\"\n  Words are looked up in the text\n  and in alt text.\n\nCombining\n  tea OR coffee     either\n";
    let s = sections(help);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].title, "Words");
    assert_eq!(
        s[0].items,
        vec![
            Item::Entry {
                term: "coffee".into(),
                text: "posts with the word \"coffee\" (whole word; cafe finds Café)".into()
            },
            Item::Entry {
                term: "coff*".into(),
                text: "words starting with \"coff\"".into()
            },
            Item::Note("Words are looked up in the text and in alt text.".into()),
        ]
    );
    assert_eq!(
        s[1].items,
        vec![Item::Entry {
            term: "tea OR coffee".into(),
            text: "either".into()
        }]
    );
    assert!(sections("").is_empty());
}

#[test]
fn a_worker_out_of_memory_is_named_with_what_to_try() {
    use permafrost_web::format::worker_stopped;
    let oom = worker_stopped("Uncaught RuntimeError: unreachable");
    assert!(
        oom.contains("ran out of memory") && oom.contains("command-line"),
        "{oom}"
    );
    let other = worker_stopped("Uncaught SyntaxError: x");
    assert!(
        other.contains("(Uncaught SyntaxError: x)") && !other.contains("memory"),
        "{other}"
    );
}

#[test]
fn the_hashtag_line_repeats_only_tags_the_text_does_not_show() {
    use permafrost_protocol::{Block, Inline};
    let text = RichText {
        blocks: vec![Block::Paragraph(vec![
            Inline::Text("see ".into()),
            Inline::Hashtag {
                name: "Rust".into(),
                href: None,
            },
        ])],
    };
    let tags: Vec<String> = ["rust", "wasm", "RUST2"].map(String::from).to_vec();
    assert_eq!(
        permafrost_web::tags::not_in_text(&text, &tags),
        ["wasm", "RUST2"]
    );
    // 50,000 tags, all in the text: linear, and none repeated.
    let many: Vec<String> = (0..50_000).map(|i| format!("t{i}")).collect();
    let text = RichText {
        blocks: vec![Block::Paragraph(
            many.iter()
                .map(|t| Inline::Hashtag {
                    name: t.as_str().into(),
                    href: None,
                })
                .collect(),
        )],
    };
    assert!(permafrost_web::tags::not_in_text(&text, &many).is_empty());
}

#[test]
fn a_thread_is_a_query_read_oldest_first() {
    let route = Route::thread("https://ex.social/users/me/statuses/109876/activity");
    assert_eq!(route.query, "thread:109876");
    assert_eq!((route.sort, route.tab), (Sort::Oldest, Tab::Posts));
    assert!(!route.collapse_threads && route.is_thread());
    assert_eq!(route.to_hash(), "#q=thread%3A109876&sort=oldest");
    assert!(!Route::parse("#q=thread%3A1%20cat").is_thread());
    assert!(!Route::parse("#q=thread%3A").is_thread());
    assert!(Route::parse("#q=a&threads=collapsed").collapse_threads);
    assert!(!Route::parse("#q=a&threads=yes").collapse_threads);
}

#[test]
fn the_statistics_tab_has_its_own_place_in_the_hash() {
    let route = Route {
        query: "#rust".into(),
        sort: Sort::Newest,
        tab: Tab::Stats,
        year: Some(2023),
        collapse_threads: false,
        show: String::new(),
        filter: String::new(),
    };
    assert_eq!(route.to_hash(), "#q=%23rust&tab=stats&year=2023");
    assert_eq!(Route::parse(&route.to_hash()), route);
    assert_eq!(Route::parse("#tab=stats&year=abc").year, None);
    // The year belongs to Statistics: leaving the tab drops it, staying keeps it.
    let mut shown = route.clone();
    shown.show(Tab::Stats);
    assert_eq!(shown.year, Some(2023));
    shown.show(Tab::Posts);
    assert_eq!((shown.tab, shown.year), (Tab::Posts, None));
    assert_eq!(Route::parse("#tab=stats").tab, Tab::Stats);
    assert_eq!(Route::parse("#tab=summary").tab, Tab::Summary);
    assert_eq!(Route::parse("#tab=nonsense").tab, Tab::Posts);
    // What a tab shows within itself is its own: another tab starts from its default.
    let mut people = Route::parse("#tab=people&show=blocks");
    assert_eq!((people.tab, people.show.as_str()), (Tab::People, "blocks"));
    people.show(Tab::People);
    assert_eq!(people.show, "blocks");
    people.filter = "bob".into();
    people.show(Tab::Media);
    assert_eq!(
        (people.tab, people.show.as_str(), people.filter.as_str()),
        (Tab::Media, "", "")
    );
    assert_eq!(Route::parse("#tab=saved&f=a%26b").filter, "a&b");
    // By the tabs, a tab left and gone back to shows what it showed.
    let mut left = LeftViews::default();
    let mut route = Route::parse("#q=cat&tab=people&show=blocks%20name&f=jo");
    route.switch_tab(Tab::Stats, &mut left);
    assert_eq!(
        (route.tab, route.show.as_str(), route.filter.as_str()),
        (Tab::Stats, "", "")
    );
    route.year = Some(2023);
    route.switch_tab(Tab::Saved, &mut left);
    assert_eq!((route.tab, route.year), (Tab::Saved, None));
    route.switch_tab(Tab::People, &mut left);
    assert_eq!(route.to_hash(), "#q=cat&tab=people&show=blocks%20name&f=jo");
    route.switch_tab(Tab::Stats, &mut left);
    assert_eq!((route.tab, route.year), (Tab::Stats, Some(2023)));
    // The same tab again changes nothing; a tab never left starts from its default.
    route.switch_tab(Tab::Stats, &mut left);
    assert_eq!(route.year, Some(2023));
    route.switch_tab(Tab::Media, &mut left);
    assert_eq!((route.show.as_str(), route.filter.as_str()), ("", ""));
    assert_eq!(
        Route::parse("#tab=media&show=video%20noalt").show,
        "video noalt"
    );
}

#[test]
fn a_chart_element_narrows_the_query_keeping_the_typed_word_last() {
    use permafrost_web::query::narrow;
    assert_eq!(narrow("", "during:2023-06"), "during:2023-06");
    // "coff" is a prefix while typed: it stays last, so it still is one.
    assert_eq!(narrow("coff", "during:2023-06"), "during:2023-06 coff");
    assert_eq!(
        narrow("#rust weekday:sat", "weekday:sat hour:14"),
        "hour:14 #rust weekday:sat"
    );
    assert_eq!(narrow("has:media", "HAS:MEDIA"), "has:media");
}

#[test]
fn a_year_is_laid_out_in_weeks_from_monday() {
    use permafrost_protocol::FacetValue;
    use permafrost_web::charts::{calendar, level, punchcard_term, years};
    let day = |label: &str, count| FacetValue {
        label: label.into(),
        term: format!("on:{label}"),
        count,
    };
    let days = [
        day("2023-12-31", 1),
        day("2024-01-01", 2),
        day("2024-02-29", 5),
        day("2024-12-31", 3),
    ];
    assert_eq!(years(&days), vec![2023, 2024]);
    let cal = calendar(2024, &days);
    assert_eq!(cal.len(), 366);
    // 1 January 2024 was a Monday; 29 February a Thursday; 31 December a Tuesday.
    assert_eq!((cal[0].week, cal[0].weekday, cal[0].count), (0, 0, 2));
    let leap = cal.iter().find(|d| d.date == "2024-02-29").unwrap();
    assert_eq!((leap.week, leap.weekday, leap.count), (8, 3, 5));
    let last = cal.last().unwrap();
    assert_eq!(
        (last.date.as_str(), last.week, last.weekday),
        ("2024-12-31", 52, 1)
    );
    assert_eq!(cal.iter().map(|d| d.count).sum::<u32>(), 10);
    // 1 January 2023 was a Sunday: the first week has only it.
    let cal = calendar(2023, &days);
    assert_eq!((cal[0].week, cal[0].weekday), (0, 6));
    assert_eq!((cal[1].week, cal[1].weekday), (1, 0));
    assert_eq!(cal.last().map(|d| d.count), Some(1));

    assert_eq!(level(0, 10), 0);
    assert_eq!(level(1, 10), 1);
    assert_eq!(level(10, 10), 4);
    assert_eq!(level(1, 1), 4);
    assert_eq!(level(5, 0), 4);
    assert_eq!(punchcard_term(0), "weekday:mon hour:0");
    assert_eq!(punchcard_term(6 * 24 + 23), "weekday:sun hour:23");
}

#[test]
fn the_media_tab_keeps_kind_audit_and_order_in_the_url() {
    use permafrost_protocol::MediaKind;
    use permafrost_web::library::{duration, percent, LibraryShow};

    assert_eq!(LibraryShow::parse(""), LibraryShow::default());
    assert_eq!(LibraryShow::default().to_show(), "");
    let all = LibraryShow {
        kind: Some(MediaKind::Video),
        without_alt: true,
        oldest_first: true,
    };
    assert_eq!(all.to_show(), "video noalt oldest");
    assert_eq!(LibraryShow::parse("video noalt oldest"), all);
    // Any order, extra spaces, unknown words ignored, the last kind wins.
    assert_eq!(
        LibraryShow::parse("  oldest bogus image  noalt video "),
        all
    );
    for (kind, name) in permafrost_web::library::KINDS {
        let show = LibraryShow {
            kind: Some(kind),
            ..LibraryShow::default()
        };
        assert_eq!(show.to_show(), name);
        assert_eq!(LibraryShow::parse(name), show);
    }
    // Another tab's words (People's `blocks`) read as the default.
    assert_eq!(LibraryShow::parse("blocks"), LibraryShow::default());

    assert_eq!(percent(58, 79), Some(73));
    assert_eq!(percent(312, 400), Some(78));
    assert_eq!(percent(1, 8), Some(13)); // 12.5 rounds up
    assert_eq!(percent(0, 5), Some(0));
    assert_eq!(percent(5, 5), Some(100));
    assert_eq!(percent(u32::MAX, u32::MAX), Some(100));
    assert_eq!(percent(0, 0), None);

    assert_eq!(duration(7.4), "0:07");
    assert_eq!(duration(205.0), "3:25");
    assert_eq!(duration(3723.0), "1:02:03");
    assert_eq!(duration(-1.0), "0:00");
    assert_eq!(duration(f32::NAN), "0:00");
}

#[test]
fn the_account_a_query_keeps_to_and_switching_it() {
    assert_eq!(
        query::account_of("cats account:Alice"),
        Some("alice".into())
    );
    assert_eq!(
        query::account_of("account:@bob@b.example"),
        Some("bob@b.example".into())
    );
    assert_eq!(query::account_of("cats -account:alice"), None);
    assert_eq!(query::account_of("account:a account:b"), None);
    assert_eq!(query::account_of("cats"), None);
    let names = ["alice@a.example", "bob@b.example", "alice@c.example"];
    assert_eq!(query::account_index(&names, "bob@b.example"), Some(1));
    assert_eq!(query::account_index(&names, "bob"), Some(1));
    assert_eq!(
        query::account_index(&names, "alice"),
        None,
        "two are named alice"
    );
    assert_eq!(query::account_index(&names, "alice@c.example"), Some(2));
    assert_eq!(query::account_index(&names, "carol"), None);
    assert_eq!(
        query::with_account("cats account:alice -account:x #tea", Some("bob@b.example")),
        "account:bob@b.example cats #tea"
    );
    assert_eq!(query::with_account("account:alice cats", None), "cats");
    assert_eq!(query::with_account("", Some("a@b")), "account:a@b");
}

#[test]
fn the_opening_bar_goes_on_from_a_tar_gz_listing_into_its_outbox() {
    use permafrost_protocol::Stage::{Indexing, Parsing, Reading};
    use permafrost_protocol::{Progress, Stage};
    use permafrost_web::progress::Bar;
    // A report (its stage, bytes done of a total) and the bar it should show.
    type Step = (Stage, u64, Option<u64>, Option<f64>);
    // Each open's reports in turn.
    let opens: [&[Step]; 3] = [
        // A tar.gz: its media listed (800 of the file's 1,000 bytes), then outbox.json read.
        &[
            (Reading, 0, None, None),
            (Reading, 400, Some(1000), Some(0.4)),
            (Reading, 800, Some(1000), Some(0.8)),
            (Parsing, 0, Some(50), Some(0.8)),
            (Parsing, 25, Some(50), Some(0.9)),
            (Parsing, 50, Some(50), Some(1.0)),
            (Indexing, 0, None, Some(1.0)),
        ],
        // Two archives in one open, the second listed from its start: the bar does not go back.
        &[
            (Reading, 600, Some(1000), Some(0.6)),
            (Reading, 100, Some(2000), Some(0.6)),
        ],
        // A ZIP is not listed that way: outbox.json fills the whole bar. A report past its total
        // (a size declared too small) stays at the end; a total of 0 is no measure.
        &[
            (Reading, 0, None, None),
            (Parsing, 10, Some(40), Some(0.25)),
            (Parsing, 90, Some(40), Some(1.0)),
            (Parsing, 5, Some(0), None),
        ],
    ];
    for reports in opens {
        let mut bar = Bar::default();
        for &(stage, done, total, expected) in reports {
            let shown = bar.fraction(&Progress {
                stage,
                done,
                total,
                posts: 0,
            });
            let near = match (shown, expected) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                (a, b) => a == b,
            };
            assert!(
                near,
                "{stage:?} {done} of {total:?}: {shown:?}, not {expected:?}"
            );
        }
    }
}
