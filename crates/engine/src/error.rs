//! The fatal errors of opening an archive. Each message says what is wrong and what to do, in one
//! lowercase line without a trailing period.

use std::fmt;

/// Why an archive could not be opened at all.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No input was given.
    NothingGiven,
    /// The container could not be read (not an archive, truncated, encrypted, corrupt…).
    Archive(permafrost_archive::Error),
    /// There is no outbox.json anywhere in what was given; `found` lists a few names that were.
    NoOutbox {
        /// Some of the names found, for the message.
        found: Vec<String>,
        /// How many entries or files there were in all.
        total: usize,
        /// An entry named as an archive (`.zip`, `.tar.gz`…), when there is one: the user's
        /// archive wrapped in another (a folder downloaded from a cloud drive as a ZIP), which
        /// must be taken out of it first.
        inner: Option<String>,
    },
    /// Only CSV files were given (exports, or files that look like them), with no archive.
    OnlyCsv {
        /// Their names.
        names: Vec<String>,
    },
    /// outbox.json holds nothing usable.
    Outbox(permafrost_model::Error),
    /// Nothing given could be read at all (a file changed or removed on disk after it was
    /// chosen, a permission problem): the first file's name and why.
    Unreadable {
        /// The file.
        name: String,
        /// Why, from the system.
        reason: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NothingGiven => f.write_str("no file given: give the archive you downloaded from Mastodon (a .zip or .tar.gz), or its extracted folder"),
            Error::Archive(e) => write!(f, "{e}"),
            Error::NoOutbox {
                inner: Some(inner), ..
            } => write!(f, "no outbox.json found here, but this holds another archive, {inner}: extract it, then give that archive"),
            Error::NoOutbox { found, total, .. } if *total == 0 => {
                let _ = found;
                f.write_str("no outbox.json found: what was given holds no files; give the archive from Preferences › Import and export › Request your archive")
            }
            Error::NoOutbox { found, total, .. } => {
                write!(f, "no outbox.json found, so this is not a Mastodon account archive; it holds {total} file{}: {}", if *total == 1 { "" } else { "s" }, found.join(", "))?;
                if *total > found.len() {
                    write!(f, ", …")?;
                }
                f.write_str("; give the archive from Preferences › Import and export › Request your archive")
            }
            Error::OnlyCsv { .. } => f.write_str(&self.message().text),
            Error::Outbox(e) => write!(f, "{e}"),
            Error::Unreadable { name, reason } => write!(f, "{name} could not be read: {reason}"),
        }
    }
}

impl Error {
    /// The message as the page says it: a code of [`crate::messages::MESSAGES`], the archive's
    /// or the model's, with its arguments; the English is this error's `Display`.
    pub fn message(&self) -> permafrost_model::Message {
        use crate::messages as m;
        match self {
            Error::NothingGiven => m::NOTHING_GIVEN.message(),
            Error::Archive(e) if !e.code().is_empty() => permafrost_model::Message {
                code: e.code().to_string(),
                args: e
                    .args()
                    .iter()
                    .map(|(n, v)| ((*n).to_string(), v.clone()))
                    .collect(),
                text: e.to_string(),
            },
            Error::NoOutbox {
                inner: Some(inner), ..
            } => m::NESTED_ARCHIVE.with(&[("inner", inner)]),
            Error::NoOutbox { total: 0, .. } => m::NO_OUTBOX_EMPTY.message(),
            Error::NoOutbox { found, total, .. } => {
                let mut files = found.join(", ");
                if *total > found.len() {
                    files.push_str(", …");
                }
                let template = if *total == 1 {
                    m::NO_OUTBOX_ONE
                } else {
                    m::NO_OUTBOX
                };
                template.with(&[("total", total), ("files", &files)])
            }
            Error::OnlyCsv { names } => m::ONLY_CSV.with(&[("files", &names.join(", "))]),
            Error::Outbox(e) => e.message(),
            Error::Unreadable { name, reason } => {
                m::UNREADABLE.with(&[("file", name), ("detail", reason)])
            }
            Error::Archive(e) => permafrost_model::Message::plain(e.to_string()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Archive(e) => Some(e),
            Error::Outbox(e) => Some(e),
            _ => None,
        }
    }
}

impl From<permafrost_archive::Error> for Error {
    fn from(e: permafrost_archive::Error) -> Self {
        Error::Archive(e)
    }
}

impl From<permafrost_model::Error> for Error {
    fn from(e: permafrost_model::Error) -> Self {
        Error::Outbox(e)
    }
}
