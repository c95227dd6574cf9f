//! Times reading one outbox.json with the streaming parser and, as a baseline, with
//! `serde_json::from_slice::<Value>`: `cargo run --release -p permafrost-model --example parse_outbox -- FILE`.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_outbox FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let mb = bytes.len() as f64 / 1e6;
    let start = Instant::now();
    let skip_baseline = std::env::var_os("NO_BASELINE").is_some();
    let value: serde_json::Value = if skip_baseline {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_default()
    };
    let base = start.elapsed().as_secs_f64();
    drop(value);
    let start = Instant::now();
    let mut account = permafrost_model::Account::default();
    let result =
        permafrost_model::outbox::read_outbox(&bytes[..], &path, &mut account, &mut |_, _| {});
    let ours = start.elapsed().as_secs_f64();
    if let Err(e) = result {
        eprintln!("{e}");
    }
    println!("{mb:.1} MB, {} posts: baseline (Value) {base:.3} s = {:.0} MB/s; permafrost {ours:.3} s = {:.0} MB/s; model ≈ {:.0} MB", account.posts.len(), mb / base, mb / ours, account.heap_bytes() as f64 / 1e6);
}
