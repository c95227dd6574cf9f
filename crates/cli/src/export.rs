//! `permafrost export`: the selected posts as CSV, JSON, an archive ZIP, Markdown or HTML, written
//! by the same session code as the web app's export (`Session::export_to`).

use crate::inputs;
use anyhow::{anyhow, bail, Context, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use permafrost_index::{parse_query, Mode, Sort};
use permafrost_protocol::{ExportFormat, ExportOptions, LeaveOut, Selection};
use permafrost_session::Session;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What `--leave-out` takes.
const LEAVE_OUT: [&str; 6] = [
    "followers",
    "direct",
    "boosts",
    "media",
    "likes",
    "bookmarks",
];

/// Arguments of `export`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The archive (and any CSV exports), then optionally a query (see `permafrost help-query`;
    /// empty: every post). A query may begin with `-` (`-is:boost`).
    #[arg(required = true, value_name = "PATH… [QUERY]")]
    args: Vec<String>,
    /// What to write.
    #[arg(long, value_parser = format_parser())]
    format: ExportFormat,
    /// The file to write (written to a temporary file beside it, renamed when complete).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
    /// Time zone of the local dates (CSV's published_local, Markdown, HTML), an IANA name.
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    tz: String,
    /// Leave these out (comma-separated): followers-only posts, direct messages, boosts, media
    /// files, likes.json and bookmarks.json (archive ZIP).
    #[arg(long, value_delimiter = ',', value_name = "WHAT",
          value_parser = PossibleValuesParser::new(LEAVE_OUT))]
    leave_out: Vec<String>,
    /// Replace mentions of other people with a neutral placeholder (`@someone`).
    #[arg(long)]
    redact_mentions: bool,
    /// Start CSV files with a byte order mark (for spreadsheets that need one).
    #[arg(long)]
    bom: bool,
    /// Order of the posts (CSV, Markdown, HTML; JSON and the archive ZIP keep outbox order).
    #[arg(long, default_value = Sort::default().as_str(),
          value_parser = PossibleValuesParser::new(Sort::ALL.map(Sort::as_str))
              .map(|name: String| Sort::parse(&name).unwrap_or_default()))]
    sort: Sort,
    /// Threads that deflate ZIP exports (archive ZIP, Markdown, HTML with media): 1 deflates in
    /// the thread that writes, N > 1 starts N threads for it, 0 one per core (at most four).
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,
}

/// `--format`: the names of [`ExportFormat::as_str`].
fn format_parser() -> impl TypedValueParser<Value = ExportFormat> {
    PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::as_str))
        .map(|name: String| ExportFormat::parse(&name).unwrap_or_default())
}

pub(crate) fn run(args: Args) -> Result<()> {
    if !permafrost_index::is_known_time_zone(&args.tz) {
        bail!(
            "unknown time zone `{}`: use an IANA name such as Europe/Berlin, America/New_York or UTC",
            args.tz
        );
    }
    let mut positional = args.args;
    let query = match positional.last() {
        Some(last) if positional.len() > 1 && !Path::new(last).exists() => {
            positional.pop().unwrap_or_default()
        }
        _ => String::new(),
    };
    let parsed = parse_query(&query, Mode::Exact);
    if let Some(e) = parsed.errors.first() {
        let at = query.get(e.span.0..e.span.1).unwrap_or("");
        bail!(
            "query error at `{at}` (characters {}–{}): {e}",
            e.span.0 + 1,
            e.span.1
        );
    }
    let paths: Vec<PathBuf> = positional.iter().map(PathBuf::from).collect();
    let has = |what: &str| args.leave_out.iter().any(|w| w == what);
    let options = ExportOptions {
        format: args.format,
        time_zone: args.tz.clone(),
        bom: args.bom,
        leave_out: LeaveOut {
            followers: has("followers"),
            direct: has("direct"),
            boosts: has("boosts"),
            media: has("media"),
            likes: has("likes"),
            bookmarks: has("bookmarks"),
        },
        redact_mentions: args.redact_mentions,
    };
    let selection = Selection::Query {
        query,
        sort: args.sort,
        time_zone: args.tz,
        as_typed: false,
    };

    permafrost_session::export::set_threads(args.threads);
    let (mut session, _) = Session::open(inputs::inputs(&paths)?, &mut |_| {}, Box::new(now_ms))
        .map_err(|e| anyhow!(e))?;
    // The archive opened again lets a JSON or ZIP export read outbox.json in one pass even
    // when it replaces mentions (the session ignores a file that does not hold outbox.json).
    let archive = paths
        .iter()
        .find(|p| p.is_file() && !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    if let Some(path) = archive.cloned() {
        session.set_export_source(move || std::fs::File::open(&path).ok());
    }

    let out = &args.output;
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow!("-o {}: give a file name to write", out.display()))?;
    let temp = folder.join(format!(".{name}.{}.part", std::process::id()));
    let written = (|| -> Result<_> {
        let file = std::fs::File::create(&temp)
            .with_context(|| format!("cannot write in {}", folder.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let done = session
            .export_to(&selection, options, &mut writer, &mut |_, _, _| {})
            .map_err(|e| anyhow!(e))?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()?;
        std::fs::rename(&temp, out).with_context(|| format!("cannot write {}", out.display()))?;
        Ok(done)
    })();
    let done = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            return Err(e);
        }
    };
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "permafrost: exported {} post{}, {} media file{}, {} bytes to {}",
        done.posts,
        if done.posts == 1 { "" } else { "s" },
        done.media_files,
        if done.media_files == 1 { "" } else { "s" },
        done.bytes,
        out.display()
    )?;
    Ok(())
}

/// Milliseconds since the Unix epoch (the export's file name date and its time slices).
fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}
