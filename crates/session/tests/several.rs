//! Several archives opened in one session: the page's view of them (accounts, the `account:`
//! facet and filter, completion), exports over all of them, profile images of each account, and
//! a CSV export attributed when the page says whose it is.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{
    ExportFormat, ExportOptions, MediaRef, Opened, RequestBody, ResponseBody, Selection, Sort,
};
use permafrost_session::{Answer, Session};
use permafrost_synth::{write_archive, Container, Expected, Options};
use std::cell::Cell;
use std::io::Cursor;
use std::rc::Rc;

type Source = Cursor<Vec<u8>>;

fn ticking() -> Box<dyn Fn() -> f64> {
    let t = Rc::new(Cell::new(0.0));
    Box::new(move || {
        t.set(t.get() + 7.0);
        t.get()
    })
}

fn archive(handle: &str, posts: usize, seed: u64, container: Container) -> (Vec<u8>, Expected) {
    let opts = Options {
        posts,
        seed,
        container,
        handle: handle.into(),
        ..Options::default()
    };
    let mut bytes = Cursor::new(Vec::new());
    let expected = write_archive(&opts, &mut bytes).unwrap();
    (bytes.into_inner(), expected)
}

fn open(inputs: Vec<(&str, Vec<u8>)>) -> (Session<Source>, Opened) {
    let inputs = inputs
        .into_iter()
        .map(|(n, b)| Input::new(n, Cursor::new(b)))
        .collect();
    Session::open(inputs, &mut |_| {}, ticking()).unwrap()
}

fn two() -> (Session<Source>, Opened, Expected, Expected) {
    let (a, ea) = archive("alice@example.social", 250, 3, Container::Zip);
    let (b, eb) = archive("bob@other.example", 150, 4, Container::TarGz);
    let (s, opened) = open(vec![
        ("alice.zip", a),
        ("bob.tar.gz", b),
        ("lists.csv", b"Friends,x@y.z\n".to_vec()),
    ]);
    (s, opened, ea, eb)
}

#[test]
fn the_page_sees_each_account_and_can_narrow_to_one() {
    let (mut s, opened, ea, eb) = two();
    assert_eq!(opened.summary.posts, ea.posts + eb.posts);
    assert_eq!(opened.summary.accounts.len(), 2);
    let names: Vec<&str> = opened.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["alice@example.social", "bob@other.example"]);
    assert_eq!(opened.accounts[0].posts as usize, ea.posts);
    assert_eq!(opened.accounts[1].posts as usize, eb.posts);
    assert_eq!(opened.accounts[1].archives, ["bob.tar.gz"]);
    assert!(opened.accounts.iter().all(|a| a.has_avatar));
    // The search box completes `account:` with the accounts open.
    let filter = opened.filters.iter().find(|f| f.key == "account").unwrap();
    assert_eq!(filter.values, names);
    // Nothing tells whose lists.csv is.
    assert_eq!(opened.unattributed, ["lists.csv"]);

    let all = s.search(1, "", Sort::Newest, "UTC", 10);
    assert_eq!(all.total as usize, ea.posts + eb.posts);
    let group = all.facets.iter().find(|g| g.key == "account").unwrap();
    let values: Vec<(&str, &str, u32)> = group
        .values
        .iter()
        .map(|v| (v.label.as_str(), v.term.as_str(), v.count))
        .collect();
    assert_eq!(
        values,
        [
            (
                "@alice@example.social",
                "account:alice@example.social",
                ea.posts as u32
            ),
            (
                "@bob@other.example",
                "account:bob@other.example",
                eb.posts as u32
            ),
        ]
    );
    assert_eq!(
        all.facets[0].key, "account",
        "the account facet comes first"
    );
    let bob = s.search(2, "account:bob", Sort::Newest, "UTC", 10);
    assert_eq!(bob.total as usize, eb.posts);
    let bob_originals = s.search(3, "account:bob is:original", Sort::Newest, "UTC", 10);
    assert_eq!(bob_originals.total as usize, eb.originals);
    let group = bob.facets.iter().find(|g| g.key == "account").unwrap();
    assert_eq!(group.values.len(), 1);
}

#[test]
fn each_accounts_profile_images_are_its_own() {
    let (mut s, _, _, _) = two();
    let mut get = |media| match s.answer(1, RequestBody::GetMedia { media }) {
        Answer::WithBytes { bytes, .. } => Some(bytes),
        _ => None,
    };
    let a = get(MediaRef::AccountAvatar { account: 0 }).unwrap();
    let b = get(MediaRef::AccountAvatar { account: 1 }).unwrap();
    assert_eq!(
        get(MediaRef::Avatar).unwrap(),
        a,
        "the first account's is the avatar"
    );
    assert!(get(MediaRef::AccountHeader { account: 1 }).is_some());
    assert!(get(MediaRef::AccountAvatar { account: 2 }).is_none());
    assert!(!b.is_empty());
}

#[test]
fn a_held_csv_export_is_read_when_the_page_says_whose_it_is() {
    let (mut s, _, _, _) = two();
    let body = RequestBody::Attribute {
        file: "lists.csv".into(),
        account: 1,
    };
    let Answer::Body(ResponseBody::Added(added)) = s.answer(1, body) else {
        panic!("no answer")
    };
    assert!(added.unattributed.is_empty());
    assert_eq!(added.files[0].rows, 1);
    assert_eq!(
        added.summary.accounts[1].lists.as_ref().unwrap()["Friends"],
        1
    );
    assert!(added.summary.accounts[0].lists.is_none());
    // Asked again: nothing is waiting any more.
    let body = RequestBody::Attribute {
        file: "lists.csv".into(),
        account: 0,
    };
    assert!(matches!(
        s.answer(2, body),
        Answer::Body(ResponseBody::Error { .. })
    ));
}

/// Runs an export to the end and returns its bytes.
fn export(s: &mut Session<Source>, query: &str, format: ExportFormat) -> Vec<u8> {
    let selection = Selection::Query {
        query: query.into(),
        sort: Sort::Newest,
        time_zone: "UTC".into(),
        as_typed: false,
    };
    let options = ExportOptions {
        format,
        time_zone: "UTC".into(),
        ..Default::default()
    };
    assert_eq!(
        s.answer(2, RequestBody::Export { selection, options }),
        Answer::Later
    );
    let mut bytes = Vec::new();
    for _ in 0..1_000_000 {
        s.step_export();
        for (_, answer) in s.take_events() {
            match answer {
                Answer::WithBytes {
                    body: ResponseBody::ExportPart,
                    bytes: part,
                } => bytes.extend_from_slice(&part),
                Answer::Body(ResponseBody::Exported(_)) => return bytes,
                Answer::Body(ResponseBody::ExportProgress { .. }) => {}
                other => panic!("unexpected event {other:?}"),
            }
        }
    }
    panic!("the export never ended")
}

#[test]
fn exports_cover_every_archive_and_open_again() {
    let (mut s, _, ea, eb) = two();
    for format in [ExportFormat::Json, ExportFormat::Zip] {
        let bytes = export(&mut s, "", format);
        let name = if format == ExportFormat::Json {
            "outbox.json"
        } else {
            "export.zip"
        };
        let (mut again, opened) = open(vec![(name, bytes)]);
        assert_eq!(opened.summary.posts, ea.posts + eb.posts, "{format:?}");
        assert_eq!(
            opened.summary.originals,
            ea.originals + eb.originals,
            "{format:?}"
        );
        assert_eq!(
            again.search(1, "", Sort::Newest, "UTC", 1).total as usize,
            ea.posts + eb.posts
        );
    }
    // One account's posts only.
    let bytes = export(&mut s, "account:alice", ExportFormat::Json);
    let (_, opened) = open(vec![("outbox.json", bytes)]);
    assert_eq!(opened.summary.posts, ea.posts);
}

#[test]
fn the_same_archive_twice_is_one_archive() {
    let (a, ea) = archive("alice@example.social", 250, 3, Container::Zip);
    let (mut s, opened) = open(vec![("a.zip", a.clone()), ("a (1).zip", a)]);
    assert_eq!(opened.summary.posts, ea.posts);
    assert_eq!(opened.summary.duplicates_merged, ea.posts);
    assert!(opened.accounts.is_empty());
    assert_eq!(
        s.search(1, "", Sort::Newest, "UTC", 1).total as usize,
        ea.posts
    );
    let all = s.search(2, "", Sort::Newest, "UTC", 1);
    assert!(all.facets.iter().all(|g| g.key != "account"));
}

/// With several accounts open, each post the page gets says whose it is (an index in
/// `Opened::accounts`, which names it); with one account, posts say nothing of it.
#[test]
fn each_post_says_whose_it_is() {
    let (mut s, opened, ea, eb) = two();
    let all = s.search(1, "", Sort::Oldest, "UTC", 0);
    let posts = s.posts(0, all.total);
    assert_eq!(posts.len(), ea.posts + eb.posts);
    let of = |i: u32| posts.iter().filter(|p| p.account == Some(i)).count();
    assert_eq!(of(0), ea.posts);
    assert_eq!(of(1), eb.posts);
    // The same in one account's posts: each says it is bob's, and bob is account 1.
    let bob = s.search(2, "account:bob", Sort::Newest, "UTC", 5);
    assert_eq!(opened.accounts[1].name, "bob@other.example");
    assert!(bob.posts.iter().all(|p| p.account == Some(1)));
    assert!(!bob.posts.is_empty());

    let (a, _) = archive("alice@example.social", 20, 3, Container::Zip);
    let (mut one, _) = open(vec![("a.zip", a)]);
    let r = one.search(1, "", Sort::Newest, "UTC", 20);
    assert!(r.posts.iter().all(|p| p.account.is_none()));
    // Not even written: one account's posts cost the wire nothing.
    let json = permafrost_protocol::Response {
        id: 1,
        body: ResponseBody::Results(Box::new(r)),
    }
    .to_json();
    assert!(!json.contains("\"account\":"), "{json}");
}

/// Every file of a ZIP, by name.
fn zip_files(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        out.insert(name, data);
    }
    out
}

/// A ZIP of these files.
fn zip_of(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Each post's media bytes and raw JSON, by post id.
fn contents(s: &mut Session<Source>) -> std::collections::BTreeMap<String, (String, Vec<Vec<u8>>)> {
    let total = s.search(90, "", Sort::Oldest, "UTC", 0).total;
    let posts = s.posts(0, total);
    let mut out = std::collections::BTreeMap::new();
    for p in posts {
        let mut media = Vec::new();
        for index in 0..p.attachments.len() as u32 {
            let bytes = match s.answer(
                91,
                RequestBody::GetMedia {
                    media: MediaRef::Attachment {
                        post: p.index,
                        index,
                    },
                },
            ) {
                Answer::WithBytes { bytes, .. } => bytes,
                _ => Vec::new(),
            };
            media.push(bytes);
        }
        let raw = match s.answer(92, RequestBody::RawJson { post: p.index }) {
            Answer::Body(ResponseBody::RawJson { text }) => text,
            other => panic!("{other:?}"),
        };
        out.insert(p.id.clone(), (raw, media));
    }
    out
}

/// The archive ZIP of several accounts' posts is one folder per account, each an archive of
/// its own (outbox.json, actor.json, profile images, likes, bookmarks, media), and opens again
/// as those accounts with the same posts, JSON and media, even where two accounts' archives
/// have media of the same path with other bytes. One account's posts are one archive, with
/// that account's profile.
#[test]
fn the_archive_zip_of_several_accounts_is_an_archive_per_account() {
    // bob's media are given the paths of alice's (the same names, other bytes).
    let (a, ea) = archive("alice@example.social", 150, 3, Container::Zip);
    let (b, eb) = archive("bob@other.example", 100, 4, Container::Zip);
    let media = |files: &std::collections::BTreeMap<String, Vec<u8>>| -> Vec<String> {
        files
            .keys()
            .filter(|n| n.starts_with("media_attachments/"))
            .cloned()
            .collect()
    };
    let files_a = zip_files(&a);
    let files_b = zip_files(&b);
    let renames: Vec<(String, String)> = media(&files_b)
        .into_iter()
        .zip(media(&files_a))
        .take(6)
        .collect();
    assert_eq!(renames.len(), 6);
    let files_b: std::collections::BTreeMap<String, Vec<u8>> = files_b
        .into_iter()
        .map(|(name, data)| {
            let rename = |t: &str| {
                renames
                    .iter()
                    .fold(t.to_string(), |t, (from, to)| t.replace(from.as_str(), to))
            };
            let data = if name == "outbox.json" {
                rename(std::str::from_utf8(&data).unwrap()).into_bytes()
            } else {
                data
            };
            (rename(&name), data)
        })
        .collect();
    let b = zip_of(&files_b);
    let (mut s, opened) = open(vec![("alice.zip", a), ("bob.zip", b)]);
    assert_eq!(opened.accounts.len(), 2);
    let before = contents(&mut s);
    let read = before
        .values()
        .flat_map(|(_, m)| m)
        .filter(|b| !b.is_empty())
        .count();
    assert!(read > 20, "{read} media read");
    // Some of both accounts' media have the same path.
    let clash = renames
        .iter()
        .filter(|(_, to)| files_b.contains_key(to.as_str()))
        .count();
    assert_eq!(clash, 6);

    let bytes = export(&mut s, "", ExportFormat::Zip);
    let files = zip_files(&bytes);
    for folder in ["alice@example.social", "bob@other.example"] {
        for file in ["outbox.json", "actor.json", "likes.json", "bookmarks.json"] {
            assert!(
                files.contains_key(&format!("{folder}/{file}")),
                "{folder}/{file} in {:?}",
                files.keys().take(20).collect::<Vec<_>>()
            );
        }
    }
    assert!(!files.contains_key("outbox.json"));
    for (_, to) in &renames {
        assert!(files.contains_key(&format!("alice@example.social/{to}")));
        assert!(files.contains_key(&format!("bob@other.example/{to}")));
        assert_ne!(
            files[&format!("alice@example.social/{to}")],
            files[&format!("bob@other.example/{to}")]
        );
    }
    let actor: serde_json::Value =
        serde_json::from_slice(&files["bob@other.example/actor.json"]).unwrap();
    assert!(actor["preferredUsername"] == "bob", "{actor}");

    // Opened again: the same accounts, posts, JSON and media.
    let (mut again, reopened) = open(vec![("export.zip", bytes)]);
    let names: Vec<&str> = reopened.accounts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["alice@example.social", "bob@other.example"]);
    assert_eq!(reopened.accounts[0].posts as usize, ea.posts);
    assert_eq!(reopened.accounts[1].posts as usize, eb.posts);
    assert_eq!(reopened.summary.media.present, opened.summary.media.present);
    assert_eq!(reopened.summary.likes, opened.summary.likes);
    assert_eq!(reopened.summary.bookmarks, opened.summary.bookmarks);
    assert!(reopened
        .accounts
        .iter()
        .all(|a| a.has_avatar && a.actor.is_some()));
    let after = contents(&mut again);
    assert_eq!(after.len(), before.len());
    for (id, (raw, media)) in &before {
        let (raw2, media2) = &after[id];
        assert_eq!(raw, raw2, "{id}");
        assert_eq!(media, media2, "{id}'s media");
    }

    // bob's posts alone: one archive, bob's.
    let bytes = export(&mut s, "account:bob", ExportFormat::Zip);
    let files = zip_files(&bytes);
    assert!(files.contains_key("outbox.json"));
    let actor: serde_json::Value = serde_json::from_slice(&files["actor.json"]).unwrap();
    assert!(actor["preferredUsername"] == "bob", "{actor}");
    let (_, bob) = open(vec![("bob-export.zip", bytes)]);
    assert!(bob.accounts.is_empty());
    assert_eq!(bob.summary.posts, eb.posts);
    assert_eq!(
        bob.actor.as_ref().map(|a| a.handle.as_str()),
        Some("bob@other.example")
    );
}

/// People and Likes & bookmarks follow the account switcher: the account the query keeps to
/// (People) or the account asked about (Saved) shows its own CSV exports and lists; without
/// one, every account's together.
#[test]
fn people_and_saved_follow_the_account() {
    let opts = |handle: &str, posts, seed, container| Options {
        posts,
        seed,
        container,
        handle: handle.into(),
        ..Options::default()
    };
    let oa = opts("alice@example.social", 200, 5, Container::Zip);
    let ob = opts("bob@other.example", 120, 6, Container::TarGz);
    let (mut a, mut b) = (Cursor::new(Vec::new()), Cursor::new(Vec::new()));
    let ea = write_archive(&oa, &mut a).unwrap();
    let eb = write_archive(&ob, &mut b).unwrap();
    let following = |o: &Options| {
        permafrost_synth::csv_exports(o)
            .into_iter()
            .find(|(n, _)| *n == "following_accounts.csv")
            .unwrap()
            .1
    };
    let (mut s, opened) = open(vec![
        ("alice.zip", a.into_inner()),
        ("bob.tar.gz", b.into_inner()),
        ("alice-following_accounts.csv", following(&oa)),
        ("bob-following_accounts.csv", following(&ob)),
    ]);
    assert!(opened.unattributed.is_empty());
    assert_ne!(ea.following, eb.following, "the test needs two sizes");
    let mut people = |query: &str| {
        let body = RequestBody::People {
            table: permafrost_protocol::PeopleTable::Following,
            filter: String::new(),
            sort: None,
            query: query.into(),
            time_zone: "UTC".into(),
            offset: 0,
            limit: 10,
        };
        match s.answer(1, body) {
            Answer::Body(ResponseBody::People(v)) => v,
            other => panic!("{other:?}"),
        }
    };
    let bob = people("account:bob");
    assert_eq!(bob.total as usize, eb.following);
    // The files it was read from are bob's.
    let files: Vec<&str> = bob.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(files, ["bob-following_accounts.csv"]);
    assert_eq!(bob.owner.as_deref(), Some("bob@other.example"));
    assert_eq!(
        bob.export_page.as_deref(),
        Some("https://other.example/settings/export")
    );
    let alice = people("account:alice@example.social has:media");
    assert_eq!(alice.total as usize, ea.following);
    let all = people("");
    assert_eq!(all.total as usize, ea.following + eb.following);
    assert_eq!(all.files.len(), 2);
    // Neither account is someone "you mention but do not follow".
    let body = RequestBody::People {
        table: permafrost_protocol::PeopleTable::MentionedNotFollowed,
        filter: String::new(),
        sort: None,
        query: String::new(),
        time_zone: "UTC".into(),
        offset: 0,
        limit: 500,
    };
    let Answer::Body(ResponseBody::People(v)) = s.answer(2, body) else {
        panic!("no answer")
    };
    assert!(v
        .rows
        .iter()
        .all(|r| r.address != "alice@example.social" && r.address != "bob@other.example"));

    let mut saved = |list, account| {
        let body = RequestBody::Saved {
            list,
            filter: String::new(),
            offset: 0,
            limit: 500,
            account,
        };
        match s.answer(3, body) {
            Answer::Body(ResponseBody::Saved(v)) => v,
            other => panic!("{other:?}"),
        }
    };
    use permafrost_protocol::SavedList;
    assert_eq!(saved(SavedList::Likes, Some(1)).total as usize, eb.likes);
    assert_eq!(saved(SavedList::Likes, Some(0)).total as usize, ea.likes);
    // Together: each address once (the two accounts liked some posts both).
    let union: std::collections::HashSet<String> = [Some(0), Some(1)]
        .into_iter()
        .flat_map(|k| saved(SavedList::Likes, k).items)
        .map(|i| i.uri)
        .collect();
    assert!(union.len() > ea.likes.max(eb.likes));
    assert_eq!(saved(SavedList::Likes, None).total as usize, union.len());
    // bookmarks.json alone (no bookmarks.csv was given): bob's own figure.
    assert_eq!(
        saved(SavedList::Bookmarks, Some(1)).total as usize,
        opened.summary.accounts[1].bookmarks.unwrap_or(0)
    );
    assert!(saved(SavedList::Bookmarks, Some(1)).total > 0);
    // Out of range: every account's.
    assert_eq!(saved(SavedList::Likes, Some(9)).total as usize, union.len());
}

/// Markdown and HTML exports of several accounts' posts say whose each post is, and the HTML
/// page's title names the accounts it holds (one account's: its profile).
#[test]
fn markdown_and_html_say_whose_each_post_is() {
    let (mut s, _, ea, eb) = two();
    let md = zip_files(&export(&mut s, "", ExportFormat::Markdown));
    let docs: Vec<String> = md
        .iter()
        .filter(|(n, _)| n.ends_with(".md"))
        .map(|(_, d)| String::from_utf8(d.clone()).unwrap())
        .collect();
    assert!(!docs.is_empty());
    let of = |who: &str| {
        docs.iter()
            .filter(|d| {
                d.contains(&format!("\naccount: \"{who}\"\n"))
                    || d.contains(&format!("\naccount: {who}\n"))
            })
            .count()
    };
    assert!(of("alice@example.social") > 0, "{}", docs[0]);
    assert!(of("bob@other.example") > 0);
    assert_eq!(
        of("alice@example.social") + of("bob@other.example"),
        docs.len()
    );

    // The page, or the ZIP's index.html when the posts have videos or sounds beside it.
    let page = |bytes: Vec<u8>| {
        let bytes = if bytes.starts_with(b"PK") {
            zip_files(&bytes).remove("index.html").unwrap()
        } else {
            bytes
        };
        String::from_utf8(bytes).unwrap()
    };
    let html = page(export(&mut s, "", ExportFormat::Html));
    assert!(
        html.contains("<title>Posts of @alice@example.social, @bob@other.example</title>"),
        "{}",
        &html[..html.len().min(600)]
    );
    // Each post's line says whose it is.
    assert_eq!(
        html.matches(" · @alice@example.social · ").count(),
        ea.posts
    );
    assert_eq!(html.matches(" · @bob@other.example · ").count(), eb.posts);
    let bob = page(export(&mut s, "account:bob", ExportFormat::Html));
    assert!(
        bob.contains("(@bob@other.example)</title>"),
        "{}",
        &bob[..bob.len().min(600)]
    );
    assert!(!bob.contains("@alice@example.social · "));
}

/// One account open: exports say nothing of accounts.
#[test]
fn one_accounts_exports_name_no_account() {
    let (a, _) = archive("alice@example.social", 30, 3, Container::Zip);
    let (mut s, _) = open(vec![("a.zip", a)]);
    let md = zip_files(&export(&mut s, "", ExportFormat::Markdown));
    assert!(md
        .iter()
        .filter(|(n, _)| n.ends_with(".md"))
        .all(|(_, d)| !String::from_utf8_lossy(d).contains("\naccount: ")));
}

/// The CSV of several accounts' posts has each post's account in a last column; one account's
/// CSV has no such column.
#[test]
fn the_csv_of_several_accounts_says_whose_each_post_is() {
    let (mut s, _, ea, eb) = two();
    let csv = export(&mut s, "", ExportFormat::Csv);
    let mut r = csv::Reader::from_reader(&csv[..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("account"));
    let at = headers.len() - 1;
    let owners: Vec<String> = r.records().map(|x| x.unwrap()[at].to_string()).collect();
    // Cells that begin with `@` would be neutralised: the names have none.
    assert_eq!(
        owners
            .iter()
            .filter(|o| *o == "alice@example.social")
            .count(),
        ea.posts
    );
    assert_eq!(
        owners.iter().filter(|o| *o == "bob@other.example").count(),
        eb.posts
    );

    let (a, _) = archive("alice@example.social", 20, 3, Container::Zip);
    let (mut one, _) = open(vec![("a.zip", a)]);
    let csv = export(&mut one, "", ExportFormat::Csv);
    let mut r = csv::Reader::from_reader(&csv[..]);
    assert!(r.headers().unwrap().iter().all(|h| h != "account"));
}
