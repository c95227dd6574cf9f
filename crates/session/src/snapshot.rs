//! The snapshot of an opened archive, for "Keep on this device": the account as read, what the
//! engine needs to open its containers again ([`permafrost_engine::Kept`]) and the search index,
//! so that a kept archive opens again without reading outbox.json or indexing it.
//!
//! Layout: [`MAGIC`], the layout's number ([`FORMAT`], little-endian `u32`), the app's version
//! (a borsh string), the borsh-encoded account, kept state and index, and a CRC-32 of everything
//! before it. A snapshot from another layout or another version of the app is refused as
//! [`Refused::Stale`] (a parser fix must not be hidden behind old data), a damaged one as
//! [`Refused::Damaged`]; either way the caller opens the kept files as on the first visit and
//! writes a new snapshot. Nothing here panics on any bytes.

use crate::search::Searcher;
use crate::{Clock, Session};
use borsh::{BorshDeserialize, BorshSerialize};
use permafrost_engine::{Input, Kept};
use permafrost_index::Index;
use permafrost_model::Account;
use permafrost_protocol::Opened;
use std::io::{Read, Seek};

/// The first bytes of every snapshot.
pub const MAGIC: &[u8; 20] = b"PERMAFROST SNAPSHOT\n";

/// The layout's number. Bump it when a type kept in the snapshot changes (the model's posts,
/// the engine's `Kept`, the index): `tests/snapshot.rs` pins the bytes a fixed archive gives,
/// and fails until this is bumped and the pin updated.
///
/// 2: an emoji is a word of the index (a snapshot of 1 lacks them, and would find no 🐈).
pub const FORMAT: u32 = 2;

/// The version of the app a snapshot is written by; one from another version is rebuilt.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Why a snapshot was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Written by another version of the app, or in another layout.
    Stale,
    /// Not a snapshot, cut short, or with bytes changed.
    Damaged,
    /// The kept files are not the ones the snapshot was made from (one is missing, or lists
    /// other entries).
    Mismatch(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Stale => f.write_str("it was made by another version of Permafrost"),
            Refused::Damaged => f.write_str("it is damaged"),
            Refused::Mismatch(why) => write!(f, "the kept files do not match it: {why}"),
        }
    }
}

impl Refused {
    /// What the user is told when the archive was read again instead.
    pub fn message(&self) -> permafrost_model::Message {
        match self {
            Refused::Stale => crate::messages::KEPT_STALE.message(),
            Refused::Damaged => crate::messages::KEPT_DAMAGED.message(),
            Refused::Mismatch(why) => crate::messages::KEPT_MISMATCH.with(&[("detail", why)]),
        }
    }
}

impl<R: Read + Seek> Session<R> {
    /// The snapshot of this session (see the module's documentation). Fails only when a value
    /// cannot be written (borsh refuses a NaN float), in which case nothing is kept but the
    /// files.
    pub fn snapshot(&self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.loaded.outbox_bytes as usize / 2 + 1024);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        APP_VERSION.serialize(&mut out)?;
        self.loaded.account.serialize(&mut out)?;
        self.loaded.kept().serialize(&mut out)?;
        self.searcher.index().serialize(&mut out)?;
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        Ok(out)
    }

    /// Opens `inputs` (the files the snapshot was made from) with the state in `snapshot`,
    /// without reading outbox.json or indexing. See [`Refused`] for when it is not used.
    pub fn restore(
        inputs: Vec<Input<R>>,
        snapshot: &[u8],
        now_ms: Clock,
    ) -> Result<(Session<R>, Opened), Refused> {
        let start = now_ms();
        let (account, kept, index) = read(snapshot)?;
        let loaded = permafrost_engine::restore(inputs, account, kept)
            .map_err(|m| Refused::Mismatch(m.0))?;
        let searcher = Searcher::with_index(&loaded.account, index);
        Ok(Session::assemble(loaded, searcher, now_ms, start))
    }
}

/// The parts of a snapshot, checked.
fn read(snapshot: &[u8]) -> Result<(Account, Kept, Index), Refused> {
    let Some(body) = snapshot.strip_prefix(MAGIC.as_slice()) else {
        return Err(Refused::Damaged);
    };
    let (format, rest) = body.split_first_chunk::<4>().ok_or(Refused::Damaged)?;
    if u32::from_le_bytes(*format) != FORMAT {
        return Err(Refused::Stale);
    }
    let mut rest = rest;
    let version = String::deserialize(&mut rest).map_err(|_| Refused::Damaged)?;
    if version != APP_VERSION {
        return Err(Refused::Stale);
    }
    let (covered, crc) = snapshot.split_last_chunk::<4>().ok_or(Refused::Damaged)?;
    if crc32fast::hash(covered) != u32::from_le_bytes(*crc) {
        return Err(Refused::Damaged);
    }
    let mut payload = rest.get(..rest.len().saturating_sub(4)).unwrap_or_default();
    let account = Account::deserialize(&mut payload).map_err(|_| Refused::Damaged)?;
    let kept = Kept::deserialize(&mut payload).map_err(|_| Refused::Damaged)?;
    let index = Index::deserialize(&mut payload).map_err(|_| Refused::Damaged)?;
    if !payload.is_empty() || !index.fits(account.posts.len()) {
        return Err(Refused::Damaged);
    }
    Ok((account, kept, index))
}
