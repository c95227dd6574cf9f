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
    /// The message's code and arguments (boxed: errors travel in `Result`s everywhere).
    coded: Option<Box<Coded>>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Every message of this crate: its code (a key of the page's catalogue, locales/*.json) and its
/// English, with `{name}` placeholders that [`Error::args`] fills. The page says them in its
/// language by [`Error::code`]; a test checks the catalogue against this table.
pub const MESSAGES: &[(&str, &str)] = &[
    (NOT_AN_ARCHIVE_LOOSE.0, NOT_AN_ARCHIVE_LOOSE.1),
    (NOT_AN_ARCHIVE.0, NOT_AN_ARCHIVE.1),
    (TRUNCATED_T.0, TRUNCATED_T.1),
    (TRUNCATED_IN.0, TRUNCATED_IN.1),
    (TRUNCATED_BEFORE_POSTS.0, TRUNCATED_BEFORE_POSTS.1),
    (CORRUPT.0, CORRUPT.1),
    (CORRUPT_ENTRY.0, CORRUPT_ENTRY.1),
    (ENCRYPTED.0, ENCRYPTED.1),
    (UNSUPPORTED_COMPRESSION.0, UNSUPPORTED_COMPRESSION.1),
    (IO_ENTRY.0, IO_ENTRY.1),
    (IO_FILE.0, IO_FILE.1),
    (TOO_LARGE.0, TOO_LARGE.1),
    (GZIP_BOMB.0, GZIP_BOMB.1),
    (CHANGED.0, CHANGED.1),
];

type Template = (&'static str, &'static str);
/// A code and the values of its placeholders.
type Coded = (&'static str, Vec<(&'static str, String)>);
const NOT_AN_ARCHIVE_LOOSE: Template = ("container.not_an_archive_loose", "this is not a Mastodon archive but {found}: to open loose files such as outbox.json, choose all of them or their folder; otherwise choose the .zip or .tar.gz file downloaded from Mastodon");
const NOT_AN_ARCHIVE: Template = ("container.not_an_archive", "this is not a Mastodon archive but {found}: choose the .zip or .tar.gz file downloaded from \"Request your archive\" in Mastodon's import and export settings");
const TRUNCATED_T: Template = ("container.truncated", TRUNCATED);
const TRUNCATED_IN: Template = ("container.truncated_in", "the file ends early, inside `{entry}`: the download was probably interrupted; download it again");
const TRUNCATED_BEFORE_POSTS: Template = ("container.truncated_before_posts", "the file ends early, at byte {byte}, before outbox.json: the download was probably interrupted. In a .tar.gz archive (as Mastodon wrote them before 4.2) the posts come after the media, so none of them arrived: download it again");
const CORRUPT: Template = (
    "container.corrupt",
    "the archive is damaged ({detail}): download it again",
);
const CORRUPT_ENTRY: Template = (
    "container.corrupt_entry",
    "`{entry}` in the archive is damaged ({detail}): download the archive again",
);
const ENCRYPTED: Template = ("container.encrypted", "the ZIP is password-protected (`{entry}` is encrypted): unzip it with its password and open the extracted folder instead");
const UNSUPPORTED_COMPRESSION: Template = ("container.unsupported_compression", "`{entry}` uses the {method} compression method, which cannot be read: re-create the ZIP with the default (deflate) compression or open the extracted folder instead");
const IO_ENTRY: Template = ("container.io_entry", "cannot read `{entry}`: {detail}");
const IO_FILE: Template = ("container.io", "cannot read the file: {detail}");
pub(crate) const TOO_LARGE: Template = ("container.too_large", "refusing to read `{entry}`: {detail}; the archive may be damaged or a decompression bomb, so download it again");
pub(crate) const GZIP_BOMB: Template = ("container.gzip_bomb", "refusing to inflate the gzip data further: {produced} bytes came out of {compressed} compressed, more than {ratio} times as many; the archive may be damaged or a decompression bomb, so download it again");
pub(crate) const CHANGED: Template = ("container.changed", "`{entry}` changed while it was being read: it now ends after {produced} of {declared} bytes; choose it again");

/// The advice given for every kind of truncation.
pub(crate) const TRUNCATED: &str =
    "the file ends early: the download was probably interrupted; download it again";

impl Error {
    /// What kind of error this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The message's code, a key of [`MESSAGES`] (empty for an error that has none).
    pub fn code(&self) -> &'static str {
        self.coded.as_ref().map_or("", |c| c.0)
    }

    /// The values of the message's placeholders.
    pub fn args(&self) -> &[(&'static str, String)] {
        self.coded.as_ref().map_or(&[], |c| &c.1)
    }

    /// An error whose message is `template` filled with `args`.
    pub(crate) fn coded(
        kind: ErrorKind,
        template: Template,
        args: &[(&'static str, &dyn fmt::Display)],
    ) -> Error {
        let args: Vec<(&'static str, String)> =
            args.iter().map(|(n, v)| (*n, v.to_string())).collect();
        let mut message = template.1.to_owned();
        for (name, value) in &args {
            message = message.replace(&format!("{{{name}}}"), value);
        }
        let mut error = Error::new(kind, message);
        error.coded = Some(Box::new((template.0, args)));
        error
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
            coded: None,
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
        let template = if found.contains("JSON") || found.contains("text") {
            NOT_AN_ARCHIVE_LOOSE
        } else {
            NOT_AN_ARCHIVE
        };
        let mut error = Error::coded(
            ErrorKind::NotAnArchive {
                found: found.to_owned(),
            },
            template,
            &[("found", &found)],
        );
        // The page says the description in its language by this code (`{found}` is filled
        // with it when the page knows it).
        if let (Some(code), Some(coded)) = (crate::sniff::description_code(found), &mut error.coded)
        {
            coded.1.push(("found_code", code.to_owned()));
        }
        error
    }

    pub(crate) fn truncated() -> Error {
        Error::coded(ErrorKind::Truncated, TRUNCATED_T, &[])
    }

    /// A tar or tar.gz that ends, at byte `len`, before its outbox.json: Mastodon's have their
    /// media first, so a download cut among them holds no post.
    pub(crate) fn truncated_before_posts(len: u64) -> Error {
        Error::coded(
            ErrorKind::Truncated,
            TRUNCATED_BEFORE_POSTS,
            &[("byte", &len)],
        )
    }

    pub(crate) fn truncated_in(entry: &str) -> Error {
        Error::coded(ErrorKind::Truncated, TRUNCATED_IN, &[("entry", &entry)]).with_entry(entry)
    }

    pub(crate) fn corrupt(what: impl fmt::Display) -> Error {
        Error::coded(ErrorKind::Corrupt, CORRUPT, &[("detail", &what)])
    }

    pub(crate) fn corrupt_entry(entry: &str, what: impl fmt::Display) -> Error {
        Error::coded(
            ErrorKind::Corrupt,
            CORRUPT_ENTRY,
            &[("entry", &entry), ("detail", &what)],
        )
        .with_entry(entry)
    }

    pub(crate) fn encrypted(entry: &str) -> Error {
        Error::coded(ErrorKind::Encrypted, ENCRYPTED, &[("entry", &entry)]).with_entry(entry)
    }

    pub(crate) fn unsupported_compression(entry: &str, method: impl fmt::Display) -> Error {
        Error::coded(
            ErrorKind::UnsupportedCompression,
            UNSUPPORTED_COMPRESSION,
            &[("entry", &entry), ("method", &method)],
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
        let error = match entry {
            Some(entry) => Error::coded(
                ErrorKind::Io,
                IO_ENTRY,
                &[("entry", &entry), ("detail", &err)],
            ),
            None => Error::coded(ErrorKind::Io, IO_FILE, &[("detail", &err)]),
        }
        .with_source(err);
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
