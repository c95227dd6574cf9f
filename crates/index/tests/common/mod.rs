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

/// A synthetic archive of `posts` items: the account, the generator's true counts and the size of
/// its outbox.json.
pub fn synth_account(posts: usize, seed: u64) -> (Account, permafrost_synth::Expected, u64) {
    use std::io::{Cursor, Read};
    let opts = permafrost_synth::Options {
        posts,
        seed,
        media_bytes: 0,
        ..permafrost_synth::Options::default()
    };
    let mut zip = Cursor::new(Vec::new());
    let expected = permafrost_synth::write_archive(&opts, &mut zip).expect("synth archive");
    let mut archive = zip::ZipArchive::new(Cursor::new(zip.into_inner())).expect("zip");
    let mut outbox = Vec::new();
    archive
        .by_name("outbox.json")
        .expect("outbox.json entry")
        .read_to_end(&mut outbox)
        .expect("read outbox.json");
    let mut account = Account::default();
    outbox::read_outbox(
        outbox.as_slice(),
        "outbox.json",
        &mut account,
        &mut |_, _| {},
    )
    .expect("parse outbox.json");
    if let Ok(mut actor_json) = archive.by_name("actor.json") {
        let mut bytes = Vec::new();
        if actor_json.read_to_end(&mut bytes).is_ok() {
            account.actor = actor::parse(&bytes).ok();
            account.resolve_visibility();
        }
    }
    (account, expected, outbox.len() as u64)
}
