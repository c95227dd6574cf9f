//! Diagnostics: what could not be read, where, and why. Parsing never stops at the first problem;
//! each becomes a diagnostic and the rest of the archive still loads (design principle 4).

use serde::{Deserialize, Serialize};

/// What went wrong, broadly. Serialized in snake_case (`bad_item`, `missing_media`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
            DiagnosticKind::Note => "note",
        }
    }
}

/// One problem found while reading, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The kind of problem.
    pub kind: DiagnosticKind,
    /// Where: an entry name with a position, e.g. `outbox.json item 17 (byte 40211)` or
    /// `following_accounts.csv line 3`.
    #[serde(rename = "where")]
    pub location: String,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
}

impl Diagnostic {
    /// Makes a diagnostic.
    pub fn new(
        kind: DiagnosticKind,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            kind,
            location: location.into(),
            message: message.into(),
        }
    }
}
