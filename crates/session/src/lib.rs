//! An open Permafrost archive and the answers to what the page asks of it.
//!
//! The web worker (crates/worker) is a thin shell around this crate: it turns the page's `File`s
//! into `Read + Seek` sources, calls [`Session::open`], and passes every other
//! [`permafrost_protocol::Request`] to [`Session::answer`], posting back what it returns. All the
//! logic is here, in plain Rust over any `Read + Seek` source, so that it is tested natively with
//! `cargo test` on generated and real archives.
//!
//! # Where things go
//! - A new kind of request: a variant in `permafrost_protocol::RequestBody` (and its answer in
//!   `ResponseBody`), a match arm in [`Session::answer`], the work in a module here. The worker
//!   does not change.
//! - [`views`]: the model's posts as the page's `PostView`s. `search`: the index, shaped
//!   for the page (hits in order, facets as query terms).
//!   `people`: the People view (the CSV exports crossed with the posts); [`Session::add_files`]
//!   adds CSV exports to the open archive. `media_library`: the media library's pages, from a
//!   list kept per question ([`MediaFilter`]).
//! - [`export`]: every export format, written in time slices. The worker calls
//!   [`Session::answer`] (an `Export` request answers [`Answer::Later`]), then, while
//!   [`Session::is_exporting`], [`Session::step_export`] and [`Session::take_events`] between
//!   other requests; the CLI calls [`Session::export_to`], which runs the same slices.
//!
//! # Example
//! ```
//! use permafrost_engine::Input;
//! use permafrost_protocol::{RequestBody, ResponseBody, Sort};
//! use permafrost_session::{Answer, Session};
//! use std::io::Cursor;
//!
//! let outbox = r##"{"orderedItems":[{"type":"Create","id":"https://ex.social/s/1/activity",
//!   "object":{"type":"Note","id":"https://ex.social/s/1","content":"<p>Hello #rust</p>",
//!   "published":"2023-01-02T03:04:05Z","to":["https://www.w3.org/ns/activitystreams#Public"],
//!   "tag":[{"type":"Hashtag","name":"#rust"}]}}]}"##;
//! let inputs = vec![Input::new("outbox.json", Cursor::new(outbox.as_bytes().to_vec()))];
//! let (mut session, opened) = Session::open(inputs, &mut |_| {}, Box::new(|| 0.0)).unwrap();
//! assert_eq!(opened.summary.posts, 1);
//!
//! let search = RequestBody::Search {
//!     query: "#rust".into(),
//!     sort: Sort::Newest,
//!     time_zone: "UTC".into(),
//!     limit: 10,
//!     collapse_threads: false,
//! };
//! let Answer::Body(ResponseBody::Results(results)) = session.answer(7, search) else { panic!() };
//! assert_eq!((results.search, results.total), (7, 1));
//! ```

pub mod export;
mod media_library;
pub mod messages;
mod people;
mod saved;
mod search;
pub mod snapshot;
pub mod views;

pub use media_library::MediaFilter;
use media_library::MediaList;
use permafrost_engine::{
    glance, load_observed, placeholder, summarize, summarize_with, GzipElsewhere, Input, Limits,
    Loaded, Observer, Span,
};
use permafrost_index::{Mode, Tokenized};
use permafrost_model::{Account, Message};
use permafrost_protocol::{
    AccountView, AddedFile, AddedView, Completions, DiagnosticSummary, ExportDone, ExportOptions,
    MediaLibraryView, MediaRef, Opened, PeopleView, PostView, Progress, QueryFilter, RequestBody,
    ResponseBody, Results, Selection, Sort, Stage,
};
use search::Searcher;
use std::io::{Read, Seek};
use views::Parents;

/// Media files larger than this are refused (no Mastodon upload comes near it).
const MAX_MEDIA_BYTES: u64 = 1 << 30;

/// Most liked or bookmarked addresses, or media library items, sent in one answer: the page asks
/// for more as it needs.
pub const MAX_PAGE: u32 = 500;

/// Posts in a preview sent while outbox.json is read.
pub const PREVIEW_POSTS: usize = 20;

/// Previews are sent at most this often (milliseconds): each costs the worker a little time.
const PREVIEW_INTERVAL_MS: f64 = 1000.0;

/// Most completions of each kind sent to the page.
const MAX_COMPLETIONS: usize = 500;

/// An export works this long (milliseconds) per [`Session::step_export`] before it lets the
/// worker answer other requests.
pub const EXPORT_SLICE_MS: f64 = 40.0;

/// Milliseconds since some fixed moment: `Date.now` in the worker, a test's own clock natively.
pub type Clock = Box<dyn Fn() -> f64>;

/// What [`Session::answer`] gives back: a response body, and for media and export parts the
/// bytes, which travel beside the JSON (transferred, not copied).
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// A plain answer.
    Body(ResponseBody),
    /// A [`ResponseBody::Media`] or [`ResponseBody::ExportPart`] with its bytes.
    WithBytes {
        /// The answer (the media's MIME type, or the part).
        body: ResponseBody,
        /// The file, or the part of the export.
        bytes: Vec<u8>,
    },
    /// Nothing to post now: the answer comes later, as events ([`Session::take_events`]).
    Later,
}

/// A search as [`RequestBody::Search`] asks it.
struct SearchAsk<'a> {
    query: &'a str,
    sort: Sort,
    time_zone: &'a str,
    limit: u32,
    collapse_threads: bool,
}

/// The last search: its id (the request's) and its matching posts in order.
struct LastSearch {
    id: u32,
    hits: Vec<u32>,
}

/// An open archive and what has been asked of it.
pub struct Session<R> {
    loaded: Loaded<R>,
    parents: Parents,
    searcher: Searcher,
    last: LastSearch,
    now_ms: Clock,
    export: Option<export::Job>,
    events: Vec<(u32, Answer)>,
    export_source: Option<export::ExportSource>,
    /// The People view's counts for the last query it was asked about.
    people: Option<people::Counts>,
    /// The media library's last list, for its next pages.
    media: Option<MediaList>,
}

impl<R: Read + Seek> Session<R> {
    /// Opens what the user gave, reporting progress.
    pub fn open(
        inputs: Vec<Input<R>>,
        progress: &mut dyn FnMut(Progress),
        now_ms: Clock,
    ) -> Result<(Session<R>, Opened), Message> {
        Session::open_observed(inputs, progress, None, None, now_ms)
    }

    /// Opens what the user gave, reporting progress, and now and then (about once a second at
    /// most) giving `preview` the number of posts read so far and the newest
    /// [`PREVIEW_POSTS`] of them (see [`permafrost_protocol::ResponseBody::Preview`]).
    /// `elsewhere`, when given, may read outbox.json's contents elsewhere (see
    /// [`permafrost_engine::Observer::outbox_elsewhere`]).
    pub fn open_with_preview(
        inputs: Vec<Input<R>>,
        progress: &mut dyn FnMut(Progress),
        preview: &mut dyn FnMut(u64, Vec<PostView>),
        elsewhere: Option<&mut dyn Elsewhere>,
        now_ms: Clock,
    ) -> Result<(Session<R>, Opened), Message> {
        Session::open_observed(inputs, progress, Some(preview), elsewhere, now_ms)
    }

    /// [`Session::open_with_preview`], or without previews (`None`): then no glance is taken
    /// and no post is drawn for one.
    fn open_observed(
        mut inputs: Vec<Input<R>>,
        progress: &mut dyn FnMut(Progress),
        mut preview: Option<&mut dyn FnMut(u64, Vec<PostView>)>,
        elsewhere: Option<&mut dyn Elsewhere>,
        now_ms: Clock,
    ) -> Result<(Session<R>, Opened), Message> {
        let start = now_ms();
        let mut elsewhere = elsewhere;
        // outbox.json read elsewhere from now on, where it is the first entry of the one
        // archive given (as Mastodon writes it), while the archive is listed here.
        if let Some(elsewhere) = elsewhere.as_mut() {
            let mut archives = inputs
                .iter_mut()
                .filter(|i| !permafrost_engine::is_csv_name(&i.name));
            if let (Some(input), None) = (archives.next(), archives.next()) {
                let span = permafrost_engine::first_zip_span(&mut input.source)
                    .filter(|span| span.name.rsplit('/').next() == Some("outbox.json"));
                if let Some(span) = span {
                    elsewhere.prepare_outbox(&input.name, &span, &Limits::default());
                }
                // The glance below reads from the start, as the engine does after it.
                let _ = input.source.seek(std::io::SeekFrom::Start(0));
            }
        }
        // The first posts at once, from the start of the archive, before it is listed.
        let mut last_preview = None;
        if let Some(preview) = preview.as_mut() {
            let glanced = inputs
                .iter_mut()
                .find_map(|input| glance(&mut input.source));
            if let Some(first) = glanced {
                preview(
                    first.posts.len() as u64,
                    views::preview(&first, PREVIEW_POSTS),
                );
                last_preview = Some(now_ms());
            }
        }
        let mut watch = Watch {
            progress: &mut *progress,
            // Reborrowed: the trait object's lifetime shortens only through a cast.
            preview: preview
                .as_mut()
                .map(|p| &mut **p as &mut dyn FnMut(u64, Vec<PostView>)),
            now_ms: &now_ms,
            last_preview,
            texts_sent: elsewhere.is_some().then(|| (0, String::new())),
            // Reborrowed, as `preview` above.
            elsewhere: elsewhere.map(|e| e as &mut dyn Elsewhere),
            texts: Vec::new(),
            plain: String::new(),
        };
        let loaded = load_observed(inputs, &mut watch).map_err(|e| e.message())?;
        // The last posts' text goes elsewhere, and what does not need the index is made while
        // it is tokenized there.
        watch.send_texts(&loaded.account);
        let (parents, opened) = Session::describe(&loaded);
        (watch.progress)(Progress {
            stage: Stage::Indexing,
            done: 0,
            total: None,
            posts: loaded.account.posts.len() as u64,
        });
        // The text part asked for last, so that the helper has the rest of the index's time to
        // finish it.
        let self_replies = parents.self_reply_parents(&loaded.account);
        let searcher = Searcher::build_then(&loaded.account, self_replies, || {
            watch.tokenized(&loaded.account)
        });
        drop(watch);
        Ok(Session::assemble_with(
            loaded, searcher, parents, opened, now_ms, start,
        ))
    }

    /// A session over what was opened (or restored from a snapshot), and what the page is told
    /// about it.
    fn assemble(
        loaded: Loaded<R>,
        searcher: Searcher,
        now_ms: Clock,
        start: f64,
    ) -> (Session<R>, Opened) {
        let (parents, opened) = Session::describe(&loaded);
        Session::assemble_with(loaded, searcher, parents, opened, now_ms, start)
    }

    /// What [`Session::assemble`] makes of what was opened without its index: the posts found
    /// by URI, and what the page is told (all but the time it took).
    fn describe(loaded: &Loaded<R>) -> (Parents, Opened) {
        // The table of the posts' ids made for reply excerpts also finds self-replies for the
        // summary (hashing every id twice was a fiftieth of opening 100,000 posts).
        let parents = Parents::new(&loaded.account);
        let account = &loaded.account;
        let opened = Opened {
            summary: summarize_with(loaded, &|id| parents.is_original_id(account, id)),
            actor: loaded.account.actor.clone(),
            has_avatar: loaded.avatar_entry.is_some(),
            has_header: loaded.header_entry.is_some(),
            completions: completions(&loaded.account),
            elapsed_ms: 0,
            filters: query_filters(loaded),
            accounts: account_views(loaded),
            unattributed: loaded.unattributed(),
            kept: None,
        };
        (parents, opened)
    }

    /// [`Session::assemble`], with what [`Session::describe`] made.
    fn assemble_with(
        loaded: Loaded<R>,
        searcher: Searcher,
        parents: Parents,
        mut opened: Opened,
        now_ms: Clock,
        start: f64,
    ) -> (Session<R>, Opened) {
        opened.elapsed_ms = (now_ms() - start).max(0.0) as u32;
        let session = Session {
            loaded,
            parents,
            searcher,
            last: LastSearch {
                id: 0,
                hits: Vec::new(),
            },
            now_ms,
            export: None,
            events: Vec::new(),
            export_source: None,
            people: None,
            media: None,
        };
        (session, opened)
    }

    /// The handles of the accounts open (`alice@example.social`), for the list of kept
    /// archives: each account's with several open, else the profile's (none without actor.json).
    pub fn handles(&self) -> Vec<String> {
        let owners = &self.loaded.account.owners.names;
        if !owners.is_empty() {
            return owners.iter().map(|n| n.to_string()).collect();
        }
        let handle = self.loaded.account.actor.as_ref().map(|a| a.handle.clone());
        handle.into_iter().filter(|h| !h.is_empty()).collect()
    }

    /// The number of posts open.
    pub fn post_count(&self) -> usize {
        self.loaded.account.posts.len()
    }

    /// The answer to request `id` (any but [`RequestBody::Open`], which the caller handles: it
    /// makes a new session).
    pub fn answer(&mut self, id: u32, body: RequestBody) -> Answer {
        let error = |message: Message| Answer::Body(ResponseBody::Error { message });
        let body = match body {
            RequestBody::Open { .. } => return error(messages::ALREADY_OPEN.message()),
            RequestBody::Search {
                query,
                sort,
                time_zone,
                limit,
                collapse_threads,
            } => {
                let ask = SearchAsk {
                    query: &query,
                    sort,
                    time_zone: &time_zone,
                    limit,
                    collapse_threads,
                };
                // Facets come when the page asks for them (`RequestBody::Facets`).
                ResponseBody::Results(Box::new(self.run_search(id, ask, false)))
            }
            RequestBody::Facets => ResponseBody::Facets {
                search: self.last.id,
                facets: self.searcher.facets(),
            },
            RequestBody::Broader => ResponseBody::Broader {
                search: self.last.id,
                queries: self.searcher.broader(),
            },
            RequestBody::Saved {
                list,
                filter,
                offset,
                limit,
                account,
            } => ResponseBody::Saved(Box::new(saved::saved(
                &self.loaded.account,
                &self.parents,
                saved::Whose::of(&self.loaded, account),
                list,
                &filter,
                offset,
                limit.min(MAX_PAGE),
            ))),
            RequestBody::People {
                table,
                filter,
                sort,
                query,
                time_zone,
                offset,
                limit,
            } => {
                let ask = people::Ask {
                    table,
                    filter: &filter,
                    sort,
                    offset,
                    limit: limit.min(MAX_PAGE),
                };
                ResponseBody::People(Box::new(self.people(&query, &time_zone, ask)))
            }
            RequestBody::Attribute { file, account } => match self.attribute(&file, account) {
                Ok(view) => ResponseBody::Added(Box::new(view)),
                Err(message) => ResponseBody::Error { message },
            },
            RequestBody::ListKept
            | RequestBody::Keep
            | RequestBody::OpenKept { .. }
            | RequestBody::Forget { .. } => {
                return error(
                    "what is kept on the device is the worker's: it answers these itself".into(),
                )
            }
            RequestBody::AddFiles { .. } => {
                return error(
                    "the files to add travel beside the request: the worker passes them to \
                     Session::add_files"
                        .into(),
                )
            }
            RequestBody::MediaLibrary {
                query,
                time_zone,
                kind,
                without_alt,
                oldest_first,
                offset,
                limit,
            } => {
                let filter = MediaFilter {
                    query,
                    time_zone,
                    kind,
                    without_alt,
                    oldest_first,
                    as_typed: true,
                };
                let view = self.media_library(filter, offset, limit.min(MAX_PAGE));
                ResponseBody::MediaLibrary(Box::new(view))
            }
            RequestBody::Stats { query, time_zone } => ResponseBody::Stats(Box::new(
                self.searcher
                    .stats(&self.loaded.account, &query, &time_zone),
            )),
            RequestBody::GetPosts { offset, limit } => ResponseBody::Posts {
                search: self.last.id,
                offset,
                posts: self.posts(offset, limit),
            },
            RequestBody::Indices { offset, limit } => {
                let hits = &self.last.hits;
                let start = (offset as usize).min(hits.len());
                let end = start.saturating_add(limit as usize).min(hits.len());
                ResponseBody::Indices {
                    search: self.last.id,
                    offset,
                    indices: hits[start..end].to_vec(),
                }
            }
            RequestBody::FindMedia { position, forward } => {
                let (position, post) = match self.find_media(position, forward) {
                    Some((position, post)) => (Some(position), Some(Box::new(post))),
                    None => (None, None),
                };
                ResponseBody::MediaPost {
                    search: self.last.id,
                    position,
                    post,
                }
            }
            RequestBody::GetMedia { media } => match self.media(media) {
                Ok(Some((bytes, mime))) => {
                    return Answer::WithBytes {
                        body: ResponseBody::Media { mime: mime.into() },
                        bytes,
                    }
                }
                Ok(None) => ResponseBody::MediaMissing {
                    reason: messages::NOT_IN_ARCHIVE.message(),
                },
                Err(reason) => ResponseBody::MediaMissing { reason },
            },
            RequestBody::RawJson { post } => match self.raw_json(post) {
                Ok(text) => ResponseBody::RawJson { text },
                Err(message) => return error(message),
            },
            RequestBody::PlanExport { selection, options } => {
                match self.plan_export(&selection, &options) {
                    Ok(plan) => ResponseBody::ExportPlan(Box::new(plan)),
                    Err(message) => return error(message),
                }
            }
            RequestBody::Export { selection, options } => {
                return match self.start_export(id, &selection, options) {
                    Ok(()) => Answer::Later,
                    Err(message) => error(message),
                }
            }
            RequestBody::CancelExport => {
                self.cancel_export();
                ResponseBody::Cancelled
            }
        };
        Answer::Body(body)
    }

    /// The People view's table for `ask`, counting the mentions and boosts of the posts `query`
    /// selects (read as typed; empty: every post). The counts are kept for the next request
    /// with the same query and zone.
    fn people(&mut self, query: &str, time_zone: &str, ask: people::Ask<'_>) -> PeopleView {
        let account = &self.loaded.account;
        // With several accounts open, the account the query keeps to (the page's switcher):
        // its own CSV exports and profile; else every account's together.
        let graph = match query_account(account, query).and_then(|k| self.loaded.accounts.get(k)) {
            Some(a) => people::Graph {
                social: a.social(),
                bookmarks: a.bookmarks().is_some(),
                actor: a.actor.as_ref(),
                files: &a.side_files,
                owners: Vec::new(),
            },
            None => people::Graph {
                social: &account.social,
                bookmarks: account.bookmarks.is_some(),
                actor: account.actor.as_ref(),
                files: &self.loaded.side_files,
                owners: self
                    .loaded
                    .accounts
                    .iter()
                    .map(|a| a.name.clone())
                    .collect(),
            },
        };
        let counts = match self.people.take() {
            Some(c) if c.is_for(query, time_zone) => c,
            _ => people::Counts::new(account, &graph, &self.searcher, query, time_zone),
        };
        let view = people::people(&graph, &counts, ask);
        self.people = Some(counts);
        view
    }

    /// Adds CSV exports to the open archive, as if they had been given with it (the engine's
    /// own reading: [`permafrost_engine::Loaded::add_files`]); anything else is refused, file by
    /// file, and changes nothing. The answer says what each file was and gives the new summary.
    pub fn add_files<S: Read + Seek>(&mut self, inputs: Vec<Input<S>>) -> AddedView {
        let files = self
            .loaded
            .add_files(inputs)
            .into_iter()
            .map(|added| {
                let (kind, rows, error) = match added.outcome {
                    Ok((kind, rows)) => (Some(kind), rows as u32, None),
                    Err(why) => (None, 0, Some(why)),
                };
                AddedFile {
                    name: added.name,
                    kind,
                    rows,
                    error,
                    problems: u32::try_from(added.problems).unwrap_or(u32::MAX),
                    diagnostics: added
                        .diagnostics
                        .into_iter()
                        .map(|d| DiagnosticSummary {
                            kind: d.kind.as_str().to_string(),
                            location: d.location,
                            message: d.message,
                            place: d.place,
                            detail: d.detail,
                        })
                        .collect(),
                }
            })
            .collect();
        AddedView {
            files,
            summary: summarize(&self.loaded),
            unattributed: self.loaded.unattributed(),
            not_kept: None,
        }
    }

    /// Reads a CSV export held because its account could not be told (see
    /// [`Opened::unattributed`]) as account `account`'s.
    pub fn attribute(&mut self, file: &str, account: u32) -> Result<AddedView, Message> {
        let read = self
            .loaded
            .attribute(file, account as usize)
            .ok_or_else(|| messages::NO_HELD_CSV.with(&[("file", &file), ("account", &account)]))?;
        self.people = None;
        Ok(AddedView {
            files: vec![AddedFile {
                name: read.name,
                kind: Some(read.kind),
                rows: u32::try_from(read.rows).unwrap_or(u32::MAX),
                error: None,
                problems: 0,
                diagnostics: Vec::new(),
            }],
            summary: summarize(&self.loaded),
            unattributed: self.loaded.unattributed(),
            not_kept: None,
        })
    }

    /// The posts of a selection, in its order (a query is read as complete unless `as_typed`).
    pub fn selected(&self, selection: &Selection) -> Vec<u32> {
        match selection {
            Selection::Query {
                query,
                sort,
                time_zone,
                as_typed,
            } => {
                let mode = if *as_typed { Mode::Typing } else { Mode::Exact };
                self.searcher
                    .select(&self.loaded.account, query, mode, *sort, time_zone)
            }
            Selection::Posts { posts } => posts.clone(),
        }
    }

    /// What an export would write, counted before anything is written.
    pub fn plan_export(
        &self,
        selection: &Selection,
        options: &ExportOptions,
    ) -> Result<permafrost_protocol::ExportPlan, Message> {
        let selected = self.selected(selection);
        let prepared = export::prepare(
            &self.loaded,
            self.searcher.index(),
            selected,
            options,
            (self.now_ms)(),
        )?;
        Ok(prepared.plan().clone())
    }

    /// Starts an export for request `id`, cancelling a running one (its request gets an error).
    /// The work happens in [`Session::step_export`].
    pub fn start_export(
        &mut self,
        id: u32,
        selection: &Selection,
        options: ExportOptions,
    ) -> Result<(), Message> {
        self.cancel_export();
        let mut job = self.new_job(id, selection, options)?;
        job.stream = self.outbox_stream(&job);
        self.export = Some(job);
        Ok(())
    }

    /// The export job for request `id`: the selection's posts, prepared and planned.
    fn new_job(
        &self,
        id: u32,
        selection: &Selection,
        options: ExportOptions,
    ) -> Result<export::Job, Message> {
        let prepared = export::prepare(
            &self.loaded,
            self.searcher.index(),
            self.selected(selection),
            &options,
            (self.now_ms)(),
        )?;
        export::Job::new(id, prepared, &self.loaded, options)
    }

    /// Gives exports a way to open the archive again (the ZIP that holds outbox.json, or
    /// outbox.json itself): JSON and archive ZIP exports then read outbox.json once, from start
    /// to end across their slices, instead of in batches that each inflate its beginning again.
    /// `open` is called once per such export; a source that is neither (a tar.gz) is ignored.
    pub fn set_export_source<S: Read + Seek + export::MaybeSend + 'static>(
        &mut self,
        open: impl Fn() -> Option<S> + 'static,
    ) {
        self.export_source = Some(Box::new(move || {
            open().map(|s| Box::new(s) as Box<dyn export::ReadSeek>)
        }));
    }

    /// outbox.json through the export source, for the exports that copy its items.
    fn outbox_stream(&self, job: &export::Job) -> Option<export::OutboxStream> {
        if !job.reads_outbox() {
            return None;
        }
        // Several archives: the items are read from each one's own outbox.json, post by post.
        if self.loaded.archive_count() > 1 {
            return None;
        }
        let source = (self.export_source.as_ref()?)()?;
        export::OutboxStream::open(source, &self.loaded.outbox_entry, self.loaded.outbox_bytes)
    }

    /// Stops the running export, if any; its request gets an error event saying so.
    pub fn cancel_export(&mut self) {
        if let Some(job) = self.export.take() {
            self.events.push((
                job.id,
                Answer::Body(ResponseBody::Error {
                    message: crate::messages::EXPORT_CANCELLED.message(),
                }),
            ));
        }
    }

    /// True while an export is running: call [`Session::step_export`] again.
    pub fn is_exporting(&self) -> bool {
        self.export.is_some()
    }

    /// Works on the running export for about [`EXPORT_SLICE_MS`] or until it ends, queuing its
    /// events: a progress event per slice, the file's parts (at most
    /// [`export::PART_BYTES`] each), and at the end [`ResponseBody::Exported`] or an error.
    pub fn step_export(&mut self) {
        let Some(job) = self.export.as_mut() else {
            return;
        };
        let now_ms = &self.now_ms;
        let start = now_ms();
        let out_of_time = || now_ms() - start >= EXPORT_SLICE_MS;
        let queue = &mut self.events;
        let mut events = |id, answer| queue.push((id, answer));
        match job.step(&mut self.loaded, &out_of_time, &mut events) {
            Ok(false) => {}
            Ok(true) => self.export = None,
            Err(message) => {
                let id = job.id;
                self.export = None;
                self.events
                    .push((id, Answer::Body(ResponseBody::Error { message })));
            }
        }
    }

    /// The events queued since the last call, with their requests' ids, in order.
    pub fn take_events(&mut self) -> Vec<(u32, Answer)> {
        std::mem::take(&mut self.events)
    }

    /// Runs a whole export into `out` (the command line): the same work as the worker's
    /// slices, except that outbox.json is read in one pass (JSON and the archive ZIP), and the
    /// file's parts are written as they come. `progress` is told `(done, total, bytes)` now and
    /// then. Returns what was written.
    pub fn export_to(
        &mut self,
        selection: &Selection,
        options: ExportOptions,
        out: &mut dyn std::io::Write,
        progress: &mut dyn FnMut(u32, u32, u64),
    ) -> Result<ExportDone, Message> {
        let mut job = self.new_job(u32::MAX, selection, options)?;
        job.one_pass = true;
        job.stream = self.outbox_stream(&job);
        let mut done = None;
        let failed: std::cell::RefCell<Option<Message>> = std::cell::RefCell::new(None);
        let mut events = |_, answer| match answer {
            Answer::WithBytes { bytes, .. } if failed.borrow().is_none() => {
                if let Err(e) = out.write_all(&bytes) {
                    *failed.borrow_mut() = Some(messages::EXPORT_WRITE.with(&[("detail", &e)]));
                }
            }
            Answer::Body(ResponseBody::ExportProgress { done, total, bytes }) => {
                progress(done, total, bytes)
            }
            Answer::Body(ResponseBody::Exported(d)) => done = Some(*d),
            _ => {}
        };
        let now_ms = &self.now_ms;
        loop {
            let start = now_ms();
            let out_of_time = || now_ms() - start >= EXPORT_SLICE_MS;
            let finished = job.step(&mut self.loaded, &out_of_time, &mut events)?;
            if finished || failed.borrow().is_some() {
                break;
            }
        }
        if let Some(message) = failed.take() {
            return Err(message);
        }
        done.ok_or_else(|| messages::EXPORT_UNFINISHED.message())
    }

    /// Runs a query, keeps its result under `id`, and returns the first `limit` posts.
    pub fn search(
        &mut self,
        id: u32,
        query: &str,
        sort: Sort,
        time_zone: &str,
        limit: u32,
    ) -> Results {
        self.search_threads(id, query, sort, time_zone, limit, false)
    }

    /// [`Session::search`], with each chain of your own replies shown as its first post when
    /// `collapse_threads` is set.
    pub fn search_threads(
        &mut self,
        id: u32,
        query: &str,
        sort: Sort,
        time_zone: &str,
        limit: u32,
        collapse_threads: bool,
    ) -> Results {
        let ask = SearchAsk {
            query,
            sort,
            time_zone,
            limit,
            collapse_threads,
        };
        self.run_search(id, ask, true)
    }

    /// [`Session::search_threads`], with the facets when `facets` is set.
    fn run_search(&mut self, id: u32, ask: SearchAsk<'_>, facets: bool) -> Results {
        let SearchAsk {
            query,
            sort,
            time_zone,
            limit,
            collapse_threads,
        } = ask;
        let start = (self.now_ms)();
        let found = self
            .searcher
            .search(&self.loaded.account, query, sort, time_zone, facets);
        let matched = found.hits.len() as u32;
        let hits = if collapse_threads {
            let by_date = match sort {
                Sort::Newest => Some(true),
                Sort::Oldest => Some(false),
                Sort::Relevance => None,
            };
            self.searcher.index().collapse_threads(&found.hits, by_date)
        } else {
            found.hits
        };
        self.last = LastSearch { id, hits };
        Results {
            search: id,
            total: self.last.hits.len() as u32,
            matched,
            posts: self.posts(0, limit),
            facets: found.facets,
            errors: found.errors,
            unfinished: found.unfinished,
            elapsed_ms: ((self.now_ms)() - start).max(0.0) as u32,
        }
    }

    /// The media library: the attachments `filter` selects, at positions `offset..offset +
    /// limit` (no limit here: [`Session::answer`] sends at most [`MAX_PAGE`]), with the counts
    /// and coverage of the query's media. The list is kept for the next pages of the same
    /// filter; the last search is left alone.
    pub fn media_library(
        &mut self,
        filter: MediaFilter,
        offset: u32,
        limit: u32,
    ) -> MediaLibraryView {
        let account = &self.loaded.account;
        let list = match self.media.take() {
            Some(list) if list.is_for(&filter) => list,
            _ => MediaList::build(&self.searcher, account, filter),
        };
        let entries = self.loaded.entries();
        let path = |entry: u32| entries.get(entry as usize).map(|e| e.name.clone());
        let view = list.page(&self.searcher, account, &path, offset, limit);
        self.media = Some(list);
        view
    }

    /// The id of the search [`Session::posts`] pages through.
    pub fn last_search(&self) -> u32 {
        self.last.id
    }

    /// Posts at positions `offset..offset + limit` of the last search.
    pub fn posts(&self, offset: u32, limit: u32) -> Vec<PostView> {
        let hits = &self.last.hits;
        let start = (offset as usize).min(hits.len());
        let end = start.saturating_add(limit as usize).min(hits.len());
        let account = &self.loaded.account;
        hits[start..end]
            .iter()
            .filter_map(|&i| {
                let mut view = views::post_view(account, &self.parents, i)?;
                view.highlights = self.searcher.highlights(account, i);
                view.thread_len = self.searcher.index().thread_len(i);
                Some(view)
            })
            .collect()
    }

    /// The nearest post with attachments after (or before) `position` in the last search.
    pub fn find_media(&self, position: u32, forward: bool) -> Option<(u32, PostView)> {
        let hits = &self.last.hits;
        let account = &self.loaded.account;
        let has_media = |&(_, &i): &(usize, &u32)| {
            account
                .posts
                .get(i as usize)
                .is_some_and(|p| !p.attachments.is_empty())
        };
        let found = if forward {
            hits.iter()
                .enumerate()
                .skip(position as usize + 1)
                .find(has_media)
        } else {
            hits.iter()
                .enumerate()
                .take(position as usize)
                .rev()
                .find(has_media)
        };
        let (at, _) = found?;
        let view = self.posts(at as u32, 1).pop()?;
        Some((at as u32, view))
    }

    /// The bytes and MIME type of a media file; `Ok(None)` when it is not in the archive.
    pub fn media(&mut self, media: MediaRef) -> Result<Option<(Vec<u8>, &'static str)>, Message> {
        let (entry, declared) = match media {
            MediaRef::Placeholder { post, index } => {
                let hash = self
                    .loaded
                    .account
                    .posts
                    .get(post as usize)
                    .and_then(|p| p.attachments.get(index as usize))
                    .and_then(|a| a.blurhash.as_deref());
                // 32 × 32 is plenty: the page scales it up, which blurs it further.
                let image = hash.and_then(|h| placeholder::blurhash_bmp(h, 32, 32));
                return Ok(image.map(|bytes| (bytes, "image/bmp")));
            }
            MediaRef::Attachment { post, index } => {
                let account = &self.loaded.account;
                let Some(a) = account
                    .posts
                    .get(post as usize)
                    .and_then(|p| p.attachments.get(index as usize))
                else {
                    return Ok(None);
                };
                (
                    a.entry,
                    a.media_type.map(|m| account.strings.resolve(m).to_string()),
                )
            }
            MediaRef::AccountAvatar { account } | MediaRef::AccountHeader { account } => {
                let Some(info) = self.loaded.accounts.get(account as usize) else {
                    return Ok(None);
                };
                let actor = info.actor.as_ref();
                if matches!(media, MediaRef::AccountAvatar { .. }) {
                    (
                        info.avatar_entry,
                        actor.and_then(|a| a.avatar.as_ref()?.media_type.clone()),
                    )
                } else {
                    (
                        info.header_entry,
                        actor.and_then(|a| a.header.as_ref()?.media_type.clone()),
                    )
                }
            }
            MediaRef::Avatar | MediaRef::Header => {
                let actor = self.loaded.account.actor.as_ref();
                let (entry, image) = if media == MediaRef::Avatar {
                    (
                        self.loaded.avatar_entry,
                        actor.and_then(|a| a.avatar.as_ref()),
                    )
                } else {
                    (
                        self.loaded.header_entry,
                        actor.and_then(|a| a.header.as_ref()),
                    )
                };
                (entry, image.and_then(|i| i.media_type.clone()))
            }
        };
        let Some(entry) = entry else { return Ok(None) };
        let name = self
            .loaded
            .entries()
            .get(entry as usize)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let bytes = self
            .loaded
            .read_entry(entry, MAX_MEDIA_BYTES)
            .map_err(|e| permafrost_engine::Error::Archive(e).message())?;
        Ok(Some((bytes, views::media_mime(declared.as_deref(), &name))))
    }

    /// The JSON text of a post's outbox item.
    pub fn raw_json(&mut self, post: u32) -> Result<String, Message> {
        if post as usize >= self.loaded.account.posts.len() {
            return Err(messages::NO_POST.with(&[("post", &post)]));
        }
        self.loaded
            .raw_item(post)
            .map_err(|e| permafrost_engine::Error::Archive(e).message())
    }
}

/// The answer to a request when no archive is open (the worker's state before the first
/// [`RequestBody::Open`] succeeds).
pub fn answer_without_archive() -> Answer {
    Answer::Body(ResponseBody::Error {
        message: messages::NO_ARCHIVE.message(),
    })
}

/// With several accounts open, the account a query keeps to: the value of its one `account:`
/// term (not negated), the whole name or a user name only one account has, as the `account:`
/// filter reads it (an index in the accounts); `None` for every account.
pub(crate) fn query_account(account: &Account, query: &str) -> Option<usize> {
    let names = &account.owners.names;
    if account.owners.of_post.is_empty() {
        return None;
    }
    let mut values = query
        .split_whitespace()
        .filter(|t| !t.starts_with('-'))
        .filter_map(|t| t.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("account"))
        .map(|(_, v)| v.trim_matches('"').trim_start_matches('@').to_lowercase());
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(&value)) {
        return Some(i);
    }
    let user = |n: &str| n.split('@').next().unwrap_or("").to_lowercase();
    let mut hits = (0..names.len()).filter(|&i| !value.contains('@') && user(&names[i]) == value);
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// Passes the engine's progress on in the protocol's terms, and previews the posts read so far.
struct Watch<'a> {
    progress: &'a mut dyn FnMut(Progress),
    /// `None`: no previews wanted.
    preview: Option<&'a mut dyn FnMut(u64, Vec<PostView>)>,
    now_ms: &'a dyn Fn() -> f64,
    last_preview: Option<f64>,
    elsewhere: Option<&'a mut dyn Elsewhere>,
    /// The posts whose text went elsewhere ([`Elsewhere::texts`]), and the id of the last of
    /// them: `None` once that stopped.
    texts_sent: Option<(usize, String)>,
    /// Scratch space for the texts.
    texts: Vec<u8>,
    plain: String,
}

/// Work another worker may do while an archive opens (in the browser: the worker's helper on
/// the other core, crates/worker/src/inflate.rs). Each part is optional: what is not done
/// elsewhere is done here, and the result is the same.
pub trait Elsewhere {
    /// A reader of outbox.json's contents made elsewhere, from the name of the file it is in,
    /// where it lies there and the limits its reading is bounded by, or `None` to read it here:
    /// see [`permafrost_engine::Observer::outbox_elsewhere`].
    fn outbox(&mut self, file: &str, span: &Span, limits: &Limits) -> Option<Box<dyn Read>>;

    /// The gzip stream of `file`, a tar.gz about to be listed, inflated elsewhere with
    /// `limits`, or `None` (the default) to inflate it here: see
    /// [`permafrost_engine::Observer::gzip_elsewhere`]. Its posts' texts may go to
    /// [`Elsewhere::texts`] all the same.
    fn gzip(&mut self, file: &str, limits: &Limits) -> Option<Box<dyn GzipElsewhere>> {
        let _ = (file, limits);
        None
    }

    /// Where outbox.json probably lies in `file`, before the archive is listed (from the local
    /// header of its first entry: [`permafrost_engine::first_zip_span`]), so that reading it
    /// may start while the archive is listed here. Only a hint: [`Elsewhere::outbox`] is still
    /// asked, with the span the archive's directory gives, and may use what was started only
    /// for that same span.
    fn prepare_outbox(&mut self, file: &str, span: &Span, limits: &Limits) {
        let _ = (file, span, limits);
    }

    /// Takes the searchable text of the next posts read, in order from the first, as
    /// [`permafrost_index::write_fields`] writes it, for tokenizing elsewhere as the rest is
    /// read. False when it is not wanted (no more is sent; it is tokenized here).
    fn texts(&mut self, bytes: &[u8]) -> bool;

    /// The text of every post given to [`Elsewhere::texts`], tokenized (waiting for it to be
    /// done), or `None`: then it is tokenized here.
    fn tokenized(&mut self) -> Option<Tokenized>;

    /// No more texts will come: the posts are all read ([`Observer::outbox_read`]), and what
    /// was sent may be tokenized to the end while the rest of the archive is read here, so
    /// that [`Elsewhere::tokenized`] finds it done. (Texts given after this are refused.)
    fn texts_end(&mut self) {}
}

impl Watch<'_> {
    /// Gives the text of the posts read since the last time to [`Elsewhere::texts`], while the
    /// posts sent are still the first of the account's. (A second `orderedItems` in outbox.json
    /// starts the posts again: the last one sent is then another or gone, and no more is sent.)
    fn send_texts(&mut self, account: &Account) {
        let (Some(elsewhere), Some((sent, last_id))) =
            (self.elsewhere.as_mut(), self.texts_sent.as_mut())
        else {
            return;
        };
        let still = *sent == 0
            || account
                .posts
                .get(*sent - 1)
                .is_some_and(|p| *p.id == **last_id);
        let Some(new) = account.posts.get(*sent..).filter(|_| still) else {
            self.texts_sent = None;
            return;
        };
        let Some(last) = new.last() else {
            return;
        };
        self.texts.clear();
        for post in new {
            permafrost_index::write_fields(post, &mut self.plain, &mut self.texts);
        }
        if elsewhere.texts(&self.texts) {
            *sent = account.posts.len();
            last_id.clear();
            last_id.push_str(&last.id);
        } else {
            self.texts_sent = None;
        }
    }

    /// The text of the account's posts tokenized elsewhere, when every post's went there (see
    /// [`Watch::send_texts`]). A result for another number of posts is left to
    /// `Index::build_with`, which then tokenizes here.
    fn tokenized(&mut self, account: &Account) -> Option<Tokenized> {
        let (sent, _) = self.texts_sent.as_ref()?;
        if *sent != account.posts.len() {
            return None;
        }
        self.elsewhere.as_mut()?.tokenized()
    }
}

impl Observer for Watch<'_> {
    fn progress(&mut self, p: &permafrost_engine::Progress) {
        (self.progress)(Progress {
            stage: match p.stage {
                permafrost_engine::Stage::Reading => Stage::Reading,
                permafrost_engine::Stage::Parsing => Stage::Parsing,
                _ => Stage::Finishing,
            },
            done: p.done,
            total: p.total,
            posts: p.posts as u64,
        })
    }

    fn partial(&mut self, account: &Account) {
        self.send_texts(account);
        let Some(preview) = self.preview.as_mut() else {
            return;
        };
        let now = (self.now_ms)();
        if self
            .last_preview
            .is_some_and(|last| now - last < PREVIEW_INTERVAL_MS)
        {
            return;
        }
        self.last_preview = Some(now);
        preview(
            account.posts.len() as u64,
            views::preview(account, PREVIEW_POSTS),
        );
    }

    fn outbox_read(&mut self, account: &Account) {
        self.send_texts(account);
        if let (Some(elsewhere), Some(_)) = (self.elsewhere.as_mut(), &self.texts_sent) {
            elsewhere.texts_end();
        }
    }

    fn outbox_budget(&self) -> Option<u64> {
        OUTBOX_BUDGET
    }

    fn outbox_elsewhere(
        &mut self,
        file: &str,
        span: &Span,
        limits: &Limits,
    ) -> Option<Box<dyn Read>> {
        self.elsewhere.as_mut()?.outbox(file, span, limits)
    }

    fn gzip_elsewhere(&mut self, file: &str, limits: &Limits) -> Option<Box<dyn GzipElsewhere>> {
        self.elsewhere.as_mut()?.gzip(file, limits)
    }
}

/// In a browser, the most outbox.json that is read. A wasm32 worker has 4 GB of memory at most
/// (often less); the posts, their index and the page's answers take about 1.2 times the outbox
/// plus a little: past this the tab would die mid-way with nothing to show, so reading stops
/// here instead, saying so, with every post read before still there. Natively: no limit.
#[cfg(target_arch = "wasm32")]
const OUTBOX_BUDGET: Option<u64> = Some(1_500_000_000);
#[cfg(not(target_arch = "wasm32"))]
const OUTBOX_BUDGET: Option<u64> = None;

/// The query language's filters, as the search box completes them: the index's own table.
/// The query language's filters for the search box; `account:` completes the accounts open.
fn query_filters<R>(loaded: &Loaded<R>) -> Vec<QueryFilter> {
    permafrost_index::FILTERS
        .iter()
        .map(|f| QueryFilter {
            key: f.key.to_string(),
            hint: f.hint.to_string(),
            values: if f.key == "account" {
                loaded.accounts.iter().map(|a| a.name.clone()).collect()
            } else {
                f.values.iter().map(|v| v.to_string()).collect()
            },
        })
        .collect()
}

/// The accounts open together, for the page's profile area (empty for one account).
fn account_views<R>(loaded: &Loaded<R>) -> Vec<AccountView> {
    if loaded.accounts.len() < 2 {
        return Vec::new();
    }
    loaded
        .accounts
        .iter()
        .map(|a| AccountView {
            name: a.name.clone(),
            actor: a.actor.clone(),
            has_avatar: a.avatar_entry.is_some(),
            has_header: a.header_entry.is_some(),
            posts: u32::try_from(a.summary.posts).unwrap_or(u32::MAX),
            archives: a
                .archives
                .iter()
                .filter_map(|&i| loaded.archives.get(i))
                .map(|x| x.name.clone())
                .collect(),
        })
        .collect()
}

/// Hashtags, mentions and languages by use, most used first, for completion.
fn completions(account: &Account) -> Completions {
    // Counted by interned symbol, one slot per distinct string: no hashing of texts.
    let distinct = account.strings.len();
    let (mut hashtags, mut mentions, mut languages) = (
        vec![0u32; distinct],
        vec![0u32; distinct],
        vec![0u32; distinct],
    );
    let count = |counts: &mut Vec<u32>, sym: permafrost_model::Sym| {
        if let Some(n) = counts.get_mut(sym.0 as usize) {
            *n += 1;
        }
    };
    for post in &account.posts {
        for &tag in &post.hashtags {
            count(&mut hashtags, tag);
        }
        for mention in &post.mentions {
            count(&mut mentions, mention.acct);
        }
        if let Some(lang) = post.language {
            count(&mut languages, lang);
        }
    }
    let ranked = |counts: Vec<u32>| {
        let mut v: Vec<(String, u32)> = counts
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(sym, n)| {
                (
                    account.strings.resolve(permafrost_model::Sym(sym as u32)),
                    n,
                )
            })
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(MAX_COMPLETIONS);
        v
    };
    Completions {
        hashtags: ranked(hashtags),
        mentions: ranked(mentions),
        languages: ranked(languages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use permafrost_protocol::{ExportFormat, ExportOptions, Selection};
    use std::io::Cursor;

    /// Small read-ahead batches (outbox.json read again from its start for each) give the same
    /// file as the command line's single pass.
    #[test]
    fn outbox_items_read_in_many_batches_make_the_same_json() {
        let opts = permafrost_synth::Options {
            posts: 200,
            seed: 3,
            ..Default::default()
        };
        let mut zip = Cursor::new(Vec::new());
        permafrost_synth::write_archive(&opts, &mut zip).expect("synth");
        let inputs = vec![Input::new("a.zip", Cursor::new(zip.into_inner()))];
        let (mut s, _) = Session::open(inputs, &mut |_| {}, Box::new(|| 0.0)).expect("opens");
        let selection = Selection::Query {
            query: String::new(),
            sort: Sort::Newest,
            time_zone: "UTC".into(),
            as_typed: false,
        };
        let options = ExportOptions {
            format: ExportFormat::Json,
            ..Default::default()
        };
        let mut one_pass = Vec::new();
        s.export_to(
            &selection,
            options.clone(),
            &mut one_pass,
            &mut |_, _, _| {},
        )
        .expect("exports");
        s.start_export(1, &selection, options).expect("starts");
        if let Some(job) = s.export.as_mut() {
            job.raw_batch = 2000;
        }
        let mut sliced = Vec::new();
        while s.is_exporting() {
            s.step_export();
            for (_, answer) in s.take_events() {
                if let Answer::WithBytes { bytes, .. } = answer {
                    sliced.extend_from_slice(&bytes);
                }
            }
        }
        assert!(one_pass.len() > 20 * 2000);
        assert_eq!(sliced, one_pass);
    }

    /// The export source is used for a ZIP and for outbox.json itself, not for a tar.gz.
    #[test]
    fn the_export_source_is_read_when_it_holds_outbox_json() {
        for container in [
            permafrost_synth::Container::Zip,
            permafrost_synth::Container::TarGz,
        ] {
            let opts = permafrost_synth::Options {
                posts: 50,
                container,
                ..Default::default()
            };
            let mut bytes = Cursor::new(Vec::new());
            permafrost_synth::write_archive(&opts, &mut bytes).expect("synth");
            let bytes = bytes.into_inner();
            let inputs = vec![Input::new("a", Cursor::new(bytes.clone()))];
            let (mut s, _) = Session::open(inputs, &mut |_| {}, Box::new(|| 0.0)).expect("opens");
            s.set_export_source(move || Some(Cursor::new(bytes.clone())));
            let selection = Selection::Posts { posts: vec![1, 2] };
            for format in [ExportFormat::Json, ExportFormat::Zip, ExportFormat::Csv] {
                let options = ExportOptions {
                    format,
                    ..Default::default()
                };
                s.start_export(1, &selection, options).expect("starts");
                let streamed = s.export.as_ref().is_some_and(|j| j.stream.is_some());
                let wanted =
                    container == permafrost_synth::Container::Zip && format != ExportFormat::Csv;
                assert_eq!(streamed, wanted, "{container:?} {format:?}");
                s.cancel_export();
            }
        }
    }
}
