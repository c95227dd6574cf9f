//! Several archives opened together: each is read on its own ([`read_one`]), the archives of
//! one account become that account (the same post in two of them counted once), and the
//! accounts become one [`Loaded`] whose account holds every post, with
//! [`permafrost_model::Owners`] saying whose each one is. One archive never comes here: its
//! reading is exactly what it was before.
//!
//! - **Whose archive:** actor.json's `id`; without it, the account URI its posts' addresses
//!   start with (`https://host/users/name` of `…/users/name/statuses/1`); without that, the
//!   archive is an account of its own.
//! - **The same post:** the same `id`: a post's Note URI, a boost's Announce activity URI.
//!   Both are made by the author's server once and never change, and a boost's is its own (not
//!   the boosted post's), so two boosts of one post stay two. The first archive given keeps it.
//! - **Whose CSV export:** the exports name no owner, so: a file inside a folder given as an
//!   archive is that archive's; else one whose name holds exactly one account's handle
//!   (`alice@example.social`) or user name as a word (`alice-following_accounts.csv`) is that
//!   account's; else a bookmarks.csv whose addresses are bookmarks or posts of exactly one
//!   account is that account's. Any other is held, with a diagnostic, until
//!   [`Loaded::attribute`] is told whose it is (the app asks; the CLI says how to name it).

use crate::load::{read_one, read_scoped, Input, Loaded, Observer, Part};
use crate::messages as m;
use crate::side::read_csv;
use crate::{Error, SideFile};
use permafrost_archive::{Container, Format};
use permafrost_model::{Account, Actor, CsvKind, Diagnostic, DiagnosticKind, Summary};
use std::collections::HashSet;
use std::io::{Read, Seek};

/// One of several archives opened together.
#[derive(Clone, Debug, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct ArchiveInfo {
    /// The file or folder name it was given as.
    pub name: String,
    /// Its container format.
    pub format: Format,
    /// Its account, an index in [`Loaded::accounts`].
    pub account: usize,
    /// Its posts that were not already in an archive given before it.
    pub posts: usize,
    /// Its posts that were (and are counted there).
    pub duplicates: usize,
}

/// One account of several archives opened together.
#[derive(Clone, Debug, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct AccountInfo {
    /// Its name as the `account:` filter takes it: the handle, lowercase (`alice@example.social`).
    pub name: String,
    /// Its profile (actor.json of its first archive that has one).
    pub actor: Option<Actor>,
    /// Its actor.json's entry in [`Loaded::entries`], when read.
    pub actor_entry: Option<u32>,
    /// The avatar's entry in [`Loaded::entries`], when present.
    pub avatar_entry: Option<u32>,
    /// The header image's entry, when present.
    pub header_entry: Option<u32>,
    /// Its archives, indices in [`Loaded::archives`].
    pub archives: Vec<usize>,
    /// Its own figures (its archives together).
    pub summary: Summary,
    /// The files its social graph was read from (its own part of [`Loaded::side_files`]).
    pub side_files: Vec<SideFile>,
    /// What the account's own side files and collections gave, to update `summary` when a CSV
    /// export is attributed later.
    own: Account,
}

/// True when what was given is more than one archive: several archive files, or an archive and
/// a folder, or several folders each with an outbox.json.
pub(crate) fn several<R>(archives: &[Input<R>], loose: &[(String, u64, R)]) -> bool {
    archives.len() + loose_roots(loose).len() >= 2
}

/// The first folder of a path given inside a folder (`""` for a file given on its own).
fn root(name: &str) -> &str {
    let name = name.trim_start_matches(['/', '\\']);
    match name.find(['/', '\\']) {
        Some(at) => &name[..at],
        None => "",
    }
}

fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The folders given that hold an outbox.json, in the order given.
fn loose_roots<R>(loose: &[(String, u64, R)]) -> Vec<&str> {
    let mut roots: Vec<&str> = Vec::new();
    for (name, _, _) in loose {
        if base(name) == "outbox.json" && !roots.contains(&root(name)) {
            roots.push(root(name));
        }
    }
    roots
}

/// The observer of one archive among several: one progress bar over all of them (the bytes of
/// every archive's outbox.json together, and the posts read in all), and the memory budget for
/// outbox.json ([`Observer::outbox_budget`]) for all of them together, so each gets what the
/// ones read before it left.
struct Shared<'a> {
    inner: &'a mut dyn Observer,
    used: u64,
    /// The size of every outbox.json given, together.
    all: u64,
    /// Of which, those read before this archive.
    before: u64,
    /// This archive's outbox.json.
    size: u64,
    /// Posts read before this archive.
    posts_before: usize,
    /// This is the last archive to read.
    last: bool,
}

// `outbox_read` is not passed on: the next archive's posts follow this one's.
impl Observer for Shared<'_> {
    fn progress(&mut self, progress: &crate::Progress) {
        use crate::Stage;
        let here = match progress.stage {
            Stage::Reading => 0,
            Stage::Parsing => progress.done.min(self.size),
            Stage::Finishing => self.size,
        };
        // Past the first archive, the bar only moves on: an archive's own stages before and
        // after its outbox.json are reading, for the bar over all of them.
        let stage = match progress.stage {
            Stage::Finishing if self.last => Stage::Finishing,
            Stage::Reading if self.before == 0 && self.posts_before == 0 => Stage::Reading,
            _ => Stage::Parsing,
        };
        self.inner.progress(&crate::Progress {
            stage,
            done: self.before + here,
            total: Some(self.all),
            posts: self.posts_before + progress.posts,
        })
    }

    fn partial(&mut self, account: &Account) {
        self.inner.partial(account)
    }

    fn outbox_budget(&self) -> Option<u64> {
        self.inner
            .outbox_budget()
            .map(|b| b.saturating_sub(self.used).max(1))
    }
}

/// One archive read, before it joins the others.
struct One<R> {
    name: String,
    /// The folder it was given as (for CSV files given inside it).
    dir: Option<String>,
    loaded: Loaded<R>,
}

/// What to read as one archive: a container of its own, or folder `scope` of a container
/// shared with the other folders of one archive (an export of several accounts): the first
/// such source has the container, the next ones `None`.
struct Source<R> {
    name: String,
    /// The folder it was given as (for CSV files given inside it).
    dir: Option<String>,
    container: Option<Container<R>>,
    scope: Option<String>,
    /// The archive file's input name, for the part that keeps `container` ([`Part::archive`]).
    archive: Option<String>,
}

/// Reads several archives (see the module's documentation). `given` holds the diagnostics
/// about what was given as a whole.
pub(crate) fn load_several<R: Read + Seek>(
    archives: Vec<Input<R>>,
    loose: Vec<(String, u64, R)>,
    csvs: Vec<(String, CsvKind, Vec<u8>)>,
    mut given: Account,
    folder: bool,
    observer: &mut dyn Observer,
) -> Result<Loaded<R>, Error> {
    let mut first_error = None;
    let mut sources: Vec<Source<R>> = Vec::new();
    for input in archives {
        match Container::open(input.source) {
            Ok(c) => {
                crate::load::note_salvaged(&c, &input.name, &mut given.diagnostics);
                sources.push(Source {
                    archive: crate::load::archive_name(&c, &input.name),
                    name: input.name,
                    dir: None,
                    container: Some(c),
                    scope: None,
                })
            }
            Err(e) => failed(&input.name, Error::Archive(e), &mut given, &mut first_error),
        }
    }
    let roots: Vec<String> = loose_roots(&loose).into_iter().map(String::from).collect();
    let mut by_root: Vec<Vec<(String, u64, R)>> = roots.iter().map(|_| Vec::new()).collect();
    for (name, size, source) in loose {
        match roots.iter().position(|r| r == root(&name)) {
            Some(at) => by_root[at].push((name.replace('\\', "/"), size, source)),
            None => given.diagnostics.push(Diagnostic::coded(
                DiagnosticKind::UnknownFile,
                crate::messages::file(&name),
                m::BESIDE_ARCHIVES.message(),
            )),
        }
    }
    for (dir, files) in roots.into_iter().zip(by_root) {
        let format = if folder {
            Format::Folder
        } else {
            Format::Files
        };
        let container = Container::from_files(format, files);
        let name = if dir.is_empty() {
            "the files given".to_string()
        } else {
            dir.clone()
        };
        sources.push(Source {
            name,
            dir: (!dir.is_empty()).then_some(dir),
            container: Some(container),
            scope: None,
            archive: None,
        });
    }
    read_sources(sources, csvs, given, first_error, observer)
}

/// Reads one archive that holds several accounts' archives, one per folder (`folders`, see
/// `load::account_folders`), as several archives named `name/folder`.
pub(crate) fn load_folders<R: Read + Seek>(
    container: Container<R>,
    name: String,
    folders: Vec<String>,
    csvs: Vec<(String, CsvKind, Vec<u8>)>,
    given: Account,
    observer: &mut dyn Observer,
) -> Result<Loaded<R>, Error> {
    let mut archive = crate::load::archive_name(&container, &name);
    let mut container = Some(container);
    let sources = folders
        .into_iter()
        .map(|f| Source {
            name: format!("{name}/{}", f.trim_end_matches('/')),
            dir: None,
            container: container.take(),
            scope: Some(f),
            archive: archive.take(),
        })
        .collect();
    read_sources(sources, csvs, given, None, observer)
}

/// Says that archive `name` could not be read, beside the others.
fn failed(name: &str, e: Error, given: &mut Account, first_error: &mut Option<Error>) {
    let inner = e.message();
    given.diagnostics.push(Diagnostic::coded(
        DiagnosticKind::BadFile,
        crate::messages::file(name),
        m::OTHERS_OPENED
            .with(&[("detail", &inner.text)])
            .nest("detail", &inner),
    ));
    first_error.get_or_insert(e);
}

/// Reads each source, then joins them. Every container is listed before (by the callers), so
/// that the progress bar is one over all their outbox.json files.
fn read_sources<R: Read + Seek>(
    sources: Vec<Source<R>>,
    csvs: Vec<(String, CsvKind, Vec<u8>)>,
    mut given: Account,
    mut first_error: Option<Error>,
    observer: &mut dyn Observer,
) -> Result<Loaded<R>, Error> {
    let mut sizes = Vec::with_capacity(sources.len());
    let mut last: Option<&Container<R>> = None;
    for s in &sources {
        if let Some(c) = &s.container {
            last = Some(c);
        }
        let outbox = last.and_then(|c| {
            let at = match &s.scope {
                None => c.find("outbox.json"),
                Some(scope) => {
                    let wanted = format!("{scope}outbox.json");
                    c.entries().iter().position(|e| e.name == wanted)
                }
            };
            c.entries().get(at?)
        });
        sizes.push(outbox.map_or(0, |e| e.size));
    }
    let count = sources.len();
    let observer = &mut Shared {
        inner: observer,
        used: 0,
        all: sizes.iter().sum(),
        before: 0,
        size: 0,
        posts_before: 0,
        last: false,
    };
    let mut ones: Vec<One<R>> = Vec::new();
    // One archive of several folders: its container, and the first folder read, which keeps it.
    let mut shared: Option<Container<R>> = None;
    let mut shared_archive: Option<String> = None;
    let mut holder: Option<usize> = None;
    for (at, (source, size)) in sources.into_iter().zip(sizes).enumerate() {
        observer.size = size;
        observer.last = at + 1 == count;
        let Source {
            name,
            dir,
            container,
            scope,
            archive,
        } = source;
        let scoped = scope.is_some();
        let read = match (container, scope) {
            (Some(c), None) => read_one(c, None, Vec::new(), Account::default(), observer, None)
                .map(|mut loaded| {
                    if let Some(part) = loaded.parts.first_mut() {
                        part.archive = archive;
                    }
                    loaded
                }),
            (c, Some(scope)) => {
                if c.is_some() {
                    shared = c;
                    shared_archive = archive;
                }
                match shared.as_mut() {
                    Some(c) => read_scoped(
                        c,
                        Some(&scope),
                        None,
                        Vec::new(),
                        Account::default(),
                        observer,
                        None,
                    )
                    .map(|(mut loaded, outbox_index)| {
                        loaded.parts.push(Part {
                            container: None,
                            host: 0,
                            outbox_index,
                            first_entry: 0,
                            archive: None,
                        });
                        loaded
                    }),
                    None => Err(Error::NothingGiven),
                }
            }
            (None, None) => Err(Error::NothingGiven),
        };
        match read {
            Ok(loaded) => {
                observer.used += loaded.outbox_bytes;
                observer.posts_before += loaded.account.posts.len();
                if scoped && holder.is_none() {
                    holder = Some(ones.len());
                }
                ones.push(One { name, dir, loaded })
            }
            Err(e) => failed(&name, e, &mut given, &mut first_error),
        }
        observer.before += size;
    }
    if let (Some(h), Some(c)) = (holder, shared) {
        if let Some(part) = ones.get_mut(h).and_then(|o| o.loaded.parts.first_mut()) {
            part.container = Some(c);
            part.archive = shared_archive;
        }
    }
    match ones.len() {
        0 => Err(first_error.unwrap_or(Error::NothingGiven)),
        1 => {
            let Some(one) = ones.pop() else {
                return Err(Error::NothingGiven);
            };
            let mut loaded = one.loaded;
            for (name, kind, bytes) in &csvs {
                let file = read_csv(&mut loaded.account, name, *kind, bytes);
                loaded.side_files.push(file);
            }
            let diagnostics = std::mem::take(&mut loaded.account.diagnostics);
            given.diagnostics.absorb(diagnostics);
            loaded.account.diagnostics = given.diagnostics;
            Ok(loaded)
        }
        _ => Ok(merge(ones, csvs, given)),
    }
}

/// Whose archive this is: actor.json's `id`, else the account URI its posts' addresses start
/// with; `None` when neither says.
fn owner_key(account: &Account) -> Option<String> {
    if let Some(id) = account.actor.as_ref().map(|a| a.id.trim()) {
        if !id.is_empty() {
            return Some(id.to_lowercase());
        }
    }
    account.posts.iter().take(50).find_map(|p| {
        let at = p.id.find("/statuses/")?;
        Some(p.id[..at].to_lowercase())
    })
}

/// The account's name for `account:`: its handle, else `name@host` from its URI, else the
/// archive's name.
fn owner_name(account: &Account, key: Option<&str>, archive: &str) -> String {
    if let Some(h) = account.actor.as_ref().map(|a| a.handle.trim()) {
        if !h.is_empty() {
            return h.trim_start_matches('@').to_lowercase();
        }
    }
    if let Some(key) = key {
        let rest = key.split_once("://").map_or(key, |(_, r)| r);
        let host = rest.split('/').next().unwrap_or("");
        let user = rest.rsplit('/').next().unwrap_or("");
        if !host.is_empty() && !user.is_empty() && user != host {
            return format!("{user}@{host}");
        }
    }
    let stem = base(archive);
    let stem = stem.split('.').next().unwrap_or(stem);
    stem.to_lowercase().replace(char::is_whitespace, "-")
}

/// What can tell a CSV export's owner.
struct Candidate {
    handle: String,
    user: String,
    dirs: Vec<String>,
    /// Bookmarked posts and the account's own posts.
    uris: HashSet<Box<str>>,
}

/// True when `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(at) = text[from..].find(word) {
        let start = from + at;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + word.len().max(1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Whose a CSV export is, by the rule in the module's documentation; `None` when that cannot
/// be told for sure.
fn attribute_csv(
    name: &str,
    kind: CsvKind,
    bytes: &[u8],
    candidates: &[Candidate],
) -> Option<usize> {
    if candidates.len() == 1 {
        return Some(0);
    }
    let only = |hits: Vec<usize>| match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let dir = root(name);
    if !dir.is_empty() {
        if let Some(i) = only(
            (0..candidates.len())
                .filter(|&i| candidates[i].dirs.iter().any(|d| d == dir))
                .collect(),
        ) {
            return Some(i);
        }
    }
    let lower = name.to_lowercase();
    let by = |f: &dyn Fn(&Candidate) -> bool| -> Vec<usize> {
        (0..candidates.len())
            .filter(|&i| f(&candidates[i]))
            .collect()
    };
    let handles = by(&|c| has_word(&lower, &c.handle));
    if !handles.is_empty() {
        return only(handles);
    }
    let users = by(&|c| c.user.chars().count() >= 2 && has_word(&lower, &c.user));
    if !users.is_empty() {
        return only(users);
    }
    if kind == CsvKind::Bookmarks {
        let text = String::from_utf8_lossy(bytes);
        let rows: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        return only(by(&|c| rows.iter().any(|r| c.uris.contains(*r))));
    }
    None
}

/// The diagnostic for a CSV export whose owner could not be told.
fn unattributed(name: &str, names: &[String]) -> Diagnostic {
    let example = format!(
        "{}-{}",
        names
            .first()
            .and_then(|n| n.split('@').next())
            .unwrap_or("alice"),
        base(name)
    );
    Diagnostic::coded(
        DiagnosticKind::UnknownFile,
        crate::messages::file(name),
        m::UNATTRIBUTED.with(&[("names", &names.join(", ")), ("example", &example)]),
    )
}

/// `place` in archive `archive` (its name as given).
fn in_archive(place: &permafrost_model::Message, archive: &str) -> permafrost_model::Message {
    if place.text.is_empty() {
        return crate::messages::file(archive);
    }
    m::PLACE_IN_ARCHIVE
        .with(&[("place", &place.text), ("archive", &archive)])
        .nest("place", place)
}

/// One account's archives together.
struct Group {
    key: Option<String>,
    members: Vec<usize>,
    account: Account,
    /// Each post's part.
    post_part: Vec<u16>,
    duplicates: usize,
    side_files: Vec<SideFile>,
    actor_entry: Option<u32>,
    avatar_entry: Option<u32>,
    header_entry: Option<u32>,
    outbox_bytes: u64,
}

fn ids(account: &Account) -> HashSet<Box<str>> {
    account
        .posts
        .iter()
        .filter(|p| !p.id.is_empty())
        .map(|p| p.id.clone())
        .collect()
}

fn merge<R: Read + Seek>(
    ones: Vec<One<R>>,
    csvs: Vec<(String, CsvKind, Vec<u8>)>,
    given: Account,
) -> Loaded<R> {
    let mut parts = Vec::with_capacity(ones.len());
    let mut all_entries = Vec::new();
    let mut archives = Vec::with_capacity(ones.len());
    let mut groups: Vec<Group> = Vec::new();
    let mut dirs: Vec<Option<String>> = Vec::new();
    let mut last_host: Option<usize> = None;
    for (at, one) in ones.into_iter().enumerate() {
        let One {
            name,
            dir,
            mut loaded,
        } = one;
        // Which archive each problem is in: several may have an outbox.json item 17.
        loaded
            .account
            .diagnostics
            .replace_places(|place| in_archive(place, &name));
        let Loaded {
            mut account,
            format,
            outbox_bytes,
            actor_entry,
            avatar_entry,
            header_entry,
            side_files,
            parts: mut own_parts,
            ..
        } = loaded;
        let Some(part) = own_parts.pop() else {
            continue;
        };
        // Entries are numbered across all archives: attachments and profile images follow. The
        // folders of one archive share its container and its entries.
        let (first, host) = match &part.container {
            Some(c) => {
                let first = u32::try_from(all_entries.len()).unwrap_or(u32::MAX);
                all_entries.extend_from_slice(c.entries());
                last_host = Some(parts.len());
                (first, parts.len())
            }
            None => {
                match last_host.and_then(|h| parts.get(h).map(|p: &Part<R>| (p.first_entry, h))) {
                    Some(shared) => shared,
                    None => continue,
                }
            }
        };
        for post in &mut account.posts {
            for a in &mut post.attachments {
                a.entry = a.entry.map(|e| e + first);
            }
        }
        parts.push(Part {
            container: part.container,
            host,
            outbox_index: part.outbox_index,
            first_entry: first,
            archive: part.archive,
        });
        let key = owner_key(&account);
        let g = match groups.iter().position(|g| key.is_some() && g.key == key) {
            Some(g) => g,
            None => {
                groups.push(Group {
                    key,
                    members: Vec::new(),
                    account: Account::default(),
                    post_part: Vec::new(),
                    duplicates: 0,
                    side_files: Vec::new(),
                    actor_entry: None,
                    avatar_entry: None,
                    header_entry: None,
                    outbox_bytes: 0,
                });
                groups.len() - 1
            }
        };
        let group = &mut groups[g];
        let part_no = at as u16;
        let posts = account.posts.len();
        let actor = account.actor.take();
        let duplicates = if group.members.is_empty() {
            group.account = account;
            group.post_part = vec![part_no; posts];
            0
        } else {
            let mut seen = ids(&group.account);
            let kept = group.account.absorb(account, &mut seen);
            group
                .post_part
                .extend(kept.iter().filter(|k| **k).map(|_| part_no));
            kept.iter().filter(|k| !**k).count()
        };
        if group.account.actor.is_none() {
            if let Some(a) = actor {
                group.account.actor = Some(a);
                group.actor_entry = actor_entry.map(|e| e + first);
                group.avatar_entry = avatar_entry.map(|e| e + first);
                group.header_entry = header_entry.map(|e| e + first);
            }
        }
        group.duplicates += duplicates;
        group.members.push(at);
        group.side_files.extend(side_files);
        group.outbox_bytes += outbox_bytes;
        dirs.push(dir);
        archives.push(ArchiveInfo {
            name,
            format,
            account: g,
            posts: posts - duplicates,
            duplicates,
        });
    }

    // Names for `account:`, distinct.
    let mut names: Vec<String> = Vec::new();
    for g in &groups {
        let archive = g.members.first().map_or("", |&m| archives[m].name.as_str());
        let mut name = owner_name(&g.account, g.key.as_deref(), archive);
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{}-{n}", owner_name(&g.account, g.key.as_deref(), archive));
            n += 1;
        }
        names.push(name);
    }

    // CSV exports given beside the archives: to the account they belong to, or held.
    let candidates: Vec<Candidate> = groups
        .iter()
        .zip(&names)
        .map(|(g, name)| Candidate {
            handle: name.clone(),
            user: g
                .account
                .actor
                .as_ref()
                .map(|a| a.username.to_lowercase())
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| name.split('@').next().unwrap_or("").to_string()),
            dirs: g.members.iter().filter_map(|&m| dirs[m].clone()).collect(),
            uris: g
                .account
                .bookmarks
                .iter()
                .flatten()
                .cloned()
                .chain(g.account.posts.iter().map(|p| p.id.clone()))
                .collect(),
        })
        .collect();
    let mut pending = Vec::new();
    let mut notes = Vec::new();
    for (name, kind, bytes) in csvs {
        match attribute_csv(&name, kind, &bytes, &candidates) {
            Some(g) => {
                let group = &mut groups[g];
                let file = read_csv(&mut group.account, &name, kind, &bytes);
                group.side_files.push(file);
            }
            None => {
                notes.push(unattributed(&name, &names));
                pending.push((name, kind, bytes));
            }
        }
    }
    drop(candidates);

    // Each account's own figures, then every account in one.
    let format_of = |members: &[usize]| {
        let mut formats: Vec<String> = Vec::new();
        for &m in members {
            let f = archives[m].format.to_string();
            if !formats.contains(&f) {
                formats.push(f);
            }
        }
        formats.join("+")
    };
    let mut accounts = Vec::with_capacity(groups.len());
    let mut total = Account::default();
    let mut post_part: Vec<u16> = Vec::new();
    let mut of_post: Vec<u16> = Vec::new();
    let mut side_files = Vec::new();
    let mut seen: HashSet<Box<str>> = HashSet::new();
    let mut duplicates = 0;
    let (mut actor_entry, mut avatar_entry, mut header_entry) = (None, None, None);
    let several_accounts = groups.len() > 1;
    for (g, group) in groups.into_iter().enumerate() {
        let mut summary = Summary::of_account(
            &group.account,
            &format_of(&group.members),
            group.outbox_bytes,
        );
        summary.duplicates_merged = group.duplicates;
        duplicates += group.duplicates;
        let own = Account {
            actor: None,
            posts: Vec::new(),
            likes: group.account.likes.clone(),
            bookmarks: group.account.bookmarks.clone(),
            social: group.account.social.clone(),
            ..Account::default()
        };
        let actor = group.account.actor.clone();
        if g == 0 {
            actor_entry = group.actor_entry;
            avatar_entry = group.avatar_entry;
            header_entry = group.header_entry;
            seen = ids(&group.account);
            post_part = group.post_part;
            of_post = vec![0; group.account.posts.len()];
            total = group.account;
        } else {
            let kept = total.absorb(group.account, &mut seen);
            for (k, part) in kept.iter().zip(group.post_part) {
                if *k {
                    post_part.push(part);
                    of_post.push(g as u16);
                }
            }
            duplicates += kept.iter().filter(|k| !**k).count();
        }
        side_files.extend(group.side_files.iter().cloned());
        accounts.push(AccountInfo {
            side_files: group.side_files,
            name: names[g].clone(),
            actor,
            actor_entry: group.actor_entry,
            avatar_entry: group.avatar_entry,
            header_entry: group.header_entry,
            archives: group.members,
            summary,
            own,
        });
    }
    let mut diagnostics = given.diagnostics;
    if duplicates > 0 {
        diagnostics.push(Diagnostic::coded(
            DiagnosticKind::Note,
            m::PLACE_ARCHIVES.message(),
            m::DUPLICATES_MERGED.with(&[("n", &duplicates)]),
        ));
    }
    for note in notes {
        diagnostics.push(note);
    }
    diagnostics.absorb(std::mem::take(&mut total.diagnostics));
    total.diagnostics = diagnostics;
    total.owners.names = names.iter().map(|n| n.as_str().into()).collect();
    if several_accounts {
        total.owners.of_post = of_post;
    }
    let format = archives.first().map_or(Format::Files, |a| a.format);
    let (outbox_entry, outbox_bytes) = match parts.first() {
        Some(p) => (
            p.container
                .as_ref()
                .and_then(|c| c.entries().get(p.outbox_index))
                .map_or_else(String::new, |e| e.name.clone()),
            accounts.iter().map(|a| a.summary.outbox_bytes).sum(),
        ),
        None => (String::new(), 0),
    };
    Loaded {
        account: total,
        format,
        outbox_entry,
        outbox_bytes,
        actor_entry,
        avatar_entry,
        header_entry,
        side_files,
        archives,
        accounts,
        duplicates,
        pending,
        parts,
        post_part,
        all_entries,
    }
}

impl<R: Read + Seek> Loaded<R> {
    /// The CSV exports given with several accounts' archives that could not be attributed to
    /// one of them: their names, in the order given.
    pub fn unattributed(&self) -> Vec<String> {
        self.pending.iter().map(|(n, _, _)| n.clone()).collect()
    }

    /// Reads a held CSV export (see [`Loaded::unattributed`]) as account `account`'s (an index
    /// in [`Loaded::accounts`]). Returns what was read, or `None` when there is no such file
    /// or account.
    pub fn attribute(&mut self, file: &str, account: usize) -> Option<SideFile> {
        let at = self.pending.iter().position(|(n, _, _)| n == file)?;
        let info = self.accounts.get_mut(account)?;
        let (name, kind, bytes) = self.pending.remove(at);
        let read = read_csv(&mut info.own, &name, kind, &bytes);
        info.side_files.push(read.clone());
        info.refresh();
        let file = read_csv(&mut self.account, &name, kind, &bytes);
        self.side_files.push(file);
        Some(read)
    }

    /// Whose a CSV export added to several accounts' archives is ([`Loaded::add_files`]): an
    /// index in [`Loaded::accounts`], or `None` when that cannot be told for sure.
    pub(crate) fn csv_owner(&self, name: &str, kind: CsvKind, bytes: &[u8]) -> Option<usize> {
        if self.accounts.len() < 2 {
            return (!self.accounts.is_empty()).then_some(0);
        }
        let candidates: Vec<Candidate> = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| Candidate {
                handle: a.name.clone(),
                user: a
                    .actor
                    .as_ref()
                    .map(|a| a.username.to_lowercase())
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| a.name.split('@').next().unwrap_or("").to_string()),
                dirs: a
                    .archives
                    .iter()
                    .filter_map(|&x| self.archives.get(x))
                    .filter(|x| x.format == Format::Folder)
                    .map(|x| x.name.clone())
                    .collect(),
                uris: a
                    .own
                    .bookmarks
                    .iter()
                    .flatten()
                    .cloned()
                    .chain(
                        self.account
                            .posts
                            .iter()
                            .enumerate()
                            .filter(|(p, _)| usize::from(self.account.owners.of(*p as u32)) == i)
                            .map(|(_, p)| p.id.clone()),
                    )
                    .collect(),
            })
            .collect();
        attribute_csv(name, kind, bytes, &candidates)
    }

    /// Reads a CSV export into account `owner`'s own figures (the caller reads it into the
    /// account set).
    pub(crate) fn read_own_csv(&mut self, owner: usize, name: &str, kind: CsvKind, bytes: &[u8]) {
        if let Some(info) = self.accounts.get_mut(owner) {
            let read = read_csv(&mut info.own, name, kind, bytes);
            info.side_files.push(read);
            info.refresh();
        }
    }

    /// Holds a CSV export whose owner cannot be told, until [`Loaded::attribute`].
    pub(crate) fn hold(&mut self, name: &str, kind: CsvKind, bytes: Vec<u8>) {
        self.pending.retain(|(n, _, _)| n != name);
        self.pending.push((name.to_string(), kind, bytes));
    }
}

impl<R> Loaded<R> {
    /// The summary of everything open, with each account's figures when there are several.
    pub(crate) fn several_summary(&self, mut total: Summary) -> Summary {
        total.duplicates_merged = self.duplicates;
        if self.accounts.len() > 1 {
            total.accounts = self.accounts.iter().map(|a| a.summary.clone()).collect();
        }
        if !self.archives.is_empty() {
            let mut formats: Vec<String> = Vec::new();
            for a in &self.archives {
                let f = a.format.to_string();
                if !formats.contains(&f) {
                    formats.push(f);
                }
            }
            total.format = formats.join("+");
        }
        total
    }
}

impl AccountInfo {
    /// The account's own likes (likes.json of its archives), when an archive has them.
    pub fn likes(&self) -> Option<&[Box<str>]> {
        self.own.likes.as_deref()
    }

    /// The account's own bookmarks (bookmarks.json and its bookmarks.csv).
    pub fn bookmarks(&self) -> Option<&[Box<str>]> {
        self.own.bookmarks.as_deref()
    }

    /// The account's own social graph (its CSV exports).
    pub fn social(&self) -> &permafrost_model::Social {
        &self.own.social
    }

    /// Updates the summary's side figures from the account's own side files.
    fn refresh(&mut self) {
        let own = Summary::of_account(&self.own, "", 0);
        let s = &mut self.summary;
        s.likes = own.likes;
        s.bookmarks = own.bookmarks;
        s.following = own.following;
        s.followers = own.followers;
        s.lists = own.lists;
        s.blocks = own.blocks;
        s.mutes = own.mutes;
        s.domain_blocks = own.domain_blocks;
    }
}
