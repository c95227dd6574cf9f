//! The page's JSON codec for the worker protocol: reads [`Response`]s, writes requests.
//!
//! The worker writes responses with serde (`Response::to_json`). Reading them back with serde's
//! derived code costs the main bundle about 65 KB gzip (internally tagged enums buffer their
//! content, and every struct gets its own visitors). So the page parses the JSON with the
//! browser's `JSON.parse` and reads the fields it needs through this small trait instead;
//! requests are written through `JSON.stringify` by [`encode`].
//!
//! tests/codec.rs decodes every message of `permafrost_protocol::samples` (one of each variant,
//! which the protocol's own tests keep complete) and compares with serde: a message added to the
//! protocol and not to this file fails that test.

use permafrost_model::summary::{
    AccountSummary, DiagnosticSummary, MediaCounts, Summary, VisibilityCounts,
};
use permafrost_model::{ImageRef, Message};
use permafrost_protocol::{
    AccountView, AddedFile, AddedView, BroaderQuery, CsvKind, KeptArchive, KeptList, KeptOpen,
    ListInfo, PeopleFile, PeopleSort,
};
use permafrost_protocol::{
    Actor, AttachmentView, Block, Completions, Cut, FacetGroup, FacetValue, Href, Inline,
    MediaKind, Opened, ParentView, Poll, PollOption, PostKind, PostView, ProfileField, Progress,
    QueryFilter, Response, ResponseBody, Results, RichText, Stage, Visibility,
};
use permafrost_protocol::{AltMonth, SavedItem, SavedList, SavedView, StatsView};
use permafrost_protocol::{ExportDone, ExportOptions, ExportPlan, LeftOut, Selection};
use permafrost_protocol::{MediaItem, MediaKindCount, MediaLibraryView, MediaRef, RequestBody};
use permafrost_protocol::{PeopleTable, PeopleTableInfo, PeopleView, PersonRow};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

/// A value that can be read from parsed JSON.
pub trait FromJs: Sized {
    /// Reads a value; `None` when it does not have the expected shape.
    fn from_js(v: &JsValue) -> Option<Self>;
}

/// Parses a response's JSON text.
pub fn response(text: &str) -> Option<Response> {
    Response::from_js(&js_sys::JSON::parse(text).ok()?)
}

// Not inlined: one call per field is smaller than the lookup copied into every decoder.
#[inline(never)]
fn get<T: FromJs>(object: &JsValue, key: &'static str) -> Option<T> {
    T::from_js(&property(object, key)?)
}

/// The property `key` of `object`. Its name is made into a JavaScript string once and kept: a
/// Rust string handed to JavaScript is decoded there each time, and the names' decoding was a
/// third of the reading of a search's answer (profiled at 300,000 posts: 33 of 103 ms over 66
/// answers). The names are the decoders' literals, found by their address and length (a
/// literal may start where a longer one does), in a list sorted by both: a few hundred names
/// at most. (A `HashMap` here cost the bundle 5 KB gzip of hashing code.)
#[inline(never)]
fn property(object: &JsValue, key: &'static str) -> Option<JsValue> {
    thread_local! {
        static NAMES: std::cell::RefCell<Vec<((usize, usize), JsValue)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let id = (key.as_ptr() as usize, key.len());
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        let at = names
            .binary_search_by_key(&id, |(id, _)| *id)
            .unwrap_or_else(|at| {
                names.insert(at, (id, JsValue::from_str(key)));
                at
            });
        let (_, name) = names.get(at)?;
        js_sys::Reflect::get(object, name).ok()
    })
}

fn tag(object: &JsValue, key: &'static str) -> Option<String> {
    get::<String>(object, key)
}

impl FromJs for String {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_string()
    }
}

impl FromJs for Box<str> {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_string().map(String::into_boxed_str)
    }
}

impl FromJs for bool {
    fn from_js(v: &JsValue) -> Option<Self> {
        v.as_bool()
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl FromJs for $t {
            fn from_js(v: &JsValue) -> Option<Self> {
                v.as_f64().map(|n| n as $t)
            }
        }
    )*};
}
numbers!(u8, u32, u64, i64, usize, f32);

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(v: &JsValue) -> Option<Self> {
        if v.is_null() || v.is_undefined() {
            Some(None)
        } else {
            T::from_js(v).map(Some)
        }
    }
}

impl<T: FromJs> FromJs for Box<T> {
    fn from_js(v: &JsValue) -> Option<Self> {
        T::from_js(v).map(Box::new)
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(v: &JsValue) -> Option<Self> {
        let array = v.dyn_ref::<js_sys::Array>()?;
        array.iter().map(|item| T::from_js(&item)).collect()
    }
}

impl<A: FromJs, B: FromJs> FromJs for (A, B) {
    fn from_js(v: &JsValue) -> Option<Self> {
        let array = v.dyn_ref::<js_sys::Array>()?;
        Some((A::from_js(&array.get(0))?, B::from_js(&array.get(1))?))
    }
}

impl<V: FromJs> FromJs for BTreeMap<String, V> {
    fn from_js(v: &JsValue) -> Option<Self> {
        let object = v.dyn_ref::<js_sys::Object>()?;
        js_sys::Object::entries(object)
            .iter()
            .map(|pair| <(String, V)>::from_js(&pair))
            .collect()
    }
}

/// Implements [`FromJs`] for a struct whose fields serde writes under their own names.
macro_rules! structs {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl FromJs for $ty {
            fn from_js(v: &JsValue) -> Option<Self> {
                Some($ty { $($field: get(v, stringify!($field))?,)* })
            }
        }
    )*};
}

/// Implements [`FromJs`] for a unit-variant enum written in snake_case.
macro_rules! names {
    ($($ty:ident { $($name:literal => $variant:ident),* $(,)? })*) => {$(
        impl FromJs for $ty {
            fn from_js(v: &JsValue) -> Option<Self> {
                match v.as_string()?.as_str() {
                    $($name => Some($ty::$variant),)*
                    _ => None,
                }
            }
        }
    )*};
}

structs! {
    Response { id, body }
    Progress { stage, done, total, posts }
    Opened {
        summary, actor, has_avatar, has_header, completions, elapsed_ms, filters, accounts,
        unattributed, kept,
    }
    KeptOpen { key, rebuilt }
    KeptList { archives, open, usage, quota }
    KeptArchive { key, names, accounts, posts, bytes, kept_at, damaged }
    AccountView { name, actor, has_avatar, has_header, posts, archives }
    Message { code, args, text }
    QueryFilter { key, hint, values }
    Completions { hashtags, mentions, languages }
    ExportPlan { posts, media_files, media_bytes, left_out, file_name, mime }
    LeftOut { followers, direct, boosts, media_files, likes, bookmarks, mentions }
    ExportDone { file_name, mime, posts, media_files, bytes }
    Results { search, total, matched, posts, facets, errors, unfinished, elapsed_ms }
    FacetGroup { key, label, values }
    StatsView { total, per_month, per_day, punchcard, groups, alt_text, errors }
    AltMonth { month, attachments, described }
    SavedView { list, present, total, matching, own, servers, accounts, items }
    SavedItem { uri, link, account, own }
    FacetValue { label, term, count }
    BroaderQuery { without, query, total }
    PeopleView {
        table, sort, tables, files, missing, export_page, owner, total, matching, offset, rows,
        domains, lists, errors,
    }
    PeopleTableInfo { table, present, total }
    PeopleFile { name, kind, rows }
    ListInfo { title, members }
    PersonRow {
        address, list, followed, show_boosts, notify, languages, hide_notifications, lists,
        mentions, boosts, mention_term, boost_term,
    }
    AddedView { files, summary, unattributed, not_kept }
    AddedFile { name, kind, rows, error, problems, diagnostics }
    MediaLibraryView {
        total, offset, items, posts, posts_with_media, kinds, attachments, described, errors,
    }
    MediaKindCount { kind, attachments, described }
    MediaItem { post, index, id, published, month, sensitive, path, attachment }
    PostView {
        index, id, kind, link, published, updated, visibility, in_reply_to, in_reply_to_link,
        parent, boost_of, boost_of_link, boosted_account, quote_of, content_warning, content,
        content_cut, language, sensitive, attachments, more_attachments, poll, more_poll_options,
        hashtags, more_hashtags, mentions, likes, shares, highlights, thread_len, account,
    }
    Cut { pieces, chars }
    ParentView { index, published, excerpt }
    AttachmentView { kind, media_type, alt, blurhash, width, height, duration, present }
    Poll { multiple, options, end_time, closed, voters }
    PollOption { name, votes }
    RichText { blocks }
    Href { url, host }
    Actor {
        id, kind, username, handle, display_name, bio, fields, url, created, followers, following,
        avatar, header, locked, discoverable, also_known_as, moved_to,
    }
    ProfileField { name, value }
    ImageRef { url, media_type, alt }
    AccountSummary { handle, display_name, created }
    VisibilityCounts { public, unlisted, private, direct }
    MediaCounts { referenced, present, missing, without_alt }
}

names! {
    Stage { "reading" => Reading, "parsing" => Parsing, "finishing" => Finishing, "indexing" => Indexing }
    PostKind { "original" => Original, "boost" => Boost }
    Visibility { "public" => Public, "unlisted" => Unlisted, "private" => Private, "direct" => Direct }
    SavedList { "likes" => Likes, "bookmarks" => Bookmarks }
    MediaKind { "image" => Image, "gif" => Gif, "video" => Video, "audio" => Audio, "other" => Other }
    PeopleTable {
        "following" => Following, "followers" => Followers, "lists" => Lists, "blocks" => Blocks,
        "mutes" => Mutes, "domain_blocks" => DomainBlocks, "not_mentioned" => NotMentioned,
        "mentioned_not_followed" => MentionedNotFollowed,
    }
    PeopleSort { "name" => Name, "mentions" => Mentions, "boosts" => Boosts, "file" => File }
    CsvKind {
        "following" => Following, "followers" => Followers, "lists" => Lists, "blocks" => Blocks,
        "mutes" => Mutes, "domain_blocks" => DomainBlocks, "bookmarks" => Bookmarks,
    }
}

impl FromJs for Summary {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(Summary {
            format: get(v, "format")?,
            account: get(v, "account")?,
            posts: get(v, "posts")?,
            originals: get(v, "originals")?,
            boosts: get(v, "boosts")?,
            replies: get(v, "replies")?,
            self_replies: get(v, "self_replies")?,
            visibility: get(v, "visibility")?,
            with_media: get(v, "with_media")?,
            polls: get(v, "polls")?,
            with_cw: get(v, "with_cw")?,
            edited: get(v, "edited")?,
            languages: get(v, "languages")?,
            media: get(v, "media")?,
            likes: get(v, "likes")?,
            bookmarks: get(v, "bookmarks")?,
            following: get(v, "following")?,
            followers: get(v, "followers")?,
            lists: get(v, "lists")?,
            blocks: get(v, "blocks")?,
            mutes: get(v, "mutes")?,
            domain_blocks: get(v, "domain_blocks")?,
            first_post: get(v, "first_post")?,
            last_post: get(v, "last_post")?,
            outbox_bytes: get(v, "outbox_bytes")?,
            diagnostics: get(v, "diagnostics")?,
            diagnostic_counts: get(v, "diagnostic_counts")?,
            duplicates_merged: get(v, "duplicates_merged")?,
            // Left out for one account.
            accounts: get::<Option<Vec<Summary>>>(v, "accounts")?.unwrap_or_default(),
        })
    }
}

impl FromJs for DiagnosticSummary {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(DiagnosticSummary {
            kind: get(v, "kind")?,
            location: get(v, "where")?,
            message: get(v, "message")?,
            place: get(v, "place").unwrap_or_default(),
            detail: get(v, "detail").unwrap_or_default(),
        })
    }
}

impl FromJs for ResponseBody {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(match tag(v, "type")?.as_str() {
            "Ready" => ResponseBody::Ready,
            "Progress" => ResponseBody::Progress(Progress::from_js(v)?),
            "Preview" => ResponseBody::Preview {
                total_so_far: get(v, "total_so_far")?,
                posts: get(v, "posts")?,
            },
            "Opened" => ResponseBody::Opened(Box::from_js(v)?),
            "Results" => ResponseBody::Results(Box::from_js(v)?),
            "Facets" => ResponseBody::Facets {
                search: get(v, "search")?,
                facets: get(v, "facets")?,
            },
            "Broader" => ResponseBody::Broader {
                search: get(v, "search")?,
                queries: get(v, "queries")?,
            },
            "Posts" => ResponseBody::Posts {
                search: get(v, "search")?,
                offset: get(v, "offset")?,
                posts: get(v, "posts")?,
            },
            "Media" => ResponseBody::Media {
                mime: get(v, "mime")?,
            },
            "MediaMissing" => ResponseBody::MediaMissing {
                reason: get(v, "reason")?,
            },
            "MediaPost" => ResponseBody::MediaPost {
                search: get(v, "search")?,
                position: get(v, "position")?,
                post: get(v, "post")?,
            },
            "RawJson" => ResponseBody::RawJson {
                text: get(v, "text")?,
            },
            "Indices" => ResponseBody::Indices {
                search: get(v, "search")?,
                offset: get(v, "offset")?,
                indices: get(v, "indices")?,
            },
            "ExportPlan" => ResponseBody::ExportPlan(Box::from_js(v)?),
            "Stats" => ResponseBody::Stats(Box::from_js(v)?),
            "Saved" => ResponseBody::Saved(Box::from_js(v)?),
            "People" => ResponseBody::People(Box::from_js(v)?),
            "Added" => ResponseBody::Added(Box::from_js(v)?),
            "Kept" => ResponseBody::Kept(Box::from_js(v)?),
            "MediaLibrary" => ResponseBody::MediaLibrary(Box::from_js(v)?),
            "ExportProgress" => ResponseBody::ExportProgress {
                done: get(v, "done")?,
                total: get(v, "total")?,
                bytes: get(v, "bytes")?,
            },
            "ExportPart" => ResponseBody::ExportPart,
            "Exported" => ResponseBody::Exported(Box::from_js(v)?),
            "Cancelled" => ResponseBody::Cancelled,
            "Error" => ResponseBody::Error {
                message: get(v, "message")?,
            },
            _ => return None,
        })
    }
}

/// `{"t": "Paragraph", "c": …}`: the model's adjacently tagged rich text.
impl FromJs for Block {
    fn from_js(v: &JsValue) -> Option<Self> {
        let c = property(v, "c")?;
        Some(match tag(v, "t")?.as_str() {
            "Paragraph" => Block::Paragraph(FromJs::from_js(&c)?),
            "Heading" => Block::Heading {
                level: get(&c, "level")?,
                content: get(&c, "content")?,
            },
            "Quote" => Block::Quote(FromJs::from_js(&c)?),
            "List" => Block::List {
                ordered: get(&c, "ordered")?,
                items: get(&c, "items")?,
            },
            "Code" => Block::Code(FromJs::from_js(&c)?),
            _ => return None,
        })
    }
}

impl FromJs for Inline {
    fn from_js(v: &JsValue) -> Option<Self> {
        let c = property(v, "c")?;
        Some(match tag(v, "t")?.as_str() {
            "Text" => Inline::Text(FromJs::from_js(&c)?),
            "Break" => Inline::Break,
            "Link" => Inline::Link {
                href: get(&c, "href")?,
                text: get(&c, "text")?,
                short: get(&c, "short")?,
            },
            "Mention" => Inline::Mention {
                text: get(&c, "text")?,
                href: get(&c, "href")?,
            },
            "Hashtag" => Inline::Hashtag {
                name: get(&c, "name")?,
                href: get(&c, "href")?,
            },
            "Emphasis" => Inline::Emphasis(FromJs::from_js(&c)?),
            "Strong" => Inline::Strong(FromJs::from_js(&c)?),
            "Strike" => Inline::Strike(FromJs::from_js(&c)?),
            "Code" => Inline::Code(FromJs::from_js(&c)?),
            _ => return None,
        })
    }
}

/// The JSON text of a request, as `Request { id, body }.to_json()` writes it.
pub fn encode(id: u32, body: &RequestBody) -> String {
    let o = js_sys::Object::new();
    let set = |o: &js_sys::Object, key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), &value);
    };
    let b = js_sys::Object::new();
    let (kind, fields): (&str, Vec<(&str, JsValue)>) = match body {
        RequestBody::Open { names } => ("Open", vec![("names", strings(names))]),
        RequestBody::Search {
            query,
            sort,
            time_zone,
            limit,
            collapse_threads,
        } => (
            "Search",
            vec![
                ("query", JsValue::from_str(query)),
                ("sort", JsValue::from_str(sort.as_str())),
                ("time_zone", JsValue::from_str(time_zone)),
                ("limit", (*limit).into()),
                ("collapse_threads", (*collapse_threads).into()),
            ],
        ),
        RequestBody::Facets => ("Facets", vec![]),
        RequestBody::Broader => ("Broader", vec![]),
        RequestBody::GetPosts { offset, limit } => (
            "GetPosts",
            vec![("offset", (*offset).into()), ("limit", (*limit).into())],
        ),
        RequestBody::GetMedia { media } => {
            let m = js_sys::Object::new();
            match media {
                MediaRef::Attachment { post, index } => {
                    set(&m, "of", JsValue::from_str("Attachment"));
                    set(&m, "post", (*post).into());
                    set(&m, "index", (*index).into());
                }
                MediaRef::Placeholder { post, index } => {
                    set(&m, "of", JsValue::from_str("Placeholder"));
                    set(&m, "post", (*post).into());
                    set(&m, "index", (*index).into());
                }
                MediaRef::Avatar => set(&m, "of", JsValue::from_str("Avatar")),
                MediaRef::Header => set(&m, "of", JsValue::from_str("Header")),
                MediaRef::AccountAvatar { account } | MediaRef::AccountHeader { account } => {
                    let of = if matches!(media, MediaRef::AccountAvatar { .. }) {
                        "AccountAvatar"
                    } else {
                        "AccountHeader"
                    };
                    set(&m, "of", JsValue::from_str(of));
                    set(&m, "account", (*account).into());
                }
            }
            ("GetMedia", vec![("media", m.into())])
        }
        RequestBody::RawJson { post } => ("RawJson", vec![("post", (*post).into())]),
        RequestBody::Indices { offset, limit } => (
            "Indices",
            vec![("offset", (*offset).into()), ("limit", (*limit).into())],
        ),
        RequestBody::PlanExport { selection, options } => (
            "PlanExport",
            vec![
                ("selection", selection_js(selection)),
                ("options", options_js(options)),
            ],
        ),
        RequestBody::Export { selection, options } => (
            "Export",
            vec![
                ("selection", selection_js(selection)),
                ("options", options_js(options)),
            ],
        ),
        RequestBody::CancelExport => ("CancelExport", vec![]),
        RequestBody::ListKept => ("ListKept", vec![]),
        RequestBody::Keep => ("Keep", vec![]),
        RequestBody::OpenKept { key, names } => (
            "OpenKept",
            vec![("key", JsValue::from_str(key)), ("names", strings(names))],
        ),
        RequestBody::Forget { key } => (
            "Forget",
            vec![(
                "key",
                key.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            )],
        ),
        RequestBody::Saved {
            list,
            filter,
            offset,
            limit,
            account,
        } => (
            "Saved",
            vec![
                (
                    "list",
                    JsValue::from_str(match list {
                        SavedList::Likes => "likes",
                        SavedList::Bookmarks => "bookmarks",
                    }),
                ),
                ("filter", JsValue::from_str(filter)),
                ("offset", (*offset).into()),
                ("limit", (*limit).into()),
                ("account", account.map_or(JsValue::NULL, JsValue::from)),
            ],
        ),
        RequestBody::People {
            table,
            filter,
            sort,
            query,
            time_zone,
            offset,
            limit,
        } => (
            "People",
            vec![
                ("table", JsValue::from_str(table.as_str())),
                ("filter", JsValue::from_str(filter)),
                (
                    "sort",
                    sort.map_or(JsValue::NULL, |s| JsValue::from_str(s.as_str())),
                ),
                ("query", JsValue::from_str(query)),
                ("time_zone", JsValue::from_str(time_zone)),
                ("offset", (*offset).into()),
                ("limit", (*limit).into()),
            ],
        ),
        RequestBody::AddFiles { names } => ("AddFiles", vec![("names", strings(names))]),
        RequestBody::Attribute { file, account } => (
            "Attribute",
            vec![
                ("file", JsValue::from_str(file)),
                ("account", (*account).into()),
            ],
        ),
        RequestBody::MediaLibrary {
            query,
            time_zone,
            kind,
            without_alt,
            oldest_first,
            offset,
            limit,
        } => (
            "MediaLibrary",
            vec![
                ("query", JsValue::from_str(query)),
                ("time_zone", JsValue::from_str(time_zone)),
                (
                    "kind",
                    kind.map_or(JsValue::NULL, |k| JsValue::from_str(k.as_str())),
                ),
                ("without_alt", (*without_alt).into()),
                ("oldest_first", (*oldest_first).into()),
                ("offset", (*offset).into()),
                ("limit", (*limit).into()),
            ],
        ),
        RequestBody::Stats { query, time_zone } => (
            "Stats",
            vec![
                ("query", JsValue::from_str(query)),
                ("time_zone", JsValue::from_str(time_zone)),
            ],
        ),
        RequestBody::FindMedia { position, forward } => (
            "FindMedia",
            vec![
                ("position", (*position).into()),
                ("forward", (*forward).into()),
            ],
        ),
    };
    set(&b, "type", JsValue::from_str(kind));
    for (key, value) in fields {
        set(&b, key, value);
    }
    set(&o, "id", id.into());
    set(&o, "body", b.into());
    js_sys::JSON::stringify(&o)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// A JSON array of strings.
fn strings(items: &[String]) -> JsValue {
    items
        .iter()
        .map(|n| JsValue::from_str(n))
        .collect::<js_sys::Array>()
        .into()
}

/// An object with these fields.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(key), value);
    }
    o.into()
}

/// `{"of": "Query", …}` or `{"of": "Posts", "posts": […]}`, as serde writes a [`Selection`].
fn selection_js(selection: &Selection) -> JsValue {
    match selection {
        Selection::Query {
            query,
            sort,
            time_zone,
            as_typed,
        } => object(&[
            ("of", "Query".into()),
            ("query", query.as_str().into()),
            ("sort", sort.as_str().into()),
            ("time_zone", time_zone.as_str().into()),
            ("as_typed", (*as_typed).into()),
        ]),
        Selection::Posts { posts } => {
            let list: js_sys::Array = posts.iter().map(|&p| JsValue::from(p)).collect();
            object(&[("of", "Posts".into()), ("posts", list.into())])
        }
    }
}

fn options_js(options: &ExportOptions) -> JsValue {
    let l = &options.leave_out;
    let leave_out = object(&[
        ("followers", l.followers.into()),
        ("direct", l.direct.into()),
        ("boosts", l.boosts.into()),
        ("media", l.media.into()),
        ("likes", l.likes.into()),
        ("bookmarks", l.bookmarks.into()),
    ]);
    object(&[
        ("format", options.format.as_str().into()),
        ("time_zone", options.time_zone.as_str().into()),
        ("bom", options.bom.into()),
        ("leave_out", leave_out),
        ("redact_mentions", options.redact_mentions.into()),
    ])
}
