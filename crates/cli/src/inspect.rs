//! `permafrost inspect`: what is in an archive.

use crate::inputs;
use anyhow::Result;
use permafrost_engine::{summarize, Summary};
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `inspect`.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The archive (.zip, .tar.gz, .tar), its extracted folder, or its files, plus any CSV
    /// exports; or several archives (of one account or several), read as one set.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: Args) -> Result<()> {
    let loaded = inputs::open(&args.paths)?;
    let summary = summarize(&loaded);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        write_human(&mut out, &summary)?;
    }
    Ok(())
}

fn opt(n: Option<usize>) -> String {
    n.map_or_else(|| "not in what was given".to_string(), |n| n.to_string())
}

fn write_human(out: &mut impl Write, s: &Summary) -> std::io::Result<()> {
    if !s.accounts.is_empty() {
        writeln!(
            out,
            "{} accounts, {} posts in all{}",
            s.accounts.len(),
            s.posts,
            duplicates(s)
        )?;
        for (i, account) in s.accounts.iter().enumerate() {
            writeln!(out)?;
            write!(out, "[{}] ", i + 1)?;
            write_one(out, account, true)?;
        }
        writeln!(out)?;
        writeln!(out, "All accounts")?;
    }
    write_one(out, s, s.accounts.is_empty())
}

/// ", 12 posts in more than one archive counted once", or nothing.
fn duplicates(s: &Summary) -> String {
    match s.duplicates_merged {
        0 => String::new(),
        1 => ", 1 post in more than one archive counted once".into(),
        n => format!(", {n} posts in more than one archive counted once"),
    }
}

fn write_one(out: &mut impl Write, s: &Summary, profile: bool) -> std::io::Result<()> {
    let name = s.account.display_name.as_deref().filter(|n| !n.is_empty());
    match (&s.account.handle, name) {
        _ if !profile => {}
        (Some(h), Some(n)) => writeln!(out, "{n} (@{h})")?,
        (Some(h), None) => writeln!(out, "@{h}")?,
        _ => writeln!(out, "(no actor.json: the profile is unknown)")?,
    }
    if let Some(created) = s.account.created.as_ref().filter(|_| profile) {
        writeln!(
            out,
            "  joined          {}",
            &created[..10.min(created.len())]
        )?;
    }
    writeln!(
        out,
        "  format          {} (outbox.json {:.1} MB)",
        s.format,
        s.outbox_bytes as f64 / 1e6
    )?;
    let span = match (&s.first_post, &s.last_post) {
        (Some(a), Some(b)) => format!(", {} to {}", &a[..10.min(a.len())], &b[..10.min(b.len())]),
        _ => String::new(),
    };
    writeln!(out, "  posts           {}{span}{}", s.posts, duplicates(s))?;
    writeln!(
        out,
        "    originals     {} ({} replies, {} to your own posts)",
        s.originals, s.replies, s.self_replies
    )?;
    writeln!(out, "    boosts        {}", s.boosts)?;
    let v = &s.visibility;
    writeln!(
        out,
        "  visibility      {} public, {} unlisted, {} followers-only, {} direct",
        v.public, v.unlisted, v.private, v.direct
    )?;
    writeln!(
        out,
        "  with media      {}   polls {}   content warnings {}   edited {}",
        s.with_media, s.polls, s.with_cw, s.edited
    )?;
    let mut langs: Vec<_> = s.languages.iter().collect();
    langs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let langs: Vec<String> = langs
        .iter()
        .take(8)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    if !langs.is_empty() {
        writeln!(
            out,
            "  languages       {}{}",
            langs.join(", "),
            if s.languages.len() > 8 { ", …" } else { "" }
        )?;
    }
    let m = &s.media;
    writeln!(
        out,
        "  media           {} referenced, {} present, {} missing, {} without alt text",
        m.referenced, m.present, m.missing, m.without_alt
    )?;
    writeln!(out, "  likes           {}", opt(s.likes))?;
    writeln!(out, "  bookmarks       {}", opt(s.bookmarks))?;
    writeln!(out, "  following       {}", opt(s.following))?;
    writeln!(out, "  followers       {}", opt(s.followers))?;
    match &s.lists {
        Some(lists) if !lists.is_empty() => {
            let l: Vec<String> = lists.iter().map(|(t, n)| format!("{t} ({n})")).collect();
            writeln!(out, "  lists           {}", l.join(", "))?;
        }
        Some(_) => writeln!(out, "  lists           none")?,
        None => writeln!(out, "  lists           not in what was given")?,
    }
    writeln!(
        out,
        "  blocks          {}   mutes {}   domain blocks {}",
        opt(s.blocks),
        opt(s.mutes),
        opt(s.domain_blocks)
    )?;
    if !s.diagnostics.is_empty() {
        let total: u64 = s.diagnostic_counts.values().sum();
        writeln!(out, "  diagnostics     {total}")?;
        for d in s.diagnostics.iter().take(20) {
            writeln!(out, "    {}: {}: {}", d.kind, d.location, d.message)?;
        }
        let listed = s.diagnostics.len().min(20) as u64;
        if total > listed {
            let by_kind: Vec<String> = s
                .diagnostic_counts
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            writeln!(
                out,
                "    … and {} more ({}; the first {} of each kind are in --json)",
                total - listed,
                by_kind.join(", "),
                permafrost_model::diagnostic::KEPT_PER_KIND
            )?;
        }
    }
    Ok(())
}
