//! Diagnostics: what could not be read, where, and why. Parsing never stops at the first problem;
//! each becomes a diagnostic and the rest of the archive still loads (design principle 4).

use crate::message::Message;
use serde::{Deserialize, Serialize};

/// What went wrong, broadly. Serialized in snake_case (`bad_item`, `missing_media`…).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// An outbox item that is not valid JSON or not a post: skipped.
    BadItem,
    /// An activity type other than Create or Announce: skipped.
    UnsupportedItem,
    /// A file that is cut off; what came before it was kept.
    Truncated,
    /// An attachment referenced in outbox.json whose file is not in the archive.
    MissingMedia,
    /// A JSON file (actor, likes, bookmarks…) that could not be read.
    BadFile,
    /// A CSV row that could not be read.
    BadCsvRow,
    /// A file given that Permafrost does not recognise: ignored.
    UnknownFile,
    /// A duplicate: two files of the same kind, or a repeated key that was resolved.
    Duplicate,
    /// A value that cannot be right (a date that does not exist): left out, the item kept.
    BadValue,
    /// Something true about the archive worth knowing (e.g. `totalItems` disagreeing with the items).
    Note,
}

impl DiagnosticKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::BadItem => "bad_item",
            DiagnosticKind::UnsupportedItem => "unsupported_item",
            DiagnosticKind::Truncated => "truncated",
            DiagnosticKind::MissingMedia => "missing_media",
            DiagnosticKind::BadFile => "bad_file",
            DiagnosticKind::BadCsvRow => "bad_csv_row",
            DiagnosticKind::UnknownFile => "unknown_file",
            DiagnosticKind::Duplicate => "duplicate",
            DiagnosticKind::BadValue => "bad_value",
            DiagnosticKind::Note => "note",
        }
    }
}

/// One problem found while reading, and where.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Diagnostic {
    /// The kind of problem.
    pub kind: DiagnosticKind,
    /// Where: an entry name with a position, e.g. `outbox.json item 17 (byte 40211)` or
    /// `following_accounts.csv line 3`.
    #[serde(rename = "where")]
    pub location: String,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// `location` as a translatable message (its text is `location`).
    #[serde(default)]
    pub place: Message,
    /// `message` as a translatable message (its text is `message`).
    #[serde(default)]
    pub detail: Message,
}

impl Diagnostic {
    /// Makes a diagnostic from translatable messages: `location` and `message` are their English.
    pub fn coded(kind: DiagnosticKind, place: Message, detail: Message) -> Diagnostic {
        Diagnostic {
            kind,
            location: place.text.clone(),
            message: detail.text.clone(),
            place,
            detail,
        }
    }

    /// Makes a diagnostic whose location and message have no code (shown as they are).
    pub fn new(
        kind: DiagnosticKind,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::coded(
            kind,
            Message::plain(location.into()),
            Message::plain(message.into()),
        )
    }
}

/// How many diagnostics of one kind are kept with their location and message; the rest are only
/// counted. An outbox of twelve million items that are not posts costs a counter, not twelve
/// million strings (it used to take gigabytes, and kill the browser's worker).
pub const KEPT_PER_KIND: usize = 100;

/// The diagnostics of an archive: every one counted by kind, the first [`KEPT_PER_KIND`] of each
/// kind kept in full, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Diagnostics {
    kept: Vec<Diagnostic>,
    /// Per kind, how many were found (kept or not), in order of first appearance.
    counts: Vec<(DiagnosticKind, u64)>,
}

impl Diagnostics {
    /// Records a diagnostic: counted always, kept while its kind has fewer than [`KEPT_PER_KIND`].
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let kind = diagnostic.kind;
        self.push_with(kind, || (diagnostic.place, diagnostic.detail));
    }

    /// Records a diagnostic of `kind` whose location and message `make` builds only when it is
    /// kept: past [`KEPT_PER_KIND`], a flood of one kind costs a counter per item, not a string.
    pub fn push_with(&mut self, kind: DiagnosticKind, make: impl FnOnce() -> (Message, Message)) {
        match self.counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.counts.push((kind, 1)),
        }
        if self.count(kind) <= KEPT_PER_KIND as u64 {
            let (place, detail) = make();
            self.kept.push(Diagnostic::coded(kind, place, detail));
        }
    }

    /// Adds another archive's diagnostics to these: every count, and the kept ones while their
    /// kind has room.
    pub fn absorb(&mut self, other: Diagnostics) {
        let Diagnostics { kept, counts } = other;
        let mut unkept = counts;
        for (kind, n) in &mut unkept {
            *n -= kept.iter().filter(|d| d.kind == *kind).count() as u64;
        }
        for d in kept {
            self.push(d);
        }
        for (kind, n) in unkept {
            match self.counts.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, m)) => *m += n,
                None if n > 0 => self.counts.push((kind, n)),
                None => {}
            }
        }
    }

    /// Forgets the kept diagnostics `f` is false for, and counts them no more (a kind left with
    /// none is no longer listed): for one that another says better.
    pub fn retain(&mut self, mut f: impl FnMut(&Diagnostic) -> bool) {
        let counts = &mut self.counts;
        self.kept.retain(|d| {
            let keep = f(d);
            if !keep {
                if let Some((_, n)) = counts.iter_mut().find(|(k, _)| *k == d.kind) {
                    *n = n.saturating_sub(1);
                }
            }
            keep
        });
        counts.retain(|(_, n)| *n > 0);
    }

    /// Says each kept diagnostic's place again, as `f` makes it from the place it had (with
    /// several archives open, the archive's name is added to the places of its diagnostics).
    pub fn replace_places(&mut self, mut f: impl FnMut(&Message) -> Message) {
        for d in &mut self.kept {
            d.place = f(&d.place);
            d.location = d.place.text.clone();
        }
    }

    /// The kept diagnostics, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.kept.iter()
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// How many were found in all, kept or not.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// How many of `kind` were found.
    pub fn count(&self, kind: DiagnosticKind) -> u64 {
        self.counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// Per kind, how many were found, in order of first appearance.
    pub fn counts(&self) -> &[(DiagnosticKind, u64)] {
        &self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_diagnostic_is_counted_and_the_first_of_each_kind_kept() {
        let mut d = Diagnostics::default();
        assert!(d.is_empty());
        for i in 0..1_000_000u32 {
            d.push(Diagnostic::new(
                DiagnosticKind::BadItem,
                format!("item {i}"),
                "not a post",
            ));
        }
        d.push(Diagnostic::new(
            DiagnosticKind::Note,
            "outbox.json",
            "a note",
        ));
        // Past the first hundred, the location and message are not even built.
        d.push_with(DiagnosticKind::BadItem, || unreachable!("only counted"));
        let mut built = false;
        d.push_with(DiagnosticKind::MissingMedia, || {
            built = true;
            ("a.png".into(), "missing".into())
        });
        assert!(built, "the first of a kind is kept");
        assert_eq!(d.total(), 1_000_003);
        assert_eq!(d.count(DiagnosticKind::BadItem), 1_000_001);
        assert_eq!(d.count(DiagnosticKind::MissingMedia), 1);
        assert_eq!(d.count(DiagnosticKind::Truncated), 0);
        assert_eq!(d.iter().count(), KEPT_PER_KIND + 2);
        assert_eq!(d.iter().next().map(|x| x.location.as_str()), Some("item 0"));
        assert_eq!(d.iter().last().map(|x| x.message.as_str()), Some("missing"));
        assert_eq!(
            d.counts(),
            &[
                (DiagnosticKind::BadItem, 1_000_001),
                (DiagnosticKind::Note, 1),
                (DiagnosticKind::MissingMedia, 1)
            ]
        );
    }

    #[test]
    fn a_diagnostic_forgotten_is_counted_no_more() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::new(
            DiagnosticKind::Truncated,
            "archive.zip",
            "cut",
        ));
        d.push(Diagnostic::new(
            DiagnosticKind::Truncated,
            "outbox.json",
            "stopped",
        ));
        d.push(Diagnostic::new(
            DiagnosticKind::Note,
            "outbox.json",
            "a note",
        ));
        d.retain(|x| x.message != "stopped");
        assert_eq!(d.count(DiagnosticKind::Truncated), 1);
        assert_eq!(d.total(), 2);
        d.retain(|x| x.kind != DiagnosticKind::Note);
        assert_eq!(d.counts(), &[(DiagnosticKind::Truncated, 1)]);
        assert_eq!(
            d.iter().map(|x| x.message.as_str()).collect::<Vec<_>>(),
            ["cut"]
        );
    }
}
