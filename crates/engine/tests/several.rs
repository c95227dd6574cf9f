//! Several archives opened together: archives of different accounts add up, the same archive
//! twice counts once, overlapping exports of one account merge, and CSV exports go to the
//! account they belong to (or are held until someone says whose they are).

use permafrost_engine::{load, summarize, Input, Loaded, Summary};
use permafrost_synth::{csv_exports, write_archive, Container, Expected, Options};
use std::io::Cursor;

fn options(handle: &str, posts: usize, seed: u64, container: Container) -> Options {
    Options {
        posts,
        seed,
        container,
        handle: handle.to_string(),
        ..Options::default()
    }
}

fn archive(opts: &Options) -> (Vec<u8>, Expected) {
    let mut bytes = Cursor::new(Vec::new());
    let expected = write_archive(opts, &mut bytes).expect("synth");
    (bytes.into_inner(), expected)
}

fn open(inputs: Vec<(&str, Vec<u8>)>) -> Loaded<Cursor<Vec<u8>>> {
    let inputs = inputs
        .into_iter()
        .map(|(n, b)| Input::new(n, Cursor::new(b)))
        .collect();
    load(inputs, &mut |_| {}).expect("load")
}

fn alice() -> Options {
    options("alice@example.social", 300, 1, Container::Zip)
}

fn bob() -> Options {
    options("bob@other.example", 200, 2, Container::TarGz)
}

#[test]
fn two_accounts_add_up_and_keep_their_own_figures() {
    let (a, ea) = archive(&alice());
    let (b, eb) = archive(&bob());
    let one_a = summarize(&open(vec![("a.zip", a.clone())]));
    let one_b = summarize(&open(vec![("b.tar.gz", b.clone())]));
    let loaded = open(vec![("a.zip", a), ("b.tar.gz", b)]);
    let s = summarize(&loaded);
    assert_eq!(s.posts, ea.posts + eb.posts);
    assert_eq!(s.originals, ea.originals + eb.originals);
    assert_eq!(s.boosts, ea.boosts + eb.boosts);
    assert_eq!(s.with_media, ea.with_media + eb.with_media);
    assert_eq!(s.media.present, ea.media.present + eb.media.present);
    assert_eq!(s.duplicates_merged, 0);
    assert_eq!(s.format, "zip+tar.gz");
    assert_eq!(s.accounts.len(), 2);
    // Each account's own figures are what opening it alone gives.
    let strip = |s: &Summary| Summary {
        format: String::new(),
        diagnostics: Vec::new(),
        diagnostic_counts: Default::default(),
        accounts: Vec::new(),
        ..s.clone()
    };
    assert_eq!(strip(&s.accounts[0]), strip(&one_a));
    assert_eq!(strip(&s.accounts[1]), strip(&one_b));
    assert_eq!(
        s.accounts[0].account.handle.as_deref(),
        Some("alice@example.social")
    );
    assert_eq!(
        s.accounts[1].account.handle.as_deref(),
        Some("bob@other.example")
    );
    // Whose each post is.
    let owners = &loaded.account.owners;
    assert_eq!(
        owners.names,
        vec![
            Box::from("alice@example.social"),
            Box::from("bob@other.example")
        ]
    );
    assert_eq!(owners.of_post.len(), s.posts);
    assert_eq!(owners.of_post.iter().filter(|&&o| o == 0).count(), ea.posts);
    assert_eq!(owners.of_post.iter().filter(|&&o| o == 1).count(), eb.posts);
    assert_eq!(loaded.accounts.len(), 2);
    assert_eq!(loaded.archives.len(), 2);
    assert_eq!(
        loaded.account.actor.as_ref().map(|a| a.handle.as_str()),
        Some("alice@example.social")
    );
    assert_eq!(
        loaded.accounts[1].actor.as_ref().map(|a| a.handle.as_str()),
        Some("bob@other.example")
    );
}

#[test]
fn media_and_raw_json_come_from_each_posts_own_archive() {
    let (a, _) = archive(&alice());
    let (b, _) = archive(&bob());
    let mut loaded = open(vec![("a.zip", a), ("b.tar.gz", b)]);
    let n = loaded.account.posts.len();
    let mut media = 0;
    for post in 0..n as u32 {
        let raw = loaded.raw_item(post).expect("raw");
        let id = loaded.account.posts[post as usize].id.clone();
        let value: serde_json::Value = serde_json::from_str(&raw).expect("item JSON");
        let item_id = value["id"].as_str().unwrap_or("");
        let object_id = value["object"]["id"].as_str().unwrap_or("");
        assert!(
            item_id == &*id || object_id == &*id,
            "post {post}: {id} read back as {item_id}"
        );
        let attachments = loaded.account.posts[post as usize].attachments.len();
        for at in 0..attachments {
            if loaded.account.posts[post as usize].attachments[at]
                .entry
                .is_some()
            {
                let bytes = loaded.read_media(post, at, 1 << 20).expect("media");
                assert!(bytes.is_some_and(|b| !b.is_empty()));
                media += 1;
            }
        }
    }
    assert!(media > 10, "{media} media read");
    // In one pass, in any order: every item comes back as its own.
    let posts: Vec<u32> = (0..n as u32).rev().collect();
    let mut seen = 0;
    let ids: Vec<Box<str>> = loaded.account.posts.iter().map(|p| p.id.clone()).collect();
    loaded
        .raw_items(&posts, &mut |post, bytes| {
            let text = String::from_utf8_lossy(bytes);
            assert!(text.contains(&*ids[post as usize]), "post {post}");
            seen += 1;
            true
        })
        .expect("raw items");
    assert_eq!(seen, n);
    // The avatars: each account's own.
    for account in loaded.accounts.clone() {
        let entry = account.avatar_entry.expect("avatar");
        assert!(!loaded
            .read_entry(entry, 1 << 20)
            .expect("avatar")
            .is_empty());
    }
}

#[test]
fn the_same_archive_twice_counts_once() {
    let (a, ea) = archive(&alice());
    let loaded = open(vec![("a.zip", a.clone()), ("a (1).zip", a)]);
    let s = summarize(&loaded);
    assert_eq!(s.posts, ea.posts);
    assert_eq!(s.originals, ea.originals);
    assert_eq!(s.duplicates_merged, ea.posts);
    assert!(s.accounts.is_empty(), "one account");
    assert_eq!(loaded.archives.len(), 2);
    assert_eq!(loaded.archives[1].duplicates, ea.posts);
    assert_eq!(loaded.archives[1].posts, 0);
    assert!(loaded.account.owners.of_post.is_empty());
    assert!(s
        .diagnostics
        .iter()
        .any(|d| d.message.contains("in more than one archive")));
}

/// A file of a generated ZIP.
fn unzip(zip_bytes: &[u8], name: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("zip");
    let mut f = z.by_name(name).expect(name);
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut out).expect("read");
    out
}

/// outbox.json with only the items `from..to` of `outbox`.
fn slice_outbox(outbox: &[u8], from: usize, to: usize) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(outbox).expect("outbox");
    let items = v["orderedItems"].as_array().expect("items").clone();
    let part: Vec<serde_json::Value> = items[from..to.min(items.len())].to_vec();
    v["totalItems"] = part.len().into();
    v["orderedItems"] = part.into();
    serde_json::to_vec(&v).expect("json")
}

#[test]
fn overlapping_exports_of_one_account_merge() {
    // The same account exported twice (two extracted folders): the later export holds some of
    // the earlier one's posts and newer ones.
    let (a, ea) = archive(&alice());
    let outbox = unzip(&a, "outbox.json");
    let actor = unzip(&a, "actor.json");
    let loaded = open(vec![
        ("early/outbox.json", slice_outbox(&outbox, 0, 200)),
        ("early/actor.json", actor.clone()),
        ("late/outbox.json", slice_outbox(&outbox, 120, 300)),
        ("late/actor.json", actor),
    ]);
    let s = summarize(&loaded);
    assert_eq!(ea.posts, 300);
    assert_eq!(s.posts, 300);
    assert_eq!(s.duplicates_merged, 80);
    assert!(s.accounts.is_empty(), "one account");
    assert_eq!(s.format, "folder");
    assert_eq!(loaded.archives.len(), 2);
    assert_eq!(loaded.archives[1].posts, 100);
    let ids: std::collections::HashSet<&str> =
        loaded.account.posts.iter().map(|p| &*p.id).collect();
    assert_eq!(ids.len(), 300, "no post twice");
    // The whole archive's figures, as if it had been given once.
    let whole = summarize(&open(vec![("a.zip", a)]));
    assert_eq!(s.originals, whole.originals);
    assert_eq!(s.boosts, whole.boosts);
    assert_eq!(s.visibility, whole.visibility);
    assert_eq!(s.self_replies, whole.self_replies);
}

#[test]
fn csv_exports_go_to_their_account_or_are_held() {
    let (a, ea) = archive(&alice());
    let (b, eb) = archive(&bob());
    let csv_a = csv_exports(&alice());
    let csv_b = csv_exports(&bob());
    let following = |csvs: &[(&str, Vec<u8>)]| {
        csvs.iter()
            .find(|(n, _)| *n == "following_accounts.csv")
            .expect("following")
            .1
            .clone()
    };
    let bookmarks = |csvs: &[(&str, Vec<u8>)]| {
        csvs.iter()
            .find(|(n, _)| *n == "bookmarks.csv")
            .expect("bookmarks")
            .1
            .clone()
    };
    let mut loaded = open(vec![
        ("a.zip", a),
        ("b.tar.gz", b),
        // By its name: the user name as a word, or the whole handle.
        ("alice-following_accounts.csv", following(&csv_a)),
        (
            "bob@other.example following_accounts.csv",
            following(&csv_b),
        ),
        // By its rows: bookmarks of one account only.
        ("bookmarks.csv", bookmarks(&csv_b)),
        // Nothing tells: held.
        (
            "muted_accounts.csv",
            b"Account address,Hide notifications\nx@y.z,true\n".to_vec(),
        ),
    ]);
    let s = summarize(&loaded);
    assert_eq!(s.accounts[0].following, Some(ea.following));
    assert_eq!(s.accounts[1].following, Some(eb.following));
    assert_eq!(s.following, Some(ea.following + eb.following));
    assert_eq!(s.accounts[1].bookmarks, Some(eb.bookmarks));
    assert_eq!(s.accounts[0].mutes, None);
    assert_eq!(s.accounts[1].mutes, None);
    assert_eq!(
        loaded.unattributed(),
        vec!["muted_accounts.csv".to_string()]
    );
    let held = s
        .diagnostics
        .iter()
        .find(|d| d.location == "muted_accounts.csv")
        .expect("a diagnostic says why it was not read");
    assert!(
        held.message.contains("alice@example.social"),
        "{}",
        held.message
    );
    // Told whose it is, it is read as that account's.
    let read = loaded
        .attribute("muted_accounts.csv", 1)
        .expect("attributed");
    assert_eq!(read.rows, 1);
    let s = summarize(&loaded);
    assert_eq!(s.accounts[1].mutes, Some(1));
    assert_eq!(s.mutes, Some(1));
    assert!(loaded.unattributed().is_empty());
    // A file added later follows the same rule.
    let added = loaded.add_files(vec![Input::new(
        "blocked_accounts.csv",
        Cursor::new(b"q@r.s\n".to_vec()),
    )]);
    assert!(added[0].outcome.is_err());
    assert_eq!(
        loaded.unattributed(),
        vec!["blocked_accounts.csv".to_string()]
    );
    let added = loaded.add_files(vec![Input::new(
        "alice_blocked_accounts.csv",
        Cursor::new(b"q@r.s\n".to_vec()),
    )]);
    assert!(added[0].outcome.is_ok());
    assert_eq!(summarize(&loaded).accounts[0].blocks, Some(1));
}

#[test]
fn one_archive_is_read_as_before() {
    let (a, ea) = archive(&alice());
    let loaded = open(vec![("a.zip", a)]);
    let s = summarize(&loaded);
    assert_eq!(s.posts, ea.posts);
    assert!(loaded.archives.is_empty() && loaded.accounts.is_empty());
    assert!(loaded.account.owners.names.is_empty());
    assert!(s.accounts.is_empty());
    assert_eq!(s.duplicates_merged, 0);
    assert_eq!(s.format, "zip");
}

#[test]
fn an_archive_that_fails_leaves_the_others_open() {
    let (a, ea) = archive(&alice());
    let loaded = open(vec![
        ("a.zip", a),
        ("broken.zip", b"PK\x03\x04 not really".to_vec()),
    ]);
    let s = summarize(&loaded);
    assert_eq!(s.posts, ea.posts);
    assert!(s.diagnostics.iter().any(|d| d.location == "broken.zip"));
}

/// A memory budget for outbox.json (the browser's worker) is for all the archives together.
#[test]
fn the_outbox_budget_is_shared_by_the_archives() {
    struct Budget(u64);
    impl permafrost_engine::Observer for Budget {
        fn progress(&mut self, _: &permafrost_engine::Progress) {}
        fn outbox_budget(&self) -> Option<u64> {
            Some(self.0)
        }
    }
    let (a, ea) = archive(&alice());
    let (b, eb) = archive(&bob());
    let first = open(vec![("a.zip", a.clone())]).outbox_bytes;
    let inputs = vec![
        Input::new("a.zip", Cursor::new(a)),
        Input::new("b.tar.gz", Cursor::new(b)),
    ];
    let loaded =
        permafrost_engine::load_observed(inputs, &mut Budget(first + 20_000)).expect("load");
    let s = summarize(&loaded);
    assert!(
        s.posts >= ea.posts && s.posts < ea.posts + eb.posts,
        "{} posts",
        s.posts
    );
    assert!(
        s.diagnostics
            .iter()
            .any(|d| d.message.contains("this browser tab can hold")),
        "{:?}",
        s.diagnostics
    );
}

/// outbox.json with a broken item (not a post) in front of the others.
fn with_bad_item(outbox: &[u8]) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(outbox).expect("outbox");
    let items = v["orderedItems"].as_array_mut().expect("items");
    items.insert(0, serde_json::json!({"type": "Create", "id": "x"}));
    serde_json::to_vec(&v).expect("json")
}

/// A problem in one of several archives says which archive it is in (two archives may both
/// have an outbox.json item 1); with one archive, places are as they were.
#[test]
fn diagnostics_name_their_archive() {
    let (a, _) = archive(&alice());
    let (b, _) = archive(&options("bob@other.example", 50, 2, Container::Zip));
    let b_outbox = with_bad_item(&unzip(&b, "outbox.json"));
    let b_actor = unzip(&b, "actor.json");
    let loaded = open(vec![
        ("alice.zip", a),
        ("bob/outbox.json", b_outbox.clone()),
        ("bob/actor.json", b_actor.clone()),
    ]);
    let bad: Vec<_> = loaded
        .account
        .diagnostics
        .iter()
        .filter(|d| d.kind == permafrost_model::DiagnosticKind::BadItem)
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].place.code, "place.in_archive");
    assert_eq!(bad[0].place.arg("archive"), Some("bob"));
    // The place within the archive is still said by its own code, for the page to translate.
    assert_eq!(bad[0].place.arg("place_code"), Some("place.item"));
    assert!(
        bad[0].location.starts_with("bob/outbox.json item 1")
            && bad[0].location.ends_with(" in bob"),
        "{}",
        bad[0].location
    );
    // Alone, the same archive's problem is where it was.
    let alone = open(vec![
        ("bob/outbox.json", b_outbox),
        ("bob/actor.json", b_actor),
    ]);
    let d = alone
        .account
        .diagnostics
        .iter()
        .find(|d| d.kind == permafrost_model::DiagnosticKind::BadItem)
        .expect("bad item");
    assert_eq!(d.place.code, "place.item");
}

/// Several archives opened together make one progress bar: the bytes of all their outbox.json
/// files, never going back, and posts counted across them.
#[test]
fn progress_is_one_bar_over_every_archive() {
    let (a, ea) = archive(&alice());
    let (b, eb) = archive(&bob());
    let size_a = open(vec![("a.zip", a.clone())]).outbox_bytes;
    let size_b = open(vec![("b.tar.gz", b.clone())]).outbox_bytes;
    let inputs = vec![
        Input::new("a.zip", Cursor::new(a)),
        Input::new("b.tar.gz", Cursor::new(b)),
    ];
    let mut seen: Vec<permafrost_engine::Progress> = Vec::new();
    load(inputs, &mut |p| seen.push(*p)).expect("load");
    let with_total: Vec<_> = seen.iter().filter(|p| p.total.is_some()).collect();
    assert!(with_total.len() >= 3, "{seen:?}");
    for p in &with_total {
        assert_eq!(p.total, Some(size_a + size_b), "{p:?}");
    }
    for pair in with_total.windows(2) {
        assert!(pair[1].done >= pair[0].done, "the bar went back: {pair:?}");
        assert!(pair[1].posts >= pair[0].posts, "posts went back: {pair:?}");
    }
    // The first archive's end is a point on the way, not the end.
    assert!(
        with_total
            .iter()
            .any(|p| p.stage == permafrost_engine::Stage::Parsing
                && p.done == size_a
                && p.posts == ea.posts),
        "{seen:?}"
    );
    let last = seen.last().expect("progress");
    assert_eq!(last.stage, permafrost_engine::Stage::Finishing);
    assert_eq!(last.done, size_a + size_b);
    assert_eq!(last.posts, ea.posts + eb.posts);
    // Only the last archive's end is the end.
    let finishing = seen
        .iter()
        .filter(|p| p.stage == permafrost_engine::Stage::Finishing)
        .count();
    assert_eq!(finishing, 1, "{seen:?}");
}

/// The ZIPs given as one, each in a folder of its own (what an export of several accounts is).
/// `renames` (from, to) are applied to entry names and to outbox.json's text.
fn zip_of_folders(zips: &[(&str, &[u8])], renames: &[(String, String)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let rename = |text: &str| {
        renames.iter().fold(text.to_string(), |t, (from, to)| {
            t.replace(from.as_str(), to)
        })
    };
    for (folder, bytes) in zips {
        let mut z = zip::ZipArchive::new(Cursor::new(*bytes)).expect("zip");
        for i in 0..z.len() {
            let mut f = z.by_index(i).expect("entry");
            if f.is_dir() {
                continue;
            }
            let name = format!("{folder}/{}", rename(&f.name().expect("name")));
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).expect("read");
            if name.ends_with("outbox.json") {
                data = rename(&String::from_utf8(data).expect("utf-8")).into_bytes();
            }
            out.start_file(name, options).expect("start");
            std::io::Write::write_all(&mut out, &data).expect("write");
        }
    }
    out.finish().expect("finish").into_inner()
}

/// An attachment URL's path in an archive (`media_attachments/…`).
fn media_path(url: &str) -> String {
    url.find("media_attachments/")
        .map_or(url, |at| &url[at..])
        .to_string()
}

/// One archive holding an archive per folder (an export of several accounts) opens as those
/// archives: each account its own, each post's media from its own folder even where two
/// folders have a file of the same name.
#[test]
fn one_archive_of_several_accounts_folders_is_read_as_several_archives() {
    // The same seed: the two archives' media have the same paths, with different bytes.
    let (a, ea) = archive(&options("alice@example.social", 120, 7, Container::Zip));
    let (b, eb) = archive(&options("bob@other.example", 80, 7, Container::Zip));
    // Some of bob's media are given the paths of some of alice's (other bytes, the same name).
    let media = |zip_bytes: &[u8]| -> Vec<String> {
        let z = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("zip");
        let mut names: Vec<String> = z
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .filter(|n| n.starts_with("media_attachments/"))
            .collect();
        names.sort();
        names
    };
    let renames: Vec<(String, String)> = media(&b).into_iter().zip(media(&a)).take(5).collect();
    assert_eq!(renames.len(), 5);
    let b = zip_of_folders(&[("", &b)], &renames);
    let b = {
        // Back to a plain archive (no folder) for opening alone.
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let mut z = zip::ZipArchive::new(Cursor::new(b)).expect("zip");
        for i in 0..z.len() {
            let mut f = z.by_index(i).expect("entry");
            let name = f.name().expect("name").trim_start_matches('/').to_string();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut data).expect("read");
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            std::io::Write::write_all(&mut out, &data).expect("write");
        }
        out.finish().expect("finish").into_inner()
    };
    let both = zip_of_folders(&[("alice", &a), ("bob", &b)], &[]);
    let mut loaded = open(vec![("export.zip", both)]);
    let s = summarize(&loaded);
    assert_eq!(s.posts, ea.posts + eb.posts);
    assert_eq!(s.accounts.len(), 2);
    assert_eq!(s.media.present, ea.media.present + eb.media.present);
    assert_eq!(s.media.missing, ea.media.missing + eb.media.missing);
    let names: Vec<&str> = loaded.archives.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["export.zip/alice", "export.zip/bob"]);
    // Each post's media and JSON from its own folder.
    let mut alone_a = open(vec![("a.zip", a)]);
    let mut alone_b = open(vec![("b.zip", b)]);
    let urls = |l: &Loaded<Cursor<Vec<u8>>>| -> std::collections::HashSet<String> {
        l.account
            .posts
            .iter()
            .flat_map(|p| p.attachments.iter().map(|x| media_path(&x.url)))
            .collect()
    };
    let (urls_a, urls_b) = (urls(&alone_a), urls(&alone_b));
    let mut checked = 0;
    let mut same_path_differs = 0;
    for post in 0..loaded.account.posts.len() as u32 {
        let owner = loaded.account.owners.of(post);
        let id = loaded.account.posts[post as usize].id.clone();
        let alone = if owner == 0 {
            &mut alone_a
        } else {
            &mut alone_b
        };
        let Some(there) = alone.account.posts.iter().position(|p| p.id == id) else {
            panic!("{id} not in its own archive")
        };
        assert_eq!(
            loaded.raw_item(post).expect("raw"),
            alone.raw_item(there as u32).expect("raw")
        );
        for at in 0..loaded.account.posts[post as usize].attachments.len() {
            let here = loaded.read_media(post, at, 1 << 30).expect("media");
            let own = alone.read_media(there as u32, at, 1 << 30).expect("media");
            assert_eq!(here, own, "{id} attachment {at}");
            if here.is_some() {
                checked += 1;
                let path = media_path(&loaded.account.posts[post as usize].attachments[at].url);
                let other = if owner == 0 { &urls_b } else { &urls_a };
                if other.contains(&path) {
                    same_path_differs += 1;
                }
            }
        }
    }
    assert!(checked > 10, "{checked} media compared");
    assert!(
        same_path_differs > 0,
        "the test needs media of the same path in both"
    );
}
