//! `cargo bench -p permafrost-index`: the search benchmark of `permafrost_index::bench` on synthetic
//! archives of 10k, 100k and 300k posts (set `BENCH_POSTS=10000,50000` for others, `BENCH_NAIVE_EVERY=4`
//! to run the naive scan on every fourth query only, `BENCH_QUERIES=1` for the per-query table).

use permafrost_index::bench::{run_bench_with, BenchConfig};
use permafrost_model::{outbox, Account};
use std::io::{Cursor, Read};
use std::time::Instant;

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_POSTS")
        .unwrap_or_else(|_| "10000,100000,300000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let naive_every = std::env::var("BENCH_NAIVE_EVERY")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for posts in sizes {
        let opts = permafrost_synth::Options {
            posts,
            seed: 1,
            media_bytes: 0,
            ..permafrost_synth::Options::default()
        };
        let mut zip = Cursor::new(Vec::new());
        if let Err(e) = permafrost_synth::write_archive(&opts, &mut zip) {
            eprintln!("synth failed: {e}");
            return;
        }
        let mut outbox_json = Vec::new();
        let read = zip::ZipArchive::new(Cursor::new(zip.into_inner()))
            .map_err(|e| e.to_string())
            .and_then(|mut a| {
                a.by_name("outbox.json")
                    .map_err(|e| e.to_string())?
                    .read_to_end(&mut outbox_json)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = read {
            eprintln!("reading the archive failed: {e}");
            return;
        }
        let start = Instant::now();
        let mut account = Account::default();
        if let Err(e) = outbox::read_outbox(
            outbox_json.as_slice(),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        ) {
            eprintln!("parsing failed: {e}");
            return;
        }
        let parse_s = start.elapsed().as_secs_f64();
        let config = BenchConfig {
            naive_every,
            ..BenchConfig::default()
        };
        let report = run_bench_with(&account, outbox_json.len() as u64, &config);
        println!(
            "== {posts} posts (parse {:.0} ms, {:.0} MB/s) ==",
            parse_s * 1e3,
            outbox_json.len() as f64 / 1e6 / parse_s
        );
        println!("{report}");
        if std::env::var_os("BENCH_QUERIES").is_some() {
            println!("{}", report.query_table());
        }
        println!();
    }
}
