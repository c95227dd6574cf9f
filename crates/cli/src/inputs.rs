//! Turning command-line paths into engine inputs.

use anyhow::{bail, Context, Result};
use permafrost_engine::{load, Input, Loaded};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// A file on disk, buffered: the engine reads by byte range, often in small pieces. Unlike a
/// plain `BufReader`, a seek that lands inside the buffer keeps it (`seek_relative`): reading a
/// ZIP's media for an export seeks before every entry, and refilling 64 KiB for a file of a few
/// hundred bytes took a third of a Markdown export's time.
pub(crate) struct Source {
    inner: BufReader<File>,
    /// The logical position (what the reader has handed out).
    pos: u64,
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Source {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => n,
            SeekFrom::Current(d) => self.pos.checked_add_signed(d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before the start")
            })?,
            SeekFrom::End(_) => {
                self.pos = self.inner.seek(to)?;
                return Ok(self.pos);
            }
        };
        let delta = i64::try_from(i128::from(target) - i128::from(self.pos))
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "seek too far"))?;
        self.inner.seek_relative(delta)?;
        self.pos = target;
        Ok(target)
    }
}

/// Opens the paths given: archives, CSV exports, loose files, or folders (walked recursively, with
/// names relative to the folder's parent so the engine sees a folder).
pub(crate) fn open(paths: &[PathBuf]) -> Result<Loaded<Source>> {
    Ok(load(inputs(paths)?, &mut |_| {})?)
}

/// The paths given, as engine inputs (folders walked), without loading them.
pub(crate) fn inputs(paths: &[PathBuf]) -> Result<Vec<Input<Source>>> {
    let mut inputs = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if meta.is_dir() {
            let root = path.parent().unwrap_or(Path::new(""));
            walk(path, root, &mut inputs)?;
        } else {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            inputs.push(Input::new(name, open_file(path)?));
        }
    }
    if inputs.is_empty() {
        bail!(
            "no files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(inputs)
}

fn open_file(path: &Path) -> Result<Source> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(Source {
        inner: BufReader::with_capacity(64 << 10, file),
        pos: 0,
    })
}

fn walk(dir: &Path, root: &Path, inputs: &mut Vec<Input<Source>>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, root, inputs)?;
        } else if kind.is_file() {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            inputs.push(Input::new(name, open_file(&path)?));
        }
    }
    Ok(())
}
