//! What needs the browser's `Intl`: numbers and dates in the user's locale and time zone.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The executor the language context's effects run on (the app starts it when it mounts).
fn executor() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
}

#[wasm_bindgen_test]
fn numbers_dates_and_domains() {
    executor();
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

/// Numbers, sizes, plurals and weekdays in each language of the interface, by the browser's
/// `Intl` (the catalogue gives the words, `Intl.PluralRules` the form).
#[wasm_bindgen_test]
fn each_language_counts_in_its_own_way() {
    executor();
    use permafrost_web::format;
    use permafrost_web::lang::{self, Locale};
    let i18n = lang::i18n();
    i18n.set_locale(Locale::de);
    assert_eq!(format::count(1234), "1.234");
    assert_eq!(format::posts(1), "1 Beitrag");
    assert_eq!(format::posts(1234), "1.234 Beiträge");
    assert_eq!(format::size(2_506_012), "2,5 MB");
    assert_eq!(format::weekday(0, true), "Montag");
    i18n.set_locale(Locale::fr);
    // French: 0 and 1 are singular, a narrow no-break space groups thousands.
    assert_eq!(format::posts(0), "0 message");
    assert_eq!(format::posts(1), "1 message");
    assert_eq!(format::posts(2), "2 messages");
    assert_eq!(format::count(1234), "1\u{202f}234");
    assert_eq!(format::size(2_506_012), "2,5 Mo");
    i18n.set_locale(Locale::es);
    assert_eq!(format::posts(1), "1 publicación");
    assert_eq!(format::posts(0), "0 publicaciones");
    i18n.set_locale(Locale::ja);
    // Japanese: one form.
    assert_eq!(format::posts(1), "1 件の投稿");
    assert_eq!(format::posts(2), "2 件の投稿");
    assert_eq!(format::duration(1549), "1.5 秒");
    assert_eq!(format::duration(61), "61 ミリ秒");
    i18n.set_locale(Locale::en);
    assert_eq!(format::posts(1), "1 post");
    assert_eq!(format::size(999), "999 bytes");
    assert_eq!(format::duration(1549), "1.5 s");
    assert_eq!(format::duration(999), "999 ms");
    assert_eq!(format::duration(1000), "1.0 s");
    assert_eq!(format::duration(0), "0 ms");
}

/// A worker's message says its counts and positions as the page says every number, in the
/// interface's language; its other arguments (a file name, a post's id) stay as written.
#[wasm_bindgen_test]
fn a_message_from_the_worker_groups_its_numbers() {
    executor();
    use permafrost_model::message::Message;
    use permafrost_web::lang::{self, Locale};
    let cut = Message {
        code: "diagnostic.salvaged_in".into(),
        args: vec![
            ("byte".into(), "9214301".into()),
            ("entry".into(), "media_attachments/1234567.png".into()),
            ("kept".into(), "1200".into()),
        ],
        text: String::new(),
    };
    let i18n = lang::i18n();
    i18n.set_locale(Locale::en);
    let said = lang::message(&cut);
    assert!(
        said.starts_with(
            "the file ends early, at byte 9,214,301, inside media_attachments/1234567.png:"
        ),
        "{said}"
    );
    assert!(said.contains("(1,200 of the archive's files"), "{said}");
    i18n.set_locale(Locale::de);
    assert!(
        lang::message(&cut).contains("9.214.301"),
        "{}",
        lang::message(&cut)
    );
    i18n.set_locale(Locale::en);
    // A post's id is an argument too, and never a count.
    let post = Message {
        code: "place.attachment".into(),
        args: vec![
            ("post".into(), "109876543210".into()),
            ("n".into(), "2".into()),
        ],
        text: String::new(),
    };
    let said = lang::message(&post);
    assert!(said.contains("109876543210"), "{said}");
}
