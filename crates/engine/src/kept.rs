//! What an opened archive needs, besides its account, to be opened again without reading it:
//! which inputs its containers came from, where outbox.json is in each, and the figures a load
//! works out (side files, archives and accounts of a set, duplicates, CSVs held). The session
//! keeps this in its snapshot beside the account and the index (`permafrost_session::snapshot`);
//! [`restore`] opens the containers again from the same files (a ZIP's central directory, a
//! folder's listing) and checks that they are the ones the snapshot describes.

use crate::load::{Input, Loaded, Part};
use crate::set::{AccountInfo, ArchiveInfo};
use crate::side::SideFile;
use borsh::{BorshDeserialize, BorshSerialize};
use permafrost_archive::{Container, Format};
use permafrost_model::{Account, CsvKind};
use std::io::{Read, Seek, SeekFrom};

/// A [`Loaded`] without its account and its containers (see the module's documentation).
#[derive(Clone, Debug, BorshSerialize, BorshDeserialize)]
pub struct Kept {
    format: Format,
    outbox_entry: String,
    outbox_bytes: u64,
    actor_entry: Option<u32>,
    avatar_entry: Option<u32>,
    header_entry: Option<u32>,
    side_files: Vec<SideFile>,
    archives: Vec<ArchiveInfo>,
    accounts: Vec<AccountInfo>,
    duplicates: u64,
    pending: Vec<(String, CsvKind, Vec<u8>)>,
    post_part: Vec<u16>,
    parts: Vec<KeptPart>,
}

/// One part: its container, what it is opened from and what it must hold, or the part whose
/// container it reads (one archive of several accounts' folders).
#[derive(Clone, Debug, BorshSerialize, BorshDeserialize)]
struct KeptPart {
    /// The part whose container this one reads (itself when it has its own).
    host: u32,
    /// The archive file's input name; `None` for a folder or loose files.
    archive: Option<String>,
    /// For a folder or loose files: the inputs, by the name the container lists them under.
    files: Vec<String>,
    format: Format,
    entries: u32,
    outbox_index: u32,
    /// outbox.json's name in the container, checked on restoring.
    outbox_name: String,
    first_entry: u32,
}

/// Why a [`Kept`] could not be restored from the files given: the snapshot and the files do
/// not go together, so the archive must be read again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<R> Loaded<R> {
    /// What [`restore`] needs besides the account.
    pub fn kept(&self) -> Kept {
        Kept {
            format: self.format,
            outbox_entry: self.outbox_entry.clone(),
            outbox_bytes: self.outbox_bytes,
            actor_entry: self.actor_entry,
            avatar_entry: self.avatar_entry,
            header_entry: self.header_entry,
            side_files: self.side_files.clone(),
            archives: self.archives.clone(),
            accounts: self.accounts.clone(),
            duplicates: self.duplicates as u64,
            pending: self.pending.clone(),
            post_part: self.post_part.clone(),
            parts: self
                .parts
                .iter()
                .enumerate()
                .map(|(at, part)| {
                    let own = part.container.as_ref();
                    let host = if own.is_some() { at } else { part.host };
                    let container = self.parts.get(host).and_then(|p| p.container.as_ref());
                    let entries = container.map_or(&[][..], |c| c.entries());
                    let format = container.map_or(self.format, |c| c.format());
                    let loose = own.is_some() && matches!(format, Format::Folder | Format::Files);
                    KeptPart {
                        host: host as u32,
                        archive: part.archive.clone(),
                        files: if loose {
                            entries.iter().map(|e| e.name.clone()).collect()
                        } else {
                            Vec::new()
                        },
                        format,
                        entries: entries.len() as u32,
                        outbox_index: part.outbox_index as u32,
                        outbox_name: entries
                            .get(part.outbox_index)
                            .map(|e| e.name.clone())
                            .unwrap_or_default(),
                        first_entry: part.first_entry,
                    }
                })
                .collect(),
        }
    }
}

/// Opens an account read before ([`Loaded::kept`]) from the same files, without reading
/// outbox.json again: only the containers are listed. Files not needed (CSV exports, already in
/// the account) are dropped. Fails, saying which, when a container is missing or does not list
/// what it listed before.
pub fn restore<R: Read + Seek>(
    inputs: Vec<Input<R>>,
    account: Account,
    kept: Kept,
) -> Result<Loaded<R>, Mismatch> {
    let mut inputs: Vec<Option<Input<R>>> = inputs.into_iter().map(Some).collect();
    let mut take = |name: &str| {
        inputs
            .iter_mut()
            .find(|i| {
                i.as_ref()
                    .is_some_and(|i| i.name == name || i.name.replace('\\', "/") == name)
            })
            .and_then(Option::take)
    };
    let mut parts = Vec::with_capacity(kept.parts.len());
    let mut all_entries = Vec::new();
    for (at, part) in kept.parts.iter().enumerate() {
        let mismatch = || {
            Mismatch(format!(
                "{} is not the archive that was kept",
                part.archive.as_deref().unwrap_or(&part.outbox_name)
            ))
        };
        let own = part.host as usize == at;
        let container = if !own {
            None
        } else {
            Some(match &part.archive {
                Some(name) => {
                    let input = take(name).ok_or_else(|| Mismatch(format!("{name} is missing")))?;
                    Container::open(input.source).map_err(|e| Mismatch(format!("{name}: {e}")))?
                }
                None => {
                    let mut files = Vec::with_capacity(part.files.len());
                    for name in &part.files {
                        let mut input =
                            take(name).ok_or_else(|| Mismatch(format!("{name} is missing")))?;
                        let size = input
                            .source
                            .seek(SeekFrom::End(0))
                            .and_then(|size| input.source.rewind().map(|()| size))
                            .map_err(|e| Mismatch(format!("{name}: {e}")))?;
                        files.push((name.clone(), size, input.source));
                    }
                    Container::from_files(part.format, files)
                }
            })
        };
        // A part reading another's container: that one comes before it, and was checked.
        let entries = match &container {
            Some(c) => c.entries(),
            None => parts
                .get(part.host as usize)
                .and_then(|p: &Part<R>| p.container.as_ref())
                .ok_or_else(mismatch)?
                .entries(),
        };
        let format = container
            .as_ref()
            .map_or(part.format, |c: &Container<R>| c.format());
        let outbox = entries
            .get(part.outbox_index as usize)
            .map(|e| e.name.as_str());
        if format != part.format
            || entries.len() != part.entries as usize
            || outbox != Some(part.outbox_name.as_str())
        {
            return Err(mismatch());
        }
        if let Some(c) = &container {
            if kept.parts.len() > 1 {
                all_entries.extend_from_slice(c.entries());
            }
        }
        parts.push(Part {
            container,
            host: part.host as usize,
            outbox_index: part.outbox_index as usize,
            first_entry: part.first_entry,
            archive: part.archive.clone(),
        });
    }
    Ok(Loaded {
        account,
        format: kept.format,
        outbox_entry: kept.outbox_entry,
        outbox_bytes: kept.outbox_bytes,
        actor_entry: kept.actor_entry,
        avatar_entry: kept.avatar_entry,
        header_entry: kept.header_entry,
        side_files: kept.side_files,
        archives: kept.archives,
        accounts: kept.accounts,
        duplicates: kept.duplicates as usize,
        pending: kept.pending,
        parts,
        post_part: kept.post_part,
        all_entries,
    })
}
