//! The search benchmark: index build speed and memory, and query latency (results + facets) over a
//! fixed mix of realistic queries, beside the naive scan of [`oracle`] in the same
//! run. `permafrost bench` and `cargo bench -p permafrost-index` print its [`BenchReport`].
//!
//! Not compiled for the browser (`wasm32-unknown-unknown` has no clock in `std`).

use crate::{oracle, parse_query, Index, Mode, SearchOptions};
use permafrost_model::Account;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Instant;

/// The query mix: single words, prefixes, phrases, accents, CJK, tags, mentions, dates, filters,
/// negations and combinations, in the vocabulary of `permafrost-synth` archives.
pub const QUERY_MIX: &[&str] = &[
    "coffee",
    "the",
    "morning",
    "garden",
    "zeppelin",
    "quokka",
    "cafe",
    "creme",
    "zurich",
    "pokemon",
    "cof*",
    "pho*",
    "read*",
    "b*",
    "\"good morning\"",
    "\"open source\"",
    "\"the cat\"",
    "\"deja vu\"",
    "富士山",
    "天気",
    "咖啡",
    "#photography",
    "#caturday",
    "#rust",
    "#cafe",
    "#café",
    "#日本語",
    "#straßenbahn",
    "#pho*",
    "@bookclub",
    "@rustaceans",
    "@a*",
    "after:2024",
    "before:2023",
    "on:2023-06",
    "during:2024",
    "on:2023-03-15",
    "is:reply",
    "is:boost",
    "is:thread",
    "is:edited",
    "has:media",
    "has:noalt",
    "has:poll",
    "has:cw",
    "visibility:direct",
    "lang:de",
    "lang:ja",
    "domain:example.org",
    "likes:>=5",
    "shares:>10",
    "-the",
    "-has:media",
    "coffee -tea",
    "coffee OR tea",
    "(cat OR dog) has:media",
    "morning after:2023",
    "#rust is:original -is:reply",
    "lang:en has:link -domain:example.com",
    "\"open source\" OR #opensource",
    "zeppelin OR quokka OR kerfuffle",
    "cat dog bird",
    "the -the",
    "is:original -is:reply -has:media -has:link",
    "has:image -has:alt during:2023",
    "visibility:public OR visibility:unlisted",
];

/// How to run the benchmark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchConfig {
    /// Timed runs of each query on the index (after one untimed warm-up).
    pub repeats: usize,
    /// Run the naive scan on every `naive_every`-th query of the mix (1: all; 0: none).
    pub naive_every: usize,
    /// The time zone of the searches.
    pub tz: String,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            repeats: 5,
            naive_every: 1,
            tz: "Europe/Berlin".into(),
        }
    }
}

/// One query's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryTiming {
    /// The query.
    pub query: String,
    /// Matching posts.
    pub total: u32,
    /// Median of the index runs, microseconds (results + facets).
    pub index_us: f64,
    /// The naive scan, microseconds (results + facets), when it ran.
    pub naive_us: Option<f64>,
}

/// What the benchmark measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// Posts in the archive.
    pub posts: usize,
    /// Size of outbox.json, bytes.
    pub outbox_bytes: u64,
    /// Time to build the index, milliseconds.
    pub build_ms: f64,
    /// Outbox megabytes (10^6 bytes) indexed per second.
    pub build_mb_per_s: f64,
    /// Index heap bytes.
    pub index_bytes: u64,
    /// Index bytes per outbox byte.
    pub index_ratio: f64,
    /// Distinct terms.
    pub terms: usize,
    /// Per query.
    pub queries: Vec<QueryTiming>,
    /// Latency over every timed index run of the mix, microseconds.
    pub p50_us: f64,
    /// 95th percentile.
    pub p95_us: f64,
    /// Slowest run.
    pub max_us: f64,
    /// Latency of the naive scan over the queries it ran, microseconds.
    pub naive_p50_us: f64,
    /// 95th percentile of the naive scan.
    pub naive_p95_us: f64,
    /// Slowest naive scan.
    pub naive_max_us: f64,
    /// Naive p50 / index p50.
    pub speedup_p50: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(0.0)
}

fn micros(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e6
}

/// Runs the benchmark with the default [`BenchConfig`].
pub fn run_bench(account: &Account, outbox_bytes: u64) -> BenchReport {
    run_bench_with(account, outbox_bytes, &BenchConfig::default())
}

/// Runs the benchmark: builds the index, then times each query of [`QUERY_MIX`] (parse + search
/// with facets, first page of 20, newest first) on the index and with the naive scan.
pub fn run_bench_with(account: &Account, outbox_bytes: u64, config: &BenchConfig) -> BenchReport {
    let start = Instant::now();
    let index = Index::build(account);
    let build_s = start.elapsed().as_secs_f64();
    let opts = SearchOptions {
        limit: 20,
        tz: config.tz.clone(),
        facets: true,
        ..SearchOptions::default()
    };
    let mut all = Vec::new();
    let mut naive_all = Vec::new();
    let mut queries = Vec::new();
    for (i, q) in QUERY_MIX.iter().enumerate() {
        let run = || {
            let parsed = parse_query(q, Mode::Exact);
            index.search(account, &parsed, &opts)
        };
        let total = run().total;
        let mut times: Vec<f64> = (0..config.repeats.max(1))
            .map(|_| {
                let t = Instant::now();
                let r = run();
                std::hint::black_box(&r);
                micros(t)
            })
            .collect();
        all.extend_from_slice(&times);
        times.sort_by(f64::total_cmp);
        let naive_us = (config.naive_every > 0 && i % config.naive_every == 0).then(|| {
            let t = Instant::now();
            let parsed = parse_query(q, Mode::Exact);
            let r = oracle::search(account, &parsed, &opts);
            std::hint::black_box(&r);
            micros(t)
        });
        if let Some(n) = naive_us {
            naive_all.push(n);
        }
        queries.push(QueryTiming {
            query: (*q).to_string(),
            total,
            index_us: percentile(&times, 0.5),
            naive_us,
        });
    }
    all.sort_by(f64::total_cmp);
    naive_all.sort_by(f64::total_cmp);
    let index_bytes = index.heap_bytes() as u64;
    let p50 = percentile(&all, 0.5);
    let naive_p50 = percentile(&naive_all, 0.5);
    BenchReport {
        posts: account.posts.len(),
        outbox_bytes,
        build_ms: build_s * 1e3,
        build_mb_per_s: if build_s > 0.0 {
            outbox_bytes as f64 / 1e6 / build_s
        } else {
            0.0
        },
        index_bytes,
        index_ratio: if outbox_bytes > 0 {
            index_bytes as f64 / outbox_bytes as f64
        } else {
            0.0
        },
        terms: index.term_count(),
        queries,
        p50_us: p50,
        p95_us: percentile(&all, 0.95),
        max_us: all.last().copied().unwrap_or(0.0),
        naive_p50_us: naive_p50,
        naive_p95_us: percentile(&naive_all, 0.95),
        naive_max_us: naive_all.last().copied().unwrap_or(0.0),
        speedup_p50: if p50 > 0.0 { naive_p50 / p50 } else { 0.0 },
    }
}

impl BenchReport {
    /// The per-query table.
    pub fn query_table(&self) -> String {
        let mut s = format!(
            "{:<44} {:>8} {:>10} {:>12}\n",
            "query", "hits", "index µs", "naive µs"
        );
        for q in &self.queries {
            s.push_str(&format!(
                "{:<44} {:>8} {:>10.1} {:>12}\n",
                q.query,
                q.total,
                q.index_us,
                q.naive_us.map_or("-".to_string(), |n| format!("{n:.0}"))
            ));
        }
        s
    }
}

/// A one-screen summary.
impl fmt::Display for BenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "posts {}  outbox {:.1} MB  terms {}",
            self.posts,
            self.outbox_bytes as f64 / 1e6,
            self.terms
        )?;
        writeln!(
            f,
            "index build {:.0} ms ({:.0} MB/s of outbox)  memory {:.1} MB ({:.2} x outbox)",
            self.build_ms,
            self.build_mb_per_s,
            self.index_bytes as f64 / 1e6,
            self.index_ratio
        )?;
        writeln!(
            f,
            "results+facets over {} queries   p50 {:>9.1} µs  p95 {:>9.1} µs  max {:>9.1} µs",
            self.queries.len(),
            self.p50_us,
            self.p95_us,
            self.max_us
        )?;
        writeln!(
            f,
            "naive scan (baseline)            p50 {:>9.1} µs  p95 {:>9.1} µs  max {:>9.1} µs",
            self.naive_p50_us, self.naive_p95_us, self.naive_max_us
        )?;
        write!(f, "speed-up at p50: {:.0}x", self.speedup_p50)
    }
}
