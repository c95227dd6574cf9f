//! Turning command-line paths into engine inputs.

use anyhow::{bail, Context, Result};
use permafrost_engine::{load, Input, Loaded};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// A file on disk, buffered: the engine reads by byte range, often in small pieces.
pub(crate) type Source = BufReader<File>;

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
    Ok(BufReader::with_capacity(64 << 10, file))
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
