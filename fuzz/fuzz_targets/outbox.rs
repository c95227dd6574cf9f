//! outbox.json: the streaming reader, fed in pieces of a size picked from the input's length (so
//! that small inputs cross its buffer boundaries), then visibility, the summary and the index
//! built from what was read. Most items are read where they lie in the reader's buffer
//! (model/outbox.rs, `Scanner::item_in_place`); the same input with every item cut out first
//! must give the same posts and diagnostics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::{outbox, summary::Summary, Account};

fuzz_target!(|data: &[u8]| {
    let step = [usize::MAX, 4093, 61, 1][data.len() % 4];
    let mut account = Account::default();
    let mut calls = 0u32;
    let read = outbox::read_outbox(
        permafrost_fuzz::Chunked::new(data, step),
        "outbox.json",
        &mut account,
        &mut |_, _| calls += 1,
    );
    let mut cut_out = Account::default();
    let read_cut_out = outbox::read_outbox_cut_out(
        permafrost_fuzz::Chunked::new(data, step),
        "outbox.json",
        &mut cut_out,
        &mut |_, _| {},
    );
    assert_eq!(read.is_ok(), read_cut_out.is_ok());
    assert_eq!(
        format!("{:?}", account.posts),
        format!("{:?}", cut_out.posts)
    );
    assert_eq!(
        format!("{:?}", account.diagnostics),
        format!("{:?}", cut_out.diagnostics)
    );
    if read.is_err() {
        return;
    }
    account.resolve_visibility();
    for post in &account.posts {
        permafrost_fuzz::rich_text(&post.content);
    }
    let _ = Summary::of_account(&account, "zip", data.len() as u64);
    let _ = permafrost_index::Index::build(&account);
});
