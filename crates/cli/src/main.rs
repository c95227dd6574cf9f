//! `permafrost`: look inside a Mastodon account archive from the command line.
//!
//! `main` parses the arguments, runs one subcommand, and turns the outcome into an exit status:
//! 0 on success, 1 when the input is at fault (one clear line on stderr, never a backtrace), 2 on a
//! usage error (clap's own exit status). Each subcommand lives in its own module and only calls the
//! library crates.

mod bench;
mod inputs;
mod inspect;
mod search;
mod synth;

use clap::{Parser, Subcommand};

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
    /// Explain the query language.
    HelpQuery,
    /// Write a deterministic synthetic archive (and the six CSV exports beside it).
    Synth(synth::Args),
    /// Measure opening, parsing, indexing and searching against baselines, on synthetic archives.
    Bench(bench::Args),
    #[command(hide = true)]
    BenchChild(bench::ChildArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Search(args) => search::run_search(args),
        Command::Stats(args) => search::run_stats(args),
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
            let mut message = err.to_string();
            for cause in err.chain().skip(1) {
                message.push_str(": ");
                message.push_str(&cause.to_string());
            }
            eprintln!("permafrost: {message}");
            ExitCode::from(1)
        }
    }
}
