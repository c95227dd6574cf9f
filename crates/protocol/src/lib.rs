//! The typed protocol between the Permafrost web app (the main thread) and its Web Worker.
//!
//! **API boundary.** The worker owns the archive: it reads the user's files, parses, indexes,
//! searches and decodes media. The page asks it for things with a [`Request`] and gets a
//! [`Response`] with the same `id` back; progress arrives as responses with the id of the request
//! that caused it. Bodies are plain data, `#[serde(tag = "type")]`, sent as JSON text.
//!
//! Two things travel beside the JSON in the same `postMessage`, never inside it: the `File`s of an
//! [`RequestBody::Open`] or an [`RequestBody::AddFiles`] (in the order of its `names`), and the
//! bytes of a
//! [`ResponseBody::Media`] (an `ArrayBuffer`, transferred, not copied). The `wire` module (in
//! WebAssembly only) is the one framing of both; only the worker and the app's `worker_client` module use it.
//!
//! The page never sees the model's interned symbols: posts arrive as [`PostView`]s with every
//! string resolved, so the main thread links only plain data types (and [`permafrost_model`]'s
//! [`RichText`], which it renders through components).
//!
//! # Example
//! ```
//! use permafrost_protocol::{Request, RequestBody, Response, ResponseBody};
//!
//! let request = Request { id: 7, body: RequestBody::GetPosts { offset: 0, limit: 50 } };
//! let text = request.to_json();
//! assert_eq!(text, r#"{"id":7,"body":{"type":"GetPosts","offset":0,"limit":50}}"#);
//! assert_eq!(Request::from_json(&text).unwrap(), request);
//!
//! let error = Response::error(7, "the file ends early");
//! assert!(matches!(Response::from_json(&error.to_json()).unwrap().body, ResponseBody::Error { .. }));
//! ```
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

pub use permafrost_model::summary::{
    AccountSummary, DiagnosticSummary, MediaCounts, Summary, VisibilityCounts,
};
pub use permafrost_model::{
    Actor, Block, CsvKind, Cut, Href, Inline, MediaKind, Message, Poll, PollOption, PostKind,
    ProfileField, RichText, Sort, Visibility,
};

pub mod handoff;
pub mod ring;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
#[cfg(target_arch = "wasm32")]
pub mod wire;

use serde::{Deserialize, Serialize};

/// A request from the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Chosen by the page; the response carries it back.
    pub id: u32,
    /// What is asked.
    pub body: RequestBody,
}

/// What the page can ask.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum RequestBody {
    /// Open the files sent beside this message. `names` gives each file's name, or its path
    /// relative to the chosen folder (`archive/outbox.json`) when a folder was chosen.
    /// Answered by [`ResponseBody::Progress`] events (and now and then a [`ResponseBody::Preview`]
    /// while outbox.json is read), then [`ResponseBody::Opened`] or an error.
    Open {
        /// One name per file, in the order the files are sent.
        names: Vec<String>,
    },
    /// Run a query. Answered by [`ResponseBody::Results`], without facets: those are asked for
    /// with [`RequestBody::Facets`] once the count is shown. The worker keeps the result, so
    /// [`RequestBody::GetPosts`] can page through it.
    Search {
        /// The query text, in the query language (empty: every post).
        query: String,
        /// The order of the results.
        sort: Sort,
        /// IANA time zone for dates in the query and the year/month facets (`Europe/Paris`).
        time_zone: String,
        /// How many posts to send with the results.
        limit: u32,
        /// Show each chain of your own replies as its first post, once, where any of its posts
        /// matched (see [`PostView::thread_len`]).
        collapse_threads: bool,
    },
    /// The facet counts of the last search's matching posts. Answered by
    /// [`ResponseBody::Facets`], which says which search they belong to. Asked apart from the
    /// search so that the count and the first posts never wait for them, and not at all for a
    /// search replaced before the page wanted them (typing).
    Facets,
    /// For a last search that matched nothing, what its query matches with each of its parts
    /// taken out (`indieweb has:media` → `indieweb` alone, `has:media` alone). Answered by
    /// [`ResponseBody::Broader`]. Asked, as [`RequestBody::Facets`] are, once the empty result
    /// is shown: each part is a search of its own.
    Broader,
    /// Posts at positions `offset..offset + limit` of the last search's result. Answered by
    /// [`ResponseBody::Posts`], which says which search they belong to.
    GetPosts {
        /// First position.
        offset: u32,
        /// Number of posts.
        limit: u32,
    },
    /// The post indices at positions `offset..offset + limit` of the last search's result (for
    /// selecting a range, or every result). Answered by [`ResponseBody::Indices`].
    Indices {
        /// First position.
        offset: u32,
        /// Number of positions.
        limit: u32,
    },
    /// The bytes of a media file. Answered by [`ResponseBody::Media`] with the bytes beside.
    GetMedia {
        /// Which file.
        media: MediaRef,
    },
    /// The JSON text of a post's outbox item. Answered by [`ResponseBody::RawJson`].
    RawJson {
        /// The post's index.
        post: u32,
    },
    /// What an export would write, before anything is written: counts of posts, media and what
    /// the privacy options leave out. Answered by [`ResponseBody::ExportPlan`].
    PlanExport {
        /// Which posts.
        selection: Selection,
        /// How.
        options: ExportOptions,
    },
    /// Export: answered by [`ResponseBody::ExportProgress`] events, the file in
    /// [`ResponseBody::ExportPart`]s (bytes beside each, in order), then
    /// [`ResponseBody::Exported`] or an error. The worker works in slices and reads other
    /// requests between them: searches go on, and [`RequestBody::CancelExport`] stops it.
    Export {
        /// Which posts.
        selection: Selection,
        /// How.
        options: ExportOptions,
    },
    /// The numbers of the Statistics view over the posts a query matches (read as typed, like
    /// [`RequestBody::Search`]), in a time zone. Answered by [`ResponseBody::Stats`]; the last
    /// search is left as it was.
    Stats {
        /// The query text (empty: every post).
        query: String,
        /// IANA time zone for months, days and hours.
        time_zone: String,
    },
    /// Liked or bookmarked posts (the archive holds only their addresses), filtered, grouped by
    /// server and account, a page at a time. Answered by [`ResponseBody::Saved`].
    Saved {
        /// Which list.
        list: SavedList,
        /// Text the address must contain, ignoring case (empty: every one).
        filter: String,
        /// First matching item to send.
        offset: u32,
        /// Items to send.
        limit: u32,
        /// With several accounts open: account `account`'s list alone (an index in
        /// [`Opened::accounts`]); `None`: every account's together.
        #[serde(default)]
        account: Option<u32>,
    },
    /// One table of the People view (the social graph of the CSV exports, crossed with the
    /// posts), filtered, sorted, a page at a time. Answered by [`ResponseBody::People`].
    People {
        /// Which table.
        table: PeopleTable,
        /// Text the address (or a list's title) must contain, ignoring case and a leading `@`
        /// (empty: every row).
        filter: String,
        /// The order; `None`: the table's default ([`PeopleTable::default_sort`]).
        sort: Option<PeopleSort>,
        /// The posts whose mentions and boosts are counted, in the query language, read as typed
        /// like [`RequestBody::Search`] (empty: every post).
        query: String,
        /// IANA time zone for dates in the query.
        time_zone: String,
        /// First matching row to send.
        offset: u32,
        /// Rows to send (at most 500).
        limit: u32,
    },
    /// Add CSV exports to the open archive, as if they had been given with it: the files are sent
    /// beside this message, as for [`RequestBody::Open`]. Answered by [`ResponseBody::Added`];
    /// files that are not CSV exports are refused one by one and change nothing.
    AddFiles {
        /// One name per file, in the order the files are sent.
        names: Vec<String>,
    },
    /// With several accounts' archives open: reads a CSV export that could not be attributed
    /// to one of them ([`Opened::unattributed`], [`AddedView::unattributed`]) as the CSV export
    /// of account `account` (an index in [`Opened::accounts`]). Answered by
    /// [`ResponseBody::Added`].
    Attribute {
        /// The file's name, as listed.
        file: String,
        /// Whose it is.
        account: u32,
    },
    /// The archives kept on this device and the storage they use. Answered by
    /// [`ResponseBody::Kept`]. Works with no archive open (the welcome screen asks).
    ListKept,
    /// Keep the open archive on this device ("Keep on this device", only ever on the user's
    /// request): its files and a snapshot of what was read, in the browser's origin-private file
    /// system, so that it opens again without a file dialog and without reading it. Keeping an
    /// archive that is already kept replaces what was kept. Answered by [`ResponseBody::Kept`]
    /// (its `open` is the key), or an error (the storage is full or not available).
    Keep,
    /// Open a kept archive, alone or with more files sent beside this message ("Add another
    /// archive" to a kept archive). Answered as [`RequestBody::Open`] is (progress, then
    /// [`ResponseBody::Opened`], with [`Opened::kept`] set when it was opened alone), or an
    /// error when its files cannot be read.
    OpenKept {
        /// Its [`KeptArchive::key`].
        key: String,
        /// The names of the files sent beside, opened with it (none: the kept archive alone,
        /// from its snapshot).
        names: Vec<String>,
    },
    /// Delete what was kept: one archive (`Some(key)`) or everything (`None`). Answered by
    /// [`ResponseBody::Kept`], listing what is left.
    Forget {
        /// Its [`KeptArchive::key`]; `None`: every kept archive.
        key: Option<String>,
    },
    /// The media library: the attachments of the posts a query matches (read as typed, like
    /// [`RequestBody::Stats`]), optionally of one kind or only those without a description, a
    /// page at a time, with the counts and the alt-text coverage of the query's media. Answered
    /// by [`ResponseBody::MediaLibrary`]; the last search is left as it was. The worker keeps the
    /// ordered list for the next pages of the same question.
    MediaLibrary {
        /// The query text (empty: every post).
        query: String,
        /// IANA time zone for the query's dates and the months items are grouped by.
        time_zone: String,
        /// Only attachments of this kind (`None`: every kind).
        kind: Option<MediaKind>,
        /// Only attachments without a description (the alt-text audit).
        without_alt: bool,
        /// Oldest posts first (false: newest first). Posts without a date come last either way.
        oldest_first: bool,
        /// First position of the list to send.
        offset: u32,
        /// Items to send (at most 500 are sent).
        limit: u32,
    },
    /// Stops the running export (its request is answered with an error saying so). Answered by
    /// [`ResponseBody::Cancelled`], also when no export was running.
    CancelExport,
    /// The nearest post with media after (or before) position `position` of the last search's
    /// result, for the lightbox. Answered by [`ResponseBody::MediaPost`].
    FindMedia {
        /// Where to start; that position itself is not considered.
        position: u32,
        /// Towards the end of the result (true) or its start.
        forward: bool,
    },
}

/// A media file of the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "of")]
pub enum MediaRef {
    /// Attachment `index` of post `post`.
    Attachment {
        /// The post's index.
        post: u32,
        /// The attachment's position in the post.
        index: u32,
    },
    /// A small image decoded from attachment `index` of post `post`'s BlurHash: what sensitive
    /// media shows until revealed. Answered with a BMP, or `MediaMissing` without a hash.
    Placeholder {
        /// The post's index.
        post: u32,
        /// The attachment's position in the post.
        index: u32,
    },
    /// The profile's avatar.
    Avatar,
    /// The profile's header image.
    Header,
    /// With several accounts' archives open: the avatar of account `account` (an index in
    /// [`Opened::accounts`]).
    AccountAvatar {
        /// The account.
        account: u32,
    },
    /// With several accounts' archives open: the header image of account `account`.
    AccountHeader {
        /// The account.
        account: u32,
    },
}

/// A message from the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The id of the request this answers (or reports progress on).
    pub id: u32,
    /// The answer.
    pub body: ResponseBody,
}

/// What the worker sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ResponseBody {
    /// The worker has started and reads requests (sent once, with id 0). Messages posted before
    /// this would be lost, so the page holds them back until it comes.
    Ready,
    /// Work in progress on an [`RequestBody::Open`].
    Progress(Progress),
    /// The newest posts read so far while an [`RequestBody::Open`] reads outbox.json, to show
    /// before the archive is open. Sent a few times at most, never faster than about once a
    /// second. The posts have no attachments (media are matched only at the end), their
    /// visibility may still change (followers-only and direct are told apart by actor.json), and
    /// the archive cannot be asked about them until [`ResponseBody::Opened`].
    Preview {
        /// Posts read so far.
        total_so_far: u64,
        /// The newest of them (the last read), newest first.
        posts: Vec<PostView>,
    },
    /// The archive is open and searchable.
    Opened(Box<Opened>),
    /// The answer to a [`RequestBody::Search`].
    Results(Box<Results>),
    /// The answer to a [`RequestBody::Facets`].
    Facets {
        /// The search they count.
        search: u32,
        /// Counts by facet over its matching posts.
        facets: Vec<FacetGroup>,
    },
    /// The answer to a [`RequestBody::Broader`].
    Broader {
        /// The search whose query they broaden.
        search: u32,
        /// One per part whose removal matches something, in the query's order; none when the
        /// search matched something, or its query has one part (or very many).
        queries: Vec<BroaderQuery>,
    },
    /// The answer to a [`RequestBody::GetPosts`].
    Posts {
        /// The search these positions belong to.
        search: u32,
        /// Position of the first post.
        offset: u32,
        /// The posts.
        posts: Vec<PostView>,
    },
    /// The answer to a [`RequestBody::Indices`].
    Indices {
        /// The search the positions belong to.
        search: u32,
        /// Position of the first.
        offset: u32,
        /// Post indices, in result order.
        indices: Vec<u32>,
    },
    /// The bytes of a media file are beside this message.
    Media {
        /// The MIME type to give the Blob.
        mime: String,
    },
    /// The media file is not in the archive (or could not be read: `reason` says).
    MediaMissing {
        /// Why, in one line.
        reason: Message,
    },
    /// The answer to a [`RequestBody::FindMedia`]: nothing when there is no such post.
    MediaPost {
        /// The search the position belongs to.
        search: u32,
        /// The post's position in the result.
        position: Option<u32>,
        /// The post.
        post: Option<Box<PostView>>,
    },
    /// The answer to a [`RequestBody::RawJson`].
    RawJson {
        /// The item's JSON text as it is in outbox.json.
        text: String,
    },
    /// The answer to a [`RequestBody::Stats`].
    Stats(Box<StatsView>),
    /// The answer to a [`RequestBody::Saved`].
    Saved(Box<SavedView>),
    /// The answer to a [`RequestBody::People`].
    People(Box<PeopleView>),
    /// The answer to a [`RequestBody::AddFiles`].
    Added(Box<AddedView>),
    /// The answer to [`RequestBody::ListKept`], [`RequestBody::Keep`] and
    /// [`RequestBody::Forget`].
    Kept(Box<KeptList>),
    /// The answer to a [`RequestBody::MediaLibrary`].
    MediaLibrary(Box<MediaLibraryView>),
    /// The answer to a [`RequestBody::PlanExport`].
    ExportPlan(Box<ExportPlan>),
    /// How far an export has got.
    ExportProgress {
        /// Posts written so far.
        done: u32,
        /// Posts to write.
        total: u32,
        /// Bytes written so far.
        bytes: u64,
    },
    /// The next piece of the exported file: its bytes are beside this message.
    ExportPart,
    /// The export is complete: every [`ResponseBody::ExportPart`] has been sent.
    Exported(Box<ExportDone>),
    /// The answer to a [`RequestBody::CancelExport`].
    Cancelled,
    /// The request failed. One friendly line saying what to do.
    Error {
        /// The message.
        message: Message,
    },
}

/// How far opening has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Bytes of outbox.json read so far (while parsing).
    pub done: u64,
    /// Size of outbox.json, when known.
    pub total: Option<u64>,
    /// Posts read so far.
    pub posts: u64,
}

/// A stage of opening an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Finding out what was given, listing the archive.
    Reading,
    /// Reading outbox.json.
    Parsing,
    /// Reading the profile, likes, bookmarks and CSV files, matching media.
    Finishing,
    /// Building the search index.
    Indexing,
}

impl Stage {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Reading => "Reading the archive",
            Stage::Parsing => "Reading posts",
            Stage::Finishing => "Reading profile, likes and lists",
            Stage::Indexing => "Building the search index",
        }
    }
}

/// An opened archive, as the page sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    /// The numbers `permafrost inspect --json` prints.
    pub summary: Summary,
    /// The profile, when actor.json was found.
    pub actor: Option<Actor>,
    /// The avatar is in the archive ([`MediaRef::Avatar`]).
    pub has_avatar: bool,
    /// The header image is in the archive ([`MediaRef::Header`]).
    pub has_header: bool,
    /// Words for completion in the search box: hashtags, mentions and languages with counts,
    /// most used first.
    pub completions: Completions,
    /// Milliseconds spent opening (reading, parsing, indexing).
    pub elapsed_ms: u32,
    /// The query language's filters (`has:`, `is:`…), for completion in the search box.
    pub filters: Vec<QueryFilter>,
    /// With several accounts' archives open: each account, in the order given (the first is
    /// also `actor`); empty for one account.
    #[serde(default)]
    pub accounts: Vec<AccountView>,
    /// CSV exports given with several accounts' archives whose account could not be told:
    /// [`RequestBody::Attribute`] says whose each is.
    #[serde(default)]
    pub unattributed: Vec<String>,
    /// Set when the archive was opened from what is kept on this device
    /// ([`RequestBody::OpenKept`]).
    #[serde(default)]
    pub kept: Option<KeptOpen>,
}

/// How a kept archive was opened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptOpen {
    /// Its [`KeptArchive::key`].
    pub key: String,
    /// Why its snapshot could not be used, when it was read again from its kept files (a
    /// snapshot from another version of Permafrost, or a damaged one); a new snapshot is kept.
    pub rebuilt: Option<Message>,
}

/// The archives kept on this device.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct KeptList {
    /// Newest first.
    pub archives: Vec<KeptArchive>,
    /// The key of the open archive, when it is kept.
    pub open: Option<String>,
    /// What this site stores on the device, in bytes, as the browser estimates it.
    pub usage: Option<u64>,
    /// The most it may store, as the browser estimates it.
    pub quota: Option<u64>,
}

/// One kept archive, as the welcome screen lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeptArchive {
    /// Its name in the storage.
    pub key: String,
    /// The files kept, by the names they were opened with.
    pub names: Vec<String>,
    /// Its accounts' handles (`alice@example.social`).
    pub accounts: Vec<String>,
    /// Its posts.
    pub posts: u64,
    /// What its files and snapshot take, in bytes.
    pub bytes: u64,
    /// When it was kept, in seconds since 1970 (UTC).
    pub kept_at: i64,
    /// Its stored state cannot be read (an interrupted write, another version's layout): it can
    /// only be forgotten.
    pub damaged: bool,
}

/// One account of several opened together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    /// Its name as the `account:` filter takes it (`alice@example.social`).
    pub name: String,
    /// Its profile, when an archive of it has actor.json.
    pub actor: Option<Actor>,
    /// Its avatar is in the archive ([`MediaRef::AccountAvatar`]).
    pub has_avatar: bool,
    /// Its header image is in the archive ([`MediaRef::AccountHeader`]).
    pub has_header: bool,
    /// Its posts (each counted once).
    pub posts: u32,
    /// The names of its archives, as given.
    pub archives: Vec<String>,
}

/// A filter of the query language, as the search box completes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryFilter {
    /// The key, without `:` (`has`).
    pub key: String,
    /// What it does, in a few words.
    pub hint: String,
    /// The values to suggest after the colon (empty: free text, such as a date).
    pub values: Vec<String>,
}

/// Values the search box can complete.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Completions {
    /// Hashtags without `#`, most used first.
    pub hashtags: Vec<(String, u32)>,
    /// Mentioned accounts (`user@host`) without `@`, most used first.
    pub mentions: Vec<(String, u32)>,
    /// Language codes, most used first.
    pub languages: Vec<(String, u32)>,
}

/// The answer to a search.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// The id of the search (its request's id): [`ResponseBody::Posts`] and
    /// [`ResponseBody::MediaPost`] say which search their positions belong to with it.
    pub search: u32,
    /// Number of posts in the result (with threads collapsed, the chains' first posts).
    pub total: u32,
    /// Number of posts the query matched: `total` unless threads were collapsed.
    pub matched: u32,
    /// The first posts of the result.
    pub posts: Vec<PostView>,
    /// Counts by facet over the matching posts (empty in the answer to a
    /// [`RequestBody::Search`]: see [`RequestBody::Facets`]).
    pub facets: Vec<FacetGroup>,
    /// Problems with the query (an unknown filter, a bad date), each one line. The query still
    /// ran with what could be understood. A mistake with a likely fix has it in the argument
    /// `suggestion` (the English text ends with "did you mean"; the page adds the catalogue's
    /// `query.did_you_mean`).
    pub errors: Vec<Message>,
    /// What the query's last word would be told were it finished, said nowhere else while it
    /// is being typed (`during:2023-13`, `🐈`, a quote still open): the page shows it once
    /// the typing pauses.
    #[serde(default)]
    pub unfinished: Vec<Message>,
    /// Milliseconds the search took in the worker.
    pub elapsed_ms: u32,
}

/// The Statistics view's numbers: what `permafrost stats` prints for the same query and zone.
/// Every count comes with the query term that selects its posts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsView {
    /// Posts counted.
    pub total: u32,
    /// Posts per month (`2023-05`, `during:2023-05`), every month from the first to the last,
    /// months without posts included.
    pub per_month: Vec<FacetValue>,
    /// Posts per day (`2023-05-17`, `on:2023-05-17`), days with posts only, oldest first.
    pub per_day: Vec<FacetValue>,
    /// Posts per weekday and hour: 7 rows of 24, Monday and 00:00 first.
    pub punchcard: Vec<u32>,
    /// The facets of [`Results::facets`] (composition by type, visibility, media and content
    /// warning; languages, hashtags, mentions, link domains), then `boosted` (the most boosted
    /// accounts, `boosted:` terms).
    pub groups: Vec<FacetGroup>,
    /// Attachments with and without a description per month, months with attachments only.
    pub alt_text: Vec<AltMonth>,
    /// Problems with the query, as in [`Results::errors`].
    pub errors: Vec<Message>,
}

/// A list of posts known only by their addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavedList {
    /// likes.json.
    Likes,
    /// bookmarks.json and bookmarks.csv, merged without duplicates.
    Bookmarks,
}

/// Liked or bookmarked posts, as the page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    /// Which list.
    pub list: SavedList,
    /// The archive has the list (likes.json; bookmarks.json or bookmarks.csv).
    pub present: bool,
    /// Addresses in the list.
    pub total: u32,
    /// Of those, the ones the filter matches.
    pub matching: u32,
    /// Of those, your own posts in this archive.
    pub own: u32,
    /// Servers of the matching ones, most first (at most 20); a value's `term` is the text to
    /// filter by.
    pub servers: Vec<FacetValue>,
    /// Accounts of the matching ones where the address names one (`/users/NAME/…`, `/@NAME/…`),
    /// most first (at most 20), likewise.
    pub accounts: Vec<FacetValue>,
    /// The matching items from the offset asked for, in the list's order.
    pub items: Vec<SavedItem>,
}

/// One liked or bookmarked post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedItem {
    /// The address as the archive gives it.
    pub uri: String,
    /// The address as a link, when it is an http(s) one.
    pub link: Option<Href>,
    /// `name@host` when the address names the account (`/users/NAME/statuses/…`).
    pub account: Option<String>,
    /// Your own post, when the address is one in this archive.
    pub own: Option<ParentView>,
}

/// A table of the People view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleTable {
    /// Accounts you follow (following_accounts.csv, or Pleroma's following.json).
    Following,
    /// Accounts following you (GoToSocial's followers.csv, Pleroma's followers.json).
    Followers,
    /// List members, one row per list and member (lists.csv).
    Lists,
    /// Blocked accounts (blocked_accounts.csv).
    Blocks,
    /// Muted accounts (muted_accounts.csv).
    Mutes,
    /// Blocked domains (blocked_domains.csv): rows are in [`PeopleView::domains`].
    DomainBlocks,
    /// Accounts you follow whom the counted posts neither mention nor boost.
    NotMentioned,
    /// Accounts the counted posts mention whom you do not follow (yourself left out). Boosted
    /// accounts the archive knows only by their URI are not listed: whether you follow them
    /// cannot be told.
    MentionedNotFollowed,
}

impl PeopleTable {
    /// Every table, in the order the page offers them.
    pub const ALL: [PeopleTable; 8] = [
        PeopleTable::Following,
        PeopleTable::Followers,
        PeopleTable::Lists,
        PeopleTable::Blocks,
        PeopleTable::Mutes,
        PeopleTable::DomainBlocks,
        PeopleTable::NotMentioned,
        PeopleTable::MentionedNotFollowed,
    ];

    /// The name used in requests and by the CLI's `--table` (`domain_blocks`).
    pub fn as_str(self) -> &'static str {
        match self {
            PeopleTable::Following => "following",
            PeopleTable::Followers => "followers",
            PeopleTable::Lists => "lists",
            PeopleTable::Blocks => "blocks",
            PeopleTable::Mutes => "mutes",
            PeopleTable::DomainBlocks => "domain_blocks",
            PeopleTable::NotMentioned => "not_mentioned",
            PeopleTable::MentionedNotFollowed => "mentioned_not_followed",
        }
    }

    /// Reads a name written by [`PeopleTable::as_str`].
    pub fn parse(s: &str) -> Option<PeopleTable> {
        PeopleTable::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The order a table is shown in unless another is asked for: most mentioned first for
    /// [`PeopleTable::MentionedNotFollowed`], by address (lists: by title, then member) for the
    /// others.
    pub fn default_sort(self) -> PeopleSort {
        match self {
            PeopleTable::MentionedNotFollowed => PeopleSort::Mentions,
            _ => PeopleSort::Name,
        }
    }
}

/// The order of a People table's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeopleSort {
    /// By address, ignoring case (lists: by title, then member; domains: alphabetically).
    Name,
    /// Most mentioned first, then by address.
    Mentions,
    /// Most boosted first, then by address.
    Boosts,
    /// As the file lists them (following and mutes: newest first, as Mastodon writes them).
    File,
}

impl PeopleSort {
    /// Every order.
    pub const ALL: [PeopleSort; 4] = [
        PeopleSort::Name,
        PeopleSort::Mentions,
        PeopleSort::Boosts,
        PeopleSort::File,
    ];

    /// The name used in requests and by the CLI's `--sort`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeopleSort::Name => "name",
            PeopleSort::Mentions => "mentions",
            PeopleSort::Boosts => "boosts",
            PeopleSort::File => "file",
        }
    }

    /// Reads a name written by [`PeopleSort::as_str`].
    pub fn parse(s: &str) -> Option<PeopleSort> {
        PeopleSort::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// One table of the People view, as the page shows it: what `permafrost people --json` prints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeopleView {
    /// The table asked for.
    pub table: PeopleTable,
    /// The order the rows are in (the table's default when none was asked for).
    pub sort: PeopleSort,
    /// Every table, in [`PeopleTable::ALL`]'s order: whether a file gave it and its size.
    pub tables: Vec<PeopleTableInfo>,
    /// The files the social graph was read from, in the order read.
    pub files: Vec<PeopleFile>,
    /// Mastodon's exports that no file gave (in Mastodon's order, bookmarks.csv included): what
    /// the page asks for. [`CsvKind::file_name`] names each.
    pub missing: Vec<CsvKind>,
    /// Where the owner's server offers the exports (`https://example.social/settings/export`),
    /// when the archive says which server that is.
    pub export_page: Option<String>,
    /// The owner's address (`alice@example.social`), when the archive gives it: mentions
    /// written without a server are of this server's accounts.
    pub owner: Option<String>,
    /// Rows of this table (for domain blocks: domains).
    pub total: u32,
    /// Of those, the ones the filter matches.
    pub matching: u32,
    /// The position of the first row sent among the matching ones.
    pub offset: u32,
    /// The matching rows from the offset (every table but domain blocks).
    pub rows: Vec<PersonRow>,
    /// The matching blocked domains from the offset (the domain blocks table only).
    pub domains: Vec<String>,
    /// For the lists table: every list with rows, in file order, with its member count (at most
    /// [`PeopleView::MAX_LISTS`]); empty for the other tables.
    pub lists: Vec<ListInfo>,
    /// Problems with the query that selects the counted posts, as in [`Results::errors`].
    pub errors: Vec<Message>,
}

impl PeopleView {
    /// The most lists [`PeopleView::lists`] holds (Mastodon allows 50 per account by default).
    pub const MAX_LISTS: usize = 1_000;
}

/// Whether a file gave a table, and its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleTableInfo {
    /// Which table.
    pub table: PeopleTable,
    /// A file gave it (an empty file counts: it says there are none). The two cross references
    /// are present when the following list is, since "not followed" needs it.
    pub present: bool,
    /// Its rows (0 when absent).
    pub total: u32,
}

/// A file the social graph was read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeopleFile {
    /// Its name as given (or its path in the archive).
    pub name: String,
    /// What it was read as.
    pub kind: CsvKind,
    /// Rows it gave (list members for lists.csv; rows that could not be read are not counted).
    pub rows: u32,
}

/// A list and its size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListInfo {
    /// Its title.
    pub title: String,
    /// Its members.
    pub members: u32,
}

/// One account in a People table, with what the files and the posts say about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    /// The address as the file gives it, without a leading `@` (`user@domain`; Pleroma's
    /// following.json gives actor URIs). For [`PeopleTable::MentionedNotFollowed`], as the
    /// archive names the account (lowercase).
    pub address: String,
    /// For [`PeopleTable::Lists`]: the list of this row.
    pub list: Option<String>,
    /// You follow this account (the following list has it).
    pub followed: bool,
    /// When followed: their boosts show in your home feed; `None` when the file does not say.
    pub show_boosts: Option<bool>,
    /// When followed: you are notified of each of their posts (Mastodon 4.0+); `None` when the
    /// file does not say.
    pub notify: Option<bool>,
    /// When followed: the languages you limited them to; empty when unrestricted or not said.
    pub languages: Vec<String>,
    /// When muted: notifications from them are hidden too; `None` when not muted or not said.
    pub hide_notifications: Option<bool>,
    /// The lists this account is in, in file order.
    pub lists: Vec<String>,
    /// How many of the counted posts mention this account.
    pub mentions: u32,
    /// How many of the counted posts are boosts of this account's posts.
    pub boosts: u32,
    /// The query that selects the posts mentioning it (`@user@domain`; several forms of the
    /// address joined with `OR` in parentheses); `None` when there are none.
    pub mention_term: Option<String>,
    /// The query term that selects the boosts of its posts, as the index names the account
    /// (`boosted:user@domain`); `None` when there are none.
    pub boost_term: Option<String>,
}

/// The answer to [`RequestBody::AddFiles`]: what each file was, and the archive's new summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddedView {
    /// One per file, in the order given.
    pub files: Vec<AddedFile>,
    /// The summary of the archive with the files added (as [`Opened::summary`]).
    pub summary: Summary,
    /// CSV exports still waiting to be told whose they are (as [`Opened::unattributed`]).
    #[serde(default)]
    pub unattributed: Vec<String>,
    /// The archive is kept on this device, but what was added could not be kept with it (the
    /// storage is full): why. It is no longer kept as it is open; what was kept before stays.
    #[serde(default)]
    pub not_kept: Option<Message>,
}

/// What one added file was.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddedFile {
    /// Its name as given.
    pub name: String,
    /// What it was read as; `None` when it was refused.
    pub kind: Option<CsvKind>,
    /// Rows it gave (list members for lists.csv; bookmarks already known are counted too).
    pub rows: u32,
    /// Why it was refused, in one line; `None` when it was read.
    pub error: Option<Message>,
    /// Rows that could not be read, all counted.
    pub problems: u32,
    /// The first of those problems, with their line numbers.
    pub diagnostics: Vec<DiagnosticSummary>,
}

/// The media library's answer: what `permafrost media --json` prints for the same query, zone
/// and filters (with every item).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaLibraryView {
    /// Attachments in the list: those of the query's posts, of the kind asked for, without a
    /// description when asked. The positions `offset` counts.
    pub total: u32,
    /// Position of the first item.
    pub offset: u32,
    /// The list from `offset` on: by the post's date (newest first unless asked otherwise), a
    /// post's attachments in their order, posts without a date last.
    pub items: Vec<MediaItem>,
    /// Posts the attachments of the list belong to (with a kind asked for, the count of the
    /// query with `has:image` and the like added; with only `without_alt`, with `has:noalt`).
    pub posts: u32,
    /// Posts of the query with any attachment (the query with `has:media` added).
    pub posts_with_media: u32,
    /// Attachments of the query's posts and how many are described, per kind, before the kind
    /// and description filters: every kind, in the order image, GIF, video, audio, other, those
    /// without attachments included (the filter chips show their counts).
    pub kinds: Vec<MediaKindCount>,
    /// Alt-text coverage: the query's attachments of the kind asked for (every kind when none),
    /// whether described or not.
    pub attachments: u32,
    /// Of those, the ones with a description.
    pub described: u32,
    /// Problems with the query, as in [`Results::errors`].
    pub errors: Vec<Message>,
}

/// Attachments of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaKindCount {
    /// The kind.
    pub kind: MediaKind,
    /// Attachments of the kind.
    pub attachments: u32,
    /// Of those, the ones with a description.
    pub described: u32,
}

/// One attachment of the media library.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaItem {
    /// The post's index: with `index`, the [`MediaRef::Attachment`] (and
    /// [`MediaRef::Placeholder`]) of the file, and the handle to open the post.
    pub post: u32,
    /// The attachment's position in the post.
    pub index: u32,
    /// The post's short id (the last segment of its URI, `109876543210`), for links and `id:`.
    pub id: String,
    /// When the post was published, Unix seconds.
    pub published: Option<i64>,
    /// The local month of `published` in the request's zone (`2023-05`), what the grid groups
    /// by; `None` for a post without a date.
    pub month: Option<String>,
    /// The post is marked sensitive: the page keeps the media blurred until revealed.
    pub sensitive: bool,
    /// The file's name in the archive (`media_attachments/files/…/x.png`), when it is there.
    pub path: Option<String>,
    /// The attachment: kind, type, description, BlurHash, size, length, whether the file is in
    /// the archive.
    pub attachment: AttachmentView,
}

/// Alt-text coverage of one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AltMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Attachments of the month's posts.
    pub attachments: u32,
    /// Of those, the ones with a description.
    pub described: u32,
}

/// One facet: a filter and its values with counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetGroup {
    /// What it counts (`year`, `month`, `type`, `visibility`, `language`, `media`, `cw`,
    /// `hashtag`, `mention`).
    pub key: String,
    /// A heading for people.
    pub label: String,
    /// The values, in display order.
    pub values: Vec<FacetValue>,
}

/// One value of a facet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    /// Shown to people (`2023`, `#rust`, `English`).
    pub label: String,
    /// The query term that selects it (`year:2023`, `#rust`, `lang:en`).
    pub term: String,
    /// Matching posts with this value.
    pub count: u32,
}

/// A query that matched nothing, with one of its parts taken out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BroaderQuery {
    /// The part taken out, as written (`has:media`, `-(tea OR coffee)`).
    pub without: String,
    /// The query without it: its other parts as written, one space apart.
    pub query: String,
    /// Posts that query matches (never 0).
    pub total: u32,
}

/// A post as the page shows it: the model's post with every string resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostView {
    /// Index in the archive (outbox order), the handle for media and raw JSON.
    pub index: u32,
    /// The post's URI (the boost activity's for a boost).
    pub id: String,
    /// Original or boost.
    pub kind: PostKind,
    /// Where "Open on the server" goes: the post's web page (its `url`, or an original's id),
    /// parsed as a browser would; `None` when neither is an http(s) URL.
    pub link: Option<Href>,
    /// When posted, Unix seconds.
    pub published: Option<i64>,
    /// When last edited, Unix seconds.
    pub updated: Option<i64>,
    /// Who could see it.
    pub visibility: Visibility,
    /// The URI this replies to.
    pub in_reply_to: Option<String>,
    /// The same, as a link, when it is an http(s) URL.
    pub in_reply_to_link: Option<Href>,
    /// The parent post, when it is in the archive.
    pub parent: Option<ParentView>,
    /// For a boost: the boosted post's URI.
    pub boost_of: Option<String>,
    /// The same, as a link, when it is an http(s) URL.
    pub boost_of_link: Option<Href>,
    /// For a boost: the boosted account's URI, when known.
    pub boosted_account: Option<String>,
    /// A quoted post's URI.
    pub quote_of: Option<String>,
    /// The content warning.
    pub content_warning: Option<String>,
    /// The text, or its beginning when `content_cut` says so.
    pub content: RichText,
    /// When the text is too large to draw whole (a hostile post of 50,000 links or megabytes of
    /// text), `content` is its first part and this says what was left out.
    pub content_cut: Option<Cut>,
    /// Language code.
    pub language: Option<String>,
    /// Marked sensitive: media stays blurred until revealed.
    pub sensitive: bool,
    /// Media attachments (the first [`PostView::MAX_ATTACHMENTS`]).
    pub attachments: Vec<AttachmentView>,
    /// Attachments left out of `attachments`.
    pub more_attachments: u32,
    /// The poll, with its first [`PostView::MAX_POLL_OPTIONS`] options.
    pub poll: Option<Poll>,
    /// Poll options left out of `poll`, and the votes cast for them.
    pub more_poll_options: (u32, u64),
    /// Hashtags, without `#` (the first [`PostView::MAX_HASHTAGS`]).
    pub hashtags: Vec<String>,
    /// Hashtags left out of `hashtags`.
    pub more_hashtags: u32,
    /// Mentioned accounts, `user@host`.
    pub mentions: Vec<String>,
    /// Favourites count, when the archive has it.
    pub likes: Option<u32>,
    /// Boosts count, when the archive has it.
    pub shares: Option<u32>,
    /// The pieces of the post's text the search matched, as written (`Café` for `cafe`): the
    /// page marks them wherever they appear.
    pub highlights: Vec<String>,
    /// Posts in the chain of your own replies holding this one (`thread:ID` shows them): 1 when
    /// it is in none, 0 when not known (a preview read before the archive is indexed).
    pub thread_len: u32,
    /// With several accounts open: whose post it is, an index in [`Opened::accounts`] (the
    /// page names it from there: a number per post, not a name); `None` (and not written) with
    /// one account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<u32>,
}

impl PostView {
    /// The most inline pieces (runs of text, links, hashtags…) of a post's text that a view holds.
    pub const MAX_PIECES: usize = 1_000;
    /// The most characters of a post's text that a view holds.
    pub const MAX_CHARS: usize = 50_000;
    /// The most hashtags a view lists.
    pub const MAX_HASHTAGS: usize = 100;
    /// The most attachments a view holds (Mastodon allows 4; forks allow more).
    pub const MAX_ATTACHMENTS: usize = 40;
    /// The most poll options a view holds.
    pub const MAX_POLL_OPTIONS: usize = 100;
}

/// A reply's parent, when it is in the archive.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParentView {
    /// Its index.
    pub index: u32,
    /// When it was posted.
    pub published: Option<i64>,
    /// The start of its text (or its content warning), plain.
    pub excerpt: String,
}

/// A media attachment as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttachmentView {
    /// Image, GIF, video, audio or other.
    pub kind: MediaKind,
    /// MIME type, when given.
    pub media_type: Option<String>,
    /// The description.
    pub alt: Option<String>,
    /// BlurHash placeholder.
    pub blurhash: Option<String>,
    /// Width in pixels.
    pub width: Option<u32>,
    /// Height in pixels.
    pub height: Option<u32>,
    /// Length in seconds.
    pub duration: Option<f32>,
    /// The file is in the archive.
    pub present: bool,
}

/// Which posts an export takes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of")]
pub enum Selection {
    /// The posts matching a query (empty: every post), in the order given.
    Query {
        /// The query, in the query language (read as complete, not as typed).
        query: String,
        /// The order.
        sort: Sort,
        /// IANA time zone for dates in the query.
        time_zone: String,
        /// Read the query as the search box does while typing (its last word a prefix), so
        /// that the export takes exactly the posts the page shows; false: as complete (the CLI).
        #[serde(default)]
        as_typed: bool,
    },
    /// Posts picked by hand, by index, in this order.
    Posts {
        /// Post indices (outbox order); unknown ones are skipped.
        posts: Vec<u32>,
    },
}

/// The formats an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// One row per post.
    #[default]
    Csv,
    /// One row per attachment.
    MediaCsv,
    /// The social graph of the CSV exports, as one table.
    PeopleCsv,
    /// An outbox.json-shaped collection of the original activities.
    Json,
    /// A Mastodon-archive-shaped ZIP that opens again like the original.
    Zip,
    /// A ZIP of Markdown files with YAML front matter, media beside them.
    Markdown,
    /// One self-contained, printable HTML page (a ZIP with the media when they are large).
    Html,
}

impl ExportFormat {
    /// Every format, in the order offered.
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::Csv,
        ExportFormat::MediaCsv,
        ExportFormat::PeopleCsv,
        ExportFormat::Json,
        ExportFormat::Zip,
        ExportFormat::Markdown,
        ExportFormat::Html,
    ];

    /// The name used by the CLI's `--format` and in the URL (`media-csv`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::MediaCsv => "media-csv",
            ExportFormat::PeopleCsv => "people-csv",
            ExportFormat::Json => "json",
            ExportFormat::Zip => "zip",
            ExportFormat::Markdown => "markdown",
            ExportFormat::Html => "html",
        }
    }

    /// Reads a name written by [`ExportFormat::as_str`].
    pub fn parse(s: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// What the privacy options leave out of an export.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaveOut {
    /// Followers-only posts.
    pub followers: bool,
    /// Direct messages (private mentions).
    pub direct: bool,
    /// Boosts.
    pub boosts: bool,
    /// Media files (posts keep their alt text and say a file was left out).
    pub media: bool,
    /// likes.json (archive ZIP only).
    pub likes: bool,
    /// bookmarks.json (archive ZIP only).
    pub bookmarks: bool,
}

/// How to export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The format.
    pub format: ExportFormat,
    /// IANA time zone for the "published, local" column and dates in Markdown and HTML.
    pub time_zone: String,
    /// Start CSV files with a byte order mark (for spreadsheets that need one).
    pub bom: bool,
    /// What to leave out.
    pub leave_out: LeaveOut,
    /// Replace mentions of other people with a neutral placeholder.
    pub redact_mentions: bool,
}

/// What an export will write, counted before anything is written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportPlan {
    /// Posts that will be written (after what is left out).
    pub posts: u32,
    /// Media files that will be copied (ZIP, Markdown, HTML) or listed (media CSV).
    pub media_files: u32,
    /// Their size in bytes, as the archive stores them.
    pub media_bytes: u64,
    /// Posts of the selection left out, by reason.
    pub left_out: LeftOut,
    /// The file name the download gets (`permafrost-posts-2024-01-02.csv`).
    pub file_name: String,
    /// Its MIME type.
    pub mime: String,
}

/// What the privacy options take out of a selection, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Followers-only posts left out.
    pub followers: u32,
    /// Direct messages left out.
    pub direct: u32,
    /// Boosts left out.
    pub boosts: u32,
    /// Media files left out.
    pub media_files: u32,
    /// Liked posts left out (archive ZIP).
    pub likes: u32,
    /// Bookmarks left out (archive ZIP).
    pub bookmarks: u32,
    /// Mentions of other people replaced.
    pub mentions: u32,
}

/// A finished export.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportDone {
    /// The file name to save under.
    pub file_name: String,
    /// Its MIME type.
    pub mime: String,
    /// Posts written.
    pub posts: u32,
    /// Media files written.
    pub media_files: u32,
    /// Bytes written (the sum of the parts).
    pub bytes: u64,
}

impl RequestBody {
    /// Whether this gives the worker an archive to hold ([`RequestBody::Open`],
    /// [`RequestBody::OpenKept`]). A worker asked only other things holds none (without an
    /// archive they are answered at once, or touch only the device's storage, as the welcome
    /// screen's list of kept archives does): the page opens the next archive in it rather than
    /// starting a new worker, which costs loading and compiling its wasm (about 150 ms).
    pub fn opens_archive(&self) -> bool {
        matches!(
            self,
            RequestBody::Open { .. } | RequestBody::OpenKept { .. }
        )
    }
}

impl Request {
    /// The JSON text sent with `postMessage`.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a request.
    pub fn from_json(text: &str) -> Result<Request, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl Response {
    /// An error response.
    pub fn error(id: u32, message: impl Into<Message>) -> Response {
        Response {
            id,
            body: ResponseBody::Error {
                message: message.into(),
            },
        }
    }

    /// The JSON text sent with `postMessage`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a response.
    pub fn from_json(text: &str) -> Result<Response, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_small_and_tagged() {
        let response = Response {
            id: 1,
            body: ResponseBody::Progress(Progress {
                stage: Stage::Parsing,
                done: 10,
                total: Some(20),
                posts: 3,
            }),
        };
        assert_eq!(
            response.to_json(),
            r#"{"id":1,"body":{"type":"Progress","stage":"parsing","done":10,"total":20,"posts":3}}"#
        );
    }

    /// The CLI's and the request's names are serde's, so `--table` and the JSON agree.
    #[test]
    fn people_names_are_serdes() {
        for table in PeopleTable::ALL {
            let json = serde_json::to_string(&table).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", table.as_str()));
            assert_eq!(PeopleTable::parse(table.as_str()), Some(table));
        }
        for sort in PeopleSort::ALL {
            let json = serde_json::to_string(&sort).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", sort.as_str()));
            assert_eq!(PeopleSort::parse(sort.as_str()), Some(sort));
        }
    }
}
