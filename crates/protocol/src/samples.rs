//! One value of every message, for the tests of the codecs on both sides of the worker boundary.
//!
//! The page reads responses and writes requests with its own small codec (see the web app's
//! `codec` module), not with serde. Its tests decode every sample here and compare: a variant
//! that is added to the protocol without a sample fails [`tests`] below (it asks serde for the
//! full list of variants), and one with a sample but without a decoder fails the page's test.
//!
//! Built for this crate's tests and, behind the `samples` feature, for the web app's.

use crate::*;

/// Rich text with every kind of block and inline, including what must never run.
pub fn rich_text() -> RichText {
    RichText {
        blocks: vec![
            Block::Paragraph(vec![
                Inline::Text("a <b>".into()),
                Inline::Break,
                Inline::Link {
                    href: href("https://xn--mnchen-3ya.de/a", "münchen.de"),
                    text: "x.example/a".into(),
                    short: None,
                },
                Inline::Link {
                    href: None,
                    text: "javascript:alert(1)".into(),
                    short: Some("j".into()),
                },
                Inline::Mention {
                    text: "@bob".into(),
                    href: href("https://h.example/@bob", "h.example"),
                },
                Inline::Hashtag {
                    name: "Rust".into(),
                    href: None,
                },
                Inline::Emphasis(vec![Inline::Strong(vec![Inline::Strike(vec![
                    Inline::Code("c".into()),
                ])])]),
            ]),
            Block::Heading {
                level: 2,
                content: vec![Inline::Text("h".into())],
            },
            Block::Quote(vec![Block::Code("pre".into())]),
            Block::List {
                ordered: true,
                items: vec![vec![Block::Paragraph(vec![])]],
            },
        ],
    }
}

/// A checked link: what a click opens, and the host shown.
fn href(url: &str, host: &str) -> Option<Href> {
    Some(Href {
        url: url.into(),
        host: host.into(),
    })
}

/// A post with every field set, of unusual values where it matters.
pub fn post() -> PostView {
    PostView {
        index: 3,
        id: "https://h.example/s/1".into(),
        kind: PostKind::Boost,
        link: href("https://h.example/@a/1", "h.example"),
        published: Some(1_700_000_000),
        updated: Some(-5),
        visibility: Visibility::Direct,
        in_reply_to: Some("https://h.example/s/0".into()),
        in_reply_to_link: href("https://h.example/s/0", "h.example"),
        parent: Some(ParentView {
            index: 1,
            published: None,
            excerpt: "e".into(),
        }),
        boost_of: Some("tag:x".into()),
        boost_of_link: None,
        boosted_account: Some("https://o.example/u".into()),
        quote_of: None,
        content_warning: Some("cw".into()),
        content: rich_text(),
        content_cut: Some(Cut {
            pieces: 49_000,
            chars: 400_000,
        }),
        language: Some("zh-CN".into()),
        sensitive: true,
        attachments: [
            MediaKind::Image,
            MediaKind::Gif,
            MediaKind::Video,
            MediaKind::Audio,
            MediaKind::Other,
        ]
        .into_iter()
        .map(|kind| AttachmentView {
            kind,
            media_type: Some("image/gif".into()),
            alt: None,
            blurhash: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".into()),
            width: Some(640),
            height: None,
            duration: Some(1.5),
            present: false,
        })
        .collect(),
        poll: Some(Poll {
            multiple: true,
            options: vec![PollOption {
                name: "<script>".into(),
                votes: Some(4),
            }],
            end_time: Some(1),
            closed: None,
            voters: Some(9),
        }),
        more_hashtags: 7,
        thread_len: 3,
        account: Some(1),
        more_attachments: 2,
        more_poll_options: (99_900, 12_345_678_901),
        hashtags: vec!["rust".into()],
        mentions: vec!["bob@h.example".into()],
        likes: Some(0),
        shares: None,
        highlights: vec!["Café".into()],
    }
}

/// The same post as an original, public reply.
fn other_post() -> PostView {
    PostView {
        kind: PostKind::Original,
        visibility: Visibility::Public,
        account: None,
        ..post()
    }
}

/// A query error with a suggestion, as the session sends it.
fn query_error() -> Message {
    Message {
        code: "query.unknown_filter".into(),
        args: vec![
            ("key".into(), "hass".into()),
            ("suggestion".into(), "has:media".into()),
        ],
        text: "unknown filter `hass:` (did you mean `has:media`?)".into(),
    }
}

fn summary() -> Summary {
    // Written as JSON: the summary's types live in the model and have many fields.
    serde_json::from_str(
        r#"{"format":"zip","account":{"handle":"a@b","display_name":"A","created":null},"posts":2,"originals":1,
        "boosts":1,"replies":0,"self_replies":0,"visibility":{"public":1,"unlisted":0,"private":0,"direct":0},
        "with_media":0,"polls":0,"with_cw":0,"edited":0,"languages":{"en":1,"zh-CN":2},
        "media":{"referenced":0,"present":0,"missing":0,"without_alt":0},"likes":null,"bookmarks":3,
        "following":null,"followers":null,"lists":{"Friends":2},"blocks":null,"mutes":null,"domain_blocks":null,
        "first_post":"2023-01-01T00:00:00Z","last_post":null,"outbox_bytes":12,
        "diagnostics":[{"kind":"note","where":"outbox.json","message":"m"},
        {"kind":"missing_media","where":"1 attachment 1","message":"a.png is …",
        "place":{"code":"place.attachment","args":[["post","1"],["n","1"]],"text":"1 attachment 1"},
        "detail":{"code":"diagnostic.missing_media","args":[["url","<a.png>"]],"text":"a.png is …"}}],
        "diagnostic_counts":{"note":1,"bad_item":3000000}}"#,
    )
    .expect("the sample summary matches the model")
}

/// A summary of two accounts' archives opened together: the total, and each account's own.
fn several_summary() -> Summary {
    let mut one = summary();
    one.duplicates_merged = 3;
    let mut total = summary();
    total.format = "zip+tar.gz".into();
    total.posts = 4;
    total.duplicates_merged = 3;
    total.accounts = vec![one.clone(), summary()];
    total
}

fn actor() -> Actor {
    serde_json::from_str(
        r#"{"id":"i","kind":"Person","username":"u","handle":"u@h","display_name":"<b>","bio":{"blocks":[]},
        "fields":[{"name":"n","value":{"blocks":[]}}],"url":{"url":"https://h.example/@u","host":"h.example"},"created":5,"followers":null,"following":null,
        "avatar":{"url":"a.png","media_type":null,"alt":"x"},"header":null,"locked":false,"discoverable":null,
        "also_known_as":["x"],"moved_to":null}"#,
    )
    .expect("the sample actor matches the model")
}

/// A People table with every field set.
fn people_view() -> PeopleView {
    PeopleView {
        table: PeopleTable::Lists,
        sort: PeopleSort::Name,
        tables: PeopleTable::ALL
            .into_iter()
            .enumerate()
            .map(|(i, table)| PeopleTableInfo {
                table,
                present: i % 3 != 1,
                total: i as u32 * 1_000_000,
            })
            .collect(),
        files: CsvKind::MASTODON
            .into_iter()
            .chain([CsvKind::Followers])
            .map(|kind| PeopleFile {
                name: format!("dir/{} (1) \"ü\"", kind.file_name()),
                kind,
                rows: 3,
            })
            .collect(),
        missing: vec![CsvKind::Bookmarks, CsvKind::DomainBlocks],
        export_page: Some("https://example.social/settings/export".into()),
        owner: Some("alice@example.social".into()),
        total: 4_000_000_000,
        matching: 2,
        offset: 1,
        rows: vec![
            PersonRow {
                address: "Bob@Example.org".into(),
                list: Some("Friends, \"close\"".into()),
                followed: true,
                show_boosts: Some(false),
                notify: None,
                languages: vec!["en".into(), "zh-CN".into()],
                hide_notifications: Some(true),
                lists: vec!["Friends, \"close\"".into(), "Work".into()],
                mentions: 12,
                boosts: 4_000_000_000,
                mention_term: Some("(@bob@example.org OR @bob@www.example.org)".into()),
                boost_term: Some("boosted:bob@example.org".into()),
            },
            PersonRow {
                address: "https://pleroma.example/users/c".into(),
                list: None,
                followed: false,
                show_boosts: None,
                notify: Some(true),
                languages: vec![],
                hide_notifications: None,
                lists: vec![],
                mentions: 0,
                boosts: 0,
                mention_term: None,
                boost_term: None,
            },
        ],
        domains: vec!["spam.example".into()],
        lists: vec![ListInfo {
            title: "Work".into(),
            members: 7,
        }],
        errors: vec![query_error(), "e \"q\"".into()],
    }
}

/// Every response, every variant at least once (some twice, with and without optional parts).
pub fn responses() -> Vec<ResponseBody> {
    let stages = [
        Stage::Reading,
        Stage::Parsing,
        Stage::Finishing,
        Stage::Indexing,
    ];
    let mut out = vec![ResponseBody::Ready];
    out.extend(stages.into_iter().map(|stage| {
        ResponseBody::Progress(Progress {
            stage,
            done: 1,
            total: None,
            posts: 2,
        })
    }));
    // Every order the page may be told of, on a table without rows.
    out.extend(PeopleSort::ALL.into_iter().map(|sort| {
        ResponseBody::People(Box::new(PeopleView {
            table: PeopleTable::DomainBlocks,
            sort,
            rows: vec![],
            lists: vec![],
            export_page: None,
            owner: None,
            ..people_view()
        }))
    }));
    out.extend([
        ResponseBody::Preview {
            total_so_far: 4096,
            posts: vec![post(), other_post()],
        },
        ResponseBody::Opened(Box::new(Opened {
            summary: summary(),
            actor: Some(actor()),
            has_avatar: true,
            has_header: false,
            completions: Completions {
                hashtags: vec![("rust".into(), 2)],
                mentions: vec![],
                languages: vec![("en".into(), 1)],
            },
            elapsed_ms: 7,
            filters: vec![QueryFilter {
                key: "has".into(),
                hint: "what it contains".into(),
                values: vec!["media".into(), "poll".into()],
            }],
            accounts: vec![],
            unattributed: vec![],
            kept: None,
        })),
        ResponseBody::Opened(Box::new(Opened {
            summary: several_summary(),
            actor: Some(actor()),
            has_avatar: false,
            has_header: true,
            completions: Completions::default(),
            elapsed_ms: 9,
            filters: vec![QueryFilter {
                key: "account".into(),
                hint: "one of the accounts open".into(),
                values: vec!["u@h".into(), "b@c".into()],
            }],
            accounts: vec![
                AccountView {
                    name: "u@h".into(),
                    actor: Some(actor()),
                    has_avatar: false,
                    has_header: true,
                    posts: 2,
                    archives: vec!["a.zip".into(), "a \"1\".zip".into()],
                },
                AccountView {
                    name: "b@c".into(),
                    actor: None,
                    has_avatar: false,
                    has_header: false,
                    posts: 2,
                    archives: vec!["b/".into()],
                },
            ],
            unattributed: vec!["lists.csv".into()],
            kept: Some(KeptOpen {
                key: "k-1a2b".into(),
                rebuilt: Some(Message {
                    code: "kept.stale".into(),
                    args: vec![],
                    text: "it was made by another version of Permafrost".into(),
                }),
            }),
        })),
        ResponseBody::Results(Box::new(Results {
            search: 4_000_000_000,
            total: 1,
            matched: 5,
            posts: vec![post()],
            facets: vec![FacetGroup {
                key: "year".into(),
                label: "Year".into(),
                values: vec![FacetValue {
                    label: "2023".into(),
                    term: "during:2023".into(),
                    count: 1,
                }],
            }],
            errors: vec!["e".into()],
            unfinished: vec!["u".into()],
            elapsed_ms: 1,
        })),
        ResponseBody::Broader {
            search: 4_000_000_000,
            queries: vec![BroaderQuery {
                without: "-(\"tea\" OR #café)".into(),
                query: "ü\nhas:media".into(),
                total: 4_000_000_000,
            }],
        },
        ResponseBody::Facets {
            search: 4_000_000_000,
            facets: vec![FacetGroup {
                key: "hashtag".into(),
                label: "Hashtags".into(),
                values: vec![FacetValue {
                    label: "#café \"ü\"".into(),
                    term: "#café".into(),
                    count: 4_000_000_000,
                }],
            }],
        },
        ResponseBody::Posts {
            search: 1,
            offset: 25,
            posts: vec![post()],
        },
        ResponseBody::Indices {
            search: 3,
            offset: 10,
            indices: vec![4, 0, 4_000_000_000],
        },
        ResponseBody::Media {
            mime: "image/png".into(),
        },
        ResponseBody::MediaMissing { reason: "r".into() },
        ResponseBody::MediaPost {
            search: 2,
            position: Some(4),
            post: Some(Box::new(post())),
        },
        ResponseBody::MediaPost {
            search: 2,
            position: None,
            post: None,
        },
        ResponseBody::RawJson { text: "{}".into() },
        ResponseBody::Saved(Box::new(SavedView {
            list: SavedList::Bookmarks,
            present: true,
            total: 4,
            matching: 2,
            own: 1,
            servers: vec![FacetValue {
                label: "example.org".into(),
                term: "example.org".into(),
                count: 2,
            }],
            accounts: vec![],
            items: vec![
                SavedItem {
                    uri: "https://example.org/users/a/statuses/1".into(),
                    link: href("https://example.org/users/a/statuses/1", "example.org"),
                    account: Some("a@example.org".into()),
                    own: Some(ParentView {
                        index: 3,
                        published: Some(1_700_000_000),
                        excerpt: "x".into(),
                    }),
                },
                SavedItem {
                    uri: "urn:x".into(),
                    link: None,
                    account: None,
                    own: None,
                },
            ],
        })),
        ResponseBody::People(Box::new(people_view())),
        ResponseBody::Kept(Box::default()),
        ResponseBody::Kept(Box::new(KeptList {
            archives: vec![
                KeptArchive {
                    key: "k-1a2b".into(),
                    names: vec!["archive \"ü\".zip".into(), "lists.csv".into()],
                    accounts: vec!["u@h".into(), "b@c".into()],
                    posts: 4_000_000_000,
                    bytes: 20_000_000_000,
                    kept_at: 1_764_633_600,
                    damaged: false,
                },
                KeptArchive {
                    key: "k-0".into(),
                    names: vec![],
                    accounts: vec![],
                    posts: 0,
                    bytes: 0,
                    kept_at: 0,
                    damaged: true,
                },
            ],
            open: Some("k-1a2b".into()),
            usage: Some(123_456_789),
            quota: None,
        })),
        ResponseBody::Added(Box::new(AddedView {
            files: vec![
                AddedFile {
                    name: "following_accounts.csv".into(),
                    kind: Some(CsvKind::Following),
                    rows: 797,
                    error: None,
                    problems: 2,
                    diagnostics: vec![DiagnosticSummary {
                        kind: "bad_csv_row".into(),
                        location: "following_accounts.csv line 3".into(),
                        message: "expected an account address like user@example.social".into(),
                        place: Message {
                            code: "place.line".into(),
                            args: vec![
                                ("file".into(), "following_accounts.csv".into()),
                                ("line".into(), "3".into()),
                            ],
                            text: "following_accounts.csv line 3".into(),
                        },
                        detail: Message::default(),
                    }],
                },
                AddedFile {
                    name: "archive \"2\".zip".into(),
                    kind: None,
                    rows: 0,
                    error: Some(Message {
                        code: "added.archive".into(),
                        args: vec![("found".into(), "a ZIP archive".into())],
                        text: "a ZIP archive, not a CSV export: …".into(),
                    }),
                    problems: 0,
                    diagnostics: vec![],
                },
            ],
            summary: several_summary(),
            unattributed: vec!["blocked_accounts.csv".into()],
            not_kept: Some(Message {
                code: "kept.keep_failed".into(),
                args: vec![("detail".into(), "QuotaExceededError".into())],
                text: "could not keep the archive on this device: QuotaExceededError".into(),
            }),
        })),
        ResponseBody::MediaLibrary(Box::new(MediaLibraryView {
            total: 4_000_000_000,
            offset: 500,
            items: vec![
                MediaItem {
                    post: 4_000_000_000,
                    index: 3,
                    id: "109876543210".into(),
                    published: Some(-86_400),
                    month: Some("1969-12".into()),
                    sensitive: true,
                    path: Some("media_attachments/files/1/\"ü\".png".into()),
                    attachment: AttachmentView {
                        kind: MediaKind::Audio,
                        media_type: Some("audio/mpeg".into()),
                        alt: Some("a \"b\"\n".into()),
                        blurhash: None,
                        width: None,
                        height: Some(4),
                        duration: Some(0.25),
                        present: true,
                    },
                },
                MediaItem {
                    post: 0,
                    index: 0,
                    id: "9abc".into(),
                    published: None,
                    month: None,
                    sensitive: false,
                    path: None,
                    attachment: AttachmentView {
                        kind: MediaKind::Other,
                        media_type: None,
                        alt: None,
                        blurhash: None,
                        width: None,
                        height: None,
                        duration: None,
                        present: false,
                    },
                },
            ],
            posts: 2,
            posts_with_media: 3,
            kinds: vec![
                MediaKindCount {
                    kind: MediaKind::Image,
                    attachments: 5,
                    described: 4,
                },
                MediaKindCount {
                    kind: MediaKind::Video,
                    attachments: 0,
                    described: 0,
                },
            ],
            attachments: 5,
            described: 4,
            errors: vec![query_error(), "e \"q\"".into()],
        })),
        ResponseBody::Stats(Box::new(StatsView {
            total: 3,
            per_month: vec![FacetValue {
                label: "2023-05".into(),
                term: "during:2023-05".into(),
                count: 3,
            }],
            per_day: vec![FacetValue {
                label: "2023-05-17".into(),
                term: "on:2023-05-17".into(),
                count: 2,
            }],
            punchcard: (0..168).collect(),
            groups: vec![FacetGroup {
                key: "boosted".into(),
                label: "Accounts you boosted".into(),
                values: vec![FacetValue {
                    label: "alice@example.org".into(),
                    term: "boosted:alice@example.org".into(),
                    count: 4_000_000_000,
                }],
            }],
            alt_text: vec![AltMonth {
                month: "2023-05".into(),
                attachments: 5,
                described: 2,
            }],
            errors: vec![query_error(), "e \"q\"".into()],
        })),
        ResponseBody::ExportPlan(Box::new(ExportPlan {
            posts: 3,
            media_files: 2,
            media_bytes: 5_000_000_000,
            left_out: LeftOut {
                followers: 1,
                direct: 2,
                boosts: 3,
                media_files: 4,
                likes: 5,
                bookmarks: 6,
                mentions: 7,
            },
            file_name: "permafrost-posts.csv".into(),
            mime: "text/csv".into(),
        })),
        ResponseBody::ExportProgress {
            done: 1,
            total: 2,
            bytes: 3,
        },
        ResponseBody::ExportPart,
        ResponseBody::Exported(Box::new(ExportDone {
            file_name: "a \"b\".zip".into(),
            mime: "application/zip".into(),
            posts: 1,
            media_files: 0,
            bytes: 22,
        })),
        ResponseBody::Cancelled,
        ResponseBody::Error {
            message: "m".into(),
        },
        ResponseBody::Error {
            message: Message {
                code: "open.unreadable".into(),
                args: vec![
                    ("file".into(), "a \"b\".zip".into()),
                    ("detail".into(), "gone".into()),
                ],
                text: "a \"b\".zip could not be read: gone".into(),
            },
        },
    ]);
    out
}

/// Every request, every variant at least once, with strings that need escaping.
pub fn requests() -> Vec<RequestBody> {
    let mut out = vec![RequestBody::Open {
        names: vec!["a \"b\".zip".into(), "dir/ü.csv".into()],
    }];
    out.extend(
        [Sort::Newest, Sort::Oldest, Sort::Relevance].map(|sort| RequestBody::Search {
            query: "#rust \\ \"x\"\n".into(),
            sort,
            time_zone: "Europe/Paris".into(),
            limit: 25,
            collapse_threads: sort == Sort::Oldest,
        }),
    );
    out.extend([
        RequestBody::Facets,
        RequestBody::Broader,
        RequestBody::GetPosts {
            offset: 4_000_000_000,
            limit: 25,
        },
        RequestBody::GetMedia {
            media: MediaRef::Attachment { post: 1, index: 2 },
        },
        RequestBody::GetMedia {
            media: MediaRef::Placeholder { post: 2, index: 0 },
        },
        RequestBody::GetMedia {
            media: MediaRef::Avatar,
        },
        RequestBody::GetMedia {
            media: MediaRef::Header,
        },
        RequestBody::GetMedia {
            media: MediaRef::AccountAvatar { account: 1 },
        },
        RequestBody::GetMedia {
            media: MediaRef::AccountHeader { account: 0 },
        },
        RequestBody::Attribute {
            file: "dir/\"ü\".csv".into(),
            account: 1,
        },
        RequestBody::RawJson { post: 0 },
        RequestBody::ListKept,
        RequestBody::Keep,
        RequestBody::OpenKept {
            key: "k-\"1\"".into(),
            names: vec![],
        },
        RequestBody::OpenKept {
            key: "k-1".into(),
            names: vec!["b.zip".into(), "dir/c.csv".into()],
        },
        RequestBody::Forget { key: None },
        RequestBody::Forget {
            key: Some("k-1a2b".into()),
        },
        RequestBody::FindMedia {
            position: 2,
            forward: true,
        },
        RequestBody::CancelExport,
        RequestBody::Saved {
            list: SavedList::Likes,
            filter: "Ex \"a\"".into(),
            offset: 100,
            limit: 50,
            account: Some(1),
        },
        RequestBody::Saved {
            list: SavedList::Bookmarks,
            filter: String::new(),
            offset: 0,
            limit: 50,
            account: None,
        },
        RequestBody::AddFiles {
            names: vec!["lists.csv".into(), "dir/\"ü\".csv".into()],
        },
    ]);
    out.extend(
        PeopleTable::ALL
            .into_iter()
            .enumerate()
            .map(|(i, table)| RequestBody::People {
                table,
                filter: if i == 0 {
                    "@Bob \"x\"".into()
                } else {
                    String::new()
                },
                sort: PeopleSort::ALL.get(i).copied(),
                query: if i == 1 {
                    "#rust \"a\"".into()
                } else {
                    String::new()
                },
                time_zone: "Europe/Paris".into(),
                offset: i as u32 * 100,
                limit: 500,
            }),
    );
    out.extend([
        RequestBody::Stats {
            query: "#rust \"a\"".into(),
            time_zone: "Europe/Berlin".into(),
        },
        RequestBody::Indices {
            offset: 5,
            limit: u32::MAX,
        },
        RequestBody::MediaLibrary {
            query: String::new(),
            time_zone: "UTC".into(),
            kind: None,
            without_alt: false,
            oldest_first: true,
            offset: 0,
            limit: 0,
        },
    ]);
    out.extend(
        [
            MediaKind::Image,
            MediaKind::Gif,
            MediaKind::Video,
            MediaKind::Audio,
            MediaKind::Other,
        ]
        .into_iter()
        .enumerate()
        .map(|(i, kind)| RequestBody::MediaLibrary {
            query: "#cats \"a\"".into(),
            time_zone: "Europe/Berlin".into(),
            kind: Some(kind),
            without_alt: i % 2 == 0,
            oldest_first: i % 2 == 1,
            offset: 4_000_000_000,
            limit: 100,
        }),
    );
    let selections = [
        Selection::Query {
            query: "-is:boost \"x\"".into(),
            sort: Sort::Oldest,
            time_zone: "Asia/Tokyo".into(),
            as_typed: true,
        },
        Selection::Posts {
            posts: vec![0, 4_000_000_000],
        },
    ];
    for (i, format) in ExportFormat::ALL.into_iter().enumerate() {
        let options = ExportOptions {
            format,
            time_zone: "UTC".into(),
            bom: i % 2 == 0,
            leave_out: LeaveOut {
                followers: i % 2 == 1,
                direct: true,
                boosts: i % 3 == 0,
                media: false,
                likes: i == 4,
                bookmarks: i != 4,
            },
            redact_mentions: i == 6,
        };
        let selection = selections[i % 2].clone();
        out.push(RequestBody::PlanExport {
            selection: selection.clone(),
            options: options.clone(),
        });
        out.push(RequestBody::Export { selection, options });
    }
    out
}

/// The names of a serde enum's variants, as serde writes them, read from the error serde gives
/// for an unknown one (`unknown variant ..., expected one of `A`, `B``). `probe` is JSON with the
/// unknown name `\u0000` where the tag goes.
pub fn variant_names<T: serde::de::DeserializeOwned + std::fmt::Debug>(probe: &str) -> Vec<String> {
    let error = match serde_json::from_str::<T>(probe) {
        Ok(value) => panic!("{probe} is not an unknown variant: read as {value:?}"),
        Err(e) => e.to_string(),
    };
    let expected = error
        .split_once("expected")
        .unwrap_or_else(|| panic!("serde's error has no list of variants: {error}"))
        .1;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of `enum` occurs in the samples' JSON as a tag or a unit name.
    fn covered(json: &str, enum_name: &str, names: Vec<String>) {
        assert!(names.len() >= 2, "{enum_name}: {names:?}");
        for name in names {
            assert!(
                json.contains(&format!("\"{name}\"")),
                "no sample has {enum_name}::{name}: add one to protocol/src/samples.rs, and \
                 make the web app's codec read (or write) it"
            );
        }
    }

    #[test]
    fn every_response_variant_has_a_sample() {
        let json: String = responses()
            .into_iter()
            .map(|body| Response { id: 1, body }.to_json())
            .collect();
        let tagged = r#"{"type":"\u0000"}"#;
        let adjacent = r#"{"t":"\u0000","c":null}"#;
        let unit = r#""\u0000""#;
        covered(&json, "ResponseBody", variant_names::<ResponseBody>(tagged));
        covered(&json, "Block", variant_names::<Block>(adjacent));
        covered(&json, "Inline", variant_names::<Inline>(adjacent));
        covered(&json, "Stage", variant_names::<Stage>(unit));
        covered(&json, "PostKind", variant_names::<PostKind>(unit));
        covered(&json, "Visibility", variant_names::<Visibility>(unit));
        covered(&json, "MediaKind", variant_names::<MediaKind>(unit));
        covered(&json, "CsvKind", variant_names::<CsvKind>(unit));
        covered(&json, "PeopleTable", variant_names::<PeopleTable>(unit));
        covered(&json, "PeopleSort", variant_names::<PeopleSort>(unit));
    }

    #[test]
    fn every_request_variant_has_a_sample() {
        let json: String = requests()
            .into_iter()
            .map(|body| Request { id: 1, body }.to_json())
            .collect();
        covered(
            &json,
            "RequestBody",
            variant_names::<RequestBody>(r#"{"type":"\u0000"}"#),
        );
        covered(
            &json,
            "MediaRef",
            variant_names::<MediaRef>(r#"{"of":"\u0000"}"#),
        );
        covered(&json, "Sort", variant_names::<Sort>(r#""\u0000""#));
        covered(
            &json,
            "MediaKind",
            variant_names::<MediaKind>(r#""\u0000""#),
        );
        covered(
            &json,
            "Selection",
            variant_names::<Selection>(r#"{"of":"\u0000"}"#),
        );
        covered(
            &json,
            "PeopleTable",
            variant_names::<PeopleTable>(r#""\u0000""#),
        );
        covered(
            &json,
            "PeopleSort",
            variant_names::<PeopleSort>(r#""\u0000""#),
        );
        covered(
            &json,
            "ExportFormat",
            variant_names::<ExportFormat>(r#""\u0000""#),
        );
    }

    #[test]
    fn samples_round_trip_through_serde() {
        for (id, body) in responses().into_iter().enumerate() {
            let response = Response {
                id: id as u32,
                body,
            };
            assert_eq!(
                Response::from_json(&response.to_json()).ok(),
                Some(response)
            );
        }
        for (id, body) in requests().into_iter().enumerate() {
            let request = Request {
                id: id as u32,
                body,
            };
            assert_eq!(Request::from_json(&request.to_json()).ok(), Some(request));
        }
    }

    #[test]
    fn variant_names_come_from_serde() {
        assert_eq!(
            variant_names::<Sort>(r#""\u0000""#),
            ["newest", "oldest", "relevance"]
        );
    }
}
