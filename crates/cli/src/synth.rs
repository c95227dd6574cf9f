//! `permafrost synth`: a deterministic synthetic archive for tests and benchmarks.

use anyhow::{Context, Result};
use permafrost_synth::{csv_exports, write_archive, Container, Options};
use std::io::BufWriter;
use std::path::PathBuf;

/// Arguments of `synth`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Number of outbox items.
    #[arg(long)]
    posts: usize,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Size of each media file in bytes.
    #[arg(long, default_value_t = 64, value_name = "B")]
    media_bytes: usize,
    /// Container: `zip` (Mastodon 4.2+) or `tar.gz` (Mastodon before 4.2).
    #[arg(long, default_value = "zip", value_parser = ["zip", "tar.gz"])]
    format: String,
    /// Where to write the archive; the six CSV exports go beside it.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// The account, `user@host` (archives of different accounts for tests of several at once).
    #[arg(long, default_value = "alice@example.social", value_name = "USER@HOST")]
    handle: String,
    /// Also write the true counts (as `inspect --json` should report them) to this file.
    #[arg(long, value_name = "FILE")]
    expected: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let options = Options {
        posts: args.posts,
        seed: args.seed,
        media_bytes: args.media_bytes,
        container: if args.format == "zip" {
            Container::Zip
        } else {
            Container::TarGz
        },
        handle: args.handle,
    };
    let file = std::fs::File::create(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let expected = write_archive(&options, BufWriter::new(file))
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let dir = args.output.parent().map(PathBuf::from).unwrap_or_default();
    for (name, bytes) in csv_exports(&options) {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = args.expected {
        std::fs::write(&path, serde_json::to_vec_pretty(&expected)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
