//! The one error type of this crate, with a kind, the entry it concerns and a message that says
//! what to do.

use std::fmt;
use std::io;

/// What went wrong, in a form a caller can match on.
///
/// Every variant is a distinct thing to tell the user; the [`Error`]'s message already says it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file is not a ZIP, tar or tar.gz archive. `found` says what it looks like instead, for
    /// example "a PNG image" or "an HTML page" (see [`sniff`](crate::sniff)).
    NotAnArchive {
        /// A short description of what the file is, starting with an article.
        found: String,
    },
    /// The file ends before the archive does: most likely an interrupted download.
    Truncated,
    /// The ZIP entry is password-protected.
    Encrypted,
    /// An entry (or the whole gzip stream) inflates beyond its declared size, beyond the ratio
    /// allowed by [`Limits`](crate::Limits), or beyond the largest entry size allowed.
    TooLarge,
    /// The archive structure or an entry's data is damaged.
    Corrupt,
    /// A ZIP entry uses a compression method other than stored or deflate.
    UnsupportedCompression,
    /// Reading the source failed, or a loose file changed while it was being read.
    Io,
    /// An entry index passed to [`Container::read_entry`](crate::Container::read_entry) or
    /// [`Container::read_entries`](crate::Container::read_entries) is out of range.
    NoSuchEntry,
}

/// An error reading an archive or one of its entries.
///
/// The message (its `Display`) is complete on its own: lowercase, without a trailing period,
/// saying what is wrong and what to do. [`Error::entry`] names the entry when there is one, and
/// [`std::error::Error::source`] gives the underlying error, if any.
///
/// Readers returned by [`Container::read_entry`](crate::Container::read_entry) report failures as
/// [`std::io::Error`]s that wrap this type; `Error::from(io_error)` unwraps them again.
pub struct Error {
    kind: ErrorKind,
    entry: Option<String>,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// The advice given for every kind of truncation.
pub(crate) const TRUNCATED: &str =
    "the file ends early: the download was probably interrupted; download it again";

impl Error {
    /// What kind of error this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The name of the entry this error concerns, if it concerns one.
    pub fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }

    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            entry: None,
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn with_entry(mut self, entry: &str) -> Error {
        self.entry = Some(entry.to_owned());
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Error {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn not_an_archive(found: &str) -> Error {
        let hint = if found.contains("JSON") || found.contains("text") {
            "to open loose files such as outbox.json, choose all of them or their folder; \
             otherwise choose the .zip or .tar.gz file downloaded from Mastodon"
        } else {
            "choose the .zip or .tar.gz file downloaded from \"Request your archive\" in \
             Mastodon's import and export settings"
        };
        Error::new(
            ErrorKind::NotAnArchive {
                found: found.to_owned(),
            },
            format!("this is not a Mastodon archive but {found}: {hint}"),
        )
    }

    pub(crate) fn truncated() -> Error {
        Error::new(ErrorKind::Truncated, TRUNCATED)
    }

    pub(crate) fn truncated_in(entry: &str) -> Error {
        Error::new(
            ErrorKind::Truncated,
            format!(
                "the file ends early, inside `{entry}`: the download was probably interrupted; \
                 download it again"
            ),
        )
        .with_entry(entry)
    }

    pub(crate) fn corrupt(what: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::Corrupt,
            format!("the archive is damaged ({what}): download it again"),
        )
    }

    pub(crate) fn corrupt_entry(entry: &str, what: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::Corrupt,
            format!("`{entry}` in the archive is damaged ({what}): download the archive again"),
        )
        .with_entry(entry)
    }

    pub(crate) fn encrypted(entry: &str) -> Error {
        Error::new(
            ErrorKind::Encrypted,
            format!(
                "the ZIP is password-protected (`{entry}` is encrypted): unzip it with its \
                 password and open the extracted folder instead"
            ),
        )
        .with_entry(entry)
    }

    pub(crate) fn unsupported_compression(entry: &str, method: impl fmt::Display) -> Error {
        Error::new(
            ErrorKind::UnsupportedCompression,
            format!(
                "`{entry}` uses the {method} compression method, which cannot be read: \
                 re-create the ZIP with the default (deflate) compression or open the \
                 extracted folder instead"
            ),
        )
        .with_entry(entry)
    }

    pub(crate) fn no_such_entry(index: usize, len: usize) -> Error {
        let listed = match len {
            0 => "the archive lists no entries".to_owned(),
            len => format!("entries are numbered 0 to {}", len - 1),
        };
        Error::new(
            ErrorKind::NoSuchEntry,
            format!("there is no entry number {index}: {listed}"),
        )
    }

    /// An I/O error from the source, with the entry being read if any.
    pub(crate) fn io(err: io::Error, entry: Option<&str>) -> Error {
        let message = match entry {
            Some(entry) => format!("cannot read `{entry}`: {err}"),
            None => format!("cannot read the file: {err}"),
        };
        let error = Error::new(ErrorKind::Io, message).with_source(err);
        match entry {
            Some(entry) => error.with_entry(entry),
            None => error,
        }
    }

    /// Returns the [`Error`] wrapped in `err` by one of this crate's readers, or `Err(err)` if
    /// it does not wrap one.
    pub(crate) fn unwrap_io(err: io::Error) -> Result<Error, io::Error> {
        if err.get_ref().is_some_and(|inner| inner.is::<Error>()) {
            // `into_inner` is `Some` because `get_ref` was.
            if let Some(inner) = err.into_inner() {
                return inner
                    .downcast::<Error>()
                    .map(|boxed| *boxed)
                    .map_err(io::Error::other);
            }
            return Err(io::Error::other("lost error"));
        }
        Err(err)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("entry", &self.entry)
            .field("message", &self.message)
            .field("source", &self.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

impl From<io::Error> for Error {
    /// Unwraps an [`Error`] carried by one of this crate's readers; any other I/O error becomes an
    /// [`ErrorKind::Io`] error.
    fn from(err: io::Error) -> Error {
        match Error::unwrap_io(err) {
            Ok(error) => error,
            Err(err) => Error::io(err, None),
        }
    }
}

impl From<Error> for io::Error {
    fn from(err: Error) -> io::Error {
        let kind = match &err.kind {
            ErrorKind::Truncated => io::ErrorKind::UnexpectedEof,
            ErrorKind::Io => err
                .source
                .as_deref()
                .and_then(|source| source.downcast_ref::<io::Error>())
                .map_or(io::ErrorKind::Other, |source| match source.kind() {
                    // An interrupted read is retried by `read_to_end`; this one is final.
                    io::ErrorKind::Interrupted => io::ErrorKind::Other,
                    kind => kind,
                }),
            ErrorKind::NoSuchEntry => io::ErrorKind::NotFound,
            _ => io::ErrorKind::InvalidData,
        };
        io::Error::new(kind, err)
    }
}
