//! The parsers on real exports (see tests/data/README.md for where each file comes from).

use permafrost_model::{actor, collection, outbox, Account, DiagnosticKind, PostKind, Visibility};

fn dealingwith() -> Account {
    let mut account = Account {
        actor: Some(
            actor::parse(include_bytes!("data/dealingwith/actor.json")).expect("actor.json"),
        ),
        ..Account::default()
    };
    outbox::read_outbox(
        &include_bytes!("data/dealingwith/outbox.json")[..],
        "outbox.json",
        &mut account,
        &mut |_, _| {},
    )
    .expect("outbox.json");
    account
}

#[test]
fn mastodon_4_2_10_counts() {
    let account = dealingwith();
    assert_eq!(account.posts.len(), 1586);
    let boosts = account
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Boost)
        .count();
    assert_eq!(boosts, 326);
    let originals: Vec<_> = account
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Original)
        .collect();
    let count = |v: Visibility| originals.iter().filter(|p| p.visibility == v).count();
    assert_eq!(count(Visibility::Direct), 35);
    assert_eq!(count(Visibility::Private), 40);
    assert_eq!(
        count(Visibility::Public) + count(Visibility::Unlisted) + 75,
        originals.len()
    );
    // The doubled "orderedItems" key: the first is empty, so nothing is dropped. It is a note
    // naming the known slip, not a "duplicate" with "0 items dropped".
    assert!(account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Note && d.message.contains("4.2.10")));
    assert!(!account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Duplicate));
    // totalItems (1557) disagrees with the 1586 items, and says so.
    assert!(account
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagnosticKind::Note && d.message.contains("1557")));
    assert!(
        !account
            .diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::BadItem),
        "{:?}",
        account.diagnostics
    );
}

#[test]
fn posts_carry_their_details() {
    let account = dealingwith();
    let first = &account.posts[0];
    assert!(first.published.is_some());
    assert!(first
        .id
        .starts_with("https://indieweb.social/users/dealingwith/statuses/"));
    assert!(!first.id.ends_with("/activity"));
    let with_media = account
        .posts
        .iter()
        .filter(|p| !p.attachments.is_empty())
        .count();
    assert!(with_media > 0);
    assert!(account
        .posts
        .iter()
        .flat_map(|p| &p.attachments)
        .any(|a| a.url.starts_with("/indiewebsocial/media_attachments/")));
    assert!(account
        .posts
        .iter()
        .flat_map(|p| &p.attachments)
        .any(|a| a.focal_point.is_some()));
    assert!(account.posts.iter().any(|p| p.updated.is_some()));
    // Every boost points at the boosted post.
    assert!(account
        .posts
        .iter()
        .filter(|p| p.kind == PostKind::Boost)
        .all(|p| p.boost_of.is_some()));
    // Offsets point at the item's JSON.
    let raw = include_bytes!("data/dealingwith/outbox.json");
    let p = &account.posts[10];
    let slice = &raw[p.source_offset as usize..p.source_offset as usize + p.source_len as usize];
    let v: serde_json::Value = serde_json::from_slice(slice).expect("item JSON");
    assert_eq!(
        v["object"]["id"]
            .as_str()
            .or(v["id"].as_str())
            .map(|s| s.trim_end_matches("/activity")),
        Some(p.id.trim_end_matches("/activity"))
    );
}

#[test]
fn cut_files_keep_what_came_before() {
    let raw = include_bytes!("data/dealingwith/outbox.json");
    for cut in [raw.len() / 3, raw.len() / 2, raw.len() - 10] {
        let mut account = Account::default();
        outbox::read_outbox(&raw[..cut], "outbox.json", &mut account, &mut |_, _| {})
            .expect("partial outbox");
        assert!(!account.posts.is_empty());
        assert!(
            account
                .diagnostics
                .iter()
                .any(|d| d.kind == DiagnosticKind::Truncated),
            "cut at {cut}"
        );
    }
    let mut account = Account::default();
    let err =
        outbox::read_outbox(&raw[..40], "outbox.json", &mut account, &mut |_, _| {}).unwrap_err();
    assert!(
        err.to_string().contains("download the archive again"),
        "{err}"
    );
}

#[test]
fn likes_and_bookmarks() {
    let likes =
        collection::parse_uri_list(include_bytes!("data/dealingwith/likes.json")).expect("likes");
    let bookmarks = collection::parse_uri_list(include_bytes!("data/dealingwith/bookmarks.json"))
        .expect("bookmarks");
    let count = |raw: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(raw).expect("json")["orderedItems"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(
        likes.len(),
        count(include_bytes!("data/dealingwith/likes.json"))
    );
    assert_eq!(
        bookmarks.len(),
        count(include_bytes!("data/dealingwith/bookmarks.json"))
    );
    assert!(!likes.is_empty());
}
