//! The side files: Mastodon's CSV exports (and Pleroma's followers/following lists), read into
//! the account's social graph. One code path for files given with the archive ([`crate::load`])
//! and files added to an open one ([`Loaded::add_files`]), so that adding a file later gives
//! exactly what giving it at first would have.

use crate::load::{head, is_csv_name, read_small, Input, Loaded, SMALL_FILE_CAP};
use crate::messages as m;
use permafrost_archive::Sniffed;
use permafrost_model::{Account, CsvKind, Diagnostic, DiagnosticKind, Message};
use std::io::{Read, Seek};

/// A file the social graph was read from.
#[derive(Clone, Debug, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct SideFile {
    /// Its name as given, or its path in the archive.
    pub name: String,
    /// What it was read as.
    pub kind: CsvKind,
    /// Rows it gave (list members for lists.csv), not counting rows that could not be read.
    pub rows: usize,
}

/// What [`Loaded::add_files`] made of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// Its name as given.
    pub name: String,
    /// What it was read as and the rows it gave, or why it was refused (then nothing changed).
    pub outcome: Result<(CsvKind, usize), Message>,
    /// Rows that could not be read (all counted).
    pub problems: u64,
    /// The first of those, as kept in the account's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// True when an input given beside an archive is to be read as a CSV export: text named `.csv`
/// (or text that is not JSON by its name), or an empty `.csv` file (Mastodon writes an empty
/// blocked_accounts.csv when nothing is blocked: that says "none", which differs from no file).
pub(crate) fn is_csv_input(sniffed: Sniffed, name: &str, size: u64) -> bool {
    match sniffed {
        Sniffed::Csv | Sniffed::Json => {
            is_csv_name(name)
                || (sniffed == Sniffed::Csv && !name.to_ascii_lowercase().ends_with(".json"))
        }
        Sniffed::Other(_) => size == 0 && is_csv_name(name),
        _ => false,
    }
}

/// What a CSV file holds: by its name, else by its content.
pub(crate) fn csv_kind(name: &str, bytes: &[u8]) -> Option<CsvKind> {
    CsvKind::from_name(name).or_else(|| {
        CsvKind::from_content(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]))
    })
}

/// The diagnostic for a CSV file that is none of the exports.
pub(crate) fn unknown_csv(name: &str) -> Diagnostic {
    Diagnostic::coded(
        DiagnosticKind::UnknownFile,
        m::file(name),
        unknown_csv_message(),
    )
}

fn unknown_csv_message() -> Message {
    m::UNKNOWN_CSV.with(&[("names", &mastodon_names())])
}

fn mastodon_names() -> String {
    let names: Vec<&str> = CsvKind::MASTODON.iter().map(|k| k.file_name()).collect();
    names.join(", ")
}

/// Reads one CSV export into the account: its rows join the social graph (a second file of a
/// kind adds to the first), bookmarks.csv's also join the bookmarks without duplicates, and
/// rows that make no sense become diagnostics. Returns what was read. bookmarks.json must
/// already be in [`Account::bookmarks`], so that its order comes first.
pub(crate) fn read_csv(account: &mut Account, name: &str, kind: CsvKind, bytes: &[u8]) -> SideFile {
    let before = account.social.rows(kind);
    let read = account
        .social
        .add_csv(kind, name, bytes, &mut account.diagnostics);
    if kind == CsvKind::Bookmarks {
        let new: Vec<Box<str>> = account
            .social
            .bookmarks_csv
            .as_deref()
            .and_then(|b| b.get(before..))
            .unwrap_or_default()
            .to_vec();
        account.add_bookmarks(new);
    }
    // The file's rows, as it holds them: given again, its accounts are counted once in the
    // graph, but the file still lists them.
    SideFile {
        name: name.to_string(),
        kind,
        rows: read,
    }
}

impl<R: Read + Seek> Loaded<R> {
    /// Adds CSV exports to the open archive, exactly as if they had been given with it (the
    /// same reading, the same merging). Anything else (an archive, a JSON file, a
    /// CSV that is none of the exports, a file that cannot be read) is refused with a reason
    /// and changes nothing. One answer per input, in order.
    pub fn add_files<S: Read + Seek>(&mut self, inputs: Vec<Input<S>>) -> Vec<Added> {
        inputs
            .into_iter()
            .map(|mut input| {
                let name = input.name.clone();
                let refused = |why: Message| Added {
                    name: name.clone(),
                    outcome: Err(why),
                    problems: 0,
                    diagnostics: Vec::new(),
                };
                let (sniffed, size) = match head(&mut input.source) {
                    Ok(h) => h,
                    Err(e) => return refused(m::COULD_NOT_READ.with(&[("detail", &e)])),
                };
                if !is_csv_input(sniffed, &input.name, size) {
                    return refused(not_a_csv(sniffed));
                }
                let bytes = match read_small(&mut input.source, SMALL_FILE_CAP, size) {
                    Ok(b) => b,
                    Err(e) => return refused(m::COULD_NOT_READ.with(&[("detail", &e)])),
                };
                let Some(kind) = csv_kind(&input.name, &bytes) else {
                    return refused(unknown_csv_message());
                };
                if !self.accounts.is_empty() {
                    match self.csv_owner(&input.name, kind, &bytes) {
                        Some(owner) => self.read_own_csv(owner, &input.name, kind, &bytes),
                        None => {
                            self.hold(&input.name, kind, bytes);
                            return refused(m::ADD_HELD.with(&[("n", &self.accounts.len())]));
                        }
                    }
                }
                let diagnostics = &self.account.diagnostics;
                let (total, kept) = (diagnostics.total(), diagnostics.iter().count());
                let file = read_csv(&mut self.account, &input.name, kind, &bytes);
                let diagnostics = &self.account.diagnostics;
                let added = Added {
                    name,
                    outcome: Ok((kind, file.rows)),
                    problems: diagnostics.total() - total,
                    diagnostics: diagnostics.iter().skip(kept).cloned().collect(),
                };
                self.side_files.push(file);
                added
            })
            .collect()
    }
}

/// Why a file that is not a CSV export cannot be added to an open archive.
fn not_a_csv(sniffed: Sniffed) -> Message {
    let found = sniffed.description();
    let mut message = match sniffed {
        Sniffed::Zip | Sniffed::Gzip | Sniffed::Tar => m::ADD_ARCHIVE.with(&[("found", &found)]),
        _ => m::ADD_NOT_CSV.with(&[("found", &found), ("names", &mastodon_names())]),
    };
    // The page says the description in its language by this code.
    if let Some(code) = permafrost_archive::description_code(found) {
        message.args.push(("found_code".into(), code.into()));
    }
    message
}
