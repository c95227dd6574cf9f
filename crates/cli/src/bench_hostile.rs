//! `bench --only hostile`: what a hostile archive costs beside an ordinary one of the same size.
//! The red team's cases: one post with 50,000 hashtags (opening used to be quadratic in them)
//! and an outbox of one post followed by millions of items that are not posts (each used to be
//! kept as a diagnostic, gigabytes in all). Opening must stay linear in the outbox's size, and
//! memory bounded by it.

use crate::bench::{measure, Measurement};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const ACTOR: &str = "https://h.example/users/a";

/// One Create activity whose post carries `tags` hashtags, in its text and its `tag` list.
fn post_with_tags(n: usize, tags: std::ops::Range<usize>, words: &str) -> String {
    let links: Vec<String> = tags
        .clone()
        .map(|i| format!(r#"<a href=\"https://h.example/tags/t{i}\" class=\"mention hashtag\" rel=\"tag\">#<span>t{i}</span></a>"#))
        .collect();
    let list: Vec<String> = tags
        .map(|i| {
            format!(r##"{{"type":"Hashtag","href":"https://h.example/tags/t{i}","name":"#t{i}"}}"##)
        })
        .collect();
    format!(
        r#"{{"id":"{ACTOR}/statuses/{n}/activity","type":"Create","actor":"{ACTOR}","published":"2023-01-01T00:00:00Z","to":["{PUBLIC}"],"object":{{"id":"{ACTOR}/statuses/{n}","type":"Note","published":"2023-01-01T00:00:00Z","to":["{PUBLIC}"],"content":"<p>{} {words}</p>","tag":[{}]}}}}"#,
        links.join(" "),
        list.join(",")
    )
}

fn write_zip(path: &Path, outbox: &str) -> Result<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    zip.start_file(
        "outbox.json",
        zip::write::SimpleFileOptions::default().large_file(outbox.len() >= u32::MAX as usize),
    )?;
    zip.write_all(outbox.as_bytes())?;
    zip.finish()?;
    Ok(())
}

/// The three archives, made once into `cache`: the 50,000-tag post, ordinary posts of the same
/// outbox size (three tags and a few words each), and the flood of 3,000,000 non-posts.
fn archives(cache: &Path) -> Result<[(&'static str, PathBuf); 3]> {
    let tags = cache.join("hostile-tags-50k.zip");
    let plain = cache.join("hostile-same-bytes.zip");
    let flood = cache.join("hostile-flood-3m.zip");
    if !(tags.exists() && plain.exists() && flood.exists()) {
        let huge = post_with_tags(1, 0..50_000, "");
        let target = huge.len();
        write_zip(&tags, &format!(r#"{{"orderedItems":[{huge}]}}"#))?;
        let mut items = Vec::new();
        let mut size = 0;
        while size < target {
            let item = post_with_tags(items.len() + 1, 0..3, "some ordinary words here");
            size += item.len() + 1;
            items.push(item);
        }
        write_zip(
            &plain,
            &format!(r#"{{"orderedItems":[{}]}}"#, items.join(",")),
        )?;
        let mut outbox = format!(r#"{{"orderedItems":[{}"#, post_with_tags(1, 0..1, "hi"));
        outbox.push_str(&",{}".repeat(3_000_000));
        outbox.push_str("]}");
        write_zip(&flood, &outbox)?;
    }
    Ok([
        ("ordinary posts", plain),
        ("one post, 50,000 tags", tags),
        ("one post + 3M non-posts", flood),
    ])
}

pub(crate) fn run(cache: &Path, runs: usize) -> Result<()> {
    let exe = std::env::current_exe()?;
    println!();
    println!("Hostile archives: open + index (the app's path), best of {runs} runs, beside ordinary posts of the same size");
    println!(
        "{:<26} {:>10} {:>9} {:>8} {:>9} {:>13}",
        "archive", "outbox MB", "seconds", "MB/s", "peak MB", "vs ordinary"
    );
    let mut ordinary: Option<Measurement> = None;
    for (name, archive) in archives(cache)? {
        let m = measure(&exe, "session", &archive, runs)?;
        let mb = m.outbox_bytes as f64 / 1e6;
        // Time per outbox byte, relative to the ordinary archive's.
        let ratio = ordinary.as_ref().map_or(String::from("(baseline)"), |o| {
            let per_byte = |x: &Measurement| x.seconds / x.outbox_bytes.max(1) as f64;
            format!("{:.2}x", per_byte(&m) / per_byte(o))
        });
        println!(
            "{:<26} {:>10.1} {:>9.3} {:>8.0} {:>9.0} {:>13}",
            name,
            mb,
            m.seconds,
            mb / m.seconds,
            m.peak_rss as f64 / 1e6,
            ratio
        );
        if ordinary.is_none() {
            ordinary = Some(m);
        }
    }
    Ok(())
}
