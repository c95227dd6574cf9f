//! How far an open has got, as one bar that does not go back while an archive is read.
//!
//! The worker reports two measures in turn. A tar.gz (Mastodon before 4.2) has no index, so
//! it is listed first, and its media come before outbox.json: the listing reports the bytes of
//! the file read ([`Stage::Reading`] with a total). Then outbox.json is read, reported as its
//! own bytes ([`Stage::Parsing`]). Shown as they come, the bar filled up to where outbox.json
//! starts (most of the file, for an archive with media) and then went back to empty.
//! [`Bar`] goes on from where the listing left it instead: outbox.json takes the rest.
//!
//! With several archives in one open, each is listed and read in turn: the second's listing
//! shows the furthest any listing got, so after the first's outbox.json filled the bar, it goes
//! back to there (as every report went back to 0 before).

use permafrost_protocol::{Progress, Stage};

/// The opening bar of one open: the reports of that open, in order, give the bar's fraction.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bar {
    /// How much of the bar the listing filled before outbox.json was read (0 for a ZIP, which
    /// is not listed that way).
    listed: f64,
}

impl Bar {
    /// The fraction of the bar to show for `progress` (from 0 to 1), or `None` while there is
    /// no measure yet (an indeterminate bar).
    pub fn fraction(&mut self, progress: &Progress) -> Option<f64> {
        let part = |total: u64| (total > 0).then(|| (progress.done as f64 / total as f64).min(1.0));
        match progress.stage {
            Stage::Reading => {
                let listed = part(progress.total?)?;
                self.listed = self.listed.max(listed);
                Some(self.listed)
            }
            Stage::Parsing => {
                let read = part(progress.total?)?;
                Some(self.listed + (1.0 - self.listed) * read)
            }
            Stage::Finishing | Stage::Indexing => Some(1.0),
        }
    }
}
