//! `permafrost bench`: opening and parsing speed and memory on synthetic archives, each beside a
//! baseline measured in the same run (inflate outbox.json, then `serde_json::from_slice::<Value>`).
//!
//! Every measurement runs in a fresh child process (`permafrost bench-child`), so peak RSS
//! (`VmHWM`) belongs to that measurement alone.

use anyhow::{bail, Context, Result};
use permafrost_synth::{write_archive, Container, Options};
use serde::{Deserialize, Serialize};
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Arguments of `bench`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// Archive sizes, in posts, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000,300000")]
    posts: Vec<usize>,
    /// Where generated archives are kept between runs.
    #[arg(long, default_value = "target/bench-archives")]
    cache: PathBuf,
    /// Runs per ingest measurement (the best time is reported; memory is the largest peak).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Only one part: `ingest` (open + parse), `search` (index + queries), `export` (every
    /// export format's throughput and memory) or `hostile` (the red team's archives beside an
    /// ordinary one of the same size).
    #[arg(long, value_parser = ["ingest", "search", "export", "hostile"])]
    only: Option<String>,
    /// Also print each query's latency in the search benchmark.
    #[arg(long)]
    per_query: bool,
}

/// Arguments of the hidden child command that performs one measurement.
#[derive(clap::Args)]
pub(crate) struct ChildArgs {
    /// `baseline`, `ingest`, `session` (open with the index), `snapshot` (open, then write the
    /// snapshot beside the archive), `reopen` (open from that snapshot) or `export-FORMAT`.
    what: String,
    /// The archive.
    archive: PathBuf,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Measurement {
    pub(crate) seconds: f64,
    pub(crate) outbox_bytes: u64,
    pub(crate) peak_rss: u64,
    posts: usize,
    /// Bytes an export wrote (export measurements only; `seconds` is then the export alone).
    #[serde(default)]
    written: u64,
}

pub(crate) fn run(args: Args) -> Result<()> {
    std::fs::create_dir_all(&args.cache)
        .with_context(|| format!("cannot create {}", args.cache.display()))?;
    let only = args.only.as_deref();
    if only.is_none() || only == Some("ingest") {
        run_ingest(&args)?;
    }
    if only.is_none() || only == Some("search") {
        run_search(&args)?;
    }
    if only.is_none() || only == Some("export") {
        run_export(&args)?;
    }
    if only.is_none() || only == Some("hostile") {
        crate::bench_hostile::run(&args.cache, args.runs)?;
    }
    Ok(())
}

/// Export of every post to each format, written to nowhere (bytes counted): output throughput,
/// and peak memory beside opening the same archive (with its index) alone.
fn run_export(args: &Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    println!();
    println!(
        "Export: every post to each format (best of {} runs); peak memory beside opening alone",
        args.runs
    );
    println!(
        "{:>8} {:>16} | {:>9} {:>9} {:>9} | {:>9} {:>10} {:>10}",
        "posts", "format", "out MB", "s", "MB/s", "peak MB", "open MB", "+MB"
    );
    for &posts in &args.posts {
        let archive = ensure_archive(&args.cache, posts)?;
        let open = measure(&exe, "session", &archive, 1)?;
        // Each format as `permafrost export` writes it; then, where it differs, the web worker's
        // way (slices between other requests: outbox.json read in batches, or in one pass from
        // a second source of the archive), and outbox.json read through the open archive in
        // the writing thread instead of ahead of it on a thread of its own.
        let rows = permafrost_protocol::ExportFormat::ALL
            .map(|f| f.as_str().to_string())
            .into_iter()
            .chain(
                [
                    "json-sliced",
                    "zip-sliced",
                    "json-source",
                    "zip-source",
                    "json-inline",
                    "zip-inline",
                ]
                .map(String::from),
            )
            // Baselines: the ZIP exports deflated in the writing thread alone.
            .chain(["zip-1thread", "markdown-1thread", "html-1thread"].map(String::from));
        for format in rows {
            let m = measure(&exe, &format!("export-{format}"), &archive, args.runs)?;
            let mb = m.written as f64 / 1e6;
            println!(
                "{:>8} {:>16} | {:>9.1} {:>9.3} {:>9.0} | {:>9.0} {:>10.0} {:>10.0}",
                posts,
                format,
                mb,
                m.seconds,
                mb / m.seconds.max(1e-9),
                m.peak_rss as f64 / 1e6,
                open.peak_rss as f64 / 1e6,
                (m.peak_rss as f64 - open.peak_rss as f64) / 1e6
            );
        }
    }
    Ok(())
}

/// Counts bytes and throws them away.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Opens an archive as the app does (engine load and index), then exports it when asked.
fn session_child(archive: &Path, format: Option<&str>) -> Result<Measurement> {
    let start = Instant::now();
    let inputs = crate::inputs::inputs(&[archive.to_path_buf()])?;
    let clock_start = Instant::now();
    let clock = Box::new(move || clock_start.elapsed().as_secs_f64() * 1000.0);
    let (mut session, opened) = permafrost_session::Session::open(inputs, &mut |_| {}, clock)
        .map_err(|e| anyhow::anyhow!(e))?;
    let mut m = Measurement {
        seconds: start.elapsed().as_secs_f64(),
        outbox_bytes: opened.summary.outbox_bytes,
        peak_rss: 0,
        posts: opened.summary.posts,
        written: 0,
    };
    if let Some(name) = format {
        // `-1thread`: deflated in the writing thread (a baseline for the helper threads).
        let name = match name.strip_suffix("-1thread") {
            Some(name) => {
                permafrost_session::export::set_threads(1);
                name
            }
            None => name,
        };
        // `-sliced`: as the web worker does; `-source`: the same with an export source;
        // `-inline`: as the CLI does, without an export source. Otherwise as the CLI does.
        let (name, sliced, source) = match (
            name.strip_suffix("-sliced"),
            name.strip_suffix("-source"),
            name.strip_suffix("-inline"),
        ) {
            (Some(name), _, _) => (name, true, false),
            (_, Some(name), _) => (name, true, true),
            (_, _, Some(name)) => (name, false, false),
            _ => (name, false, true),
        };
        if source {
            let path = archive.to_path_buf();
            session.set_export_source(move || std::fs::File::open(&path).ok());
        }
        let format = permafrost_protocol::ExportFormat::parse(name)
            .with_context(|| format!("unknown format {name}"))?;
        let options = permafrost_protocol::ExportOptions {
            format,
            time_zone: "UTC".into(),
            ..Default::default()
        };
        let selection = permafrost_protocol::Selection::Query {
            query: String::new(),
            sort: permafrost_protocol::Sort::Newest,
            time_zone: "UTC".into(),
            as_typed: false,
        };
        let mut out = Counter(0);
        let start = Instant::now();
        if sliced {
            use permafrost_session::Answer;
            let body = permafrost_protocol::RequestBody::Export { selection, options };
            if let Answer::Body(b) = session.answer(1, body) {
                bail!("the export did not start: {b:?}");
            }
            while session.is_exporting() {
                session.step_export();
                for (_, answer) in session.take_events() {
                    if let Answer::WithBytes { bytes, .. } = answer {
                        out.0 += bytes.len() as u64;
                    }
                }
            }
        } else {
            session
                .export_to(&selection, options, &mut out, &mut |_, _, _| {})
                .map_err(|e| anyhow::anyhow!(e))?;
        }
        m.seconds = start.elapsed().as_secs_f64();
        m.written = out.0;
    }
    Ok(m)
}

fn run_ingest(args: &Args) -> Result<()> {
    let exe = std::env::current_exe()?;
    println!("Ingest: open + parse outbox.json vs the baseline (inflate + serde_json::Value), best of {} runs", args.runs);
    println!(
        "{:>8} {:>10} | {:>9} {:>8} {:>9} | {:>9} {:>8} {:>9} | {:>7} {:>12}",
        "posts",
        "outbox MB",
        "base s",
        "MB/s",
        "peak MB",
        "ours s",
        "MB/s",
        "peak MB",
        "speedup",
        "RSS budget MB"
    );
    for &posts in &args.posts {
        let archive = ensure_archive(&args.cache, posts)?;
        let base = measure(&exe, "baseline", &archive, args.runs)?;
        let ours = measure(&exe, "ingest", &archive, args.runs)?;
        let mb = ours.outbox_bytes as f64 / 1e6;
        let budget = mb + 100.0;
        println!(
            "{:>8} {:>10.1} | {:>9.3} {:>8.0} {:>9.0} | {:>9.3} {:>8.0} {:>9.0} | {:>6.2}x {:>12.0}",
            posts,
            mb,
            base.seconds,
            mb / base.seconds,
            base.peak_rss as f64 / 1e6,
            ours.seconds,
            mb / ours.seconds,
            ours.peak_rss as f64 / 1e6,
            base.seconds / ours.seconds,
            budget
        );
    }
    println!();
    println!("Reopen: a kept archive (\"Keep on this device\") opened from its snapshot vs a fresh open + index, best of {} runs", args.runs);
    println!(
        "{:>8} | {:>12} {:>9} | {:>11} {:>9} {:>9} | {:>7}",
        "posts", "open+index s", "peak MB", "snapshot MB", "reopen s", "peak MB", "speedup"
    );
    for &posts in &args.posts {
        let archive = ensure_archive(&args.cache, posts)?;
        let fresh = measure(&exe, "session", &archive, args.runs)?;
        let kept = measure(&exe, "snapshot", &archive, 1)?;
        let reopen = measure(&exe, "reopen", &archive, args.runs)?;
        println!(
            "{:>8} | {:>12.3} {:>9.0} | {:>11.1} {:>9.3} {:>9.0} | {:>6.1}x",
            posts,
            fresh.seconds,
            fresh.peak_rss as f64 / 1e6,
            kept.written as f64 / 1e6,
            reopen.seconds,
            reopen.peak_rss as f64 / 1e6,
            fresh.seconds / reopen.seconds
        );
    }
    Ok(())
}

/// Index build and query latency (results + facets, first page) over a fixed mix of realistic
/// queries, beside a naive scan that lowercases each post's text and checks the terms.
fn run_search(args: &Args) -> Result<()> {
    println!();
    println!(
        "Search: index build and query latency (results + facets) vs a naive scan, {} queries",
        permafrost_index::bench::QUERY_MIX.len()
    );
    println!(
        "{:>8} {:>10} | {:>9} {:>7} {:>9} {:>6} | {:>9} {:>9} {:>9} | {:>10} {:>10} | {:>8}",
        "posts",
        "outbox MB",
        "build ms",
        "MB/s",
        "index MB",
        "× JSON",
        "p50 µs",
        "p95 µs",
        "max µs",
        "scan p50",
        "scan p95",
        "speedup"
    );
    for &posts in &args.posts {
        let archive = ensure_archive(&args.cache, posts)?;
        let loaded = crate::inputs::open(std::slice::from_ref(&archive))?;
        let r = permafrost_index::bench::run_bench(&loaded.account, loaded.outbox_bytes);
        println!(
            "{:>8} {:>10.1} | {:>9.0} {:>7.0} {:>9.1} {:>6.2} | {:>9.1} {:>9.1} {:>9.1} | {:>10.0} {:>10.0} | {:>7.0}x",
            posts,
            r.outbox_bytes as f64 / 1e6,
            r.build_ms,
            r.build_mb_per_s,
            r.index_bytes as f64 / 1e6,
            r.index_ratio,
            r.p50_us,
            r.p95_us,
            r.max_us,
            r.naive_p50_us,
            r.naive_p95_us,
            r.speedup_p50
        );
        if args.per_query {
            println!("{}", r.query_table());
        }
    }
    Ok(())
}

fn ensure_archive(cache: &Path, posts: usize) -> Result<PathBuf> {
    let path = cache.join(format!("synth-{posts}.zip"));
    if !path.exists() {
        eprintln!("generating {} ({posts} posts)…", path.display());
        let tmp = path.with_extension("zip.tmp");
        let options = Options {
            posts,
            seed: 42,
            media_bytes: 64,
            container: Container::Zip,
            ..Options::default()
        };
        write_archive(&options, BufWriter::new(std::fs::File::create(&tmp)?))?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(path)
}

pub(crate) fn measure(exe: &Path, what: &str, archive: &Path, runs: usize) -> Result<Measurement> {
    let mut best: Option<Measurement> = None;
    for _ in 0..runs.max(1) {
        let out = Command::new(exe)
            .args(["bench-child", what])
            .arg(archive)
            .output()?;
        if !out.status.success() {
            bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let m: Measurement = serde_json::from_slice(&out.stdout)?;
        best = Some(match best {
            Some(b) => Measurement {
                seconds: b.seconds.min(m.seconds),
                peak_rss: b.peak_rss.max(m.peak_rss),
                ..m
            },
            None => m,
        });
    }
    best.context("no run")
}

/// Where the snapshot of `archive` is written by `bench-child snapshot` ("Keep on this device").
fn snapshot_path(archive: &Path) -> PathBuf {
    archive.with_extension("snapshot")
}

/// `snapshot`: opens the archive and writes its snapshot (`written` is its size); `reopen`:
/// opens the archive from that snapshot, as a kept archive opens in the browser.
fn snapshot_child(archive: &Path, reopen: bool) -> Result<Measurement> {
    let inputs = crate::inputs::inputs(&[archive.to_path_buf()])?;
    let clock = Box::new(|| 0.0);
    let start = Instant::now();
    let (session, opened, written) = if reopen {
        let bytes = std::fs::read(snapshot_path(archive))?;
        let (session, opened) = permafrost_session::Session::restore(inputs, &bytes, clock)
            .map_err(|e| anyhow::anyhow!("the snapshot was refused: {e}"))?;
        (session, opened, bytes.len() as u64)
    } else {
        let (session, opened) = permafrost_session::Session::open(inputs, &mut |_| {}, clock)
            .map_err(|e| anyhow::anyhow!(e))?;
        let bytes = session.snapshot()?;
        std::fs::write(snapshot_path(archive), &bytes)?;
        (session, opened, bytes.len() as u64)
    };
    let seconds = start.elapsed().as_secs_f64();
    drop(session);
    Ok(Measurement {
        seconds,
        outbox_bytes: opened.summary.outbox_bytes,
        peak_rss: 0,
        posts: opened.summary.posts,
        written,
    })
}

pub(crate) fn run_child(args: ChildArgs) -> Result<()> {
    if args.what == "snapshot" || args.what == "reopen" {
        let mut m = snapshot_child(&args.archive, args.what == "reopen")?;
        m.peak_rss = peak_rss();
        println!("{}", serde_json::to_string(&m)?);
        return Ok(());
    }
    if args.what == "session" || args.what.starts_with("export-") {
        let mut m = session_child(&args.archive, args.what.strip_prefix("export-"))?;
        m.peak_rss = peak_rss();
        println!("{}", serde_json::to_string(&m)?);
        return Ok(());
    }
    let start = Instant::now();
    let (outbox_bytes, posts) = match args.what.as_str() {
        "baseline" => {
            let file = std::fs::File::open(&args.archive)?;
            let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))?;
            let mut entry = zip.by_name("outbox.json")?;
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry.read_to_end(&mut bytes)?;
            let value: serde_json::Value = serde_json::from_slice(&bytes)?;
            let posts = value["orderedItems"].as_array().map_or(0, Vec::len);
            (bytes.len() as u64, posts)
        }
        "ingest" => {
            let loaded = crate::inputs::open(std::slice::from_ref(&args.archive))?;
            (loaded.outbox_bytes, loaded.account.posts.len())
        }
        other => bail!("unknown measurement {other}"),
    };
    let seconds = start.elapsed().as_secs_f64();
    let m = Measurement {
        seconds,
        outbox_bytes,
        peak_rss: peak_rss(),
        posts,
        written: 0,
    };
    println!("{}", serde_json::to_string(&m)?);
    Ok(())
}

/// Peak resident set size of this process, from /proc (0 where unavailable).
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}
