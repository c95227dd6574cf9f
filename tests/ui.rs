//! Components mounted in a real page, checked through their `data-testid`s.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn by_test_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()
        .query_selector(&format!("[data-testid='{id}']"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
}

#[wasm_bindgen_test]
async fn the_welcome_screen_offers_every_way_in() {
    leptos::mount::mount_to_body(permafrost_web::app::App);
    leptos::task::tick().await;
    let privacy = by_test_id("privacy")
        .expect("privacy sentence")
        .text_content()
        .unwrap();
    assert!(privacy.contains("Nothing leaves your device"), "{privacy}");
    assert!(by_test_id("dropzone").is_some());
    let files: web_sys::HtmlInputElement = by_test_id("file-input").unwrap().unchecked_into();
    assert!(files.multiple());
    let folder: web_sys::HtmlInputElement = by_test_id("folder-input").unwrap().unchecked_into();
    assert!(folder.webkitdirectory());
    assert!(by_test_id("sample").is_some());
    // Landmarks.
    assert!(document().query_selector("main#main").unwrap().is_some());
    assert!(document().query_selector("header").unwrap().is_some());
    assert!(document().query_selector("footer").unwrap().is_some());
}

/// The state of the archive's view drawn unseen (src/ui/warm_up.rs) shows the routes it is
/// given, but never writes them to the URL or the history, even once typing pauses.
#[wasm_bindgen_test]
async fn the_unseen_views_routes_never_reach_the_url() {
    use permafrost_web::route::Route;
    let owner = Owner::new();
    let state = owner.with(|| {
        permafrost_web::app::AppState::unseen(permafrost_web::worker_client::WorkerClient::new())
    });
    let url = window().location().href().unwrap();
    let entries = window().history().unwrap().length().unwrap();
    let query = |q: &str| Route {
        query: q.into(),
        ..Route::default()
    };
    state.navigate(query("coffee"), true);
    assert_eq!(state.route.get_untracked().query, "coffee");
    state.navigate_typed(query("tea"), false);
    assert_eq!(state.route.get_untracked().query, "tea");
    // A typed query would be written once typing pauses for 300 ms.
    permafrost_web::files::sleep(500).await;
    assert_eq!(window().location().href().unwrap(), url);
    assert_eq!(window().history().unwrap().length().unwrap(), entries);
    assert!(state.is_unseen());
}
