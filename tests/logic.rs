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
