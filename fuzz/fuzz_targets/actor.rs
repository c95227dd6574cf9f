//! actor.json: the profile, its bio and fields as rich text, and the visibility it settles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::{actor, Account};

fuzz_target!(|data: &[u8]| {
    let Ok(actor) = actor::parse(data) else {
        return;
    };
    permafrost_fuzz::rich_text(&actor.bio);
    for field in &actor.fields {
        permafrost_fuzz::rich_text(&field.value);
    }
    let _ = actor::host_of(&actor.id);
    let mut account = Account {
        actor: Some(actor),
        ..Account::default()
    };
    account.resolve_visibility();
});
