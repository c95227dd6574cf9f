//! The first posts of an archive, read at once: before the archive is listed, so that the page
//! shows posts within moments of the drop whatever the archive's size.

use permafrost_model::{outbox, Account};
use std::io::{Read, Seek, SeekFrom};

/// At most this much of the first entry is inflated (about 100 posts of outbox.json), from at
/// most [`GLANCE_COMPRESSED`] bytes of the file.
const GLANCE_JSON: u64 = 256 << 10;
const GLANCE_COMPRESSED: u64 = 256 << 10;

/// The first posts of a ZIP archive whose first entry is outbox.json, as Mastodon writes it,
/// read from that entry's local header without listing the archive (listing a ZIP of 88,000
/// entries took a quarter of a second in Chromium before the first post could be read). `None`
/// for anything else (another container, another first entry, nothing readable).
///
/// Provisional, as [`crate::Observer::partial`]'s account is: visibility is settled by actor.json
/// and attachments are not matched to entries. `source` is left at its start.
pub fn glance<R: Read + Seek>(source: &mut R) -> Option<Account> {
    let mut account = Account::default();
    if let Some((name, reader)) = permafrost_archive::first_zip_entry(source, GLANCE_COMPRESSED) {
        if name.rsplit('/').next() == Some("outbox.json") {
            // Cut at a set length: the items before the cut are kept, the cut one dropped.
            let _ = outbox::read_outbox(
                reader.take(GLANCE_JSON),
                &name,
                &mut account,
                &mut |_, _| {},
            );
        }
    }
    source.seek(SeekFrom::Start(0)).ok()?;
    (!account.posts.is_empty()).then_some(account)
}
