//! `permafrost search` and `permafrost stats`: the query language from the command line.

use crate::inputs;
use anyhow::{bail, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use permafrost_index::{
    parse_query, Broader, Index, Mode, Parsed, SearchOptions, SearchResult, Sort,
};
use permafrost_model::{time::format_rfc3339, Account, PostKind};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `search`.
#[derive(clap::Args)]
pub(crate) struct SearchArgs {
    /// The archive (and any CSV exports), then the query; see `permafrost help-query`.
    #[arg(required = true, num_args = 2.., value_name = "PATH… QUERY")]
    args: Vec<String>,
    /// Print only the number of matching posts.
    #[arg(long, conflicts_with_all = ["ids", "json"])]
    count: bool,
    /// Print the id URI of every matching post, one per line (a boost's is its Announce activity).
    #[arg(long, conflicts_with = "json")]
    ids: bool,
    /// Print the results, with facets, as JSON.
    #[arg(long)]
    json: bool,
    /// Order of results.
    #[arg(long, default_value = Sort::default().as_str(), value_parser = sort_parser())]
    sort: Sort,
    /// Time zone for dates in the query and in the output (IANA name, e.g. Europe/Berlin).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    tz: String,
    /// Results to print (human and JSON output); `--ids` and `--count` cover every match.
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

/// Arguments of `stats`.
#[derive(clap::Args)]
pub(crate) struct StatsArgs {
    /// The archive (and any CSV exports), then optionally a query to narrow the posts counted.
    #[arg(required = true, value_name = "PATH… [QUERY]")]
    args: Vec<String>,
    /// Time zone for months, days and hours (IANA name).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    tz: String,
    /// Print facets and statistics as JSON.
    #[arg(long)]
    json: bool,
}

/// `--sort`: the names of [`Sort::as_str`], listed in the help and checked by clap.
fn sort_parser() -> impl TypedValueParser<Value = Sort> {
    PossibleValuesParser::new(Sort::ALL.map(Sort::as_str))
        .map(|name: String| Sort::parse(&name).unwrap_or_default())
}

/// Parses the query; any mistake is an input error naming it (with a suggestion when there is one).
pub(crate) fn parse_strict(text: &str) -> Result<Parsed> {
    let parsed = parse_query(text, Mode::Exact);
    if let Some(e) = parsed.errors.first() {
        let at = text.get(e.span.0..e.span.1).unwrap_or("");
        bail!(
            "query error at `{at}` (characters {}–{}): {e}",
            e.span.0 + 1,
            e.span.1
        );
    }
    Ok(parsed)
}

/// Fails on a time zone the bundled database does not know.
pub(crate) fn check_tz(tz: &str) -> Result<()> {
    if !permafrost_index::is_known_time_zone(tz) {
        bail!("unknown time zone `{tz}`: use an IANA name such as Europe/Berlin, America/New_York or UTC");
    }
    Ok(())
}

pub(crate) fn run_search(args: SearchArgs) -> Result<()> {
    let (query, paths) = args
        .args
        .split_last()
        .map(|(q, p)| (q.clone(), p.iter().map(PathBuf::from).collect::<Vec<_>>()))
        .unwrap_or_default();
    check_tz(&args.tz)?;
    let parsed = parse_strict(&query)?;
    let loaded = inputs::open(&paths)?;
    let account = &loaded.account;
    let index = Index::build(account);
    let all = args.count || args.ids;
    let options = SearchOptions {
        sort: args.sort,
        offset: 0,
        limit: if all { usize::MAX } else { args.limit },
        tz: args.tz.clone(),
        facets: args.json,
        stats: false,
        highlights: args.json,
    };
    let result = index.search(account, &parsed, &options);
    let mut out = std::io::stdout().lock();
    if args.count {
        writeln!(out, "{}", result.total)?;
    } else if args.ids {
        for hit in &result.hits {
            if let Some(post) = account.posts.get(hit.post as usize) {
                writeln!(out, "{}", post.id)?;
            }
        }
    } else if args.json {
        serde_json::to_writer_pretty(&mut out, &results_json(account, &query, &result))?;
        writeln!(out)?;
    } else {
        write_human(&mut out, account, &result)?;
        if result.total == 0 {
            write_broader(&mut out, &index.broader(&query, Mode::Exact, &args.tz))?;
        }
    }
    Ok(())
}

fn results_json(account: &Account, query: &str, result: &SearchResult) -> serde_json::Value {
    let hits: Vec<_> = result
        .hits
        .iter()
        .filter_map(|hit| {
            let post = account.posts.get(hit.post as usize)?;
            Some(json!({
                "id": post.id,
                "account": owner(account, hit.post),
                "url": post.url,
                "kind": if post.kind == PostKind::Boost { "boost" } else { "original" },
                "published": post.published.map(format_rfc3339),
                "visibility": post.visibility.as_str(),
                "language": post.language.map(|l| account.strings.resolve(l)),
                "content_warning": post.content_warning,
                "text": post.content.plain_text(),
                "boost_of": post.boost_of,
                "highlights": hit.highlights,
            }))
        })
        .collect();
    json!({ "query": query, "total": result.total, "hits": hits, "facets": result.facets })
}

/// Whose a post is, when archives of several accounts are open (`None` for one account).
fn owner(account: &Account, post: u32) -> Option<&str> {
    if account.owners.names.len() < 2 {
        return None;
    }
    let owner = account.owners.of(post);
    account.owners.names.get(usize::from(owner)).map(|n| &**n)
}

/// After "0 posts": what the query matches with each of its parts taken out, so that the
/// part that empties it shows (as the app's "no posts match" does).
fn write_broader(out: &mut impl Write, broader: &[Broader]) -> std::io::Result<()> {
    if broader.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nWith one part of the query taken out:")?;
    for b in broader {
        let noun = if b.total == 1 { "post" } else { "posts" };
        writeln!(
            out,
            "  without {}: {} {noun}  ({})",
            b.without, b.total, b.query
        )?;
    }
    Ok(())
}

fn write_human(
    out: &mut impl Write,
    account: &Account,
    result: &SearchResult,
) -> std::io::Result<()> {
    let noun = if result.total == 1 { "post" } else { "posts" };
    writeln!(out, "{} {noun}", result.total)?;
    for hit in &result.hits {
        let Some(post) = account.posts.get(hit.post as usize) else {
            continue;
        };
        let date = post.published.map(format_rfc3339).unwrap_or_default();
        writeln!(out)?;
        let whose = owner(account, hit.post).map_or_else(String::new, |n| format!("@{n}  "));
        writeln!(
            out,
            "{}  {}  {whose}{}",
            &date[..date.len().min(10)],
            post.visibility.as_str(),
            post.url.as_deref().unwrap_or(&post.id)
        )?;
        if let Some(cw) = &post.content_warning {
            writeln!(out, "  CW: {cw}")?;
        }
        let text = match post.kind {
            PostKind::Boost if post.content.is_empty() => {
                format!("boosted {}", post.boost_of.as_deref().unwrap_or(""))
            }
            _ => post.content.plain_text(),
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(4) {
            writeln!(out, "  {line}")?;
        }
    }
    if result.hits.len() < result.total as usize {
        writeln!(
            out,
            "\n… {} more (use --limit, --ids or --json)",
            result.total as usize - result.hits.len()
        )?;
    }
    Ok(())
}

pub(crate) fn run_stats(args: StatsArgs) -> Result<()> {
    check_tz(&args.tz)?;
    let mut positional = args.args;
    let query = match positional.last() {
        Some(last) if positional.len() > 1 && !std::path::Path::new(last).exists() => {
            positional.pop().unwrap_or_default()
        }
        _ => String::new(),
    };
    let parsed = parse_strict(&query)?;
    let paths: Vec<PathBuf> = positional.iter().map(PathBuf::from).collect();
    let loaded = inputs::open(&paths)?;
    let account = &loaded.account;
    let index = Index::build(account);
    let options = SearchOptions {
        sort: Sort::Newest,
        offset: 0,
        limit: 0,
        tz: args.tz.clone(),
        facets: true,
        stats: true,
        highlights: false,
    };
    let result = index.search(account, &parsed, &options);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &json!({ "query": query, "tz": args.tz, "total": result.total, "facets": result.facets, "stats": result.stats }),
        )?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} posts{}",
        result.total,
        if query.is_empty() {
            String::new()
        } else {
            format!(" matching `{query}`")
        }
    )?;
    if let Some(f) = &result.facets {
        let line = |name: &str, counts: &[permafrost_index::FacetCount]| -> String {
            let items: Vec<String> = counts
                .iter()
                .take(10)
                .map(|c| format!("{} {}", c.value, c.count))
                .collect();
            format!("  {name:<16}{}", items.join(", "))
        };
        for (name, counts) in [
            ("years", &f.years),
            ("kinds", &f.kinds),
            ("visibility", &f.visibility),
            ("languages", &f.languages),
            ("media", &f.media),
            ("hashtags", &f.hashtags),
            ("mentions", &f.mentions),
            ("link domains", &f.domains),
        ] {
            if !counts.is_empty() {
                writeln!(out, "{}", line(name, counts))?;
            }
        }
    }
    if let Some(s) = &result.stats {
        let max = s
            .per_month
            .iter()
            .map(|c| c.count)
            .max()
            .unwrap_or(0)
            .max(1);
        writeln!(out, "\nposts per month ({})", args.tz)?;
        for c in &s.per_month {
            let bar = "█".repeat(((c.count as f64 / max as f64) * 40.0).ceil() as usize);
            writeln!(out, "  {:<8} {:>6} {bar}", c.value, c.count)?;
        }
        writeln!(out, "\nhour × weekday ({}), Monday first", args.tz)?;
        let peak = s
            .punchcard
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let shades = [' ', '░', '▒', '▓', '█'];
        for (day, hours) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .zip(&s.punchcard)
        {
            let row: String = hours
                .iter()
                .map(|&n| {
                    shades[if n == 0 {
                        0
                    } else {
                        1 + (n as usize * 3 / peak as usize).min(3)
                    }]
                })
                .collect();
            writeln!(out, "  {day} |{row}|")?;
        }
        if !s.top_boosted.is_empty() {
            let items: Vec<String> = s
                .top_boosted
                .iter()
                .take(10)
                .map(|c| format!("{} {}", c.value, c.count))
                .collect();
            writeln!(out, "\ntop boosted accounts: {}", items.join(", "))?;
        }
        let (with, all) = s
            .alt_text
            .iter()
            .fold((0, 0), |(w, a), m| (w + m.described, a + m.attachments));
        if all > 0 {
            writeln!(
                out,
                "alt text: {with} of {all} attachments described ({:.0}%)",
                100.0 * f64::from(with) / f64::from(all)
            )?;
        }
    }
    Ok(())
}
