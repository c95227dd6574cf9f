//! `cargo bench -p permafrost-archive --bench tar_gz_seek`: reading single entries of a generated
//! tar.gz laid out like a Mastodon 4.0 export (about 200 MB: media first, then outbox.json, then
//! actor.json and the avatar), with access points off (every read inflates from the start, as
//! before they existed) and on (the default limits). Set `BENCH_MB=50` for another size.

use std::io::{Cursor, Read};
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use permafrost_archive::{Container, Limits};

/// A deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Bytes that deflate barely compresses, like JPEG or MP4 data: each is the smaller of two
    /// random bytes, which Huffman coding shrinks by some 10%, so blocks are coded, not stored.
    fn media(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 4);
        while out.len() < len {
            let random = self.next().to_le_bytes();
            for pair in random.chunks(2) {
                out.push(pair.iter().copied().min().unwrap_or_default());
            }
        }
        out.truncate(len);
        out
    }
}

/// A tar.gz of about `mb` MB of tar: media (90%), then a JSON outbox (10%), then
/// `actor.json` and the avatar last.
fn archive(mb: usize) -> Vec<u8> {
    let mut rng = Rng(0x5eed);
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::default()));
    let add = |tar: &mut tar::Builder<GzEncoder<Vec<u8>>>, name: &str, data: &[u8]| {
        let mut header = tar::Header::new_ustar();
        header.set_size(data.len() as u64);
        header.set_mode(0o444);
        header.set_cksum();
        tar.append_data(&mut header, name, data).expect("append");
    };
    let media = mb * 1_000_000 * 9 / 10;
    let mut written = 0;
    let mut id = 0;
    while written < media {
        let len = 100_000 + (rng.next() % 900_000) as usize;
        let name = format!("media_attachments/files/000/{id:06}/original/{id:016x}.jpg");
        add(&mut tar, &name, &rng.media(len));
        written += len;
        id += 1;
    }
    let mut outbox = String::from(r#"{"type":"OrderedCollection","orderedItems":["#);
    let mut post = 0u64;
    while outbox.len() < mb * 100_000 {
        outbox.push_str(&format!(
            r#"{{"id":"https://example.social/users/me/statuses/{}/activity","type":"Create","published":"2022-11-{:02}T10:{:02}:00Z","object":{{"type":"Note","content":"<p>post number {post}, about {} things</p>","tags":[]}}}},"#,
            rng.next() % 1_000_000_000_000,
            1 + post % 28,
            post % 60,
            rng.next() % 1000
        ));
        post += 1;
    }
    outbox.push_str("{}]}");
    add(&mut tar, "outbox.json", outbox.as_bytes());
    add(&mut tar, "actor.json", br#"{"type":"Person"}"#);
    add(&mut tar, "avatar.png", &rng.media(40_000));
    tar.into_inner().expect("tar").finish().expect("gzip")
}

/// The best of `runs` timings of `f`.
fn best(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn read(container: &mut Container<Cursor<&[u8]>>, index: usize) -> usize {
    let mut data = Vec::new();
    container
        .read_entry(index)
        .and_then(|mut reader| Ok(reader.read_to_end(&mut data)?))
        .expect("read")
}

fn main() {
    let mb: usize = std::env::var("BENCH_MB")
        .ok()
        .and_then(|mb| mb.parse().ok())
        .unwrap_or(200);
    let start = Instant::now();
    let bytes = archive(mb);
    println!(
        "generated a {:.1} MB tar.gz of about {mb} MB of tar in {:.1} s",
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );

    let off = Limits {
        access_point_spacing: 0,
        ..Limits::default()
    };
    for (label, limits) in [
        ("access points off", off),
        ("access points on ", Limits::DEFAULT),
    ] {
        let mut container = None;
        let open = best(3, || {
            container =
                Some(Container::open_with_limits(Cursor::new(&bytes[..]), limits).expect("open"));
        });
        let Some(mut container) = container else {
            return;
        };
        let count = container.entries().len();
        let outbox = container.find("outbox.json").expect("outbox");
        let points = container.access_points();
        let memory: usize = points.iter().map(|point| point.memory).sum();
        let last = best(3, || {
            read(&mut container, count - 1);
        });
        let middle = best(3, || {
            read(&mut container, count / 2);
        });
        let json = best(3, || {
            read(&mut container, outbox);
        });
        println!(
            "{label}: open {}, {} points ({:.2} MiB), read the last entry {}, a middle one {}, \
             outbox.json {}",
            ms(open),
            points.len(),
            memory as f64 / (1 << 20) as f64,
            ms(last),
            ms(middle),
            ms(json)
        );
    }
}
