//! Export: the selected posts written as CSV, JSON, an archive ZIP, Markdown or HTML, in slices.
//!
//! `prepare` resolves what an export will write (the posts after the privacy options, media
//! counts, the file name): that is the plan the page shows. A `Job` then writes it as a list of
//! small tasks (a post, a media file, a ZIP entry's start), run by `Job::step` until a time
//! slice is over, so that the worker answers other requests between slices. The output goes to
//! a growing buffer that is cut into parts of at most [`PART_BYTES`], so memory holds at most one
//! media file and a slice's output, never the whole file.
//!
//! JSON and the archive ZIP copy each activity's JSON text byte for byte from outbox.json
//! ([`permafrost_engine::Loaded::raw_items`]), in outbox order, reading outbox.json in a few
//! sequential passes of `RAW_BATCH_BYTES` (32 MiB) of items each.

mod html;
mod markdown;
mod pack;
#[cfg(test)]
#[path = "../../tests/support/python_zip.rs"]
mod python_zip;
mod redact;
mod small_deflate;
mod stream;
mod table;
mod text;
mod zipout;

pub use pack::set_threads;
pub(crate) use stream::OutboxStream;
pub use stream::{ExportSource, MaybeSend, ReadSeek};
pub use table::neutralise;

use crate::{views, Answer, MAX_MEDIA_BYTES};
use jiff::tz::TimeZone;
use permafrost_engine::Loaded;
use permafrost_index::Index;
use permafrost_model::time::format_rfc3339;
use permafrost_model::{
    Account, Block, Inline, MediaKind, Message, Post, PostKind, RichText, Visibility,
};
use permafrost_protocol::{
    ExportDone, ExportFormat, ExportOptions, ExportPlan, LeftOut, ResponseBody,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{Read, Seek, Write};
use std::rc::Rc;
use text::Own;
use zipout::ZipOut;

/// Largest part of the file sent at once.
pub const PART_BYTES: usize = 4 << 20;

/// At the end of a slice, output buffered beyond this is sent too (memory stays bounded).
pub const FLUSH_BYTES: usize = 256 << 10;

/// outbox.json is read this many bytes of selected items at a time (JSON and archive ZIP).
const RAW_BATCH_BYTES: usize = 32 << 20;

/// An HTML export whose media exceed this (or hold a video or a sound, which a page cannot
/// embed) is a ZIP with a media folder beside the page.
pub const HTML_INLINE_MEDIA_BYTES: u64 = 20 << 20;

/// DEFLATE level of the text entries of ZIPs (fast: media, most of the bytes, are stored).
const DEFLATE_LEVEL: u32 = 1;

/// What an export will write.
pub(crate) struct Prepared {
    posts: Vec<u32>,
    /// Markdown's documents (a self-reply chain is one), in order.
    /// Markdown: where each document ends in `posts`, which lists them one after the other.
    doc_ends: Vec<u32>,
    plan: ExportPlan,
    tz: TimeZone,
    own: Own,
    html_zip: bool,
    /// When the export was made, for the ZIP entries' dates (DOS date and time, UTC; ZIP has
    /// no zones).
    modified: (u16, u16),
}

impl Prepared {
    /// The plan the page shows.
    pub(crate) fn plan(&self) -> &ExportPlan {
        &self.plan
    }
}

/// Counts what an export of `selected` (post indices, in order) with `options` writes.
pub(crate) fn prepare<R: Read + Seek>(
    loaded: &Loaded<R>,
    index: &Index,
    selected: Vec<u32>,
    options: &ExportOptions,
    now_ms: f64,
) -> Result<Prepared, Message> {
    let tz = text::zone(&options.time_zone)?;
    let account = &loaded.account;
    let own = Own::of(account);
    let format = options.format;
    // Without a CSV export there is nobody to write: saying so beats a file of one header.
    if format == ExportFormat::PeopleCsv && loaded.side_files.is_empty() {
        return Err(crate::messages::EXPORT_NO_PEOPLE.message());
    }
    let lo = options.leave_out;
    let mut left = LeftOut::default();
    let mut posts = Vec::new();
    if format != ExportFormat::PeopleCsv {
        let mut seen = HashSet::new();
        for i in selected {
            let Some(p) = account.posts.get(i as usize) else {
                continue;
            };
            if !seen.insert(i) {
                continue;
            }
            if lo.boosts && p.kind == PostKind::Boost {
                left.boosts += 1;
            } else if lo.direct && p.visibility == Visibility::Direct {
                left.direct += 1;
            } else if lo.followers && p.visibility == Visibility::Private {
                left.followers += 1;
            } else {
                posts.push(i);
            }
        }
    }
    if matches!(format, ExportFormat::Json | ExportFormat::Zip) {
        // Outbox order, which is how an archive is read back; with several archives open, each
        // archive's in turn (one pass over each outbox.json).
        posts.sort_by_key(|&i| {
            (
                loaded.archive_of(i),
                account.posts[i as usize].source_offset,
                i,
            )
        });
    }
    let docs = if format == ExportFormat::Markdown {
        documents(account, index, &posts)
    } else {
        Vec::new()
    };
    let entries = loaded.entries();
    let size = |e: u32| entries.get(e as usize).map_or(0, |e| e.size);
    let mut media_files = 0u32;
    let mut media_bytes = 0u64;
    // For an HTML page: the media it can embed (images; its policy allows no other `data:`
    // media), and whether some cannot be embedded (videos, sounds).
    let (mut embedded_files, mut embedded_bytes, mut not_embeddable) = (0u32, 0u64, false);
    let copies = matches!(
        format,
        ExportFormat::Zip | ExportFormat::Markdown | ExportFormat::Html
    );
    if format == ExportFormat::MediaCsv {
        for &i in &posts {
            for a in &account.posts[i as usize].attachments {
                media_files += 1;
                media_bytes += a.entry.map_or(0, size);
            }
        }
    } else if copies {
        // Files are copied once per ZIP (once per document for Markdown).
        let groups: Vec<&[u32]> = if format == ExportFormat::Markdown {
            docs.iter().map(Vec::as_slice).collect()
        } else {
            vec![&posts[..]]
        };
        for group in groups {
            let mut seen = HashSet::new();
            for &i in group {
                for a in &account.posts[i as usize].attachments {
                    let Some(e) = a.entry else { continue };
                    if !seen.insert(e) {
                        continue;
                    }
                    if lo.media {
                        left.media_files += 1;
                        continue;
                    }
                    media_files += 1;
                    media_bytes += size(e);
                    if format == ExportFormat::Html {
                        if embeddable(account, a, entries.get(e as usize).map_or("", |x| &x.name)) {
                            embedded_files += 1;
                            embedded_bytes += size(e);
                        } else {
                            not_embeddable = true;
                        }
                    }
                }
            }
        }
    }
    if options.redact_mentions
        && matches!(
            format,
            ExportFormat::Csv
                | ExportFormat::Markdown
                | ExportFormat::Html
                | ExportFormat::Json
                | ExportFormat::Zip
        )
    {
        left.mentions = posts
            .iter()
            .map(|&i| text::others_mentioned(account, &account.posts[i as usize], &own))
            .sum();
    }
    if format == ExportFormat::Zip {
        if lo.likes {
            left.likes = account.likes.as_ref().map_or(0, |l| l.len() as u32);
        }
        if lo.bookmarks {
            left.bookmarks = account.bookmarks.as_ref().map_or(0, |l| l.len() as u32);
        }
    }
    let mut doc_ends = Vec::new();
    if format == ExportFormat::Markdown {
        posts.clear();
        for doc in docs {
            posts.extend(doc);
            doc_ends.push(posts.len() as u32);
        }
    }
    // A ZIP with the media beside the page when they are too large to embed, or when some
    // cannot be (videos, sounds), rather than a page that leaves them out; a page counts only
    // the images it embeds.
    let html_zip =
        format == ExportFormat::Html && (media_bytes > HTML_INLINE_MEDIA_BYTES || not_embeddable);
    if format == ExportFormat::Html && !html_zip {
        media_files = embedded_files;
        media_bytes = embedded_bytes;
    }
    let date = format_rfc3339((now_ms / 1000.0).floor() as i64)
        .chars()
        .take(10)
        .collect::<String>();
    let (what, ext, mime) = match format {
        ExportFormat::Csv => ("posts", "csv", "text/csv"),
        ExportFormat::MediaCsv => ("media", "csv", "text/csv"),
        ExportFormat::PeopleCsv => ("people", "csv", "text/csv"),
        ExportFormat::Json => ("posts", "json", "application/json"),
        ExportFormat::Zip => ("archive", "zip", "application/zip"),
        ExportFormat::Markdown => ("markdown", "zip", "application/zip"),
        ExportFormat::Html if html_zip => ("html", "zip", "application/zip"),
        ExportFormat::Html => ("posts", "html", "text/html"),
    };
    let plan = ExportPlan {
        posts: posts.len() as u32,
        media_files,
        media_bytes,
        left_out: left,
        file_name: format!("permafrost-{what}-{date}.{ext}"),
        mime: mime.into(),
    };
    let secs = (now_ms / 1000.0).floor() as i64;
    let (y, m, d) = permafrost_model::time::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    let modified = zipout::dos_date_time(y, m, d, t / 3600, t / 60 % 60, t % 60);
    Ok(Prepared {
        posts,
        doc_ends,
        plan,
        tz,
        own,
        html_zip,
        modified,
    })
}

/// Markdown's documents: each post alone, except that the account's own replies to its own posts
/// join their thread's document (in reading order), placed where the first of them was selected.
fn documents(account: &Account, index: &Index, posts: &[u32]) -> Vec<Vec<u32>> {
    let mut docs: Vec<Vec<u32>> = Vec::new();
    let mut by_root: HashMap<u32, usize> = HashMap::new();
    for &i in posts {
        let root = if account.posts[i as usize].kind == PostKind::Original {
            index.root_of(i)
        } else {
            i
        };
        match by_root.get(&root) {
            Some(&d) => docs[d].push(i),
            None => {
                by_root.insert(root, docs.len());
                docs.push(vec![i]);
            }
        }
    }
    for doc in &mut docs {
        if doc.len() > 1 {
            let order: HashMap<u32, usize> = index
                .thread_of(doc[0])
                .map(|t| {
                    t.posts
                        .iter()
                        .enumerate()
                        .map(|(n, p)| (p.post, n))
                        .collect()
                })
                .unwrap_or_default();
            doc.sort_by_key(|p| (order.get(p).copied().unwrap_or(usize::MAX), *p));
        }
    }
    docs
}

/// A copy of a text with other people's mentions replaced by a placeholder.
pub(crate) fn redacted(text: &RichText, own: &Own) -> RichText {
    fn inlines(items: &[Inline], own: &Own) -> Vec<Inline> {
        items
            .iter()
            .map(|i| match i {
                Inline::Mention { text, href }
                    if !own.is_self_mention(text, href.as_ref().map(|h| &*h.url)) =>
                {
                    Inline::Mention {
                        text: text::PLACEHOLDER.into(),
                        href: None,
                    }
                }
                Inline::Emphasis(c) => Inline::Emphasis(inlines(c, own)),
                Inline::Strong(c) => Inline::Strong(inlines(c, own)),
                Inline::Strike(c) => Inline::Strike(inlines(c, own)),
                other => other.clone(),
            })
            .collect()
    }
    fn blocks(items: &[Block], own: &Own) -> Vec<Block> {
        items
            .iter()
            .map(|b| match b {
                Block::Paragraph(i) => Block::Paragraph(inlines(i, own)),
                Block::Heading { level, content } => Block::Heading {
                    level: *level,
                    content: inlines(content, own),
                },
                Block::Quote(inner) => Block::Quote(blocks(inner, own)),
                Block::List { ordered, items } => Block::List {
                    ordered: *ordered,
                    items: items.iter().map(|item| blocks(item, own)).collect(),
                },
                Block::Code(c) => Block::Code(c.clone()),
            })
            .collect()
    }
    RichText {
        blocks: blocks(&text.blocks, own),
    }
}

/// The output buffer, shared with the ZIP or CSV writer that fills it.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What writes into the buffer.
enum Out {
    Plain,
    Csv(Box<csv::Writer<Sink>>),
    Zip(Box<ZipOut<Sink>>),
    Finished,
}

/// One step of an export.
enum Task {
    Done,
    /// Starts a ZIP entry.
    Start {
        name: String,
        deflate: bool,
    },
    /// Writes text.
    Text(String),
    /// Every post of the export in turn, up to position `.1` of the job's posts, one per step
    /// (the job's cursor says which).
    Posts(Each, usize),
    People,
    /// A ZIP entry with an archive entry's bytes.
    Copy {
        entry: u32,
        place: Place,
    },
    /// Every Markdown document in turn, with its media, one per step.
    Docs,
    /// likes.json's or bookmarks.json's text: of every account, or of account `.1` (an index
    /// in `Loaded::accounts`).
    Uris(Uris, Option<usize>),
}

/// The URI lists of an archive.
#[derive(Clone, Copy)]
enum Uris {
    Likes,
    Bookmarks,
}

impl Uris {
    fn file(self) -> &'static str {
        match self {
            Uris::Likes => "likes.json",
            Uris::Bookmarks => "bookmarks.json",
        }
    }
}

/// What is written for each post.
#[derive(Clone, Copy)]
enum Each {
    /// Its outbox item's JSON text.
    Raw,
    /// Its CSV row.
    Row,
    /// Its attachments' CSV rows.
    MediaRows,
    /// Its HTML article.
    Html,
}

/// Where a copied archive entry goes in the ZIP.
enum Place {
    /// At its path relative to its archive's outbox.json folder, in this folder of the archive
    /// ZIP (`alice@example.social/`, or empty).
    Archive(String),
    /// The avatar or header, like [`Place::Archive`] (not counted as media).
    Profile(String),
    /// In the HTML export's media folder.
    Html,
    /// At this path, deflated when `.json`.
    Named(String),
}

/// A running export.
pub(crate) struct Job {
    /// The request that started it.
    pub(crate) id: u32,
    /// Read outbox.json in one pass, without stopping for slices (the command line: reading it
    /// in batches, as slices need, inflates its beginning again for each batch).
    pub(crate) one_pass: bool,
    /// Bytes of outbox items read ahead at a time ([`RAW_BATCH_BYTES`]; smaller in tests).
    pub(crate) raw_batch: usize,
    /// outbox.json through a second source, read once across slices, when the caller gave one.
    pub(crate) stream: Option<OutboxStream>,
    options: ExportOptions,
    tz: TimeZone,
    own: Own,
    html_zip: bool,
    tasks: Vec<Task>,
    next: usize,
    /// The posts written, in order, and the next one.
    posts: Vec<u32>,
    cursor: usize,
    /// Markdown: where each document ends in `posts`, and the next document.
    doc_ends: Vec<u32>,
    doc_next: usize,
    /// Markdown: the status numbers that named documents so far.
    statuses: HashSet<u64>,
    /// Markdown: one deflater per thread that packs documents, made at the first batch.
    doc_deflaters: Vec<pack::Deflaters>,
    /// Markdown: the next batch's documents, named while the last batch was packed.
    doc_plans: Option<Vec<DocPlan>>,
    /// Posts whose outbox items are not read yet (JSON and the archive ZIP)...
    raw_next: usize,
    /// ...and the items read ahead: their text, one after the other, and where each is.
    raw_text: Vec<u8>,
    raw: VecDeque<(usize, usize)>,
    items: u64,
    sink: Sink,
    out: Out,
    total: u32,
    done: u32,
    sent: u64,
    media_files: u32,
    /// Names of the files copied into the ZIP so far.
    names: HashSet<String>,
    /// Files embedded in the HTML page so far.
    embedded: HashSet<u32>,
    file_name: String,
    mime: String,
}

/// Writes to the export: into the ZIP entry being written, or to the file itself.
fn write_to(out: &mut Out, sink: &mut Sink, bytes: &[u8]) -> Result<(), Message> {
    match out {
        Out::Zip(z) => z.write_all(bytes).map_err(io_error),
        _ => sink.write_all(bytes).map_err(io_error),
    }
}

fn zip_error(e: std::io::Error) -> Message {
    crate::messages::EXPORT_WRITE_ZIP.with(&[("detail", &e)])
}

fn io_error(e: std::io::Error) -> Message {
    crate::messages::EXPORT_WRITE.with(&[("detail", &e)])
}

fn csv_error(e: csv::Error) -> Message {
    crate::messages::EXPORT_WRITE_CSV.with(&[("detail", &e)])
}

fn outbox_error(e: impl std::fmt::Display) -> Message {
    crate::messages::EXPORT_READ_OUTBOX.with(&[("detail", &e)])
}

/// The folder outbox.json is in (`archive/`, or empty): paths in an export ZIP are relative to it.
fn root_of(outbox_entry: &str) -> &str {
    match outbox_entry.rfind('/') {
        Some(at) => &outbox_entry[..=at],
        None => "",
    }
}

/// A file beside outbox.json (or anywhere, when it is the only one of that name).
fn find_beside<R: Read + Seek>(loaded: &Loaded<R>, file: &str) -> Option<u32> {
    let entries = loaded.entries();
    let wanted = format!("{}{file}", root_of(&loaded.outbox_entry));
    if let Some(i) = entries.iter().position(|e| e.name == wanted) {
        return Some(i as u32);
    }
    let mut found = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.name.rsplit('/').next() == Some(file));
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Some(i as u32),
        _ => None,
    }
}

/// An archive entry's name in an export ZIP: relative to its archive's outbox.json folder
/// (several archives may be open), made safe.
fn archive_name<R: Read + Seek>(loaded: &Loaded<R>, entry: u32) -> String {
    let root = loaded.entry_root(entry);
    let name = loaded
        .entries()
        .get(entry as usize)
        .map_or("", |e| e.name.as_str());
    text::safe_path(name.strip_prefix(root).unwrap_or(name))
}

/// likes.json's or bookmarks.json's list: the open archive's, or account `of`'s.
fn uri_list<R>(loaded: &Loaded<R>, uris: Uris, of: Option<usize>) -> Option<&[Box<str>]> {
    match (of.and_then(|k| loaded.accounts.get(k)), uris) {
        (Some(a), Uris::Likes) => a.likes(),
        (Some(a), Uris::Bookmarks) => a.bookmarks(),
        (None, Uris::Likes) => loaded.account.likes.as_deref(),
        (None, Uris::Bookmarks) => loaded.account.bookmarks.as_deref(),
    }
}

/// A folder of the archive ZIP for an account's archive: its name (`alice@example.social`)
/// made safe as a file name.
fn account_folder(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match clean.trim_start_matches('.') {
        "" => "account".into(),
        c => c.to_string(),
    }
}

/// The archive ZIP's tasks. With several accounts open, the selection is written as the
/// archive of each account it holds, each with its own outbox.json, actor.json, profile
/// images, likes, bookmarks and media: one account's in the ZIP itself, several accounts'
/// each in a folder named after the account (`alice@example.social/`), which Permafrost opens
/// again as several archives. Paths stay the archive's own within each folder, so media of
/// the same path in two accounts' archives are both kept. `posts` is reordered: each
/// account's together, in outbox order.
fn zip_tasks<R: Read + Seek>(
    loaded: &Loaded<R>,
    posts: &mut [u32],
    lo: permafrost_protocol::LeaveOut,
    tasks: &mut Vec<Task>,
) {
    let account = &loaded.account;
    let several = loaded.accounts.len() > 1;
    // (account, end in `posts`)
    let mut groups: Vec<(Option<usize>, usize)> = Vec::new();
    if several {
        posts.sort_by_key(|&i| account.owners.of(i));
        for (at, &i) in posts.iter().enumerate() {
            let of = usize::from(account.owners.of(i));
            match groups.last_mut() {
                Some((Some(k), end)) if *k == of => *end = at + 1,
                _ => groups.push((Some(of), at + 1)),
            }
        }
    }
    if groups.is_empty() {
        groups.push((None, posts.len()));
    }
    let in_folders = groups.len() > 1;
    let mut start = 0;
    for (of, end) in groups {
        let info = of.and_then(|k| loaded.accounts.get(k));
        let folder = match info {
            Some(a) if in_folders => format!("{}/", account_folder(&a.name)),
            _ => String::new(),
        };
        tasks.push(Task::Start {
            name: format!("{folder}outbox.json"),
            deflate: true,
        });
        tasks.push(Task::Text(outbox_head(end - start)));
        tasks.push(Task::Posts(Each::Raw, end));
        tasks.push(Task::Text("\n]}\n".into()));
        let (actor, avatar, header) = match info {
            Some(a) => (a.actor_entry, a.avatar_entry, a.header_entry),
            None => (
                find_beside(loaded, "actor.json"),
                loaded.avatar_entry,
                loaded.header_entry,
            ),
        };
        if let Some(e) = actor {
            tasks.push(Task::Copy {
                entry: e,
                place: Place::Named(format!("{folder}actor.json")),
            });
        }
        for e in [avatar, header].into_iter().flatten() {
            tasks.push(Task::Copy {
                entry: e,
                place: Place::Profile(folder.clone()),
            });
        }
        for (uris, left) in [(Uris::Likes, lo.likes), (Uris::Bookmarks, lo.bookmarks)] {
            if uri_list(loaded, uris, of).is_some() && !left {
                tasks.push(Task::Start {
                    name: format!("{folder}{}", uris.file()),
                    deflate: true,
                });
                tasks.push(Task::Uris(uris, of));
            }
        }
        if !lo.media {
            let mut seen = HashSet::new();
            for &i in &posts[start..end] {
                for a in &account.posts[i as usize].attachments {
                    if let Some(e) = a.entry.filter(|e| seen.insert(*e)) {
                        tasks.push(Task::Copy {
                            entry: e,
                            place: Place::Archive(folder.clone()),
                        });
                    }
                }
            }
        }
        start = end;
    }
}

/// Writes a URI list as likes.json and bookmarks.json have it, a piece at a time (an account
/// can have hundreds of thousands).
fn uri_collection(
    id: &str,
    uris: &[Box<str>],
    write: &mut dyn FnMut(&[u8]) -> Result<(), Message>,
) -> Result<(), Message> {
    let mut text = format!(
        "{{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":{},\
\"type\":\"OrderedCollection\",\"orderedItems\":[",
        serde_json::Value::from(id)
    );
    for (n, uri) in uris.iter().enumerate() {
        if n > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::Value::from(&**uri).to_string());
        if text.len() >= 64 << 10 {
            write(text.as_bytes())?;
            text.clear();
        }
    }
    text.push_str("]}\n");
    write(text.as_bytes())
}

impl Job {
    /// Lays out the export's tasks.
    pub(crate) fn new<R: Read + Seek>(
        id: u32,
        prepared: Prepared,
        loaded: &Loaded<R>,
        options: ExportOptions,
    ) -> Result<Job, Message> {
        let Prepared {
            mut posts,
            doc_ends,
            plan,
            tz,
            own,
            html_zip,
            modified,
        } = prepared;
        let account = &loaded.account;
        let sink = Sink::default();
        let mut tasks = Vec::new();

        let bom = if options.bom { "\u{feff}" } else { "" };
        let lo = options.leave_out;
        let out = match options.format {
            ExportFormat::Csv | ExportFormat::MediaCsv | ExportFormat::PeopleCsv => {
                let mut s = sink.clone();
                s.write_all(bom.as_bytes()).map_err(io_error)?;
                let all = posts.len();
                let (columns, rows): (&[&str], Task) = match options.format {
                    ExportFormat::Csv => (table::POST_COLUMNS, Task::Posts(Each::Row, all)),
                    ExportFormat::MediaCsv => {
                        (table::MEDIA_COLUMNS, Task::Posts(Each::MediaRows, all))
                    }
                    _ => (table::PEOPLE_COLUMNS, Task::People),
                };
                let mut w = csv::Writer::from_writer(sink.clone());
                // With several accounts open, each post's account, last.
                let several =
                    options.format == ExportFormat::Csv && !account.owners.of_post.is_empty();
                let account_column: &[&str] = if several { &["account"] } else { &[] };
                w.write_record(columns.iter().chain(account_column))
                    .map_err(csv_error)?;
                tasks.push(rows);
                Out::Csv(Box::new(w))
            }
            ExportFormat::Json => {
                tasks.push(Task::Text(outbox_head(posts.len())));
                tasks.push(Task::Posts(Each::Raw, posts.len()));
                tasks.push(Task::Text("\n]}\n".into()));

                Out::Plain
            }
            ExportFormat::Zip => {
                zip_tasks(loaded, &mut posts, lo, &mut tasks);
                Out::Zip(Box::new(ZipOut::new(sink.clone(), modified, DEFLATE_LEVEL)))
            }
            ExportFormat::Markdown => {
                tasks.push(Task::Docs);
                Out::Zip(Box::new(ZipOut::new(sink.clone(), modified, DEFLATE_LEVEL)))
            }
            ExportFormat::Html => {
                // Whose posts: with several accounts open, those the selection holds.
                let mut owners: Vec<u16> = Vec::new();
                if !account.owners.of_post.is_empty() {
                    for &i in &posts {
                        let of = account.owners.of(i);
                        if !owners.contains(&of) {
                            owners.push(of);
                        }
                    }
                }
                let actor = match owners.as_slice() {
                    [] => account.actor.as_ref(),
                    [one] => loaded
                        .accounts
                        .get(usize::from(*one))
                        .and_then(|a| a.actor.as_ref()),
                    _ => None,
                };
                let title = match actor {
                    Some(a) if !a.display_name.is_empty() => {
                        format!("Posts of {} (@{})", a.display_name, a.handle)
                    }
                    Some(a) => format!("Posts of @{}", a.handle),
                    None if owners.len() > 1 => format!(
                        "Posts of {}",
                        owners
                            .iter()
                            .filter_map(|&k| account.owners.names.get(usize::from(k)))
                            .map(|n| format!("@{n}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => "Posts".into(),
                };
                if html_zip {
                    tasks.push(Task::Start {
                        name: "index.html".into(),
                        deflate: true,
                    });
                }
                tasks.push(Task::Text(html::head(
                    &title,
                    posts.len(),
                    tz.iana_name().unwrap_or("UTC"),
                    html_zip,
                )));
                tasks.push(Task::Posts(Each::Html, posts.len()));
                tasks.push(Task::Text(html::FOOT.into()));
                if html_zip && !lo.media {
                    let mut seen = HashSet::new();
                    for &i in &posts {
                        for a in &account.posts[i as usize].attachments {
                            if let Some(e) = a.entry.filter(|e| seen.insert(*e)) {
                                tasks.push(Task::Copy {
                                    entry: e,
                                    place: Place::Html,
                                });
                            }
                        }
                    }
                }
                if html_zip {
                    Out::Zip(Box::new(ZipOut::new(sink.clone(), modified, DEFLATE_LEVEL)))
                } else {
                    Out::Plain
                }
            }
        };
        Ok(Job {
            id,
            one_pass: false,
            raw_batch: RAW_BATCH_BYTES,
            stream: None,
            options,
            tz,
            own,
            html_zip,
            tasks,
            next: 0,
            posts,
            cursor: 0,
            doc_ends,
            doc_next: 0,
            doc_deflaters: Vec::new(),
            doc_plans: None,
            statuses: HashSet::new(),
            raw_next: 0,
            raw_text: Vec::new(),
            raw: VecDeque::new(),
            items: 0,
            sink,
            out,
            total: plan.posts,
            done: 0,
            sent: 0,
            media_files: 0,
            names: HashSet::new(),
            embedded: HashSet::new(),
            file_name: plan.file_name,
            mime: plan.mime,
        })
    }

    /// True for the exports that copy outbox items (JSON and the archive ZIP).
    pub(crate) fn reads_outbox(&self) -> bool {
        matches!(self.options.format, ExportFormat::Json | ExportFormat::Zip)
    }

    /// Works until `out_of_time` says so or the export ends, queuing parts, a progress event and,
    /// at the end, [`ResponseBody::Exported`]. `Ok(true)` when it ended.
    pub(crate) fn step<R: Read + Seek>(
        &mut self,
        loaded: &mut Loaded<R>,
        out_of_time: &dyn Fn() -> bool,
        events: &mut dyn FnMut(u32, Answer),
    ) -> Result<bool, Message> {
        while self.next < self.tasks.len() {
            // Redacting needs the account while an item is written: batches, not one pass.
            let one_pass = self.one_pass && !self.options.redact_mentions && self.stream.is_none();
            if let (&Task::Posts(Each::Raw, end), true) = (&self.tasks[self.next], one_pass) {
                self.raw_pass(loaded, end, events)?;
                self.next += 1;
            } else if let Task::Docs = self.tasks[self.next] {
                if self.doc_next < self.doc_ends.len() {
                    self.docs(loaded)?;
                }
                if self.doc_next >= self.doc_ends.len() {
                    self.next += 1;
                }
            } else if let Task::Posts(each, end) = self.tasks[self.next] {
                if let Some(&i) = self.posts.get(self.cursor).filter(|_| self.cursor < end) {
                    self.cursor += 1;
                    self.each(each, i, loaded)?;
                }
                if self.cursor >= end.min(self.posts.len()) {
                    self.next += 1;
                }
            } else {
                let task = std::mem::replace(&mut self.tasks[self.next], Task::Done);
                self.next += 1;
                self.run(task, loaded)?;
            }
            self.send(events, false);
            if out_of_time() {
                break;
            }
        }
        let finished = self.next >= self.tasks.len();
        if finished {
            match std::mem::replace(&mut self.out, Out::Finished) {
                Out::Zip(mut z) => {
                    // The central directory in parts: it can be tens of megabytes.
                    while !z.finish_some(PART_BYTES).map_err(zip_error)? {
                        self.send(events, false);
                    }
                }
                Out::Csv(mut w) => w.flush().map_err(io_error)?,
                Out::Plain | Out::Finished => {}
            }
            self.send(events, true);
        } else {
            if let Out::Csv(w) = &mut self.out {
                w.flush().map_err(io_error)?;
            }
            let buffered = self.sink.0.borrow().len();
            self.send(events, buffered >= FLUSH_BYTES);
        }
        events(
            self.id,
            Answer::Body(ResponseBody::ExportProgress {
                done: self.done,
                total: self.total,
                bytes: self.sent + self.sink.0.borrow().len() as u64,
            }),
        );
        if finished {
            events(
                self.id,
                Answer::Body(ResponseBody::Exported(Box::new(ExportDone {
                    file_name: self.file_name.clone(),
                    mime: self.mime.clone(),
                    posts: self.done,
                    media_files: self.media_files,
                    bytes: self.sent,
                }))),
            );
        }
        Ok(finished)
    }

    /// Reads outbox.json once for every remaining item, writing each as it comes and sending
    /// whole parts on the way: for [`Job::one_pass`] exports, which need not stop for slices.
    fn raw_pass<R: Read + Seek>(
        &mut self,
        loaded: &mut Loaded<R>,
        end: usize,
        events: &mut dyn FnMut(u32, Answer),
    ) -> Result<(), Message> {
        let posts = std::mem::take(&mut self.posts);
        let end = end.min(posts.len());
        let mut failed = None;
        let read = loaded.raw_items(
            &posts[self.cursor.min(end)..end],
            &mut |_, bytes| match self.raw_item(bytes) {
                Ok(()) => {
                    self.done += 1;
                    self.send(events, false);
                    true
                }
                Err(e) => {
                    failed = Some(e);
                    false
                }
            },
        );
        self.cursor = end;
        self.posts = posts;
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(outbox_error)?;
        Ok(())
    }

    /// Writes an outbox item's JSON text (nothing for an item that could not be found).
    fn raw_item(&mut self, bytes: &[u8]) -> Result<(), Message> {
        if !bytes.is_empty() {
            if self.items > 0 {
                self.write(b",\n")?;
            }
            self.write(bytes)?;
            self.items += 1;
        }
        Ok(())
    }

    /// Sends the buffered output as parts: whole parts only, or everything when `all`.
    fn send(&mut self, events: &mut dyn FnMut(u32, Answer), all: bool) {
        let mut buf = self.sink.0.borrow_mut();
        if buf.is_empty() || (!all && buf.len() < PART_BYTES) {
            return;
        }
        // Parts are copied out and the buffer kept: growing a fresh one each slice costs more
        // (page faults) than one copy.
        let mut at = 0;
        while at < buf.len() {
            let end = (at + PART_BYTES).min(buf.len());
            if !all && end - at < PART_BYTES {
                break;
            }
            self.sent += (end - at) as u64;
            events(
                self.id,
                Answer::WithBytes {
                    body: ResponseBody::ExportPart,
                    bytes: buf[at..end].to_vec(),
                },
            );
            at = end;
        }
        buf.drain(..at);
        if buf.capacity() > 2 * PART_BYTES {
            // After a large media file: give the memory back.
            buf.shrink_to(PART_BYTES);
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Message> {
        write_to(&mut self.out, &mut self.sink, bytes)
    }

    fn start(&mut self, name: &str, deflate: bool, size: u64) -> Result<(), Message> {
        let Out::Zip(z) = &mut self.out else {
            return Ok(());
        };
        z.start(name, deflate, size >= u64::from(u32::MAX) / 2)
            .map_err(zip_error)
    }

    /// Writes a whole ZIP entry whose bytes are all here (see [`ZipOut::entry`]); outside a ZIP,
    /// the bytes.
    fn entry(&mut self, name: &str, bytes: Vec<u8>, deflate: bool) -> Result<(), Message> {
        match &mut self.out {
            Out::Zip(z) => z.entry(name, bytes, deflate).map_err(zip_error),
            _ => self.write(&bytes),
        }
    }

    /// Writes a whole entry packed already ([`pack::Deflaters::packed`]).
    fn packed_entry(
        &mut self,
        name: &str,
        packed: permafrost_engine::RawEntry,
    ) -> Result<(), Message> {
        match &mut self.out {
            Out::Zip(z) => z.raw_entry(name, packed).map_err(zip_error),
            _ => Err(crate::messages::EXPORT_NOT_ZIP.message()),
        }
    }

    fn row(&mut self, cells: &[String]) -> Result<(), Message> {
        if let Out::Csv(w) = &mut self.out {
            w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
                .map_err(csv_error)?;
        }
        Ok(())
    }

    fn run<R: Read + Seek>(&mut self, task: Task, loaded: &mut Loaded<R>) -> Result<(), Message> {
        match task {
            Task::Done => {}
            Task::Start { name, deflate } => {
                // Each outbox.json's items are separated from each other only.
                self.items = 0;
                let big = name.ends_with("outbox.json")
                    && self
                        .posts
                        .iter()
                        .map(|&i| u64::from(loaded.account.posts[i as usize].source_len))
                        .sum::<u64>()
                        >= u64::from(u32::MAX) / 2;
                self.start(&name, deflate, if big { u64::MAX } else { 0 })?;
            }
            Task::Text(t) => self.write(t.as_bytes())?,
            // Run by `step`, one post at a time.
            Task::Posts(..) => {}
            Task::People => {
                for r in table::people_rows(&loaded.account.social) {
                    self.row(&r)?;
                }
            }
            Task::Copy { entry, place } => {
                let is_media = match &place {
                    Place::Profile(_) => false,
                    Place::Named(name) => !name.ends_with(".json"),
                    Place::Archive(_) | Place::Html => true,
                };
                let (name, deflate) = match place {
                    Place::Archive(folder) | Place::Profile(folder) => {
                        (format!("{folder}{}", archive_name(loaded, entry)), false)
                    }
                    Place::Html => (html_media_name(loaded, entry), false),
                    Place::Named(name) => {
                        let json = name.ends_with(".json");
                        (name, json)
                    }
                };
                // Two archive paths can make one name (the avatar used as the header too): the
                // first is kept, as a ZIP cannot hold both.
                if self.names.insert(name.clone()) {
                    self.copy(loaded, entry, &name, deflate, is_media)?;
                }
            }
            // Run by `step`, one document at a time.
            Task::Docs => {}
            Task::Uris(uris, of) => {
                let list = uri_list(loaded, uris, of).unwrap_or_default();
                uri_collection(uris.file(), list, &mut |bytes| self.write(bytes))?;
            }
        }
        Ok(())
    }

    /// Copies an archive entry into the ZIP. A file that cannot be read is left out; the rest
    /// of the export goes on.
    fn copy<R: Read + Seek>(
        &mut self,
        loaded: &mut Loaded<R>,
        entry: u32,
        name: &str,
        deflate: bool,
        is_media: bool,
    ) -> Result<(), Message> {
        // Into a ZIP as the source ZIP holds it: media are neither inflated nor deflated again
        // (a ZIP export of 90,000 small images spent a third of its time doing that).
        let raw = match (&self.out, deflate) {
            (Out::Zip(_), false) => loaded.read_entry_raw(entry, MAX_MEDIA_BYTES),
            _ => Ok(None),
        };
        let copied = match raw {
            Ok(Some(raw)) => {
                if let Out::Zip(z) = &mut self.out {
                    z.raw_entry(name, raw).map_err(zip_error)?;
                }
                true
            }
            Ok(None) => match loaded.read_entry(entry, MAX_MEDIA_BYTES) {
                Ok(bytes) => {
                    self.entry(name, bytes, deflate)?;
                    true
                }
                Err(_) => false,
            },
            Err(_) => false,
        };
        if copied && is_media {
            self.media_files += 1;
        }
        Ok(())
    }

    /// Writes the next [`DOC_BATCH`] Markdown documents: named and given their media in order
    /// here, rendered and deflated on every core natively ([`pack_docs`]), then written in
    /// order.
    fn docs<R: Read + Seek>(&mut self, loaded: &mut Loaded<R>) -> Result<(), Message> {
        if self.doc_deflaters.is_empty() {
            let threads = pack::helpers_here().max(1);
            self.doc_deflaters = (0..threads)
                .map(|_| pack::Deflaters::new(DEFLATE_LEVEL))
                .collect();
        }
        let end = (self.doc_next + DOC_BATCH).min(self.doc_ends.len());
        let after = (end + DOC_BATCH).min(self.doc_ends.len());
        let mut planner = Planner {
            posts: &self.posts,
            doc_ends: &self.doc_ends,
            tz: &self.tz,
            media: !self.options.leave_out.media,
            statuses: &mut self.statuses,
        };
        let plans = match self.doc_plans.take() {
            Some(plans) => plans,
            None => (self.doc_next..end)
                .map(|k| planner.plan(k, loaded))
                .collect(),
        };
        let view = DocView {
            account: &loaded.account,
            tz: &self.tz,
            own: &self.own,
            redact: self.options.redact_mentions,
        };
        let mut next = Vec::new();
        let packed = pack_docs(&view, &self.posts, &plans, &mut self.doc_deflaters, || {
            next = (end..after).map(|k| planner.plan(k, loaded)).collect();
        });
        if !next.is_empty() {
            self.doc_plans = Some(next);
        }
        for (plan, doc) in plans.into_iter().zip(packed) {
            self.packed_entry(&format!("posts/{}.md", plan.stem), doc)?;
            self.done += plan.posts.len() as u32;
            for (e, name) in plan.copies {
                self.copy(loaded, e, &name, false, true)?;
            }
        }
        self.doc_next = end;
        Ok(())
    }

    /// Writes one post.
    fn each<R: Read + Seek>(
        &mut self,
        each: Each,
        i: u32,
        loaded: &mut Loaded<R>,
    ) -> Result<(), Message> {
        match each {
            Each::Raw if self.stream.is_some() && !self.options.redact_mentions => {
                // Straight from the reader's buffer to the export.
                let post = &loaded.account.posts[i as usize];
                let (offset, len) = (post.source_offset, u64::from(post.source_len));
                if len == 0 {
                    return Ok(());
                }
                if self.items > 0 {
                    self.write(b",\n")?;
                }
                let mut failed = None;
                if let Some(stream) = self.stream.as_mut() {
                    let (out, sink) = (&mut self.out, &mut self.sink);
                    stream
                        .item_pieces(offset, len, &mut |piece| {
                            write_to(out, sink, piece).map_err(|e| {
                                failed = Some(e);
                                std::io::Error::other("the export could not be written")
                            })
                        })
                        .map_err(|e| failed.take().unwrap_or_else(|| outbox_error(e)))?;
                }
                self.items += 1;
            }
            Each::Raw if self.stream.is_some() => {
                let post = &loaded.account.posts[i as usize];
                let (offset, len) = (post.source_offset, u64::from(post.source_len));
                let mut text = std::mem::take(&mut self.raw_text);
                if let Some(stream) = self.stream.as_mut() {
                    stream.item(offset, len, &mut text).map_err(outbox_error)?;
                }
                let changed = if self.options.redact_mentions && !text.is_empty() {
                    redact::item(&text, &loaded.account, post, &self.own)
                } else {
                    None
                };
                let written = self.raw_item(changed.as_deref().unwrap_or(&text));
                self.raw_text = text;
                written?;
            }
            Each::Raw => {
                if self.raw.is_empty() {
                    self.fill_raw(loaded)?;
                }
                if let Some((at, len)) = self.raw.pop_front() {
                    let text = std::mem::take(&mut self.raw_text);
                    let item = &text[at..at + len];
                    let changed = if self.options.redact_mentions && !item.is_empty() {
                        let post = &loaded.account.posts[i as usize];
                        redact::item(item, &loaded.account, post, &self.own)
                    } else {
                        None
                    };
                    let written = self.raw_item(changed.as_deref().unwrap_or(item));
                    self.raw_text = text;
                    written?;
                }
            }
            Each::Row => {
                let account = &loaded.account;
                let mut cells = table::post_row(
                    account,
                    &account.posts[i as usize],
                    &self.tz,
                    &self.own,
                    self.options.redact_mentions,
                );
                if let Some(owner) = owner_name(account, i) {
                    cells.push(owner.to_string());
                }
                self.row(&cells)?;
            }
            Each::MediaRows => {
                let entries = loaded.entries();
                let name = |e: u32| entries.get(e as usize).map(|e| (e.name.clone(), e.size));
                let rows =
                    table::media_rows(&loaded.account, &loaded.account.posts[i as usize], &name);
                self.media_files += rows.len() as u32;
                for r in rows {
                    self.row(&r)?;
                }
            }
            Each::Html => {
                let text = self.html_post(loaded, i);
                self.write(text.as_bytes())?;
            }
        }
        self.done += 1;
        Ok(())
    }

    fn fill_raw<R: Read + Seek>(&mut self, loaded: &mut Loaded<R>) -> Result<(), Message> {
        let rest = &self.posts[self.raw_next..];
        let (queue, text, batch) = (&mut self.raw, &mut self.raw_text, self.raw_batch);
        queue.clear();
        text.clear();
        // Room for the batch and the item that ends it, without doubling.
        text.reserve_exact((batch + (1 << 20)).saturating_sub(text.capacity()));
        let n = loaded
            .raw_items(rest, &mut |_, bytes| {
                queue.push_back((text.len(), bytes.len()));
                text.extend_from_slice(bytes);
                text.len() < batch
            })
            .map_err(outbox_error)?;
        self.raw_next += n;
        Ok(())
    }

    /// A post's text as exported: a redacted copy, or the post's own.
    fn text_of<'p>(&self, post: &'p Post) -> Cow<'p, RichText> {
        exported_text(post, self.options.redact_mentions, &self.own)
    }

    fn html_post<R: Read + Seek>(&mut self, loaded: &mut Loaded<R>, i: u32) -> String {
        let account = &loaded.account;
        let post = &account.posts[i as usize];
        let mut out = format!("<article id=\"post-{i}\">\n<p class=\"meta\">");
        // The post's own words (warning, text, poll) in its language; the page's labels are
        // English.
        let mut lang = String::new();
        if let Some(l) = post.language {
            lang.push_str(" lang=\"");
            html::esc(account.strings.resolve(l), &mut lang);
            lang.push('"');
        }
        // Readable, in the page's zone; `datetime` keeps the exact time with its offset.
        let when = match post.published {
            Some(t) => format!(
                "<time datetime=\"{}\">{}</time>",
                text::local(t, &self.tz),
                text::readable(t, &self.tz)
            ),
            None => "undated".to_string(),
        };
        match &post.url {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => {
                out.push_str("<a href=\"");
                html::esc(u, &mut out);
                out.push_str("\" rel=\"noopener noreferrer\">");
                out.push_str(&when);
                out.push_str("</a>");
            }
            _ => out.push_str(&when),
        }
        if let Some(owner) = owner_name(account, i) {
            out.push_str(" · @");
            html::esc(owner, &mut out);
        }
        out.push_str(" · ");
        out.push_str(text::kind(post));
        out.push_str(" · ");
        out.push_str(post.visibility.as_str());
        out.push_str("</p>\n");
        if let Some(b) = &post.boost_of {
            out.push_str("<p>Boosted: ");
            // Linked as the text's links are: read as the browser reads it, with the host it
            // opens beside it when the address shown does not say so.
            match permafrost_model::Href::parse(b) {
                Some(href) => html::text_link(&href, b, &mut out),
                None => html::esc(b, &mut out),
            }
            out.push_str("</p>\n");
        }
        // Behind its warning, as on Mastodon and in the app: opened by a click.
        let behind_warning = post.content_warning.is_some();
        if let Some(cw) = &post.content_warning {
            out.push_str(&format!(
                "<details>\n<summary class=\"cw\">Content warning: <span{lang}>"
            ));
            html::esc(cw, &mut out);
            out.push_str("</span></summary>\n");
        }
        {
            let text = self.text_of(post);
            if !text.blocks.is_empty() {
                out.push_str(&format!("<div{lang}>\n"));
                html::render(&text, &mut out);
                out.push_str("</div>\n");
            }
        }
        if let Some(poll) = &post.poll {
            out.push_str(&format!("<ul class=\"poll\"{lang}>\n"));
            for option in &poll.options {
                out.push_str("<li>");
                html::esc(&option.name, &mut out);
                if let Some(votes) = option.votes {
                    out.push_str(&format!(" ({votes})"));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        let attachments: Vec<_> = post
            .attachments
            .iter()
            .map(|a| {
                (
                    a.entry,
                    a.kind,
                    a.alt.as_deref().unwrap_or("").to_string(),
                    a.media_type.map(|m| account.strings.resolve(m).to_string()),
                )
            })
            .collect();
        let left_out = self.options.leave_out.media;
        for (entry, kind, alt, declared) in attachments {
            let image = matches!(kind, MediaKind::Image | MediaKind::Gif);
            out.push_str("<figure>");
            let mut shown = false;
            if let (Some(e), false) = (entry, left_out) {
                let name = loaded
                    .entries()
                    .get(e as usize)
                    .map_or(String::new(), |e| e.name.clone());
                let mime = views::media_mime(declared.as_deref(), &name);
                if self.html_zip {
                    let path = html_media_name(loaded, e);
                    if image && mime.starts_with("image/") {
                        out.push_str("<img src=\"");
                        html::esc(&path, &mut out);
                        out.push_str("\" alt=\"");
                        html::esc(&alt, &mut out);
                        out.push_str("\">");
                    } else {
                        out.push_str("<a href=\"");
                        html::esc(&path, &mut out);
                        out.push_str("\" rel=\"noopener noreferrer\">");
                        html::esc(kind.as_str(), &mut out);
                        out.push_str("</a>");
                    }
                    shown = true;
                } else if image && mime.starts_with("image/") {
                    if let Ok(bytes) = loaded.read_entry(e, MAX_MEDIA_BYTES) {
                        out.push_str("<img src=\"data:");
                        out.push_str(mime);
                        out.push_str(";base64,");
                        text::base64(&bytes, &mut out);
                        out.push_str("\" alt=\"");
                        html::esc(&alt, &mut out);
                        out.push_str("\">");
                        shown = true;
                    }
                }
            }
            if !shown {
                let why = if entry.is_none() {
                    "not in the archive"
                } else if left_out {
                    "left out"
                } else {
                    "not embedded"
                };
                out.push_str(&format!("<p class=\"meta\">({} {why})</p>", kind.as_str()));
            }
            if !alt.is_empty() {
                out.push_str("<figcaption>");
                html::esc(&alt, &mut out);
                out.push_str("</figcaption>");
            }
            out.push_str("</figure>\n");
            if shown && entry.is_some() && !self.html_zip {
                self.count_inline(entry);
            }
        }
        if behind_warning {
            out.push_str("</details>\n");
        }
        out.push_str("</article>\n");
        out
    }

    /// Counts an embedded file once, however many posts show it.
    fn count_inline(&mut self, entry: Option<u32>) {
        if let Some(e) = entry {
            if self.embedded.insert(e) {
                self.media_files += 1;
            }
        }
    }
}

/// True when the HTML page shows an attachment as an image.
/// A post's text as exported: a redacted copy, or the post's own.
fn exported_text<'p>(post: &'p Post, redact: bool, own: &Own) -> Cow<'p, RichText> {
    if redact {
        Cow::Owned(redacted(&post.content, own))
    } else {
        Cow::Borrowed(&post.content)
    }
}

/// Markdown documents are written this many at a time (fewer in WebAssembly, where a batch is
/// rendered in the worker's slice of time).
const DOC_BATCH: usize = if cfg!(target_arch = "wasm32") {
    16
} else {
    512
};

/// A Markdown document to write: its posts (a range of `Job::posts`), its file name without
/// `.md`, where its media go (by archive entry) and what to copy there.
struct DocPlan {
    posts: std::ops::Range<usize>,
    stem: String,
    media: HashMap<u32, String>,
    copies: Vec<(u32, String)>,
}

/// What rendering a Markdown document reads: shared by the threads that render.
struct DocView<'a> {
    account: &'a Account,
    tz: &'a TimeZone,
    own: &'a Own,
    redact: bool,
}

impl DocView<'_> {
    /// Markdown document `doc` (posts in `self.account`), its media at the paths in `media`.
    fn document(&self, doc: &[u32], media: &HashMap<u32, String>) -> String {
        let account = self.account;
        // Room for most documents: growing the string was 6 % of the work.
        let mut out = String::with_capacity(2048);
        out.push_str("---\n");
        let first = &account.posts[doc[0] as usize];
        let field = |out: &mut String, key: &str, value: Option<&str>| {
            if let Some(v) = value {
                out.push_str(key);
                out.push_str(": ");
                out.push_str(&markdown::yaml_str(v));
                out.push('\n');
            }
        };
        field(&mut out, "id", Some(&first.id));
        field(&mut out, "url", first.url.as_deref());
        field(&mut out, "account", owner_name(account, doc[0]));
        let date = first.published.map(|t| text::local(t, self.tz));
        field(&mut out, "date", date.as_deref());
        let mut tags: Vec<&str> = Vec::new();
        for &i in doc {
            for &h in &account.posts[i as usize].hashtags {
                let h = account.strings.resolve(h);
                if !tags.iter().any(|t| t.eq_ignore_ascii_case(h)) {
                    tags.push(h);
                }
            }
        }
        out.push_str("tags: [");
        out.push_str(
            &tags
                .iter()
                .map(|t| markdown::yaml_str(t))
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push_str("]\n");
        field(&mut out, "kind", Some(text::kind(first)));
        field(&mut out, "visibility", Some(first.visibility.as_str()));
        field(
            &mut out,
            "content_warning",
            first.content_warning.as_deref(),
        );
        let lang = first.language.map(|l| account.strings.resolve(l));
        field(&mut out, "language", lang);
        field(
            &mut out,
            "reply_to",
            text::reply_to(first, self.own, self.redact),
        );
        field(&mut out, "boost_of", first.boost_of.as_deref());
        out.push_str("---\n\n");
        for (n, &i) in doc.iter().enumerate() {
            let post = &account.posts[i as usize];
            if n > 0 {
                out.push_str("\n* * *\n\n");
                if let Some(t) = post.published {
                    out.push_str(&format!("*{}*\n\n", text::local(t, self.tz)));
                }
            }
            if let Some(cw) = &post.content_warning {
                out.push_str("**Content warning:** ");
                out.push_str(&markdown::alt(cw));
                out.push_str("\n\n");
            }
            if let Some(b) = &post.boost_of {
                out.push_str(&format!(
                    "Boosted: [{}](<{}>)\n\n",
                    markdown::alt(b),
                    markdown::path(b)
                ));
            }
            out.push_str(&markdown::render(&exported_text(
                post,
                self.redact,
                self.own,
            )));
            if let Some(poll) = &post.poll {
                out.push('\n');
                for option in &poll.options {
                    out.push_str("- ");
                    out.push_str(&markdown::alt(&option.name));
                    if let Some(votes) = option.votes {
                        out.push_str(&format!(" ({votes})"));
                    }
                    out.push('\n');
                }
            }
            for a in &post.attachments {
                let alt = a.alt.as_deref().unwrap_or("");
                match a.entry.and_then(|e| media.get(&e)) {
                    Some(path) if matches!(a.kind, MediaKind::Image | MediaKind::Gif) => {
                        out.push_str(&format!(
                            "\n![{}](<{}>)\n",
                            markdown::alt(alt),
                            markdown::path(path)
                        ));
                    }
                    Some(path) => {
                        let label = if alt.is_empty() { a.kind.as_str() } else { alt };
                        out.push_str(&format!(
                            "\n[{}](<{}>)\n",
                            markdown::alt(label),
                            markdown::path(path)
                        ));
                    }
                    None => {
                        let why = if a.entry.is_some() {
                            "left out"
                        } else {
                            "not in the archive"
                        };
                        out.push_str(&format!(
                            "\n*({} {why}{}{})*\n",
                            a.kind.as_str(),
                            if alt.is_empty() { "" } else { ": " },
                            markdown::alt(alt)
                        ));
                    }
                }
            }
        }
        out
    }
}

/// Names Markdown documents and their media, in order: the part of a Markdown export that
/// cannot be shared among threads (a name must not repeat), so the writing thread does it for
/// the next batch while the others render this one.
struct Planner<'a> {
    posts: &'a [u32],
    doc_ends: &'a [u32],
    tz: &'a TimeZone,
    /// Media are copied (not left out).
    media: bool,
    /// The status numbers that named documents so far.
    statuses: &'a mut HashSet<u64>,
}

impl Planner<'_> {
    /// Names Markdown document `k` (`posts/<date>-<status>.md`) and its media, in a folder of
    /// the same name beside it.
    fn plan<R: Read + Seek>(&mut self, k: usize, loaded: &Loaded<R>) -> DocPlan {
        let start = if k == 0 {
            0
        } else {
            self.doc_ends[k - 1] as usize
        };
        let end = self.doc_ends[k] as usize;
        let doc = &self.posts[start..end];
        let account = &loaded.account;
        let first = &account.posts[doc[0] as usize];
        let date = first
            .published
            .map_or_else(|| "undated".to_string(), |t| text::local_date(t, self.tz));
        // `…/statuses/123` (a boost's `…/statuses/123/activity`): `123` (the post's short id,
        // as `id:` takes it), unique in an account; anything else is named after the post's
        // index, which is unique too.
        let tail = first.short_id();
        let status = tail
            .parse::<u64>()
            .ok()
            .filter(|n| tail.bytes().all(|b| b.is_ascii_digit()) && self.statuses.insert(*n));
        let stem = match status {
            Some(n) => format!("{date}-{n}"),
            // Not a status number, or one seen before (an outbox that repeats an item).
            None => format!("{date}-p{}", doc[0]),
        };
        let mut media: HashMap<u32, String> = HashMap::new();
        let mut copies = Vec::new();
        if self.media {
            for &i in doc {
                for a in &account.posts[i as usize].attachments {
                    let Some(e) = a.entry else { continue };
                    if media.contains_key(&e) {
                        continue;
                    }
                    let file = format!(
                        "{}-{}",
                        media.len() + 1,
                        text::file_part(&archive_name(loaded, e))
                    );
                    media.insert(e, format!("{stem}/{file}"));
                    copies.push((e, format!("posts/{stem}/{file}")));
                }
            }
        }
        DocPlan {
            posts: start..end,
            stem,
            media,
            copies,
        }
    }
}

/// The documents of `plans` rendered and packed (deflated, with their CRC-32), in order, and
/// `meanwhile` run in the calling thread. Packing is most of a Markdown export's work, so
/// natively it is shared by the calling thread and one more thread per deflater in `deflaters`
/// beyond the first, taking documents a few at a time from a common counter: the calling thread
/// runs `meanwhile` first, then joins in.
fn pack_docs(
    view: &DocView,
    posts: &[u32],
    plans: &[DocPlan],
    deflaters: &mut [pack::Deflaters],
    meanwhile: impl FnOnce(),
) -> Vec<permafrost_engine::RawEntry> {
    let one = |d: &mut pack::Deflaters, p: &DocPlan| {
        d.packed(
            view.document(&posts[p.posts.clone()], &p.media)
                .into_bytes(),
        )
    };
    let Some((here, others)) = deflaters.split_first_mut() else {
        meanwhile();
        return plans
            .iter()
            .map(|p| one(&mut pack::Deflaters::new(DEFLATE_LEVEL), p))
            .collect();
    };
    #[cfg(not(target_arch = "wasm32"))]
    if plans.len() > 1 && !others.is_empty() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Documents taken at a time: enough to make the counter cheap, few enough that the
        // threads finish together.
        const GRAIN: usize = 8;
        let next = AtomicUsize::new(0);
        let work = |d: &mut pack::Deflaters| {
            let mut done = Vec::new();
            loop {
                let start = next.fetch_add(GRAIN, Ordering::Relaxed);
                if start >= plans.len() {
                    return done;
                }
                let taken = plans.iter().enumerate().skip(start).take(GRAIN);
                done.extend(taken.map(|(k, plan)| (k, one(d, plan))));
            }
        };
        return std::thread::scope(|scope| {
            let threads: Vec<_> = others
                .iter_mut()
                .filter_map(|d| {
                    std::thread::Builder::new()
                        .name("permafrost-render".into())
                        .spawn_scoped(scope, || work(d))
                        .ok()
                })
                .collect();
            meanwhile();
            // Whatever no thread started for is done here.
            let mut all = work(here);
            for t in threads {
                match t.join() {
                    Ok(done) => all.extend(done),
                    // A renderer that panicked passes its panic on, as one thread would have.
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all.sort_unstable_by_key(|(k, _)| *k);
            all.into_iter().map(|(_, e)| e).collect()
        });
    }
    #[cfg(target_arch = "wasm32")]
    let _ = others;
    meanwhile();
    plans.iter().map(|p| one(here, p)).collect()
}

fn embeddable(account: &Account, a: &permafrost_model::Attachment, name: &str) -> bool {
    let declared = a.media_type.map(|m| account.strings.resolve(m));
    matches!(a.kind, MediaKind::Image | MediaKind::Gif)
        && views::media_mime(declared, name).starts_with("image/")
}

/// Where the HTML ZIP keeps an archive entry.
fn html_media_name<R: Read + Seek>(loaded: &Loaded<R>, entry: u32) -> String {
    format!(
        "media/{entry}-{}",
        text::file_part(&archive_name(loaded, entry))
    )
}

/// With several accounts open, the name of post `post`'s account (`alice@example.social`).
fn owner_name(account: &Account, post: u32) -> Option<&str> {
    if account.owners.of_post.is_empty() {
        return None;
    }
    let of = usize::from(account.owners.of(post));
    account.owners.names.get(of).map(|n| &**n)
}

fn outbox_head(total: usize) -> String {
    format!(
        "{{\"@context\":\"https://www.w3.org/ns/activitystreams\",\"id\":\"outbox.json\",\
\"type\":\"OrderedCollection\",\"totalItems\":{total},\"orderedItems\":[\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use permafrost_model::Actor;

    #[test]
    fn a_namesake_on_another_server_is_redacted_and_the_account_itself_is_not() {
        let account = Account {
            actor: Some(Actor {
                id: "https://ex.social/users/alice".into(),
                url: permafrost_model::Href::parse("https://ex.social/@alice"),
                handle: "alice@ex.social".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let own = Own::of(&account);
        let mention = |href: &str| Inline::Mention {
            text: "@alice".into(),
            href: permafrost_model::Href::parse(href),
        };
        let text = RichText {
            blocks: vec![Block::Paragraph(vec![
                mention("https://ex.social/@alice"),
                mention("https://other.example/@alice"),
            ])],
        };
        assert_eq!(redacted(&text, &own).plain_text(), "@alice@someone");
    }
}
