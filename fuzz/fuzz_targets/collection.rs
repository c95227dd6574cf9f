//! likes.json, bookmarks.json and other URI lists, added as bookmarks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::{collection, Account};

fuzz_target!(|data: &[u8]| {
    let Ok(uris) = collection::parse_uri_list(data) else {
        return;
    };
    let count = uris.len();
    let mut account = Account::default();
    account.add_bookmarks(uris.clone());
    account.add_bookmarks(uris);
    assert!(account.bookmarks.as_ref().is_some_and(|b| b.len() <= count));
});
