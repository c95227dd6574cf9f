//! Writes one synthetic archive and its CSVs, and reports time, size and the expected counts.
//!
//! `cargo run --release -p permafrost-synth --example synth -- <posts> <zip|tar.gz> <out-dir> [seed] [media_bytes]`

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::PathBuf;
use std::time::Instant;

use permafrost_synth::{archive_file_name, csv_exports, write_archive, Container, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: synth <posts> <zip|tar.gz> <out-dir> [seed] [media_bytes]";
    let posts = args.first().ok_or(usage)?.parse()?;
    let container = match args.get(1).map(String::as_str) {
        Some("zip") => Container::Zip,
        Some("tar.gz") => Container::TarGz,
        _ => return Err(usage.into()),
    };
    let dir = PathBuf::from(args.get(2).ok_or(usage)?);
    let seed = args.get(3).map_or(Ok(1), |s| s.parse())?;
    let media_bytes = args.get(4).map_or(Ok(64), |s| s.parse())?;
    let opts = Options {
        posts,
        seed,
        media_bytes,
        container,
        ..Options::default()
    };
    fs::create_dir_all(&dir)?;
    let path = dir.join(archive_file_name(&opts));
    let started = Instant::now();
    let expected = write_archive(&opts, BufWriter::new(File::create(&path)?))?;
    let elapsed = started.elapsed();
    for (name, bytes) in csv_exports(&opts) {
        fs::write(dir.join(name), bytes)?;
    }
    let size = fs::metadata(&path)?.len();
    eprintln!(
        "{}: {posts} posts in {:.2} s, {:.1} MB",
        path.display(),
        elapsed.as_secs_f64(),
        size as f64 / 1e6
    );
    println!("{}", serde_json::to_string_pretty(&expected)?);
    Ok(())
}
