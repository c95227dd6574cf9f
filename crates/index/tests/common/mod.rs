//! Shared helpers of the integration tests.
#![allow(dead_code, unreachable_pub)]

use permafrost_model::{actor, outbox, Account};

/// The hand-written account of `tests/data/small_outbox.json`.
pub fn small_account() -> Account {
    let mut account = Account::default();
    outbox::read_outbox(
        include_bytes!("../data/small_outbox.json").as_slice(),
        "outbox.json",
        &mut account,
        &mut |_, _| {},
    )
    .expect("small_outbox.json");
    account.actor = Some(actor::Actor {
        id: "https://ex.social/users/me".into(),
        ..actor::Actor::default()
    });
    account
}

/// The real archive of the model crate's tests.
pub fn dealingwith() -> Account {
    let mut account = Account::default();
    outbox::read_outbox(
        include_bytes!("../../../model/tests/data/dealingwith/outbox.json").as_slice(),
        "outbox.json",
        &mut account,
        &mut |_, _| {},
    )
    .expect("dealingwith outbox.json");
    account
}

/// The number N of a post whose id ends in `/statuses/N` (or `/statuses/N/activity`).
pub fn post_number(account: &Account, post: u32) -> u32 {
    let id = &account.posts[post as usize].id;
    let tail = id.split("/statuses/").nth(1).expect("a /statuses/ id");
    tail.split('/')
        .next()
        .unwrap_or("")
        .parse()
        .expect("a number")
}
