//! The session natively: opening with progress and previews, searching, paging, media and the
//! answers the worker posts back, on a small hand-written archive, a generated one and a real one.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{
    BroaderQuery, MediaRef, PostKind, RequestBody, ResponseBody, Sort, Stage,
};
use permafrost_session::{answer_without_archive, Answer, Session};
use std::cell::{Cell, RefCell};
use std::io::Cursor;
use std::rc::Rc;

#[path = "support/synth_zip.rs"]
mod synth_zip;

type Source = Cursor<Vec<u8>>;

const OUTBOX: &str = r##"{"orderedItems":[
 {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","published":"2023-01-02T03:04:05Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>Hello <a href=\"https://ex.social/tags/rust\" class=\"mention hashtag\">#<span>rust</span></a></p>",
   "contentMap":{"en":"<p>Hello</p>"},"tag":[{"type":"Hashtag","name":"#rust"}],
   "attachment":[{"type":"Document","mediaType":"text/html","url":"/media_attachments/files/1/a.png","name":"a dot"}]}},
 {"id":"https://ex.social/users/a/statuses/2/activity","type":"Create","actor":"https://ex.social/users/a",
  "object":{"id":"https://ex.social/users/a/statuses/2","type":"Note","published":"2023-02-02T03:04:05Z",
   "inReplyTo":"https://ex.social/users/a/statuses/1",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>A reply</p>"}},
 {"id":"https://ex.social/users/a/statuses/3/activity","type":"Announce","actor":"https://ex.social/users/a",
  "published":"2023-03-02T03:04:05Z","to":["https://www.w3.org/ns/activitystreams#Public"],
  "cc":["https://other.example/users/b"],"object":"https://other.example/notes/9"}]}"##;

fn input(name: &str, bytes: &[u8]) -> Input<Source> {
    Input::new(name, Cursor::new(bytes.to_vec()))
}

fn no_clock() -> Box<dyn Fn() -> f64> {
    Box::new(|| 0.0)
}

/// A session on a generated archive of `posts` posts, as a ZIP.
fn synth_session(posts: usize, seed: u64) -> Session<Source> {
    let (_, zip) = synth_zip::synth_zip(posts, seed);
    let (s, _) = Session::open(vec![input("archive.zip", &zip)], &mut |_| {}, no_clock()).unwrap();
    s
}

fn session() -> Session<Source> {
    let inputs = vec![
        input("archive/outbox.json", OUTBOX.as_bytes()),
        input("archive/media_attachments/files/1/a.png", b"\x89PNG fake"),
    ];
    let mut stages = Vec::new();
    let (session, opened) =
        Session::open(inputs, &mut |p| stages.push(p.stage), no_clock()).unwrap();
    assert_eq!(opened.summary.posts, 3);
    assert_eq!(opened.summary.format, "folder");
    assert_eq!(opened.summary.media.present, 1);
    assert_eq!(stages.first(), Some(&Stage::Reading));
    assert_eq!(stages.last(), Some(&Stage::Indexing));
    assert_eq!(opened.completions.hashtags, vec![("rust".to_string(), 1)]);
    // The search box completes filters from the index's own table.
    let has = opened.filters.iter().find(|f| f.key == "has").unwrap();
    assert!(has.values.iter().any(|v| v == "media"));
    session
}

#[test]
fn opens_searches_and_pages() {
    let mut s = session();
    let results = s.search(5, "", Sort::Newest, "UTC", 2);
    assert_eq!((results.search, results.total), (5, 3));
    assert_eq!(results.posts.len(), 2);
    assert_eq!(results.posts[0].kind, PostKind::Boost);
    assert_eq!(s.last_search(), 5);
    let rest = s.posts(2, 10);
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].index, 0);
    assert_eq!(rest[0].hashtags, vec!["rust"]);
    let reply = &results.posts[1];
    assert_eq!(reply.parent.as_ref().map(|p| p.index), Some(0));
    assert_eq!(
        reply.parent.as_ref().map(|p| p.excerpt.as_str()),
        Some("Hello #rust")
    );
    let oldest = s.search(6, "", Sort::Oldest, "UTC", 1);
    assert_eq!(oldest.posts[0].index, 0);
    // Past the end: nothing, not a panic.
    assert!(s.posts(3, 10).is_empty());
    assert!(s.posts(u32::MAX, u32::MAX).is_empty());
}

#[test]
fn highlights_are_the_matched_words_as_written() {
    let mut s = session();
    let results = s.search(1, "HELLO", Sort::Relevance, "UTC", 5);
    assert_eq!(results.total, 1);
    assert_eq!(results.posts[0].highlights, vec!["Hello"]);
    // A query mistake is reported and the rest still runs.
    let results = s.search(2, "hass:media reply", Sort::Newest, "UTC", 5);
    assert_eq!(results.total, 1);
    assert!(
        results.errors[0].text.contains("has:media"),
        "{:?}",
        results.errors
    );
}

#[test]
fn answers_every_request_the_worker_passes_on() {
    let mut s = session();
    let search = RequestBody::Search {
        query: "".into(),
        sort: Sort::Newest,
        time_zone: "Europe/Paris".into(),
        limit: 1,
        collapse_threads: false,
    };
    let Answer::Body(ResponseBody::Results(results)) = s.answer(9, search) else {
        panic!("no results")
    };
    assert_eq!(
        (results.search, results.total, results.posts.len()),
        (9, 3, 1)
    );
    assert_eq!(
        s.answer(
            10,
            RequestBody::GetPosts {
                offset: 1,
                limit: 5
            }
        ),
        Answer::Body(ResponseBody::Posts {
            search: 9,
            offset: 1,
            posts: s.posts(1, 5),
        })
    );
    // The lightbox steps from the boost (position 0) to the only post with media.
    let Answer::Body(ResponseBody::MediaPost {
        search,
        position,
        post,
    }) = s.answer(
        11,
        RequestBody::FindMedia {
            position: 0,
            forward: true,
        },
    )
    else {
        panic!("no media post")
    };
    assert_eq!((search, position), (9, Some(2)));
    assert_eq!(post.unwrap().index, 0);
    let Answer::Body(ResponseBody::MediaPost { position, .. }) = s.answer(
        12,
        RequestBody::FindMedia {
            position: 2,
            forward: true,
        },
    ) else {
        panic!("no answer")
    };
    assert_eq!(position, None);
    assert_eq!(
        s.answer(
            13,
            RequestBody::GetMedia {
                media: MediaRef::Attachment { post: 0, index: 0 }
            }
        ),
        Answer::WithBytes {
            body: ResponseBody::Media {
                mime: "image/png".into()
            },
            bytes: b"\x89PNG fake".to_vec(),
        }
    );
    assert!(matches!(
        s.answer(
            14,
            RequestBody::GetMedia {
                media: MediaRef::Attachment { post: 1, index: 0 }
            }
        ),
        Answer::Body(ResponseBody::MediaMissing { .. })
    ));
    assert!(matches!(
        s.answer(15, RequestBody::RawJson { post: 1 }),
        Answer::Body(ResponseBody::RawJson { text }) if text.contains("A reply")
    ));
    assert!(matches!(
        s.answer(16, RequestBody::RawJson { post: 99 }),
        Answer::Body(ResponseBody::Error { .. })
    ));
    assert!(matches!(
        s.answer(17, RequestBody::Open { names: vec![] }),
        Answer::Body(ResponseBody::Error { .. })
    ));
    assert!(matches!(
        answer_without_archive(),
        Answer::Body(ResponseBody::Error { message }) if message.text.contains("open one first")
    ));
}

#[test]
fn media_types_are_never_executable() {
    let mut s = session();
    let (bytes, mime) = s
        .media(MediaRef::Attachment { post: 0, index: 0 })
        .unwrap()
        .unwrap();
    assert_eq!(bytes, b"\x89PNG fake");
    // The archive claims text/html: the Blob gets a type from the file name instead.
    assert_eq!(mime, "image/png");
    assert_eq!(s.media(MediaRef::Avatar).unwrap(), None);
    assert_eq!(
        permafrost_session::views::media_mime(Some("image/svg+xml"), "x.svg"),
        "application/octet-stream"
    );
    assert_eq!(
        permafrost_session::views::media_mime(Some(" IMAGE/JPEG "), "x"),
        "image/jpeg"
    );
    assert_eq!(
        permafrost_session::views::media_mime(None, "clip.MP4"),
        "video/mp4"
    );
}

/// While outbox.json is read, previews come at most as often as the clock allows, each with the
/// newest posts read so far, newest first, without media.
#[test]
fn previews_show_the_newest_posts_read_so_far() {
    let mut outbox = String::from(r#"{"orderedItems":["#);
    for i in 0..5000 {
        if i > 0 {
            outbox.push(',');
        }
        outbox.push_str(&format!(
            r#"{{"id":"https://ex.social/s/{i}/activity","type":"Create","actor":"https://ex.social/users/a",
            "object":{{"id":"https://ex.social/s/{i}","type":"Note","published":"2023-01-02T03:04:05Z",
            "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>post {i}</p>",
            "attachment":[{{"type":"Document","mediaType":"image/png","url":"/m/{i}.png"}}]}}}}"#
        ));
    }
    outbox.push_str("]}");
    let open = |step: f64| {
        let clock = Rc::new(Cell::new(0.0));
        let now = move || {
            clock.set(clock.get() + step);
            clock.get()
        };
        let mut previews = Vec::new();
        let (_, opened) = Session::open_with_preview(
            vec![input("outbox.json", outbox.as_bytes())],
            &mut |_| {},
            &mut |total, posts| previews.push((total, posts)),
            None,
            Box::new(now),
        )
        .unwrap();
        assert_eq!(opened.summary.posts, 5000);
        previews
    };
    // A slow clock: a preview at every chance (after 32 posts, then every 2,048).
    let previews = open(5_000.0);
    assert_eq!(previews.len(), 3);
    assert_eq!(previews[0].0, 32);
    assert_eq!(previews[0].1[0].index, 31);
    let (total, posts) = &previews[2];
    assert_eq!(*total, 4096);
    assert_eq!(posts.len(), 20);
    assert_eq!(posts[0].index, 4095);
    assert_eq!(posts[19].index, 4076);
    assert_eq!(posts[0].content.plain_text(), "post 4095");
    assert!(posts.iter().all(|p| p.attachments.is_empty()));
    // A fast clock: only the first.
    assert_eq!(open(0.001).len(), 1);
}

/// A ZIP's first posts are previewed before the archive is listed: from a glance at its first
/// entry, outbox.json (see `permafrost_engine::glance`), ahead of every progress report.
#[test]
fn a_zip_is_previewed_before_it_is_listed() {
    let opts = permafrost_synth::Options {
        posts: 3000,
        seed: 3,
        ..permafrost_synth::Options::default()
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut bytes).unwrap();
    let events = RefCell::new(Vec::new());
    Session::open_with_preview(
        vec![input("archive.zip", &bytes.into_inner())],
        &mut |p| events.borrow_mut().push(format!("{:?}", p.stage)),
        &mut |total, posts| {
            assert_eq!(posts.len(), 20);
            events.borrow_mut().push(format!("preview {total}"))
        },
        None,
        Box::new(|| 0.0),
    )
    .unwrap();
    let events = events.into_inner();
    assert!(events[0].starts_with("preview "), "{events:?}");
    assert!(
        events[1..].iter().all(|e| !e.starts_with("preview")),
        "{events:?}"
    );
}

/// A generated archive: the session's counts are the generator's, and paging through a search
/// visits every matching post once.
#[test]
fn a_generated_archive_pages_through_every_post() {
    let opts = permafrost_synth::Options {
        posts: 600,
        seed: 7,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    let expected = permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    let mut inputs = vec![input("archive.zip", zip.get_ref())];
    for (name, bytes) in permafrost_synth::csv_exports(&opts) {
        inputs.push(input(name, &bytes));
    }
    let (mut s, opened) = Session::open(inputs, &mut |_| {}, no_clock()).unwrap();
    assert_eq!(opened.summary.posts, expected.posts);
    assert_eq!(opened.summary.originals, expected.originals);
    assert_eq!(opened.summary.with_media, expected.with_media);
    // Found with the session's table of post ids (the one reply excerpts use).
    assert!(expected.self_replies > 0);
    assert_eq!(opened.summary.self_replies, expected.self_replies);
    // Boosts of one's own followers-only posts carry the note, media included: has:media counts
    // them, the summary's `with_media` (originals only) does not.
    let all = s.search(1, "", Sort::Newest, "UTC", 0);
    let mut with_media = 0;
    for offset in (0..all.total).step_by(100) {
        with_media += s
            .posts(offset, 100)
            .iter()
            .filter(|p| !p.attachments.is_empty())
            .count();
    }
    assert!(with_media >= expected.with_media);
    let results = s.search(2, "has:media", Sort::Oldest, "UTC", 25);
    assert_eq!(results.total as usize, with_media);
    let mut seen = Vec::new();
    let mut offset = 0;
    while offset < results.total {
        let page = s.posts(offset, 25);
        assert!(!page.is_empty());
        assert!(page.iter().all(|p| !p.attachments.is_empty()));
        offset += page.len() as u32;
        seen.extend(page.into_iter().map(|p| (p.published, p.index)));
    }
    assert_eq!(seen.len(), with_media);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    // The facets say the same numbers as the result.
    let media: u32 = results
        .facets
        .iter()
        .find(|g| g.key == "year")
        .unwrap()
        .values
        .iter()
        .map(|v| v.count)
        .sum();
    assert_eq!(media, results.total);
}

/// Threads collapse to their first posts; each post says how long its chain is, which is what
/// `thread:` finds; and the collapsed result pages like any other.
#[test]
fn threads_collapse_and_each_post_knows_its_chain() {
    let opts = permafrost_synth::Options {
        posts: 600,
        seed: 11,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    let (mut s, _) =
        Session::open(vec![input("a.zip", zip.get_ref())], &mut |_| {}, no_clock()).unwrap();
    let all = s.search(1, "", Sort::Newest, "UTC", 0);
    assert_eq!(all.matched, all.total);
    let views = s.posts(0, all.total);
    // The chains, independently: follow in_reply_to through the posts' own ids.
    let by_id: std::collections::HashMap<&str, u32> = views
        .iter()
        .filter(|v| v.kind == PostKind::Original)
        .map(|v| (v.id.as_str(), v.index))
        .collect();
    let parent: std::collections::HashMap<u32, u32> = views
        .iter()
        .filter(|v| v.kind == PostKind::Original)
        .filter_map(|v| Some((v.index, *by_id.get(v.in_reply_to.as_deref()?)?)))
        .collect();
    let root = |v: &permafrost_protocol::PostView| {
        let mut at = v.index;
        for _ in 0..views.len() {
            match parent.get(&at) {
                Some(&p) => at = p,
                None => break,
            }
        }
        at
    };
    let mut sizes = std::collections::HashMap::new();
    for v in &views {
        *sizes.entry(root(v)).or_insert(0u32) += 1;
    }
    let chains = sizes.values().filter(|&&n| n > 1).count();
    assert!(chains > 5, "the generated archive has threads ({chains})");
    for v in &views {
        assert_eq!(v.thread_len, sizes[&root(v)], "post {}", v.index);
    }
    // `thread:ID` finds the chain, for a post anywhere in it.
    let deep = views
        .iter()
        .find(|v| v.thread_len > 2 && v.parent.is_some())
        .unwrap();
    let id = permafrost_model::short_id(&deep.id).to_string();
    let chain = s.search(2, &format!("thread:{id}"), Sort::Oldest, "UTC", 100);
    assert_eq!(chain.total, deep.thread_len);
    assert!(chain.posts.iter().all(|p| root(p) == root(deep)));
    assert!(chain
        .posts
        .windows(2)
        .all(|w| w[0].published <= w[1].published));
    // Collapsed: one post per chain, each a chain's first post, newest first.
    let collapsed = s.search_threads(3, "", Sort::Newest, "UTC", u32::MAX, true);
    assert_eq!(collapsed.matched, all.total);
    assert_eq!(collapsed.total as usize, sizes.len());
    assert!(collapsed.posts.iter().all(|p| root(p) == p.index));
    assert!(collapsed
        .posts
        .windows(2)
        .all(|w| w[0].published >= w[1].published));
    // A query matching only a reply shows its chain's first post.
    let reply = s.search_threads(4, &format!("id:{id}"), Sort::Newest, "UTC", 5, true);
    assert_eq!((reply.matched, reply.total), (1, 1));
    assert_eq!(reply.posts[0].index, root(deep));
    assert_eq!(
        s.posts(0, 5).len(),
        1,
        "the collapsed result is the one paged"
    );
}

/// A real archive (see crates/archive/tests/data/README.md for its provenance): every post's
/// attachments that the archive holds can be read, with a type the browser will not run.
#[test]
fn a_real_archive_opens_and_serves_its_media() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../archive/tests/data/mastodon-export.zip"
    );
    let bytes = std::fs::read(path).unwrap();
    let (mut s, opened) = Session::open(
        vec![input("mastodon-export.zip", &bytes)],
        &mut |_| {},
        no_clock(),
    )
    .unwrap();
    assert!(opened.summary.posts > 0);
    assert!(opened.actor.is_some());
    let results = s.search(1, "has:media", Sort::Newest, "UTC", u32::MAX);
    assert!(results.total > 0);
    let mut read = 0;
    for post in &results.posts {
        for (i, a) in post.attachments.iter().enumerate() {
            let media = MediaRef::Attachment {
                post: post.index,
                index: i as u32,
            };
            match s.media(media).unwrap() {
                Some((bytes, mime)) => {
                    assert!(a.present);
                    assert!(!bytes.is_empty());
                    assert!(
                        ["image/", "video/", "audio/"]
                            .iter()
                            .any(|t| mime.starts_with(t)),
                        "{mime}"
                    );
                    read += 1;
                }
                None => assert!(!a.present),
            }
        }
    }
    assert_eq!(read, opened.summary.media.present);
    if opened.has_avatar {
        assert!(s.media(MediaRef::Avatar).unwrap().is_some());
    }
}

#[test]
fn indices_are_the_last_searchs_posts_in_order() {
    let mut s = session();
    let results = s.search(4, "", Sort::Oldest, "UTC", 0);
    assert_eq!(results.total, 3);
    assert_eq!(
        s.answer(
            5,
            RequestBody::Indices {
                offset: 1,
                limit: 10
            }
        ),
        Answer::Body(ResponseBody::Indices {
            search: 4,
            offset: 1,
            indices: vec![1, 2],
        })
    );
    assert_eq!(
        s.answer(
            6,
            RequestBody::Indices {
                offset: u32::MAX,
                limit: u32::MAX
            }
        ),
        Answer::Body(ResponseBody::Indices {
            search: 4,
            offset: u32::MAX,
            indices: vec![],
        })
    );
}

/// The page exports what it lists: its query read as typed (the last word a prefix); the CLI's
/// is read as complete.
#[test]
fn a_query_selection_reads_the_query_as_typed_or_as_complete() {
    use permafrost_protocol::Selection;
    let s = session();
    let query = |as_typed| Selection::Query {
        query: "hel".into(),
        sort: Sort::Newest,
        time_zone: "UTC".into(),
        as_typed,
    };
    assert_eq!(s.selected(&query(true)), vec![0]);
    assert!(s.selected(&query(false)).is_empty());
}

/// The Statistics view's numbers: each count comes with a term, and searching the query with that
/// term added finds exactly that many posts (what a click on a bar, a day, a cell or a list item
/// does in the app); the parts add up to the whole; the last search is left alone.
#[test]
fn every_statistic_is_the_count_of_its_term() {
    let opts = permafrost_synth::Options {
        posts: 600,
        seed: 11,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    let (mut s, _) =
        Session::open(vec![input("a.zip", zip.get_ref())], &mut |_| {}, no_clock()).unwrap();
    let zone = "America/St_Johns";
    let before = s.search(1, "", Sort::Newest, zone, 0).total;
    let count = |s: &mut Session<Source>, q: &str| s.search(2, q, Sort::Newest, zone, 0).total;
    for query in ["", "has:media", "-is:boost visibility:public"] {
        let Answer::Body(ResponseBody::Stats(v)) = s.answer(
            9,
            RequestBody::Stats {
                query: query.into(),
                time_zone: zone.into(),
            },
        ) else {
            panic!("no stats");
        };
        assert!(v.errors.is_empty(), "{:?}", v.errors);
        assert_eq!(v.total, count(&mut s, query), "{query}");
        assert!(v.total > 0);
        assert_eq!(v.per_month.iter().map(|m| m.count).sum::<u32>(), v.total);
        assert_eq!(v.per_day.iter().map(|d| d.count).sum::<u32>(), v.total);
        assert_eq!(v.punchcard.len(), 7 * 24);
        assert_eq!(v.punchcard.iter().sum::<u32>(), v.total);
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        for (cell, &n) in v.punchcard.iter().enumerate() {
            let term = format!("weekday:{} hour:{}", days[cell / 24], cell % 24);
            assert_eq!(
                count(&mut s, &format!("{query} {term}")),
                n,
                "{query} {term}"
            );
        }
        let every = v.per_month.iter().chain(v.per_day.iter().step_by(7));
        let groups = v.groups.iter().flat_map(|g| &g.values);
        let mut checked = 0;
        for value in every.chain(groups) {
            let q = format!("{query} {}", value.term);
            assert_eq!(count(&mut s, &q), value.count, "{q}");
            checked += 1;
        }
        assert!(checked > 50, "{checked} terms checked");
        let boosted = v.groups.iter().find(|g| g.key == "boosted").unwrap();
        if !query.contains("is:boost") {
            assert!(!boosted.values.is_empty());
        }
        let alt: u32 = v.alt_text.iter().map(|a| a.attachments).sum();
        assert!(v.alt_text.iter().all(|a| a.described <= a.attachments));
        if query == "has:media" {
            assert!(alt >= v.total, "every post with media has an attachment");
        }
    }
    // Statistics do not replace the timeline's search.
    s.search(3, "", Sort::Newest, zone, 0);
    let Answer::Body(ResponseBody::Stats(_)) = s.answer(
        10,
        RequestBody::Stats {
            query: "has:media".into(),
            time_zone: zone.into(),
        },
    ) else {
        panic!("no stats");
    };
    assert_eq!(s.last_search(), 3);
    assert_eq!(s.posts(0, 1000).len() as u32, before);
}

/// Likes (and bookmarks) are addresses only: counted by server and by the account the address
/// names, filtered by text, paged, and resolved to your own post when they are one.
#[test]
fn likes_are_grouped_filtered_paged_and_resolved_to_your_own_posts() {
    use permafrost_protocol::SavedList;
    let likes = r#"{"orderedItems":["https://ex.social/users/a/statuses/1",
        "https://other.example/users/B/statuses/9","https://other.example/@c/10",
        "https://misskey.example/notes/x"]}"#;
    let inputs = vec![
        input("archive/outbox.json", OUTBOX.as_bytes()),
        input("archive/likes.json", likes.as_bytes()),
    ];
    let (mut s, _) = Session::open(inputs, &mut |_| {}, no_clock()).unwrap();
    let mut ask = |list, filter: &str, offset, limit| {
        let body = RequestBody::Saved {
            list,
            filter: filter.into(),
            offset,
            limit,
            account: None,
        };
        let Answer::Body(ResponseBody::Saved(v)) = s.answer(3, body) else {
            panic!("no answer");
        };
        v
    };
    let v = ask(SavedList::Likes, "", 0, 10);
    assert!(v.present);
    assert_eq!((v.total, v.matching, v.own, v.items.len()), (4, 4, 1, 4));
    let counts = |values: &[permafrost_protocol::FacetValue]| -> Vec<(String, u32)> {
        values.iter().map(|f| (f.label.clone(), f.count)).collect()
    };
    assert_eq!(
        counts(&v.servers),
        vec![
            ("other.example".to_string(), 2),
            ("ex.social".to_string(), 1),
            ("misskey.example".to_string(), 1)
        ]
    );
    assert_eq!(
        counts(&v.accounts),
        vec![
            ("a@ex.social".to_string(), 1),
            ("b@other.example".to_string(), 1),
            ("c@other.example".to_string(), 1)
        ]
    );
    let own = v.items[0].own.as_ref().expect("your own post");
    assert_eq!((own.index, own.excerpt.as_str()), (0, "Hello #rust"));
    assert!(v.items[1..].iter().all(|i| i.own.is_none()));
    assert_eq!(v.items[3].account, None);
    assert_eq!(
        v.items[3].link.as_ref().map(|l| &*l.host),
        Some("misskey.example")
    );

    let v = ask(SavedList::Likes, " OTHER.example ", 1, 10);
    assert_eq!((v.matching, v.own, v.items.len()), (2, 0, 1));
    assert_eq!(v.items[0].uri, "https://other.example/@c/10");
    let none = ask(SavedList::Bookmarks, "", 0, 10);
    assert!(!none.present);
    assert_eq!((none.total, none.items.len()), (0, 0));
}

/// A search's answer comes without facets; `Facets` then counts those of the last search, the
/// same as a search with its facets, in each order and with threads collapsed.
#[test]
fn facets_come_after_the_count_and_are_the_searchs() {
    let mut s = synth_session(400, 11);
    assert_eq!(
        s.answer(1, RequestBody::Facets),
        Answer::Body(ResponseBody::Facets {
            search: 0,
            facets: Vec::new()
        }),
        "no search yet: no facets"
    );
    let mut id = 1;
    for query in ["", "the", "has:media -is:reply", "b* OR #rust", "zzzqqq"] {
        for (sort, collapse_threads) in [
            (Sort::Newest, false),
            (Sort::Oldest, true),
            (Sort::Relevance, false),
        ] {
            id += 2;
            let whole = s.search_threads(id, query, sort, "Europe/Paris", 5, collapse_threads);
            let ask = RequestBody::Search {
                query: query.into(),
                sort,
                time_zone: "Europe/Paris".into(),
                limit: 5,
                collapse_threads,
            };
            let Answer::Body(ResponseBody::Results(results)) = s.answer(id + 1, ask) else {
                panic!("no results")
            };
            assert!(results.facets.is_empty(), "{query}: the count comes alone");
            assert_eq!(
                (
                    results.total,
                    results.matched,
                    &results.posts,
                    &results.errors
                ),
                (whole.total, whole.matched, &whole.posts, &whole.errors),
                "{query}"
            );
            assert_eq!(
                s.answer(id + 2, RequestBody::Facets),
                Answer::Body(ResponseBody::Facets {
                    search: id + 1,
                    facets: whole.facets.clone(),
                }),
                "{query} {sort:?}"
            );
            if !query.starts_with('z') {
                assert!(!whole.facets.is_empty(), "{query}: facets counted");
            }
        }
    }
}

/// A search that matched nothing: `Broader` says what its query matches with each part taken
/// out, read as typed as the search was; after a search that matched something, nothing.
#[test]
fn an_empty_result_says_which_part_of_the_query_empties_it() {
    let mut s = synth_session(400, 11);
    let no_queries = |search| {
        Answer::Body(ResponseBody::Broader {
            search,
            queries: Vec::new(),
        })
    };
    assert_eq!(
        s.answer(1, RequestBody::Broader),
        no_queries(0),
        "no search yet"
    );
    let with_media = s.search_threads(2, "has:media", Sort::Newest, "UTC", 5, false);
    assert!(with_media.total > 0);
    // An `AND` written between parts is not one of them.
    let empty = s.search_threads(3, "has:media   AND zzzqq", Sort::Newest, "UTC", 5, false);
    assert_eq!(empty.total, 0);
    assert_eq!(
        s.answer(4, RequestBody::Broader),
        Answer::Body(ResponseBody::Broader {
            search: 3,
            queries: vec![BroaderQuery {
                without: "zzzqq".into(),
                query: "has:media".into(),
                total: with_media.total,
            }],
        })
    );
    s.search_threads(5, "has:media", Sort::Newest, "UTC", 5, false);
    assert_eq!(s.answer(6, RequestBody::Broader), no_queries(5));
}

/// Posts' text tokenized elsewhere, as the browser's helper worker does it: here by a
/// [`permafrost_index::Tokenizer`] fed what the session sends.
struct Helper {
    tokenizer: Option<permafrost_index::Tokenizer>,
    /// Bytes taken, and how many times.
    sent: usize,
    sends: usize,
    /// Refuses texts after this many sends.
    refuse_after: usize,
    /// `tokenized` answers for no post at all.
    wrong: bool,
    /// `tokenized` answers with every lowercase ASCII letter of the texts read as `q`.
    mangle: bool,
    bytes: Vec<u8>,
    /// Where outbox.json was said to be before the archive was listed, and where the engine
    /// then asked for it.
    prepared: Option<permafrost_engine::Span>,
    asked: Option<permafrost_engine::Span>,
    /// The sends before the texts were said to end, and whether a result was asked for then.
    ended_after: Option<usize>,
    asked_before_end: bool,
    /// The file a tar.gz's gzip stream is inflated from here, as the browser's helper does
    /// (see `Elsewhere::gzip`), and the files it was asked for.
    gzip: Option<Vec<u8>>,
    gzip_asked: Vec<String>,
}

/// A tar.gz's gzip stream inflated "elsewhere": by a `GzipInflater` on the same thread.
struct Inflated(Option<permafrost_engine::GzipInflater<Cursor<Vec<u8>>>>);

impl permafrost_engine::GzipElsewhere for Inflated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        std::io::Read::read(self.0.as_mut().unwrap(), buf)
    }
    fn compressed(&self) -> u64 {
        self.0.as_ref().map_or(0, |inflater| inflater.compressed())
    }
    fn access_points(&mut self) -> Option<Vec<u8>> {
        self.0.take()?.access_points().ok()
    }
}

impl Helper {
    fn new() -> Helper {
        Helper {
            tokenizer: Some(permafrost_index::Tokenizer::new()),
            sent: 0,
            sends: 0,
            refuse_after: usize::MAX,
            wrong: false,
            mangle: false,
            bytes: Vec::new(),
            prepared: None,
            asked: None,
            ended_after: None,
            asked_before_end: false,
            gzip: None,
            gzip_asked: Vec::new(),
        }
    }
}

impl permafrost_session::Elsewhere for Helper {
    fn prepare_outbox(
        &mut self,
        _: &str,
        span: &permafrost_engine::Span,
        _: &permafrost_engine::Limits,
    ) {
        self.prepared = Some(span.clone());
    }
    fn outbox(
        &mut self,
        _: &str,
        span: &permafrost_engine::Span,
        _: &permafrost_engine::Limits,
    ) -> Option<Box<dyn std::io::Read>> {
        self.asked = Some(span.clone());
        None
    }
    fn gzip(
        &mut self,
        file: &str,
        limits: &permafrost_engine::Limits,
    ) -> Option<Box<dyn permafrost_engine::GzipElsewhere>> {
        self.gzip_asked.push(file.to_string());
        let inflater =
            permafrost_engine::GzipInflater::new(Cursor::new(self.gzip.clone()?), *limits);
        Some(Box::new(Inflated(Some(inflater.ok()?))))
    }
    fn texts_end(&mut self) {
        self.ended_after.get_or_insert(self.sends);
    }
    fn texts(&mut self, bytes: &[u8]) -> bool {
        assert!(self.ended_after.is_none(), "texts after their end");
        if self.sends >= self.refuse_after {
            return false;
        }
        self.sends += 1;
        self.sent += bytes.len();
        self.bytes.extend_from_slice(bytes);
        self.tokenizer.as_mut().unwrap().feed(bytes);
        true
    }
    fn tokenized(&mut self) -> Option<permafrost_index::Tokenized> {
        self.asked_before_end |= self.ended_after.is_none();
        let tokenized = self.tokenizer.take()?.finish()?;
        if self.wrong {
            return Some(permafrost_index::Tokenized::of(&[]));
        }
        if self.mangle {
            // Times and lengths are numbers: a letter there would change one. Only the strings'
            // letters are mangled: a post is its time (8 bytes), then its short id and fields,
            // each a length (4 bytes) and its bytes, then the end (a length of u32::MAX).
            let mut mangled = permafrost_index::Tokenizer::new();
            let mut at = 0;
            let b = &self.bytes;
            let mut out = Vec::new();
            let mut post_start = true;
            while at + 4 <= b.len() {
                if post_start {
                    out.extend_from_slice(&b[at..at + 8]);
                    at += 8;
                    post_start = false;
                    continue;
                }
                let len = u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
                out.extend_from_slice(&b[at..at + 4]);
                at += 4;
                if len == u32::MAX {
                    post_start = true;
                } else {
                    let field = &b[at..at + len as usize];
                    out.extend(
                        field
                            .iter()
                            .map(|&c| if c.is_ascii_lowercase() { b'q' } else { c }),
                    );
                    at += len as usize;
                }
            }
            mangled.feed(&out);
            return mangled.finish();
        }
        Some(tokenized)
    }
}

/// What a few searches find: each query's total and the first posts.
fn findings(s: &mut Session<Source>) -> Vec<(u64, Vec<u32>)> {
    let queries = [
        "",
        "lorem",
        "coffee OR tea",
        "\"open source\"",
        "-the",
        "pho*",
        "咖啡",
        "has:media",
    ];
    queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let r = s.search(i as u32 + 1, q, Sort::Newest, "UTC", 0);
            let first = s.posts(0, 30).iter().map(|p| p.index).collect();
            (u64::from(r.total), first)
        })
        .collect()
}

fn generated_zip(posts: usize) -> Vec<u8> {
    let opts = permafrost_synth::Options {
        posts,
        seed: 11,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    zip.into_inner()
}

fn open_with(bytes: &[u8], name: &str, helper: Option<&mut Helper>) -> Session<Source> {
    let elsewhere = helper.map(|h| h as &mut dyn permafrost_session::Elsewhere);
    Session::open_with_preview(
        vec![input(name, bytes)],
        &mut |_| {},
        &mut |_, _| {},
        elsewhere,
        no_clock(),
    )
    .unwrap()
    .0
}

/// The text of every post goes elsewhere as the archive is read, in several sends, and the
/// index made with what comes back finds what the one made here finds.
#[test]
fn posts_text_tokenized_elsewhere_finds_the_same() {
    let zip = generated_zip(5_000);
    let here = findings(&mut open_with(&zip, "archive.zip", None));
    assert!(here.iter().any(|(total, _)| *total > 0 && *total < 5_000));
    let mut helper = Helper::new();
    let there = findings(&mut open_with(&zip, "archive.zip", Some(&mut helper)));
    assert!(
        helper.sends > 2,
        "sent as it was read: {} sends",
        helper.sends
    );
    assert!(helper.tokenizer.is_none(), "its result was asked for");
    // Told of the end of the texts (once outbox.json was read), with every send before it,
    // and asked for the result after.
    assert_eq!(helper.ended_after, Some(helper.sends));
    assert!(!helper.asked_before_end);
    // Told where outbox.json lies before the archive was listed: where the engine then asked
    // for it.
    assert!(helper.prepared.is_some());
    assert_eq!(helper.prepared, helper.asked);
    assert_eq!(there, here);
    // And what came back is what the index holds: mangled, searches find the mangled words.
    let mut mangling = Helper::new();
    mangling.mangle = true;
    let mut s = open_with(&zip, "archive.zip", Some(&mut mangling));
    assert_eq!(s.search(1, "lorem", Sort::Newest, "UTC", 0).total, 0);
    assert!(s.search(2, "qqqqq", Sort::Newest, "UTC", 0).total > 0);
}

/// A tar.gz whose gzip stream is inflated elsewhere, and its posts' texts tokenized there,
/// opens as one read here: the same summary and the same searches.
#[test]
fn a_tar_gz_inflated_elsewhere_opens_the_same() {
    let opts = permafrost_synth::Options {
        posts: 3_000,
        seed: 5,
        container: permafrost_synth::Container::TarGz,
        ..Default::default()
    };
    let mut tgz = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut tgz).unwrap();
    let tgz = tgz.into_inner();
    let open = |helper: Option<&mut Helper>| {
        Session::open_with_preview(
            vec![input("archive.tar.gz", &tgz)],
            &mut |_| {},
            &mut |_, _| {},
            helper.map(|h| h as &mut dyn permafrost_session::Elsewhere),
            no_clock(),
        )
        .unwrap()
    };
    let (mut here, opened_here) = open(None);
    let found_here = findings(&mut here);
    let mut helper = Helper::new();
    helper.gzip = Some(tgz.clone());
    let (mut there, opened_there) = open(Some(&mut helper));
    assert_eq!(helper.gzip_asked, ["archive.tar.gz"]);
    assert!(helper.sends > 0, "the posts' texts went elsewhere too");
    assert_eq!(opened_there, opened_here);
    assert_eq!(findings(&mut there), found_here);
    // A zip is not inflated as a gzip stream.
    let mut zip_helper = Helper::new();
    open_with(&generated_zip(100), "archive.zip", Some(&mut zip_helper));
    assert!(zip_helper.gzip_asked.is_empty());
}

/// Texts refused mid-way, or a result for other posts: the text is tokenized here, and the
/// searches find the same.
#[test]
fn posts_text_not_taken_or_wrong_is_tokenized_here() {
    let zip = generated_zip(5_000);
    let here = findings(&mut open_with(&zip, "archive.zip", None));
    let mut refusing = Helper::new();
    refusing.refuse_after = 1;
    assert_eq!(
        findings(&mut open_with(&zip, "archive.zip", Some(&mut refusing))),
        here
    );
    assert!(refusing.tokenizer.is_some(), "not asked for a result");
    let mut wrong = Helper::new();
    wrong.wrong = true;
    assert_eq!(
        findings(&mut open_with(&zip, "archive.zip", Some(&mut wrong))),
        here
    );
}

/// A second `orderedItems` in outbox.json starts the posts again: texts already sent are of
/// posts no longer there, so no more are sent and the text is tokenized here.
#[test]
fn posts_read_again_are_tokenized_here() {
    let item = |i: usize, word: &str| {
        format!(
            r#"{{"id":"https://ex.social/s/{i}/activity","type":"Create","actor":"https://ex.social/users/a",
            "object":{{"id":"https://ex.social/s/{i}","type":"Note","published":"2023-01-02T03:04:05Z",
            "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>{word} {i}</p>"}}}}"#
        )
    };
    let list = |word: &str| {
        (0..3000)
            .map(|i| item(i, word))
            .collect::<Vec<_>>()
            .join(",")
    };
    let outbox = format!(
        r#"{{"orderedItems":[{}],"orderedItems":[{}]}}"#,
        list("first"),
        list("second")
    );
    let mut helper = Helper::new();
    let mut s = open_with(outbox.as_bytes(), "outbox.json", Some(&mut helper));
    assert!(helper.sends >= 1);
    assert!(helper.tokenizer.is_some(), "not asked for a result");
    assert_eq!(s.search(1, "second", Sort::Newest, "UTC", 0).total, 3000);
    assert_eq!(s.search(2, "first", Sort::Newest, "UTC", 0).total, 0);
}
