//! What needs the browser's `Intl`: numbers and dates in the user's locale and time zone.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
