//! The two containers: a rubyzip-ordered ZIP (Mastodon 4.2+) and a Gem::Package::TarWriter tar.gz (≤ 4.1).

use std::io::{self, BufWriter, Seek, Write};

use flate2::{Compression, GzBuilder};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::files::{self, AVATAR, HEADER};
use crate::outbox::{Counts, Outbox, LOCAL_MEDIA_ROOT};
use crate::plan::Plan;
use crate::time;

fn zip_err(e: zip::result::ZipError) -> io::Error {
    io::Error::other(e)
}

/// Writes the zip; returns the outbox counts and the number of likes.
pub(crate) fn write_zip<W: Write + Seek>(p: &Plan, out: W) -> io::Result<(Counts, usize)> {
    let c = time::civil(p.archive_secs);
    let when = DateTime::from_date_and_time(
        c.year.clamp(1980, 2107) as u16,
        c.month as u8,
        c.day as u8,
        c.hour as u8,
        c.minute as u8,
        c.second as u8,
    )
    .map_err(io::Error::other)?;
    // rubyzip: DEFLATE at the default level for every entry (JPEG and MP4 included), mode 0644.
    let base = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(BufWriter::with_capacity(1 << 16, out));

    // The outbox can pass 4 GiB for millions of posts: then it needs Zip64, as 4.4.4+ writes it.
    let big = p.posts as u64 * 8192 >= u32::MAX as u64;
    // Level 1 for the outbox: it dominates the run time, and the size difference is small.
    zip.start_file(
        "outbox.json",
        base.compression_level(Some(1)).large_file(big),
    )
    .map_err(zip_err)?;
    let mut outbox = Outbox::new(p);
    outbox.write_to(&mut zip)?;

    for m in &outbox.media {
        zip.start_file(m.key(), base).map_err(zip_err)?;
        zip.write_all(&m.bytes(p.media_bytes))?;
    }
    zip.start_file("likes.json", base).map_err(zip_err)?;
    files::write_likes(p, &mut zip)?;
    zip.start_file("bookmarks.json", base).map_err(zip_err)?;
    zip.write_all(&files::bookmarks_json(p)?)?;
    zip.start_file(AVATAR, base).map_err(zip_err)?;
    zip.write_all(&files::avatar(p))?;
    zip.start_file(HEADER, base).map_err(zip_err)?;
    zip.write_all(&files::header(p))?;
    zip.start_file("actor.json", base).map_err(zip_err)?;
    zip.write_all(&files::actor_json(p))?;
    let buffered = zip.finish().map_err(zip_err)?;
    buffered.into_inner().map_err(|e| e.into_error())?.flush()?;
    Ok((outbox.counts, files::likes_total(p)))
}

/// Writes the tar.gz. Tar headers carry sizes, and media come before the outbox, so the outbox is generated
/// twice: once to measure it and list its media, once to write it. Memory stays flat either way.
pub(crate) fn write_targz<W: Write + Seek>(p: &Plan, out: W) -> io::Result<(Counts, usize)> {
    let mut measure = Outbox::new(p);
    let outbox_size = measure.write_to(&mut io::sink())?;
    let likes_size = files::write_likes(p, &mut io::sink())?;

    let gz = GzBuilder::new()
        .mtime(p.archive_secs.clamp(0, u32::MAX as i64) as u32)
        // Ruby's `Zlib::GzipWriter` at the default level, as Mastodon's BackupService writes
        // it. At the fastest level (zlib-rs's "quick" strategy, fixed-Huffman blocks) the
        // benchmark's 10,000-post tar.gz, made by the release CLI, had not one access point
        // (28 now, 1 MiB apart), so each media file shown was inflated from the stream's
        // start: 4 s for the Media tab's first tiles of a 349 MB tar.gz.
        .write(
            BufWriter::with_capacity(1 << 16, out),
            Compression::default(),
        );
    let mut tar = TarWriter {
        w: gz,
        mtime: p.archive_secs,
    };
    for m in &measure.media {
        let name = format!("{LOCAL_MEDIA_ROOT}{}", m.key());
        tar.file(&name, &m.bytes(p.media_bytes))?;
    }

    tar.header("outbox.json", outbox_size)?;
    let mut outbox = Outbox::new(p);
    let written = outbox.write_to(&mut tar.w)?;
    check_size("outbox.json", outbox_size, written)?;
    tar.pad(outbox_size)?;

    tar.header("likes.json", likes_size)?;
    let written = files::write_likes(p, &mut tar.w)?;
    check_size("likes.json", likes_size, written)?;
    tar.pad(likes_size)?;

    tar.file("bookmarks.json", &files::bookmarks_json(p)?)?;
    tar.file(AVATAR, &files::avatar(p))?;
    tar.file(HEADER, &files::header(p))?;
    tar.file("actor.json", &files::actor_json(p))?;
    // Gem::Package::TarWriter#close: two zero blocks.
    tar.w.write_all(&[0u8; 1024])?;
    let buffered = tar.w.finish()?;
    buffered.into_inner().map_err(|e| e.into_error())?.flush()?;
    Ok((outbox.counts, files::likes_total(p)))
}

fn check_size(name: &str, expected: u64, got: u64) -> io::Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{name}: second pass wrote {got} bytes, first pass measured {expected} (generator not deterministic)"
        )))
    }
}

struct TarWriter<W: Write> {
    w: W,
    mtime: i64,
}

impl<W: Write> TarWriter<W> {
    fn file(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        self.header(name, data.len() as u64)?;
        self.w.write_all(data)?;
        self.pad(data.len() as u64)
    }

    fn header(&mut self, name: &str, size: u64) -> io::Result<()> {
        let h = ustar_header(name, size, self.mtime)?;
        self.w.write_all(&h)
    }

    fn pad(&mut self, size: u64) -> io::Result<()> {
        let rem = (size % 512) as usize;
        if rem != 0 {
            self.w.write_all(&[0u8; 512][..512 - rem])?;
        }
        Ok(())
    }
}

/// Gem::Package::TarWriter#split_name: names over 100 bytes go into the ustar prefix, which takes as much of
/// the path as fits in 155 bytes. No GNU long names, no PAX.
fn split_name(name: &str) -> io::Result<(&str, &str)> {
    let too_long = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("tar entry name too long: {name}"),
        )
    };
    if name.len() > 256 {
        return Err(too_long());
    }
    if name.len() <= 100 {
        return Ok((name, ""));
    }
    // Split at the last '/' such that the prefix fits; Ruby moves components from prefix to name only while
    // the prefix is too long.
    let mut cut = name.rfind('/').ok_or_else(too_long)?;
    while cut > 155 {
        cut = name[..cut].rfind('/').ok_or_else(too_long)?;
    }
    let (prefix, rest) = (&name[..cut], &name[cut + 1..]);
    if rest.len() > 100 || rest.is_empty() {
        return Err(too_long());
    }
    Ok((rest, prefix))
}

fn ustar_header(name: &str, size: u64, mtime: i64) -> io::Result<[u8; 512]> {
    if size >= 1 << 33 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("tar entry over 8 GiB: {name}"),
        ));
    }
    let (short, prefix) = split_name(name)?;
    let mut h = [0u8; 512];
    let put =
        |h: &mut [u8; 512], at: usize, bytes: &[u8]| h[at..at + bytes.len()].copy_from_slice(bytes);
    put(&mut h, 0, short.as_bytes());
    put(&mut h, 100, b"0000444\0");
    put(&mut h, 108, b"0000000\0");
    put(&mut h, 116, b"0000000\0");
    put(&mut h, 124, format!("{size:011o}\0").as_bytes());
    put(&mut h, 136, format!("{:011o}\0", mtime.max(0)).as_bytes());
    put(&mut h, 148, b"        ");
    h[156] = b'0';
    put(&mut h, 257, b"ustar\0");
    put(&mut h, 263, b"00");
    put(&mut h, 265, b"wheel");
    put(&mut h, 297, b"wheel");
    put(&mut h, 329, b"0000000\0");
    put(&mut h, 337, b"0000000\0");
    put(&mut h, 345, prefix.as_bytes());
    let sum: u32 = h.iter().map(|&b| b as u32).sum();
    put(&mut h, 148, format!("{sum:06o}\0 ").as_bytes());
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_rubygems() {
        assert_eq!(split_name("outbox.json").ok(), Some(("outbox.json", "")));
        let long = "/home/mastodon/live/public/system/media_attachments/files/109/577/737/757/855/883/original/0123456789abcdef.jpg";
        let (n, p) = split_name(long).ok().unwrap_or_default();
        assert_eq!(n, "0123456789abcdef.jpg");
        assert_eq!(format!("{p}/{n}"), long);
        assert!(split_name(&"x".repeat(300)).is_err());
    }
}
