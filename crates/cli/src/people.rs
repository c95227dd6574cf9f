//! `permafrost people`: the social graph of the CSV exports crossed with the posts, the same
//! view the web app's People tab shows (the session's answer to a `People` request).

use crate::inputs;
use anyhow::{anyhow, bail, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use permafrost_protocol::{PeopleSort, PeopleTable, PeopleView, RequestBody, ResponseBody};
use permafrost_session::{Answer, Session};
use std::io::Write;
use std::path::PathBuf;

/// Rows the session sends per request.
const PAGE: u32 = 500;

/// Arguments of `people`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The archive (.zip, .tar.gz, .tar, its folder or its files), then any CSV exports
    /// (following_accounts.csv, lists.csv, blocked_accounts.csv, muted_accounts.csv,
    /// blocked_domains.csv, bookmarks.csv; GoToSocial's followers.csv).
    #[arg(required = true, value_name = "ARCHIVE [CSV…]")]
    paths: Vec<PathBuf>,
    /// Which table: who you follow, your followers, list members, blocks, mutes, blocked
    /// domains, those you follow but never mention nor boost, those you mention but don't follow.
    #[arg(long, default_value = "following",
          value_parser = PossibleValuesParser::new(PeopleTable::ALL.map(PeopleTable::as_str))
              .map(|name: String| PeopleTable::parse(&name).unwrap_or(PeopleTable::Following)))]
    table: PeopleTable,
    /// Only rows whose address (or list title) contains this text, ignoring case.
    #[arg(long, default_value = "", value_name = "TEXT")]
    filter: String,
    /// Order: by address, most mentioned, most boosted, or as the file lists them (default:
    /// most mentioned for mentioned_not_followed, by address for the others).
    #[arg(long, value_parser = PossibleValuesParser::new(PeopleSort::ALL.map(PeopleSort::as_str))
              .map(|name: String| PeopleSort::parse(&name).unwrap_or(PeopleSort::Name)))]
    sort: Option<PeopleSort>,
    /// Count mentions and boosts only in the posts this query selects (see `permafrost
    /// help-query`; read as the app's search box reads it).
    #[arg(long, default_value = "", value_name = "QUERY")]
    query: String,
    /// Time zone for dates in the query (IANA name).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    tz: String,
    /// First matching row to print.
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// Rows to print (at most 500, a page of the app's table); `--all` prints every one.
    #[arg(long, default_value_t = PAGE, conflicts_with = "all")]
    limit: u32,
    /// Print every matching row from the offset on.
    #[arg(long)]
    all: bool,
    /// Print the view as JSON, as the app receives it.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args) -> Result<()> {
    if !permafrost_index::is_known_time_zone(&args.tz) {
        bail!(
            "unknown time zone `{}`: use an IANA name such as Europe/Berlin, America/New_York or UTC",
            args.tz
        );
    }
    let (mut session, _) =
        Session::open(inputs::inputs(&args.paths)?, &mut |_| {}, Box::new(|| 0.0))
            .map_err(|e| anyhow!(e))?;
    let mut ask = |offset: u32, limit: u32| -> Result<PeopleView> {
        let body = RequestBody::People {
            table: args.table,
            filter: args.filter.clone(),
            sort: args.sort,
            query: args.query.clone(),
            time_zone: args.tz.clone(),
            offset,
            limit,
        };
        match session.answer(0, body) {
            Answer::Body(ResponseBody::People(view)) => Ok(*view),
            Answer::Body(ResponseBody::Error { message }) => Err(anyhow!(message)),
            _ => Err(anyhow!("the session gave no People view")),
        }
    };
    let mut view = ask(args.offset, if args.all { PAGE } else { args.limit })?;
    // Every page after the first, into one view (the page's rows, one after the other).
    while args.all
        && view.offset as usize + view.rows.len() + view.domains.len() < view.matching as usize
    {
        let next = ask(
            view.offset + (view.rows.len() + view.domains.len()) as u32,
            PAGE,
        )?;
        if next.rows.is_empty() && next.domains.is_empty() {
            break;
        }
        view.rows.extend(next.rows);
        view.domains.extend(next.domains);
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, &view)?;
    }
    Ok(())
}

fn write_human(out: &mut impl Write, v: &PeopleView) -> std::io::Result<()> {
    let info = v.tables.iter().find(|t| t.table == v.table);
    if !info.is_some_and(|i| i.present) {
        writeln!(out, "no file gives {}", v.table.as_str())?;
        if !v.missing.is_empty() {
            let names: Vec<&str> = v.missing.iter().map(|k| k.file_name()).collect();
            let page = v
                .export_page
                .as_deref()
                .unwrap_or("your server's Preferences > Import and export > Export");
            writeln!(out, "export {} from {page}", names.join(", "))?;
            writeln!(out, "and give them beside the archive")?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} of {} (sorted by {}){}",
        v.table.as_str(),
        v.matching,
        v.total,
        v.sort.as_str(),
        if v.offset > 0 {
            format!(", from {}", v.offset + 1)
        } else {
            String::new()
        }
    )?;
    for e in &v.errors {
        writeln!(out, "  query: {e}")?;
    }
    for d in &v.domains {
        writeln!(out, "  {d}")?;
    }
    for r in &v.rows {
        let mut notes = Vec::new();
        if let Some(list) = &r.list {
            notes.push(format!("[{list}]"));
        }
        if r.mentions > 0 {
            notes.push(format!(
                "{} ({})",
                plural(r.mentions, "mention"),
                r.mention_term.as_deref().unwrap_or("")
            ));
        }
        if r.boosts > 0 {
            notes.push(format!(
                "{} ({})",
                plural(r.boosts, "boost"),
                r.boost_term.as_deref().unwrap_or("")
            ));
        }
        if r.show_boosts == Some(false) {
            notes.push("boosts hidden".into());
        }
        if r.notify == Some(true) {
            notes.push("notify".into());
        }
        if !r.languages.is_empty() {
            notes.push(format!("languages {}", r.languages.join(", ")));
        }
        if r.hide_notifications == Some(true) {
            notes.push("notifications hidden".into());
        }
        if r.list.is_none() && !r.lists.is_empty() {
            notes.push(format!("lists: {}", r.lists.join(", ")));
        }
        writeln!(out, "  {}  {}", r.address, notes.join(", "))?;
    }
    let shown = v.rows.len() + v.domains.len();
    if (v.offset as usize + shown) < v.matching as usize {
        writeln!(
            out,
            "… {} more (use --offset, --limit or --all)",
            v.matching as usize - v.offset as usize - shown
        )?;
    }
    Ok(())
}

/// `1 mention`, `2 mentions`.
fn plural(n: u32, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
