//! Bounded decompression: the [`Limits`] a caller chooses and the reader that enforces them on
//! every entry.

use std::io::{self, Read};

use crate::error::{Error, ErrorKind};

/// Limits on how far an entry may inflate, to defend against decompression bombs, and, for a
/// tar.gz, on how much is inflated to reach an entry and how much memory that may take.
///
/// The default allows entries up to 64 GiB, and, once an entry has produced more than 16 MiB,
/// at most 250 bytes of output per byte of compressed input. Real archives stay far below that
/// ratio: even JSON deflates by about 10 to 1 and media barely at all.
///
/// For a tar.gz, listing records an access point about every 8 MiB of the uncompressed stream,
/// keeping at most 256 of them (8 MiB of memory); reading an entry then inflates at most about
/// 8 MiB before its data (16 MiB for a stream of 2 to 4 GiB, and so on), instead of everything
/// before it. See the [crate documentation](crate#costs-by-format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The most output allowed per byte of compressed input, once past `ratio_floor`. For a
    /// tar.gz it applies to the whole gzip stream, as entries have no compressed size there.
    pub max_ratio: u64,
    /// How many bytes may come out before `max_ratio` is checked, so that tiny entries with a
    /// high ratio (a JSON file of spaces) are fine.
    pub ratio_floor: u64,
    /// The largest entry that may be read, in bytes, whatever it declares.
    pub max_entry_size: u64,
    /// For a tar.gz: how many bytes of the uncompressed stream apart listing records access
    /// points, from which [`Container::read_entry`](crate::Container::read_entry) starts
    /// inflating. Each point holds 32 KiB. 0 records none: every read inflates from the start.
    ///
    /// 8 MiB by default: inflating that much takes some 20 ms natively (a few times more in a
    /// browser), fine for showing one attachment, while a 2 GiB stream needs 256 points.
    pub access_point_spacing: u64,
    /// For a tar.gz: the most access points kept, each holding 32 KiB. A stream that would need
    /// more gets every other point dropped and the spacing doubled, as often as needed, so the
    /// points never take more than this many times 32 KiB. 0 records none.
    pub max_access_points: usize,
}

impl Limits {
    /// The default limits, as a constant.
    pub const DEFAULT: Limits = Limits {
        max_ratio: 250,
        ratio_floor: 16 << 20,
        max_entry_size: 64 << 30,
        access_point_spacing: 8 << 20,
        max_access_points: 256,
    };

    /// Whether `output` bytes from `compressed` bytes of input breaks the ratio limit.
    pub(crate) fn ratio_exceeded(&self, output: u64, compressed: u64) -> bool {
        output > self.ratio_floor && output > compressed.saturating_mul(self.max_ratio)
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// What it means when an entry's data ends before its declared size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Short {
    /// The container's file ends early (tar, tar.gz).
    Truncated,
    /// The entry's data is damaged (ZIP, where a truncated file loses its central directory).
    Corrupt,
    /// A loose file shrank after it was chosen.
    Changed,
}

/// Checks an entry's declared size and compression ratio before reading it.
pub(crate) fn check_declared(
    name: &str,
    declared: u64,
    compressed: Option<u64>,
    limits: &Limits,
) -> Result<(), Error> {
    if declared > limits.max_entry_size {
        return Err(too_large(
            name,
            format!(
                "it declares {declared} bytes, more than the {} allowed",
                limits.max_entry_size
            ),
        ));
    }
    if let Some(compressed) = compressed {
        if limits.ratio_exceeded(declared, compressed) {
            return Err(too_large(
                name,
                format!(
                    "it declares {declared} bytes from {compressed} compressed, more than {} \
                     times its compressed size",
                    limits.max_ratio
                ),
            ));
        }
    }
    Ok(())
}

pub(crate) fn too_large(name: &str, why: String) -> Error {
    Error::coded(
        ErrorKind::TooLarge,
        crate::error::TOO_LARGE,
        &[("entry", &name), ("detail", &why)],
    )
    .with_entry(name)
}

/// An entry's reader: it stops with [`ErrorKind::TooLarge`] when the entry inflates beyond its
/// declared size, beyond `max_ratio` times its compressed size (once past `ratio_floor`) or
/// beyond `max_entry_size`, and with an error when it ends before its declared size.
///
/// Errors from the inner reader become [`Error`]s naming the entry, wrapped in `io::Error`.
pub(crate) struct Bounded<'n, R> {
    inner: R,
    name: &'n str,
    declared: u64,
    compressed: Option<u64>,
    limits: Limits,
    short: Short,
    produced: u64,
}

impl<'n, R: Read> Bounded<'n, R> {
    pub(crate) fn new(
        inner: R,
        name: &'n str,
        declared: u64,
        compressed: Option<u64>,
        limits: Limits,
        short: Short,
    ) -> Bounded<'n, R> {
        Bounded {
            inner,
            name,
            declared,
            compressed,
            limits,
            short,
            produced: 0,
        }
    }

    fn classify(&self, err: io::Error) -> Error {
        match Error::unwrap_io(err) {
            Ok(error) => error,
            Err(err) => match err.kind() {
                io::ErrorKind::UnexpectedEof => self.short_error(),
                io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                    Error::corrupt_entry(self.name, &err).with_source(err)
                }
                _ => Error::io(err, Some(self.name)),
            },
        }
    }

    fn short_error(&self) -> Error {
        let (name, produced, declared) = (self.name, self.produced, self.declared);
        match self.short {
            Short::Truncated => Error::truncated_in(name),
            Short::Corrupt => Error::corrupt_entry(
                name,
                format_args!("its data ends after {produced} of its {declared} bytes"),
            ),
            Short::Changed => Error::coded(
                ErrorKind::Io,
                crate::error::CHANGED,
                &[
                    ("entry", &name),
                    ("produced", &produced),
                    ("declared", &declared),
                ],
            )
            .with_entry(name),
        }
    }

    fn check(&self, produced: u64) -> Result<(), Error> {
        let (name, limits) = (self.name, &self.limits);
        if produced > self.declared {
            return Err(too_large(
                name,
                format!(
                    "it inflates to more than its declared size of {} bytes",
                    self.declared
                ),
            ));
        }
        if produced > limits.max_entry_size {
            return Err(too_large(
                name,
                format!(
                    "it inflates to more than the {} bytes allowed",
                    limits.max_entry_size
                ),
            ));
        }
        if let Some(compressed) = self.compressed {
            if limits.ratio_exceeded(produced, compressed) {
                return Err(too_large(
                    name,
                    format!(
                        "it inflates to more than {} times its compressed size of {compressed} \
                         bytes",
                        limits.max_ratio
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => return Err(err),
            Err(err) => return Err(self.classify(err).into()),
        };
        if n == 0 {
            if self.produced < self.declared {
                return Err(self.short_error().into());
            }
            return Ok(0);
        }
        let produced = self.produced.saturating_add(n as u64);
        self.check(produced)?;
        self.produced = produced;
        Ok(n)
    }
}

/// Verifies a CRC-32 once the inner reader reaches its end.
pub(crate) struct CrcCheck<'n, R> {
    inner: R,
    name: &'n str,
    expected: u32,
    crc: flate2::Crc,
}

impl<'n, R: Read> CrcCheck<'n, R> {
    pub(crate) fn new(inner: R, name: &'n str, expected: u32) -> CrcCheck<'n, R> {
        CrcCheck {
            inner,
            name,
            expected,
            crc: flate2::Crc::new(),
        }
    }
}

impl<R: Read> Read for CrcCheck<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.crc.sum() != self.expected {
            return Err(Error::corrupt_entry(self.name, "its checksum does not match").into());
        }
        self.crc.update(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}
