//! A generated archive as a ZIP in memory, for the session's tests.
#![allow(clippy::unwrap_used, unreachable_pub)]

use std::io::Cursor;

/// The options of a generated archive of `posts` posts, and the archive as ZIP bytes.
pub fn synth_zip(posts: usize, seed: u64) -> (permafrost_synth::Options, Vec<u8>) {
    let opts = permafrost_synth::Options {
        posts,
        seed,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).unwrap();
    (opts, zip.into_inner())
}
