//! `permafrost media`: the media library and its alt-text audit, the same answer as the app's
//! Media view (`Session::media_library`), with every item.

use crate::inputs;
use crate::search::{check_tz, parse_strict};
use anyhow::{anyhow, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use permafrost_model::{time::format_rfc3339, MediaKind};
use permafrost_protocol::MediaLibraryView;
use permafrost_session::{MediaFilter, Session};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The kinds `--kind` takes, as the protocol names them.
const KINDS: [(&str, MediaKind); 5] = [
    ("image", MediaKind::Image),
    ("gif", MediaKind::Gif),
    ("video", MediaKind::Video),
    ("audio", MediaKind::Audio),
    ("other", MediaKind::Other),
];

/// Arguments of `media`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The archive (and any CSV exports), then optionally a query (see `permafrost help-query`;
    /// empty: every post). A query may begin with `-` (`-is:boost`).
    #[arg(required = true, value_name = "PATH… [QUERY]")]
    args: Vec<String>,
    /// Print the answer as JSON: the app's media library view, with every item.
    #[arg(long)]
    json: bool,
    /// Only attachments of this kind (the counts per kind still cover all the query's media; the
    /// alt-text coverage is that of this kind).
    #[arg(long, value_parser = kind_parser())]
    kind: Option<MediaKind>,
    /// Only attachments without a description (the alt-text audit).
    #[arg(long)]
    without_alt: bool,
    /// Oldest posts first (posts without a date are last either way).
    #[arg(long)]
    oldest_first: bool,
    /// Time zone for dates in the query and the months items are grouped by (IANA name).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    tz: String,
}

/// `--kind`: the names of [`KINDS`].
fn kind_parser() -> impl TypedValueParser<Value = MediaKind> {
    PossibleValuesParser::new(KINDS.map(|(name, _)| name)).map(|name: String| {
        KINDS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(MediaKind::Other, |(_, k)| *k)
    })
}

/// The name `--kind` and the JSON give a kind.
fn kind_name(kind: MediaKind) -> &'static str {
    KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("other", |(n, _)| n)
}

pub(crate) fn run(args: Args) -> Result<()> {
    check_tz(&args.tz)?;
    let mut positional = args.args;
    let query = match positional.last() {
        Some(last) if positional.len() > 1 && !Path::new(last).exists() => {
            positional.pop().unwrap_or_default()
        }
        _ => String::new(),
    };
    parse_strict(&query)?;
    let paths: Vec<PathBuf> = positional.iter().map(PathBuf::from).collect();
    let (mut session, _) = Session::open(inputs::inputs(&paths)?, &mut |_| {}, Box::new(|| 0.0))
        .map_err(|e| anyhow!(e))?;
    let filter = MediaFilter {
        query: query.clone(),
        time_zone: args.tz.clone(),
        kind: args.kind,
        without_alt: args.without_alt,
        oldest_first: args.oldest_first,
        // Like `search` and `stats`: a finished query, its last word a whole word.
        as_typed: false,
    };
    let view = session.media_library(filter, 0, u32::MAX);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
        return Ok(());
    }
    for e in &view.errors {
        eprintln!("permafrost: {e}");
    }
    write_human(&mut out, &view, &query, args.kind, &args.tz)?;
    Ok(())
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * f64::from(part) / f64::from(whole))
    }
}

fn write_human(
    out: &mut impl Write,
    view: &MediaLibraryView,
    query: &str,
    kind: Option<MediaKind>,
    tz: &str,
) -> std::io::Result<()> {
    let matching = if query.is_empty() {
        String::new()
    } else {
        format!(" matching `{query}`")
    };
    writeln!(
        out,
        "{} in {} ({} with media{matching})",
        plural(view.total, "attachment", "attachments"),
        plural(view.posts, "post", "posts"),
        plural(view.posts_with_media, "post", "posts"),
    )?;
    writeln!(
        out,
        "alt text{}: {} of {} described ({})",
        kind.map_or(String::new(), |k| format!(" ({})", kind_name(k))),
        view.described,
        view.attachments,
        percent(view.described, view.attachments)
    )?;
    let kinds: Vec<String> = view
        .kinds
        .iter()
        .filter(|k| k.attachments > 0)
        .map(|k| {
            format!(
                "{} {} ({} described)",
                kind_name(k.kind),
                k.attachments,
                k.described
            )
        })
        .collect();
    if !kinds.is_empty() {
        writeln!(out, "by kind: {}", kinds.join(", "))?;
    }
    let mut month: Option<&Option<String>> = None;
    for item in &view.items {
        if month != Some(&item.month) {
            month = Some(&item.month);
            let label = item.month.as_deref().unwrap_or("no date");
            writeln!(out, "\n{label} ({tz})")?;
        }
        let a = &item.attachment;
        let date = item.published.map(format_rfc3339).unwrap_or_default();
        let path = item.path.as_deref().unwrap_or("(not in the archive)");
        let alt = match &a.alt {
            Some(alt) => format!(
                "\"{}\"",
                alt.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            None => "(no description)".into(),
        };
        writeln!(
            out,
            "  {date:<20}  {}#{}  {}{}  {path}  {alt}",
            item.id,
            item.index + 1,
            kind_name(a.kind),
            if item.sensitive { " sensitive" } else { "" },
        )?;
    }
    Ok(())
}
