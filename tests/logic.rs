//! The app's plain logic (URL hash, query editing, highlighting, the timeline's geometry,
//! formatting), run in a browser because the crate is built for wasm32 only.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use permafrost_protocol::{Completions, Sort};
use permafrost_web::highlight::{split, Piece};
use permafrost_web::query::{self, Filter};
use permafrost_web::route::{Route, Tab};
use permafrost_web::virtual_list::Rows;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn routes_round_trip_through_the_hash() {
    let route = Route {
        query: "#rust \"two words\" year:2023 ü&=".into(),
        sort: Sort::Oldest,
        tab: Tab::Summary,
    };
    let hash = route.to_hash();
    assert!(hash.starts_with("#q=%23rust%20%22two%20words%22"), "{hash}");
    assert_eq!(Route::parse(&hash), route);
    assert_eq!(Route::default().to_hash(), "");
    assert_eq!(Route::parse(""), Route::default());
    assert_eq!(Route::parse("#q=a+b&sort=bogus&x=1").query, "a b");
    assert_eq!(Route::parse("#q=100%").query, "100%");
}

#[wasm_bindgen_test]
fn facets_toggle_terms_in_the_query() {
    assert_eq!(query::terms(r#"a "b c" -d"#), vec!["a", "\"b c\"", "-d"]);
    assert_eq!(query::toggle("cats", "#rust", false), "cats #rust");
    assert_eq!(query::toggle("cats #Rust", "#rust", false), "cats");
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

#[wasm_bindgen_test]
fn completion_of_hashtags_mentions_and_filters() {
    let completions = Completions {
        hashtags: vec![("rust".into(), 5), ("rustlang".into(), 2), ("go".into(), 1)],
        mentions: vec![("alice@example.social".into(), 3)],
        languages: vec![("en".into(), 9), ("de".into(), 1)],
    };
    let filters = [Filter {
        key: "has",
        hint: "media, poll…",
        values: &["media", "poll", "cw"],
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
}

#[wasm_bindgen_test]
fn highlights_are_case_insensitive_and_longest_first() {
    let pieces = split("Rust and rusty RUST", &["rust".into(), "rusty".into()]);
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
    assert_eq!(
        split("Grüße", &["grü".into()])[0],
        Piece {
            text: "Grü",
            matched: true
        }
    );
    assert_eq!(
        split("abc", &[]),
        vec![Piece {
            text: "abc",
            matched: false
        }]
    );
}

#[wasm_bindgen_test]
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

#[wasm_bindgen_test]
fn numbers_dates_and_domains() {
    use permafrost_web::format::{self, DateStyle};
    assert_eq!(format::count(1234), "1,234");
    assert_eq!(format::posts(1), "1 post");
    assert_eq!(format::posts(1234), "1,234 posts");
    assert_eq!(format::bytes(999), "999 bytes");
    assert_eq!(format::bytes(2_506_012), "2.5 MB");
    assert_eq!(format::seconds(1549), "1.5 s");
    assert_eq!(
        format::domain("https://www.example.com:8080/a?b"),
        Some("example.com")
    );
    assert_eq!(format::domain("mailto:a@b.c"), None);
    // Daylight saving: the same UTC hour is 13:00 in Paris in winter, 14:00 in summer.
    let winter = format::date(1_673_784_000, "Europe/Paris", DateStyle::DateTime);
    let summer = format::date(1_689_422_400, "Europe/Paris", DateStyle::DateTime);
    assert!(winter.contains("1:00"), "{winter}");
    assert!(summer.contains("2:00"), "{summer}");
    assert!(format::is_time_zone("America/New_York"));
    assert!(!format::is_time_zone("Mars/Olympus"));
    assert!(format::time_zones().iter().any(|z| z == "Asia/Tokyo"));
}

/// What serde writes, the page's decoder reads back unchanged: every response, with every kind
/// of rich text, and the model's types inside.
#[wasm_bindgen_test]
fn the_decoder_reads_what_serde_writes() {
    use permafrost_model::summary::Summary;
    use permafrost_protocol::*;
    let text = RichText {
        blocks: vec![
            Block::Paragraph(vec![
                Inline::Text("a <b>".into()),
                Inline::Break,
                Inline::Link {
                    href: Some("https://x.example/a".into()),
                    text: "x.example/a".into(),
                    short: None,
                },
                Inline::Link {
                    href: None,
                    text: "javascript:alert(1)".into(),
                    short: Some("j".into()),
                },
                Inline::Mention {
                    text: "@bob".into(),
                    href: Some("https://h.example/@bob".into()),
                },
                Inline::Hashtag {
                    name: "Rust".into(),
                    href: None,
                },
                Inline::Emphasis(vec![Inline::Strong(vec![Inline::Strike(vec![
                    Inline::Code("c".into()),
                ])])]),
            ]),
            Block::Heading {
                level: 2,
                content: vec![Inline::Text("h".into())],
            },
            Block::Quote(vec![Block::Code("pre".into())]),
            Block::List {
                ordered: true,
                items: vec![vec![Block::Paragraph(vec![])]],
            },
        ],
    };
    let post = PostView {
        index: 3,
        id: "https://h.example/s/1".into(),
        kind: PostKind::Boost,
        url: None,
        published: Some(1_700_000_000),
        updated: Some(-5),
        visibility: Visibility::Direct,
        in_reply_to: Some("https://h.example/s/0".into()),
        parent: Some(ParentView {
            index: 1,
            published: None,
            excerpt: "e".into(),
        }),
        boost_of: Some("tag:x".into()),
        boosted_account: Some("https://o.example/u".into()),
        quote_of: None,
        content_warning: Some("cw".into()),
        content: text.clone(),
        language: Some("zh-CN".into()),
        sensitive: true,
        attachments: vec![AttachmentView {
            kind: MediaKind::Gif,
            media_type: Some("image/gif".into()),
            alt: None,
            blurhash: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".into()),
            width: Some(640),
            height: None,
            duration: Some(1.5),
            present: false,
        }],
        poll: Some(Poll {
            multiple: true,
            options: vec![PollOption {
                name: "<script>".into(),
                votes: Some(4),
            }],
            end_time: Some(1),
            closed: None,
            voters: Some(9),
        }),
        hashtags: vec!["rust".into()],
        mentions: vec!["bob@h.example".into()],
        likes: Some(0),
        shares: None,
        highlights: vec!["Café".into()],
    };
    let summary: Summary = serde_json::from_str(
        r#"{"format":"zip","account":{"handle":"a@b","display_name":"A","created":null},"posts":2,"originals":1,
        "boosts":1,"replies":0,"self_replies":0,"visibility":{"public":1,"unlisted":0,"private":0,"direct":0},
        "with_media":0,"polls":0,"with_cw":0,"edited":0,"languages":{"en":1,"zh-CN":2},
        "media":{"referenced":0,"present":0,"missing":0,"without_alt":0},"likes":null,"bookmarks":3,
        "following":null,"followers":null,"lists":{"Friends":2},"blocks":null,"mutes":null,"domain_blocks":null,
        "first_post":"2023-01-01T00:00:00Z","last_post":null,"outbox_bytes":12,
        "diagnostics":[{"kind":"note","where":"outbox.json","message":"m"}]}"#,
    )
    .unwrap();
    let actor: Actor = serde_json::from_str(
        r#"{"id":"i","kind":"Person","username":"u","handle":"u@h","display_name":"<b>","bio":{"blocks":[]},
        "fields":[{"name":"n","value":{"blocks":[]}}],"url":null,"created":5,"followers":null,"following":null,
        "avatar":{"url":"a.png","media_type":null,"alt":"x"},"header":null,"locked":false,"discoverable":null,
        "also_known_as":["x"],"moved_to":null}"#,
    )
    .unwrap();
    let bodies = vec![
        ResponseBody::Ready,
        ResponseBody::Progress(Progress {
            stage: Stage::Indexing,
            done: 1,
            total: None,
            posts: 2,
        }),
        ResponseBody::Preview {
            total_so_far: 4096,
            posts: vec![post.clone()],
        },
        ResponseBody::Opened(Box::new(Opened {
            summary,
            actor: Some(actor),
            has_avatar: true,
            has_header: false,
            completions: Completions {
                hashtags: vec![("rust".into(), 2)],
                mentions: vec![],
                languages: vec![("en".into(), 1)],
            },
            elapsed_ms: 7,
            query_help: "help".into(),
        })),
        ResponseBody::Results(Box::new(Results {
            total: 1,
            posts: vec![post.clone()],
            facets: vec![FacetGroup {
                key: "year".into(),
                label: "Year".into(),
                values: vec![FacetValue {
                    label: "2023".into(),
                    term: "during:2023".into(),
                    count: 1,
                }],
            }],
            errors: vec!["e".into()],
            elapsed_ms: 1,
        })),
        ResponseBody::Posts {
            search: 1,
            offset: 25,
            posts: vec![post.clone()],
        },
        ResponseBody::Media {
            mime: "image/png".into(),
        },
        ResponseBody::MediaMissing { reason: "r".into() },
        ResponseBody::MediaPost {
            position: Some(4),
            post: Some(Box::new(post)),
        },
        ResponseBody::MediaPost {
            position: None,
            post: None,
        },
        ResponseBody::RawJson { text: "{}".into() },
        ResponseBody::Error {
            message: "m".into(),
        },
    ];
    for (id, body) in bodies.into_iter().enumerate() {
        let response = Response {
            id: id as u32,
            body,
        };
        let decoded = permafrost_web::decode::response(&response.to_json());
        assert_eq!(decoded.as_ref(), Some(&response), "{}", response.to_json());
    }
    assert_eq!(permafrost_web::decode::response("{\"id\":1}"), None);
    assert_eq!(permafrost_web::decode::response("not json"), None);
}

#[wasm_bindgen_test]
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

/// Requests written by the page read back with serde as the worker reads them.
#[wasm_bindgen_test]
fn the_encoder_writes_what_serde_reads() {
    use permafrost_protocol::*;
    let bodies = vec![
        RequestBody::Open {
            names: vec!["a \"b\".zip".into(), "dir/ü.csv".into()],
        },
        RequestBody::Search {
            query: "#rust \\ \"x\"\n".into(),
            sort: Sort::Relevance,
            time_zone: "Europe/Paris".into(),
            limit: 25,
        },
        RequestBody::GetPosts {
            search: 4_000_000_000,
            offset: 50,
            limit: 25,
        },
        RequestBody::GetMedia {
            media: MediaRef::Attachment { post: 1, index: 2 },
        },
        RequestBody::GetMedia {
            media: MediaRef::Avatar,
        },
        RequestBody::GetMedia {
            media: MediaRef::Header,
        },
        RequestBody::RawJson { post: 0 },
        RequestBody::FindMedia {
            search: 1,
            position: 2,
            forward: true,
        },
    ];
    for (id, body) in bodies.into_iter().enumerate() {
        let text = permafrost_web::decode::encode(id as u32, &body);
        let request = Request::from_json(&text).unwrap();
        assert_eq!(
            request,
            Request {
                id: id as u32,
                body
            },
            "{text}"
        );
    }
}
