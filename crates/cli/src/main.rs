//! `permafrost`: look inside a Mastodon account archive from the command line.
//!
//! `main` parses the arguments, runs one subcommand, and turns the outcome into an exit status:
//! 0 on success, 1 when the input is at fault (one clear line on stderr, never a backtrace), 2 on a
//! usage error (clap's own exit status). Each subcommand lives in its own module and only calls the
//! library crates.

mod bench;
mod bench_hostile;
mod export;
mod inputs;
mod inspect;
mod media;
mod people;
mod search;
mod synth;

use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;

// Parsing allocates many short-lived strings (post HTML, JSON escapes); glibc's allocator spends a
// tenth of the ingest time consolidating its free lists, mimalloc much less. See `permafrost bench`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// Look inside a Mastodon account archive. Nothing is uploaded anywhere: everything runs here.
#[derive(Parser)]
#[command(name = "permafrost", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Summarise an archive: account, posts by kind and visibility, media, likes, the social graph.
    Inspect(inspect::Args),
    /// Find posts with the query language (see `permafrost help-query`).
    Search(search::SearchArgs),
    /// Facets and statistics (per month, per week, hour × weekday, top boosted) of all or some posts.
    Stats(search::StatsArgs),
    /// The CSV exports' social graph crossed with the posts: following, followers, lists, blocks,
    /// mutes, blocked domains; who you follow but never mention, who you mention but don't follow.
    People(people::Args),
    /// The media of all or some posts, month by month, with counts per kind and the alt-text
    /// coverage; `--without-alt` lists the attachments that have no description.
    Media(media::Args),
    /// Write the posts matching a query as CSV, media CSV, people CSV, JSON, an archive ZIP,
    /// Markdown or HTML.
    Export(export::Args),
    /// Explain the query language.
    HelpQuery,
    /// Write a deterministic synthetic archive (and the six CSV exports beside it).
    Synth(synth::Args),
    /// Measure opening, parsing, indexing and searching against baselines, on synthetic archives.
    Bench(bench::Args),
    #[command(hide = true)]
    BenchChild(bench::ChildArgs),
}

/// Subcommands whose last argument is a query, which may begin with `-` (`-is:boost`).
const QUERY_COMMANDS: [&str; 4] = ["search", "stats", "media", "export"];

/// Lets a query begin with `-`, as in `permafrost export archive.zip -is:boost --format csv -o
/// x.csv`: for the subcommands that take a query, every argument that is not one of the
/// subcommand's options (or an option's value) moves behind a `--`, which clap reads as
/// positional. Arguments with a `--` of their own are left as they are.
fn hyphen_queries(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let Some(sub) = args
        .get(1)
        .and_then(|a| a.to_str())
        .filter(|name| QUERY_COMMANDS.contains(name))
        .and_then(|name| command.find_subcommand(name))
    else {
        return args;
    };
    if args.iter().skip(2).any(|a| a == "--") {
        return args;
    }
    let mut options = Vec::new();
    let mut positional = Vec::new();
    let mut rest = args.iter().skip(2);
    while let Some(arg) = rest.next() {
        let text = arg.to_string_lossy();
        let known = if let Some(long) = text.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            if matches!(name, "help" | "version") {
                Some(false)
            } else {
                sub.get_arguments()
                    .find(|a| a.get_long() == Some(name))
                    .map(|a| a.get_action().takes_values() && !inline)
            }
        } else if let Some(short) = text.strip_prefix('-').and_then(|s| s.chars().next()) {
            let attached = text.len() > 2;
            if short == 'h' && !attached {
                Some(false)
            } else {
                sub.get_arguments()
                    .find(|a| a.get_short() == Some(short))
                    .filter(|a| !attached || a.get_action().takes_values())
                    .map(|a| a.get_action().takes_values() && !attached)
            }
        } else {
            None
        };
        match known {
            Some(takes_value) => {
                options.push(arg.clone());
                if takes_value {
                    options.extend(rest.next().cloned());
                }
            }
            None => positional.push(arg.clone()),
        }
    }
    let mut out: Vec<OsString> = args.iter().take(2).cloned().collect();
    out.extend(options);
    out.push("--".into());
    out.extend(positional);
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(hyphen_queries(std::env::args_os().collect()));
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Search(args) => search::run_search(args),
        Command::Stats(args) => search::run_stats(args),
        Command::Media(args) => media::run(args),
        Command::Export(args) => export::run(args),
        Command::People(args) => people::run(args),
        Command::HelpQuery => {
            println!("{}", permafrost_index::HELP);
            Ok(())
        }
        Command::Synth(args) => synth::run(args),
        Command::Bench(args) => bench::run(args),
        Command::BenchChild(args) => bench::run_child(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`permafrost search … | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            // Causes add what the message does not already say (some errors display their
            // source too, and "X: X" helps no one).
            let mut message = err.to_string();
            for cause in err.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message.push_str(": ");
                    message.push_str(&cause);
                }
            }
            eprintln!("permafrost: {message}");
            ExitCode::from(1)
        }
    }
}
