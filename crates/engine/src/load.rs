//! Deciding what each input is, and reading it into an [`Account`].

use crate::media;
use crate::messages as m;
use crate::side::{csv_kind, is_csv_input, read_csv, unknown_csv, SideFile};
use crate::Error;
use permafrost_archive::{sniff, Container, Format, Limits, Sniffed, Span};
use permafrost_model::{
    actor, collection, outbox, Account, CsvKind, Diagnostic, DiagnosticKind, PostId,
};
use std::io::{self, Read, Seek, SeekFrom};

/// Small JSON and CSV files are read whole, up to this size; anything larger is refused as a
/// diagnostic (no real actor.json or CSV export comes near it).
pub(crate) const SMALL_FILE_CAP: u64 = 256 << 20;

/// One file given by the user: an archive, an extracted file, or a CSV export. `name` is the file
/// name, or a path relative to the chosen folder (`archive/outbox.json`) when a folder was given.
pub struct Input<R> {
    /// The file name, or its path inside the chosen folder.
    pub name: String,
    /// Its bytes.
    pub source: R,
}

impl<R> Input<R> {
    /// Makes an input.
    pub fn new(name: impl Into<String>, source: R) -> Input<R> {
        Input {
            name: name.into(),
            source,
        }
    }
}

/// What the loader is doing, for progress bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Finding out what was given, listing the archive.
    Reading,
    /// Reading outbox.json.
    Parsing,
    /// Reading the profile, likes, bookmarks and CSV files, and matching media to entries.
    Finishing,
}

/// A progress report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    /// What is being done.
    pub stage: Stage,
    /// Bytes of outbox.json read so far (parsing), else 0.
    pub done: u64,
    /// Size of outbox.json, when known.
    pub total: Option<u64>,
    /// Posts read so far.
    pub posts: usize,
}

/// An opened archive: the account, and the container kept open for media and raw JSON.
pub struct Loaded<R> {
    /// Everything read.
    pub account: Account,
    /// How it was given.
    pub format: Format,
    /// The outbox entry's name inside the container.
    pub outbox_entry: String,
    /// Size of outbox.json in bytes.
    pub outbox_bytes: u64,
    /// actor.json's entry, when it was read.
    pub actor_entry: Option<u32>,
    /// The avatar's entry, when present.
    pub avatar_entry: Option<u32>,
    /// The header image's entry, when present.
    pub header_entry: Option<u32>,
    /// The files the social graph was read from (CSV exports, Pleroma's followers.json and
    /// following.json), in the order read, including those added later
    /// ([`Loaded::add_files`]).
    pub side_files: Vec<SideFile>,
    /// When several archives were opened together: each one, in the order given. Empty for one
    /// archive.
    pub archives: Vec<crate::set::ArchiveInfo>,
    /// When several archives were opened together: the accounts they belong to (archives of one
    /// account are one account), each with its own figures. Empty for one archive.
    pub accounts: Vec<crate::set::AccountInfo>,
    /// Posts found in more than one of the archives opened together, counted once.
    pub duplicates: usize,
    /// CSV exports given with several accounts' archives that could not be attributed to one
    /// of them: held until [`Loaded::attribute`] says whose they are.
    pub(crate) pending: Vec<(String, CsvKind, Vec<u8>)>,
    /// The containers: one per archive, in the order of `archives`.
    pub(crate) parts: Vec<Part<R>>,
    /// Each post's part (an index in `parts`); empty when there is one.
    pub(crate) post_part: Vec<u16>,
    /// Every part's entries one after the other, when there are several (attachments and the
    /// profile images refer to them by their place here); empty when there is one part.
    pub(crate) all_entries: Vec<permafrost_archive::Entry>,
}

/// One archive's container, with where its outbox is and where its entries start in
/// [`Loaded::entries`].
pub(crate) struct Part<R> {
    /// `None` when the container is another part's (`host`): one archive holding several
    /// accounts' folders (an export of several accounts) is read as an archive per folder.
    pub(crate) container: Option<Container<R>>,
    /// The part whose container this part reads (itself when `container` is its own).
    pub(crate) host: usize,
    pub(crate) outbox_index: usize,
    pub(crate) first_entry: u32,
    /// The name of the input its container was opened from, when that was an archive file
    /// (`None`: a folder or loose files, whose entries are the inputs, or a part reading another
    /// part's container). What a snapshot reopens it from ([`crate::kept`]).
    pub(crate) archive: Option<String>,
}

/// Says what is missing when `container` (opened from `name`) is a ZIP that ends early, whose
/// entries that arrived whole are read (see [`Container::salvaged`]).
pub(crate) fn note_salvaged<R>(
    container: &Container<R>,
    name: &str,
    notes: &mut permafrost_model::Diagnostics,
) {
    let Some(salvage) = container.salvaged() else {
        return;
    };
    let kept = container.entries().len();
    let message = match &salvage.cut_inside {
        // outbox.json itself is cut: its posts before the cut are read (and listed as an
        // entry, so not counted among the files before it).
        Some(entry) if salvage.partial => {
            m::SALVAGED_OUTBOX.with(&[("byte", &salvage.file_len), ("entry", entry)])
        }
        Some(entry) => m::SALVAGED_IN.with(&[
            ("byte", &salvage.file_len),
            ("entry", entry),
            ("kept", &kept),
        ]),
        None => m::SALVAGED.with(&[("byte", &salvage.file_len), ("kept", &kept)]),
    };
    notes.push(Diagnostic::coded(
        DiagnosticKind::Truncated,
        m::file(name),
        message,
    ));
}

/// A download stopped inside outbox.json: the file's note (`note_salvaged`) says where it ends
/// and that the posts before were read, and outbox.json's reader said it again ("reading stopped
/// at byte …: the file ends early"): its note goes. One that stopped for another reason (damaged
/// data before the cut) stays.
fn one_note_for_the_cut(
    salvage: Option<&permafrost_archive::Salvage>,
    outbox: &str,
    notes: &mut permafrost_model::Diagnostics,
) {
    let Some(salvage) = salvage.filter(|s| s.partial) else {
        return;
    };
    if salvage.cut_inside.as_deref() != Some(outbox) {
        return;
    }
    notes.retain(|d| {
        let said_again = d.kind == DiagnosticKind::Truncated
            && d.detail.code == permafrost_model::message::DIAG_STOPPED.code
            && d.place.arg("file") == Some(outbox)
            && d.detail
                .arg("detail")
                .is_some_and(|why| why.contains("the file ends early"));
        !said_again
    });
}

/// The input name to record for a container opened from `name`: only an archive file's (a
/// folder's or loose files' container is its entries).
pub(crate) fn archive_name<R>(container: &Container<R>, name: &str) -> Option<String> {
    matches!(
        container.format(),
        Format::Zip | Format::Tar | Format::TarGz
    )
    .then(|| name.to_string())
}

/// The container part `at` reads.
fn container_of<R>(
    parts: &mut [Part<R>],
    at: usize,
) -> Result<&mut Container<R>, permafrost_archive::Error> {
    let host = parts.get(at).map_or(0, |p| p.host);
    parts
        .get_mut(host)
        .and_then(|p| p.container.as_mut())
        .ok_or_else(|| io::Error::other("no such archive").into())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Outbox,
    Actor,
    Likes,
    Bookmarks,
    Followers,
    Following,
    Csv(CsvKind),
}

/// Follows a load as it happens: progress for a progress bar, and the account as read so far, so
/// that an app can show the first posts before the last is parsed.
pub trait Observer {
    /// Work advanced.
    fn progress(&mut self, progress: &Progress);

    /// Called now and then while outbox.json is read, with the account as read so far. Posts are
    /// appended in outbox order (only a repeated `orderedItems` key, which Mastodon 4.2.10 writes
    /// empty first, could start them again). Until the load ends, followers-only and direct posts
    /// may be told apart wrongly (actor.json, which settles it, usually comes after outbox.json)
    /// and attachments are not yet matched to archive entries.
    fn partial(&mut self, account: &Account) {
        let _ = account;
    }

    /// Called once outbox.json is read, with every post it holds: the rest of the load adds no
    /// post and changes no post's text (it settles visibility and matches attachments to
    /// entries). Work on the posts' text may end here, while the other entries are read.
    fn outbox_read(&mut self, account: &Account) {
        let _ = account;
    }

    /// The most bytes of outbox.json to read, when memory is limited (a browser tab's worker has
    /// a few gigabytes at most): past it, reading stops as at a cut-off file, with a diagnostic
    /// that says why, and the posts before it stay. `None` (the default): no limit.
    fn outbox_budget(&self) -> Option<u64> {
        None
    }

    /// The gzip stream of `file` (the input's name), a tar.gz about to be listed, inflated
    /// elsewhere as [`permafrost_archive::GzipInflater`] does with `limits`, or `None` (the
    /// default) to inflate it here: see [`permafrost_archive::Peek::gzip_elsewhere`]. The
    /// browser's worker has it inflated in a second worker, on the other core, while this one
    /// lists and parses.
    fn gzip_elsewhere(
        &mut self,
        file: &str,
        limits: &Limits,
    ) -> Option<Box<dyn permafrost_archive::GzipElsewhere>> {
        let _ = (file, limits);
        None
    }

    /// A reader of outbox.json's contents made elsewhere, or `None` (the default) to read it
    /// here. Asked only for an outbox.json deflated or stored in a ZIP given as one file,
    /// `file` (the input's name): `span` says where its data lies in that file, and the reader
    /// must give what [`permafrost_archive::read_span`] gives for it with `limits`, errors
    /// included. The browser's worker inflates it in a second worker, on the other core, while
    /// this one parses.
    fn outbox_elsewhere(
        &mut self,
        file: &str,
        span: &Span,
        limits: &Limits,
    ) -> Option<Box<dyn Read>> {
        let _ = (file, span, limits);
        None
    }
}

/// A reader that fails, saying why, once `left` bytes have been read: how an outbox too large
/// for the memory at hand stops before the tab does (see [`Observer::outbox_budget`]).
struct Budget<R> {
    inner: R,
    left: u64,
    budget: u64,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::other(format!(
                "this browser tab can hold the posts of about {} MB of outbox.json, and this one is larger; the posts before this point are shown, and the `permafrost` command-line tool reads all of it",
                self.budget / 1_000_000
            )));
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(buf.get_mut(..want).unwrap_or_default())?;
        self.left -= n as u64;
        Ok(n)
    }
}

struct ProgressOnly<'a>(&'a mut dyn FnMut(&Progress));

impl Observer for ProgressOnly<'_> {
    fn progress(&mut self, progress: &Progress) {
        (self.0)(progress)
    }
}

/// Opens what the user gave: one archive (zip, tar.gz, tar) and any CSV exports, or the files of an
/// extracted archive. `progress` is called as work advances.
pub fn load<R: Read + Seek>(
    inputs: Vec<Input<R>>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Loaded<R>, Error> {
    load_observed(inputs, &mut ProgressOnly(progress))
}

/// [`load`], telling `observer` about progress and about the posts read so far.
pub fn load_observed<R: Read + Seek>(
    inputs: Vec<Input<R>>,
    observer: &mut dyn Observer,
) -> Result<Loaded<R>, Error> {
    if inputs.is_empty() {
        return Err(Error::NothingGiven);
    }
    observer.progress(&Progress {
        stage: Stage::Reading,
        done: 0,
        total: None,
        posts: 0,
    });
    let mut account = Account::default();
    let given = inputs.len();
    let mut unreadable: Vec<(String, String)> = Vec::new();
    let folder = inputs
        .iter()
        .any(|i| i.name.contains('/') || i.name.contains('\\'));
    let single = inputs.len() == 1;

    // Sort inputs into archives, CSV exports, and loose files of an extracted archive.
    let mut archives = Vec::new();
    let mut csvs: Vec<(String, CsvKind, Vec<u8>)> = Vec::new();
    // The CSV exports given, and the files named `.csv`: for the error when nothing else was.
    let mut csv_names: Vec<String> = Vec::new();
    // Other text (`notes.txt`): listed by the error when nothing else was given.
    let mut other_text = Vec::new();
    let mut loose = Vec::new();
    for mut input in inputs {
        let (kind, size) = match head(&mut input.source) {
            Ok(h) => h,
            Err(e) => {
                account.diagnostics.push(Diagnostic::coded(
                    DiagnosticKind::BadFile,
                    m::file(&input.name),
                    m::COULD_NOT_READ.with(&[("detail", &e)]),
                ));
                unreadable.push((input.name, e.to_string()));
                continue;
            }
        };
        match kind {
            Sniffed::Zip | Sniffed::Gzip | Sniffed::Tar => archives.push(input),
            // Something meant to be an archive that does not look like one (a ZIP with data in
            // front, or not an archive at all): the container reader decides, and its error says
            // what the file is instead.
            Sniffed::Other(_) if single || looks_like_archive_name(&input.name) => {
                archives.push(input)
            }
            // Text named as an archive (`readme.zip`) is not a CSV export: the container reader
            // says what it is instead of "no outbox.json found".
            Sniffed::Csv | Sniffed::Json if looks_like_archive_name(&input.name) => {
                archives.push(input)
            }
            _ if is_csv_input(kind, &input.name, size) => {
                match read_small(&mut input.source, SMALL_FILE_CAP, 0) {
                    Ok(bytes) => match csv_kind(&input.name, &bytes) {
                        Some(k) => {
                            csv_names.push(input.name.clone());
                            csvs.push((input.name, k, bytes));
                        }
                        None => {
                            account.diagnostics.push(unknown_csv(&input.name));
                            if is_csv_name(&input.name) {
                                csv_names.push(input.name);
                            } else {
                                other_text.push((input.name, size, input.source));
                            }
                        }
                    },
                    Err(e) => account.diagnostics.push(Diagnostic::coded(
                        DiagnosticKind::BadFile,
                        m::file(&input.name),
                        m::FILE_ERROR.with(&[("detail", &e)]),
                    )),
                }
            }
            _ => loose.push((input.name, size, input.source)),
        }
    }

    // Not one file could be read: that is the error, not "no outbox.json".
    if unreadable.len() == given {
        if let Some((name, reason)) = unreadable.into_iter().next() {
            return Err(Error::Unreadable { name, reason });
        }
    }

    // One JSON file alone that holds an outbox, under another name (Permafrost's own JSON export,
    // `outbox (1).json` from a second download): read as the outbox.json it is.
    if let ([], [(name, _, source)]) = (archives.as_slice(), loose.as_mut_slice()) {
        let lower = base(name).to_ascii_lowercase();
        let companion = ["outbox.json", "actor.json", "likes.json", "bookmarks.json"];
        if lower.ends_with(".json") && !companion.contains(&lower.as_str()) && holds_outbox(source)
        {
            *name = "outbox.json".into();
        }
    }
    if archives.is_empty() && loose.is_empty() {
        // CSV exports alone: they are added to an archive, and there is none.
        if !csv_names.is_empty() {
            return Err(Error::OnlyCsv { names: csv_names });
        }
        // Text alone: "no outbox.json" names it.
        loose = other_text;
    }

    if crate::set::several(&archives, &loose) {
        return crate::set::load_several(archives, loose, csvs, account, folder, observer);
    }
    let mut container = None;
    let mut container_name = String::new();
    // What listing passed over and read (a tar.gz's outbox.json and small files): see
    // `ListingPeek`.
    let mut peeked = None;
    for input in archives {
        let name = input.name.clone();
        if container.is_some() {
            account.diagnostics.push(Diagnostic::coded(
                DiagnosticKind::Duplicate,
                m::file(&name),
                m::SECOND_ARCHIVE.message(),
            ));
            continue;
        }
        let mut peek = ListingPeek {
            observer: &mut *observer,
            file: &name,
            peeked: Peeked::default(),
            small_bytes: 0,
            reported: 0,
        };
        match Container::open_peeking(input.source, Limits::default(), &mut peek) {
            Ok(c) if c.find("outbox.json").is_some() || loose.is_empty() => {
                note_salvaged(&c, &name, &mut account.diagnostics);
                container_name = name.clone();
                container = Some(c);
                peeked = Some(peek.peeked);
            }
            Ok(_) => account.diagnostics.push(Diagnostic::coded(
                DiagnosticKind::UnknownFile,
                m::file(&name),
                m::NO_OUTBOX_IGNORED.message(),
            )),
            Err(e) => {
                if loose.iter().any(|(n, _, _)| base(n) == "outbox.json") {
                    account.diagnostics.push(Diagnostic::coded(
                        DiagnosticKind::BadFile,
                        m::file(&name),
                        Error::Archive(e).message(),
                    ));
                } else {
                    return Err(Error::Archive(e));
                }
            }
        }
    }
    let container = match container {
        Some(c) => {
            for (name, _, _) in &loose {
                account.diagnostics.push(Diagnostic::coded(
                    DiagnosticKind::UnknownFile,
                    m::file(name),
                    m::BESIDE_ARCHIVE.message(),
                ));
            }
            c
        }
        None => {
            let files = loose
                .into_iter()
                .map(|(name, size, source)| (name.replace('\\', "/"), size, source))
                .collect();
            Container::from_files(
                if folder {
                    Format::Folder
                } else {
                    Format::Files
                },
                files,
            )
        }
    };
    // One archive of several accounts' folders (an export of several accounts): an archive
    // per folder.
    let folders = account_folders(container.entries());
    if folders.len() >= 2 {
        if container_name.is_empty() {
            container_name = match container.format() {
                Format::Folder => "the folder given".into(),
                _ => "the files given".into(),
            };
        }
        return crate::set::load_folders(
            container,
            container_name,
            folders,
            csvs,
            account,
            observer,
        );
    }
    let archive = archive_name(&container, &container_name);
    let file = (container.format() == Format::Zip).then_some(container_name.as_str());
    let mut loaded = read_one(container, file, csvs, account, observer, peeked)?;
    if let Some(part) = loaded.parts.first_mut() {
        part.archive = archive;
    }
    Ok(loaded)
}

/// The folders of a container that each hold an account's archive (outbox.json with actor.json
/// beside it), when there are several and none is inside another: an export of several
/// accounts is one folder per account. Each ends with `/`.
pub(crate) fn account_folders(entries: &[permafrost_archive::Entry]) -> Vec<String> {
    // One outbox.json (nearly every archive): no folders, and no set of every name made.
    let outboxes = entries
        .iter()
        .filter(|e| base(&e.name) == "outbox.json")
        .take(2)
        .count();
    if outboxes < 2 {
        return Vec::new();
    }
    let names: rustc_hash::FxHashSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let mut folders: Vec<String> = Vec::new();
    for e in entries {
        if base(&e.name) != "outbox.json" {
            continue;
        }
        let d = dir(&e.name);
        if d.is_empty() || folders.iter().any(|f| f == d) {
            continue;
        }
        if names.contains(format!("{d}actor.json").as_str()) {
            folders.push(d.to_string());
        }
    }
    let nested = folders
        .iter()
        .any(|a| folders.iter().any(|b| a != b && b.starts_with(a.as_str())));
    if folders.len() < 2 || nested {
        return Vec::new();
    }
    folders
}

/// Reads one archive's container into `account` (which may already hold diagnostics about what
/// was given), with the CSV exports given beside it, and what was read while the container was
/// listed.
pub(crate) fn read_one<R: Read + Seek>(
    mut container: Container<R>,
    file: Option<&str>,
    csvs: Vec<(String, CsvKind, Vec<u8>)>,
    account: Account,
    observer: &mut dyn Observer,
    peeked: Option<Peeked>,
) -> Result<Loaded<R>, Error> {
    let (mut loaded, outbox_index) =
        read_scoped(&mut container, None, file, csvs, account, observer, peeked)?;
    loaded.parts.push(Part {
        container: Some(container),
        host: 0,
        outbox_index,
        first_entry: 0,
        archive: None,
    });
    Ok(loaded)
}

/// [`read_one`] of the archive in folder `scope` (ending with `/`) of a container, or of the
/// whole container; the caller adds the part. Also returns outbox.json's entry. `file`: the
/// name of the input that is the whole container, when outbox.json may be read elsewhere
/// ([`Observer::outbox_elsewhere`]).
pub(crate) fn read_scoped<R: Read + Seek>(
    container: &mut Container<R>,
    scope: Option<&str>,
    file: Option<&str>,
    mut csvs: Vec<(String, CsvKind, Vec<u8>)>,
    mut account: Account,
    observer: &mut dyn Observer,
    peeked: Option<Peeked>,
) -> Result<(Loaded<R>, usize), Error> {
    let format = container.format();
    let in_scope = |name: &str| scope.is_none_or(|s| name.starts_with(s));
    let outbox_index = match scope {
        None => container.find("outbox.json"),
        Some(s) => {
            let wanted = format!("{s}outbox.json");
            container.entries().iter().position(|e| e.name == wanted)
        }
    };
    let Some(outbox_index) = outbox_index else {
        let mut names: Vec<String> = container.entries().iter().map(|e| e.name.clone()).collect();
        names.extend(csvs.iter().map(|(n, _, _)| n.clone()));
        let total = names.len();
        let inner = container
            .entries()
            .iter()
            // Not a Mac's resource fork of it (`__MACOSX/._x.zip`), which its ZIPs add.
            .find(|e| {
                looks_like_archive_name(&e.name)
                    && !e.name.starts_with("__MACOSX/")
                    && !base(&e.name).starts_with("._")
            })
            .map(|e| e.name.clone());
        names.truncate(8);
        return Err(Error::NoOutbox {
            found: names,
            total,
            inner,
        });
    };
    let outbox_dir = dir(&container.entries()[outbox_index].name).to_string();
    let outbox_entry = container.entries()[outbox_index].name.clone();
    let outbox_bytes = container.entries()[outbox_index].size;

    // Companion files: prefer the ones beside outbox.json.
    let find_beside = |container: &Container<R>, file: &str| {
        let wanted = format!("{outbox_dir}{file}");
        container
            .entries()
            .iter()
            .position(|e| e.name == wanted)
            .or_else(|| container.find(file).filter(|_| scope.is_none()))
    };
    let mut roles: Vec<(usize, Role)> = vec![(outbox_index, Role::Outbox)];
    for (file, role) in SMALL_ROLES {
        if let Some(i) = find_beside(container, file) {
            roles.push((i, role));
        }
    }
    for (i, entry) in container.entries().iter().enumerate() {
        if is_csv_name(&entry.name) && in_scope(&entry.name) {
            match CsvKind::from_name(&entry.name) {
                Some(kind) => roles.push((i, Role::Csv(kind))),
                None => account.diagnostics.push(unknown_csv(&entry.name)),
            }
        }
    }

    for &(index, role) in &roles {
        if scope.is_none() && matches!(role, Role::Outbox | Role::Actor) {
            note_other_copies(container.entries(), index, &mut account.diagnostics);
        }
    }
    let shadowed = container.shadowed_entries();
    if shadowed > 0
        && scope.is_none_or(|s| {
            container
                .entries()
                .first()
                .is_some_and(|e| e.name.starts_with(s))
        })
    {
        account.diagnostics.push(Diagnostic::coded(
            DiagnosticKind::Duplicate,
            m::PLACE_ZIP_DIRECTORY.message(),
            m::SHADOWED.with(&[("n", &shadowed)]),
        ));
    }

    let mut indices: Vec<usize> = roles.iter().map(|(i, _)| *i).collect();
    let mut outbox_error = None;
    // What was read while the container was listed and is asked for here is not read again
    // (an outbox.json read then that is not this one is dropped, and this one read below).
    let Peeked {
        outbox: peeked_outbox,
        small: mut peeked_small,
    } = peeked.unwrap_or_default();
    let peeked_outbox = peeked_outbox.filter(|(index, ..)| *index == outbox_index);
    peeked_small.retain(|(index, _)| indices.contains(index));
    indices.retain(|index| !peeked_small.iter().any(|(i, _)| i == index));
    let mut elsewhere = file.filter(|_| peeked_outbox.is_none()).and_then(|file| {
        let span = container.span(outbox_index)?;
        observer.outbox_elsewhere(file, &span, &container.limits())
    });
    if let Some((_, read, result)) = peeked_outbox {
        indices.retain(|&i| i != outbox_index);
        // What was said about the files given before, then what reading outbox.json said.
        let mut diagnostics = std::mem::take(&mut account.diagnostics);
        account = read;
        diagnostics.absorb(std::mem::take(&mut account.diagnostics));
        account.diagnostics = diagnostics;
        outbox_error = result.err();
    } else if let Some(other) = elsewhere.as_mut() {
        // Read elsewhere: the entry is not opened here at all (a ZIP's small entry is read whole
        // when opened, megabytes read for nothing).
        indices.retain(|&i| i != outbox_index);
        parse_outbox(other, outbox_bytes, &outbox_entry, &mut account, observer)
            .map_err(Error::Outbox)?;
    }
    let names: Vec<String> = container.entries().iter().map(|e| e.name.clone()).collect();
    // Each entry's declared size, for a first allocation of the right size when it is read
    // whole (likes.json is megabytes: grown a doubling at a time, it was copied over and over).
    let sizes: Vec<u64> = container.entries().iter().map(|e| e.size).collect();
    let mut likes = None;
    let mut bookmarks_json = None;
    let mut actor_entry = None;
    let mut side_files = Vec::new();
    let mut take = |index: usize, reader: &mut dyn Read| -> Result<(), Error> {
        let Some(&(_, role)) = roles.iter().find(|(i, _)| *i == index) else {
            return Ok(());
        };
        let name = names.get(index).map_or("", String::as_str);
        if role == Role::Outbox {
            if let Err(e) = parse_outbox(reader, outbox_bytes, name, &mut account, observer) {
                outbox_error = Some(e);
            }
            return Ok(());
        }
        let size_hint = sizes.get(index).copied().unwrap_or(0);
        let bytes = match read_small(reader, SMALL_FILE_CAP, size_hint) {
            Ok(b) => b,
            Err(e) => {
                account.diagnostics.push(Diagnostic::coded(
                    DiagnosticKind::BadFile,
                    m::file(name),
                    m::COULD_NOT_READ.with(&[("detail", &e)]),
                ));
                return Ok(());
            }
        };
        let bad_json = |e: serde_json::Error| {
            Diagnostic::coded(
                DiagnosticKind::BadFile,
                m::file(name),
                m::BAD_JSON.with(&[("detail", &e)]),
            )
        };
        match role {
            Role::Outbox => {}
            Role::Actor => match actor::parse(&bytes) {
                Ok(a) => {
                    account.actor = Some(a);
                    actor_entry = u32::try_from(index).ok();
                }
                Err(e) => account.diagnostics.push(bad_json(e)),
            },
            Role::Likes | Role::Bookmarks | Role::Followers | Role::Following => {
                match collection::parse_uri_list(&bytes) {
                    Ok(uris) => match role {
                        Role::Likes => likes = Some(uris),
                        Role::Bookmarks => bookmarks_json = Some(uris),
                        Role::Followers => {
                            side_files.push(SideFile {
                                name: name.to_string(),
                                kind: CsvKind::Followers,
                                rows: uris.len(),
                            });
                            account
                                .social
                                .followers
                                .get_or_insert_with(Vec::new)
                                .extend(uris)
                        }
                        _ => {
                            side_files.push(SideFile {
                                name: name.to_string(),
                                kind: CsvKind::Following,
                                rows: uris.len(),
                            });
                            let following = account.social.following.get_or_insert_with(Vec::new);
                            following.extend(uris.into_iter().map(|uri| {
                                permafrost_model::Follow {
                                    account: uri,
                                    show_boosts: None,
                                    notify: None,
                                    languages: Vec::new(),
                                }
                            }));
                        }
                    },
                    Err(e) => account.diagnostics.push(bad_json(e)),
                }
            }
            Role::Csv(kind) => csvs.push((name.to_string(), kind, bytes)),
        }
        Ok(())
    };
    // In container order, the files read while listing among those read now.
    let mut early = peeked_small.into_iter().peekable();
    let result = container.read_entries(&indices, |index, reader| -> Result<(), Error> {
        while let Some((at, bytes)) = early.next_if(|(at, _)| *at < index) {
            take(at, &mut bytes.as_slice())?;
        }
        take(index, reader)
    });
    let result =
        result.and_then(|()| early.try_for_each(|(at, bytes)| take(at, &mut bytes.as_slice())));
    if let Some(e) = outbox_error {
        return Err(Error::Outbox(e));
    }
    if let Err(e) = result {
        // The outbox was read (or failed above); a later entry failing loses only that entry.
        if account.posts.is_empty() {
            return Err(e);
        }
        account.diagnostics.push(Diagnostic::coded(
            DiagnosticKind::Truncated,
            m::file(&format.to_string()),
            m::CUT_SHORT
                .with(&[("detail", &e)])
                .nest("detail", &e.message()),
        ));
    }

    observer.progress(&Progress {
        stage: Stage::Finishing,
        done: outbox_bytes,
        total: Some(outbox_bytes),
        posts: account.posts.len(),
    });
    account.resolve_visibility();
    account.likes = likes;
    if let Some(b) = bookmarks_json {
        account.add_bookmarks(b);
    }
    // After bookmarks.json, so that its order comes first; the same reading as files added to
    // an open archive (`Loaded::add_files`).
    for (name, kind, bytes) in &csvs {
        side_files.push(read_csv(&mut account, name, *kind, bytes));
    }
    let salvage = container.salvaged();
    one_note_for_the_cut(salvage, &outbox_entry, &mut account.diagnostics);
    let lookup = media::EntryLookup::new(container.entries(), scope.unwrap_or(""));
    // Media not found may be in the part that did not arrive only where they come after
    // outbox.json: in a ZIP (Mastodon 4.2+: outbox.json, then the media). A tar.gz has its media
    // first: one that arrived up to outbox.json holds all of them, and one missing is missing
    // from the archive itself.
    let media_after_the_cut = salvage.is_some() && format == Format::Zip;
    media::resolve(&mut account, &lookup, media_after_the_cut);
    let (avatar_entry, header_entry) = match &account.actor {
        Some(a) => (
            a.avatar.as_ref().and_then(|i| lookup.find(&i.url)),
            a.header.as_ref().and_then(|i| lookup.find(&i.url)),
        ),
        None => (None, None),
    };
    Ok((
        Loaded {
            account,
            format,
            outbox_entry,
            outbox_bytes,
            actor_entry,
            avatar_entry,
            header_entry,
            side_files,
            archives: Vec::new(),
            accounts: Vec::new(),
            duplicates: 0,
            pending: Vec::new(),
            parts: Vec::new(),
            post_part: Vec::new(),
            all_entries: Vec::new(),
        },
        outbox_index,
    ))
}

impl<R: Read + Seek> Loaded<R> {
    /// The entries of the container (archive files, or the files given).
    pub fn entries(&self) -> &[permafrost_archive::Entry] {
        match self.parts.as_slice() {
            [Part {
                container: Some(one),
                ..
            }] => one.entries(),
            _ => &self.all_entries,
        }
    }

    /// The container holding entry `entry` of [`Loaded::entries`], and the entry's index in it.
    fn part_of_entry(
        &mut self,
        entry: u32,
    ) -> Result<(&mut Container<R>, usize), permafrost_archive::Error> {
        let at = self
            .parts
            .iter()
            .rposition(|p| p.first_entry <= entry)
            .unwrap_or(0);
        let first = self.parts.get(at).map_or(0, |p| p.first_entry);
        Ok((container_of(&mut self.parts, at)?, (entry - first) as usize))
    }

    /// The part holding a post's outbox item: its container and its outbox's index.
    fn part_of_post(
        &mut self,
        post: PostId,
    ) -> Result<(&mut Container<R>, usize), permafrost_archive::Error> {
        let at = self.post_part.get(post as usize).copied().unwrap_or(0) as usize;
        let outbox = self.parts.get(at).map_or(0, |p| p.outbox_index);
        Ok((container_of(&mut self.parts, at)?, outbox))
    }

    /// The folder of the outbox.json of the archive that holds entry `entry` (`archive/`, or
    /// empty): an export writes the archive's files relative to it.
    pub fn entry_root(&self, entry: u32) -> &str {
        let name = self
            .entries()
            .get(entry as usize)
            .map_or("", |e| e.name.as_str());
        let at = self
            .parts
            .iter()
            .rposition(|p| p.first_entry <= entry)
            .unwrap_or(0);
        let host = self.parts.get(at).map_or(0, |p| p.host);
        let Some(c) = self.parts.get(host).and_then(|p| p.container.as_ref()) else {
            return "";
        };
        // Parts that share a container are told apart by their folders.
        let roots: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| p.host == host)
            .filter_map(|p| c.entries().get(p.outbox_index))
            .map(|e| dir(&e.name))
            .collect();
        roots
            .iter()
            .copied()
            .filter(|r| name.starts_with(r))
            .max_by_key(|r| r.len())
            .or(roots.first().copied())
            .unwrap_or("")
    }

    /// How many archives are open (one, or several opened together).
    pub fn archive_count(&self) -> usize {
        self.parts.len()
    }

    /// The archive (an index in [`Loaded::archives`]) a post was read from.
    pub fn archive_of(&self, post: PostId) -> usize {
        self.post_part.get(post as usize).copied().unwrap_or(0) as usize
    }

    /// Reads one entry whole, refusing entries over `max` bytes.
    pub fn read_entry(
        &mut self,
        entry: u32,
        max: u64,
    ) -> Result<Vec<u8>, permafrost_archive::Error> {
        // The declared size: one allocation for most files instead of a doubling buffer.
        let declared = self.entries().get(entry as usize).map_or(0, |e| e.size);
        let (container, entry) = self.part_of_entry(entry)?;
        let reader = container.read_entry(entry)?;
        Ok(read_small(reader, max, declared)?)
    }

    /// A ZIP entry's bytes as the archive stores them (still compressed), to copy them into
    /// another ZIP as they are: see [`permafrost_archive::Container::read_raw`]. `Ok(None)` when
    /// the archive is not a ZIP: read the entry with [`Loaded::read_entry`] then.
    pub fn read_entry_raw(
        &mut self,
        entry: u32,
        max: u64,
    ) -> Result<Option<permafrost_archive::RawEntry>, permafrost_archive::Error> {
        let (container, entry) = self.part_of_entry(entry)?;
        container.read_raw(entry, max)
    }

    /// Reads the file of a post's attachment. `Ok(None)` when the file is not in the archive.
    pub fn read_media(
        &mut self,
        post: PostId,
        attachment: usize,
        max: u64,
    ) -> Result<Option<Vec<u8>>, permafrost_archive::Error> {
        let entry = self
            .account
            .posts
            .get(post as usize)
            .and_then(|p| p.attachments.get(attachment))
            .and_then(|a| a.entry);
        entry.map(|e| self.read_entry(e, max)).transpose()
    }

    /// The JSON text of a post's outbox item, read back from the archive (the "raw JSON" view).
    pub fn raw_item(&mut self, post: PostId) -> Result<String, permafrost_archive::Error> {
        let Some(p) = self.account.posts.get(post as usize) else {
            return Ok(String::new());
        };
        let (offset, len) = (p.source_offset, u64::from(p.source_len));
        let (container, outbox) = self.part_of_post(post)?;
        let mut reader = container.read_entry(outbox)?;
        io::copy(&mut (&mut reader).take(offset), &mut io::sink())
            .map_err(permafrost_archive::Error::from)?;
        let mut bytes = Vec::new();
        reader
            .take(len)
            .read_to_end(&mut bytes)
            .map_err(permafrost_archive::Error::from)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The JSON text of several outbox items, read in one pass over outbox.json (exports): gives
    /// `f` each post of `posts` with its item's bytes, in the order given, until `f` returns
    /// `false`. Returns how many posts were read. Posts in file order read outbox.json once; one
    /// that comes before the previous one in the file starts reading it again, as does one of
    /// another archive (several opened together). Unknown posts are given with no bytes.
    pub fn raw_items(
        &mut self,
        posts: &[PostId],
        f: &mut dyn FnMut(PostId, &[u8]) -> bool,
    ) -> Result<usize, permafrost_archive::Error> {
        let mut n = 0;
        let mut bytes = Vec::new();
        // Skipping to an item inflates what comes before it: in large reads, which inflate faster.
        let mut skip = vec![0u8; 256 << 10];
        while n < posts.len() {
            // One pass over an outbox.json, until a post comes before the previous one or is in
            // another archive.
            let part = posts.get(n).map_or(0, |&p| self.archive_of(p));
            let Loaded {
                parts,
                post_part,
                account,
                ..
            } = self;
            let Some(outbox_index) = parts.get(part).map(|p| p.outbox_index) else {
                return Ok(n);
            };
            let container = container_of(parts, part)?;
            let mut reader = container.read_entry(outbox_index)?;
            let mut at = 0u64;
            while let Some(&post) = posts.get(n) {
                bytes.clear();
                if post_part.get(post as usize).map_or(0, |&p| p as usize) != part {
                    break;
                }
                if let Some(p) = account.posts.get(post as usize) {
                    let (offset, len) = (p.source_offset, u64::from(p.source_len));
                    if offset < at {
                        break;
                    }
                    let mut left = offset - at;
                    while left > 0 {
                        let want = left.min(skip.len() as u64) as usize;
                        let got = reader
                            .read(&mut skip[..want])
                            .map_err(permafrost_archive::Error::from)?;
                        if got == 0 {
                            break;
                        }
                        left -= got as u64;
                    }
                    (&mut reader)
                        .take(len)
                        .read_to_end(&mut bytes)
                        .map_err(permafrost_archive::Error::from)?;
                    at = offset + bytes.len() as u64;
                }
                n += 1;
                if !f(post, &bytes) {
                    return Ok(n);
                }
            }
        }
        Ok(posts.len())
    }
}

/// The files beside outbox.json an archive's reading asks for, and what each is.
const SMALL_ROLES: [(&str, Role); 5] = [
    ("actor.json", Role::Actor),
    ("likes.json", Role::Likes),
    ("bookmarks.json", Role::Bookmarks),
    ("followers.json", Role::Followers),
    ("following.json", Role::Following),
];

/// What was read while a container was listed ([`ListingPeek`]), by index among its entries.
#[derive(Default)]
pub(crate) struct Peeked {
    /// outbox.json: its index, the account read from it, and how its reading ended.
    outbox: Option<(usize, Account, Result<(), permafrost_model::Error>)>,
    /// The files an archive's reading asks for besides (actor.json, likes.json, bookmarks.json,
    /// CSV exports), whole, in container order.
    small: Vec<(usize, Vec<u8>)>,
}

/// The most bytes of small files kept while a container is listed: past it, they are read
/// after, as from any container.
const PEEKED_SMALL_BYTES: u64 = 64 << 20;

/// Reads what an archive's reading asks for while its container is listed, where listing
/// inflates everything anyway (a tar.gz: see [`permafrost_archive::Peek`]): the first
/// outbox.json, read as [`read_scoped`] reads it (with the observer's progress and previews),
/// and the small files beside, whole. [`read_scoped`] then takes those it picks. A tar.gz's
/// outbox.json (after its media) and the files after it were inflated twice before: listing,
/// then from the access point before outbox.json to the end. Read once, 10,000 posts in a tar.gz
/// opened in 206 ms instead of 253 and 100,000 in 1,330 instead of 1,674 (Chromium, the two
/// builds alternated), the real 4.0 tar.gz of 224 posts in 61 instead of 92.
struct ListingPeek<'o> {
    observer: &'o mut dyn Observer,
    /// The name of the input listed.
    file: &'o str,
    peeked: Peeked,
    /// The bytes of the small files kept (see [`PEEKED_SMALL_BYTES`]).
    small_bytes: u64,
    /// The bytes of the archive read when listing progress was last reported.
    reported: u64,
}

impl permafrost_archive::Peek for ListingPeek<'_> {
    fn gzip_elsewhere(
        &mut self,
        limits: &Limits,
    ) -> Option<Box<dyn permafrost_archive::GzipElsewhere>> {
        self.observer.gzip_elsewhere(self.file, limits)
    }

    fn wants(&mut self, name: &str, size: u64) -> bool {
        let file = base(name);
        if file == "outbox.json" {
            return self.peeked.outbox.is_none();
        }
        let small = SMALL_ROLES.iter().any(|(f, _)| *f == file) || is_csv_name(name);
        small && self.small_bytes.saturating_add(size) <= PEEKED_SMALL_BYTES
    }

    fn listing(&mut self, read: u64, len: u64) {
        // Until outbox.json (a tar.gz's media come first); then its reading says how far.
        if self.peeked.outbox.is_none() && read >= self.reported.saturating_add(len / 200) {
            self.reported = read;
            self.observer.progress(&Progress {
                stage: Stage::Reading,
                done: read,
                total: Some(len),
                posts: 0,
            });
        }
    }

    fn read(&mut self, index: usize, name: &str, size: u64, mut reader: &mut dyn Read) {
        if base(name) == "outbox.json" {
            let mut account = Account::default();
            let result = parse_outbox(&mut reader, size, name, &mut account, self.observer);
            self.peeked.outbox = Some((index, account, result));
        } else if let Ok(bytes) = read_small(reader, SMALL_FILE_CAP, size) {
            self.small_bytes += bytes.len() as u64;
            self.peeked.small.push((index, bytes));
        }
        // A small file not read here is read again after, and its error said then.
    }
}

/// Reads outbox.json's posts from `reader` into `account`, telling `observer` how far it got,
/// within the observer's budget (see [`Observer::outbox_budget`]).
fn parse_outbox(
    reader: &mut dyn Read,
    outbox_bytes: u64,
    name: &str,
    account: &mut Account,
    observer: &mut dyn Observer,
) -> Result<(), permafrost_model::Error> {
    observer.progress(&Progress {
        stage: Stage::Parsing,
        done: 0,
        total: Some(outbox_bytes),
        posts: 0,
    });
    // Without a budget, one that cannot run out.
    let budget = observer.outbox_budget().unwrap_or(u64::MAX);
    let mut report = |done: u64, so_far: &Account| {
        observer.progress(&Progress {
            stage: Stage::Parsing,
            done,
            total: Some(outbox_bytes),
            posts: so_far.posts.len(),
        });
        observer.partial(so_far);
    };
    let reader = Budget {
        inner: reader,
        left: budget,
        budget,
    };
    outbox::read_outbox_sized(reader, Some(outbox_bytes), name, account, &mut report)?;
    observer.outbox_read(account);
    Ok(())
}

/// True when a JSON file starts as an ActivityStreams collection (an outbox), read from its
/// first 16 KiB (past Mastodon's long `@context`); the source is left at its start.
fn holds_outbox<R: Read + Seek>(source: &mut R) -> bool {
    let mut buf = Vec::with_capacity(16 << 10);
    let read = source.by_ref().take(16 << 10).read_to_end(&mut buf).is_ok();
    let rewound = source.seek(SeekFrom::Start(0)).is_ok();
    read && rewound && {
        let text = String::from_utf8_lossy(&buf);
        text.contains("\"OrderedCollection\"") && text.contains("\"orderedItems\"")
    }
}

pub(crate) fn head<R: Read + Seek>(source: &mut R) -> io::Result<(Sniffed, u64)> {
    let size = source.seek(SeekFrom::End(0))?;
    source.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0; 1024.min(size as usize)];
    source.read_exact(&mut buf)?;
    source.seek(SeekFrom::Start(0))?;
    Ok((sniff(&buf), size))
}

/// A declared size is trusted this far for a first allocation.
const SIZE_HINT_CAP: u64 = 16 << 20;

/// Reads all of `reader`, failing past `cap` bytes. `size_hint` (a declared size, which may lie)
/// sizes the first allocation, bounded by `cap` and [`SIZE_HINT_CAP`].
pub(crate) fn read_small(reader: impl Read, cap: u64, size_hint: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size_hint.min(cap).min(SIZE_HINT_CAP) as usize);
    // One byte past `cap` tells a file at the cap from a larger one.
    reader.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(io::Error::other(format!(
            "larger than {} MB, which no such file should be",
            cap >> 20
        )));
    }
    Ok(bytes)
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn dir(name: &str) -> &str {
    &name[..name.len() - base(name).len()]
}

fn looks_like_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".zip", ".tar", ".gz", ".tgz"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// True for a file named as a CSV export (`.csv`, in any case).
pub fn is_csv_name(name: &str) -> bool {
    // Asked of every entry of an archive (tens of thousands): no lowercased copy.
    name.len() >= 4 && name.as_bytes()[name.len() - 4..].eq_ignore_ascii_case(b".csv")
}

/// Says so when the file read as entry `chosen` (outbox.json, actor.json) is not the only one of
/// its name: an archive downloaded into itself, or two accounts' files in one ZIP. Only the
/// chosen one is read; which one that was must not be a silent guess.
fn note_other_copies(
    entries: &[permafrost_archive::Entry],
    chosen: usize,
    diagnostics: &mut permafrost_model::Diagnostics,
) {
    let Some(name) = entries.get(chosen).map(|e| e.name.as_str()) else {
        return;
    };
    let file = name.rsplit('/').next().unwrap_or(name);
    let others: Vec<&str> = entries
        .iter()
        .enumerate()
        .filter(|&(i, e)| {
            i != chosen && e.name.ends_with(file) && e.name.rsplit('/').next() == Some(file)
        })
        .map(|(_, e)| e.name.as_str())
        .collect();
    if others.is_empty() {
        return;
    }
    let same = others.iter().filter(|o| **o == name).count();
    let elsewhere: Vec<&str> = others
        .iter()
        .copied()
        .filter(|o| *o != name)
        .take(5)
        .collect();
    let template = match (same > 0, elsewhere.is_empty()) {
        (true, true) => m::COPIES_FIRST,
        (true, false) => m::COPIES_FIRST_NOT,
        (false, true) => m::COPIES,
        (false, false) => m::COPIES_NOT,
    };
    let message = template.with(&[
        ("n", &(others.len() + 1)),
        ("file", &file),
        ("name", &name),
        ("times", &(same + 1)),
        ("others", &elsewhere.join(", ")),
    ]);
    diagnostics.push(Diagnostic::coded(
        DiagnosticKind::Duplicate,
        m::file(name),
        message,
    ));
}
