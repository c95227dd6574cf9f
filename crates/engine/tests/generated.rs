//! Generated archives: counts agree with the independent generator, and damaged archives never
//! panic or hang (they open with diagnostics or fail with a message).

use permafrost_engine::{load, summarize, Input};
use permafrost_synth::{csv_exports, write_archive, Container, Options};
use std::io::Cursor;

fn archive(posts: usize, seed: u64, container: Container) -> (Vec<u8>, serde_json::Value) {
    let options = Options {
        posts,
        seed,
        container,
        ..Options::default()
    };
    let mut bytes = Cursor::new(Vec::new());
    let expected = write_archive(&options, &mut bytes).expect("synth");
    (
        bytes.into_inner(),
        serde_json::to_value(expected).expect("json"),
    )
}

fn check_against_expected(posts: usize, seed: u64, container: Container) {
    let (bytes, expected) = archive(posts, seed, container);
    let options = Options {
        posts,
        seed,
        container,
        ..Options::default()
    };
    let mut inputs = vec![Input::new("archive", Cursor::new(bytes))];
    // CSVs first: order must not matter.
    for (name, csv) in csv_exports(&options) {
        inputs.insert(0, Input::new(name, Cursor::new(csv)));
    }
    let loaded = load(inputs, &mut |_| {}).expect("load");
    assert_counts(&loaded, &expected, &format!("{posts} posts, seed {seed}"));
}

/// Checks that `loaded`'s summary has the generator's counts (`expected`), at least 20 of them.
fn assert_counts<R>(
    loaded: &permafrost_engine::Loaded<R>,
    expected: &serde_json::Value,
    what: &str,
) {
    let summary = serde_json::to_value(summarize(loaded)).expect("json");
    let mut compared = 0;
    for (key, want) in expected.as_object().expect("object") {
        if let Some(have) = summary.get(key) {
            assert_eq!(have, want, "{what}: {key}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "only {compared} keys compared");
}

#[test]
fn counts_match_the_generator() {
    for seed in [1, 2, 3] {
        check_against_expected(300, seed, Container::Zip);
        check_against_expected(300, seed, Container::TarGz);
    }
}

/// Larger archives: 50,000 posts in a ZIP and 20,000 in a tar.gz with `PERMAFROST_SLOW_TESTS`
/// (CI), a tenth of that otherwise ([`permafrost_synth::slow_tests`]).
#[test]
fn counts_match_the_generator_at_scale() {
    let scale = if permafrost_synth::slow_tests() {
        10
    } else {
        1
    };
    check_against_expected(5_000 * scale, 11, Container::Zip);
    check_against_expected(2_000 * scale, 12, Container::TarGz);
}

#[test]
fn damaged_archives_never_panic() {
    for container in [Container::Zip, Container::TarGz] {
        let (bytes, _) = archive(40, 5, container);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..120 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut damaged = bytes.clone();
            let at = (seed % damaged.len() as u64) as usize;
            match round % 4 {
                0 => damaged.truncate(at),
                1 => damaged[at] ^= (seed >> 32) as u8 | 1,
                2 => {
                    let end = (at + 64).min(damaged.len());
                    damaged[at..end].fill(0);
                }
                _ => damaged
                    .splice(at..at, (0..(seed % 100) as u8).collect::<Vec<_>>())
                    .for_each(drop),
            }
            match load(
                vec![Input::new("archive.zip", Cursor::new(damaged))],
                &mut |_| {},
            ) {
                Ok(loaded) => {
                    let s = summarize(&loaded);
                    assert!(s.posts <= 40);
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
}

#[test]
fn the_first_posts_are_seen_before_the_load_ends() {
    struct Watch {
        seen: Vec<usize>,
        stages: Vec<permafrost_engine::Stage>,
        /// The posts when outbox.json was read, and the stage then.
        read: Vec<(usize, Option<permafrost_engine::Stage>)>,
    }
    impl permafrost_engine::Observer for Watch {
        fn progress(&mut self, p: &permafrost_engine::Progress) {
            if self.stages.last() != Some(&p.stage) {
                self.stages.push(p.stage);
            }
        }
        fn partial(&mut self, account: &permafrost_engine::Account) {
            self.seen.push(account.posts.len());
        }
        fn outbox_read(&mut self, account: &permafrost_engine::Account) {
            self.read
                .push((account.posts.len(), self.stages.last().copied()));
        }
    }
    let (bytes, _) = archive(5000, 9, Container::Zip);
    let mut watch = Watch {
        seen: Vec::new(),
        stages: Vec::new(),
        read: Vec::new(),
    };
    let loaded =
        permafrost_engine::load_observed(vec![Input::new("a.zip", Cursor::new(bytes))], &mut watch)
            .expect("load");
    assert_eq!(
        watch.seen,
        vec![32, 2048, 4096],
        "partial accounts after 32 items, then every 2048"
    );
    assert!(loaded.account.posts.len() > 4096);
    use permafrost_engine::Stage::*;
    assert_eq!(watch.stages, vec![Reading, Parsing, Finishing]);
    // Told once that outbox.json was read, with every post, before the rest was.
    assert_eq!(
        watch.read,
        vec![(loaded.account.posts.len(), Some(Parsing))]
    );
}

/// A glance at a ZIP (its first entry, outbox.json, read from the local header before the
/// archive is listed) gives its first posts, exactly as the full read has them, and leaves the
/// source where the full read starts; other containers give none.
#[test]
fn a_glance_gives_the_first_posts_of_a_zip() {
    use permafrost_engine::glance;
    let (bytes, _) = archive(3000, 5, Container::Zip);
    let mut source = Cursor::new(bytes);
    let first = glance(&mut source).expect("a glance at a Mastodon ZIP");
    assert_eq!(source.position(), 0);
    let loaded = load(vec![Input::new("archive.zip", source)], &mut |_| {}).expect("load");
    // About 100 posts of 3000: the first 256 KB of outbox.json.
    assert!(
        (20..1000).contains(&first.posts.len()),
        "{} posts",
        first.posts.len()
    );
    for (glanced, read) in first.posts.iter().zip(&loaded.account.posts) {
        assert_eq!(glanced.id, read.id);
        assert_eq!(glanced.content, read.content);
    }

    let (tar_gz, _) = archive(50, 5, Container::TarGz);
    assert!(glance(&mut Cursor::new(tar_gz)).is_none());
    assert!(glance(&mut Cursor::new(b"PK\x03\x04 too short".to_vec())).is_none());
    assert!(glance(&mut Cursor::new(Vec::new())).is_none());
}

/// An observer that reads outbox.json "elsewhere" (here, from its own copy of the file, through
/// `read_span`), optionally failing after `fail_after` bytes, and notes what it was asked.
struct Elsewhere {
    file: Vec<u8>,
    fail_after: Option<usize>,
    asked: Vec<(String, String)>,
    /// The compressed size of the span asked for.
    compressed: u64,
}

impl permafrost_engine::Observer for Elsewhere {
    fn progress(&mut self, _: &permafrost_engine::Progress) {}

    fn outbox_elsewhere(
        &mut self,
        file: &str,
        span: &permafrost_engine::Span,
        limits: &permafrost_engine::Limits,
    ) -> Option<Box<dyn std::io::Read>> {
        use std::io::Read;
        self.asked.push((file.to_string(), span.name.clone()));
        self.compressed = span.compressed;
        let mut bytes = Vec::new();
        permafrost_engine::read_span(Cursor::new(&self.file), span, limits)
            .ok()?
            .read_to_end(&mut bytes)
            .ok()?;
        let Some(cut) = self.fail_after else {
            return Some(Box::new(Cursor::new(bytes)));
        };
        bytes.truncate(cut);
        let failing = std::io::Read::chain(
            Cursor::new(bytes),
            FailingReader("the worker inflating it stopped answering"),
        );
        Some(Box::new(failing))
    }
}

/// A source that counts the bytes read from it.
struct Counted {
    inner: Cursor<Vec<u8>>,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl std::io::Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl std::io::Seek for Counted {
    fn seek(&mut self, from: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(from)
    }
}

struct FailingReader(&'static str);

impl std::io::Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other(self.0))
    }
}

#[test]
fn outbox_json_read_elsewhere_opens_the_same_archive() {
    let (bytes, _) = archive(3000, 4, Container::Zip);
    let here = summarize(
        &load(
            vec![Input::new("archive.zip", Cursor::new(bytes.clone()))],
            &mut |_| {},
        )
        .unwrap(),
    );
    let mut observer = Elsewhere {
        file: bytes.clone(),
        fail_after: None,
        asked: Vec::new(),
        compressed: 0,
    };
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let source = Counted {
        inner: Cursor::new(bytes.clone()),
        read: read.clone(),
    };
    let inputs = vec![Input::new("archive.zip", source)];
    let there = summarize(&permafrost_engine::load_observed(inputs, &mut observer).unwrap());
    assert_eq!(
        observer.asked,
        [("archive.zip".to_string(), "outbox.json".to_string())]
    );
    // outbox.json's compressed bytes are not read here as well.
    assert!(observer.compressed > 10_000, "{}", observer.compressed);
    assert!(
        read.get() + observer.compressed <= bytes.len() as u64,
        "{} of {} bytes read here, besides the {} of outbox.json read elsewhere",
        read.get(),
        bytes.len(),
        observer.compressed
    );
    assert_eq!(
        serde_json::to_value(there).unwrap(),
        serde_json::to_value(here).unwrap()
    );
}

#[test]
fn outbox_json_failing_elsewhere_keeps_the_posts_before_and_says_why() {
    let (bytes, _) = archive(300, 5, Container::Zip);
    let mut observer = Elsewhere {
        file: bytes.clone(),
        fail_after: Some(200_000),
        asked: Vec::new(),
        compressed: 0,
    };
    let inputs = vec![Input::new("archive.zip", Cursor::new(bytes))];
    let loaded = permafrost_engine::load_observed(inputs, &mut observer).unwrap();
    let posts = loaded.account.posts.len();
    assert!(posts > 10 && posts < 300, "{posts} posts");
    assert!(
        loaded.account.diagnostics.iter().any(|d| d
            .message
            .contains("the worker inflating it stopped answering")),
        "{:?}",
        loaded
            .account
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
}

#[test]
fn outbox_json_is_read_elsewhere_only_from_one_zip() {
    let (tar, _) = archive(20, 6, Container::TarGz);
    let mut observer = Elsewhere {
        file: tar.clone(),
        fail_after: None,
        asked: Vec::new(),
        compressed: 0,
    };
    let inputs = vec![Input::new("archive.tar.gz", Cursor::new(tar))];
    permafrost_engine::load_observed(inputs, &mut observer).unwrap();
    assert!(observer.asked.is_empty());
}

/// A tar.gz is read once: its outbox.json and the files after it (likes.json, actor.json…) are
/// read while the listing inflates them, not inflated again from an access point after, and
/// what is read is what reading them after gives (the counts agree with the generator).
#[test]
fn a_tar_gz_is_inflated_once() {
    for (posts, seed) in [(3000, 4), (300, 5)] {
        let (bytes, expected) = archive(posts, seed, Container::TarGz);
        let len = bytes.len() as u64;
        let read = std::rc::Rc::new(std::cell::Cell::new(0));
        let source = Counted {
            inner: Cursor::new(bytes),
            read: read.clone(),
        };
        let options = Options {
            posts,
            seed,
            container: Container::TarGz,
            ..Options::default()
        };
        let mut inputs = vec![Input::new("archive.tar.gz", source)];
        for (name, csv) in csv_exports(&options) {
            let inner = Cursor::new(csv);
            let read = std::rc::Rc::default();
            inputs.push(Input::new(name, Counted { inner, read }));
        }
        let loaded = load(inputs, &mut |_| {}).expect("load");
        assert_counts(&loaded, &expected, &format!("{posts} posts"));
        assert!(loaded.account.actor.is_some() && loaded.account.likes.is_some());
        // The stream once, and the head sniffed (the first block of compressed bytes read again
        // for it); the media are read later, when shown.
        assert!(
            read.get() <= len + (128 << 10),
            "{posts} posts: read {} of {len} bytes",
            read.get()
        );
    }
}

/// A tar.gz's media come before its outbox.json: until it is reached, listing says how much of
/// the file it has read (the page shows it as a bar), then outbox.json's reading does.
#[test]
fn a_tar_gz_says_how_far_it_is_read_until_its_outbox() {
    struct Stages(Vec<(permafrost_engine::Stage, u64, Option<u64>)>);
    impl permafrost_engine::Observer for Stages {
        fn progress(&mut self, p: &permafrost_engine::Progress) {
            self.0.push((p.stage, p.done, p.total));
        }
    }
    let options = Options {
        posts: 300,
        seed: 6,
        container: Container::TarGz,
        media_bytes: 20_000,
        ..Options::default()
    };
    let mut bytes = Cursor::new(Vec::new());
    write_archive(&options, &mut bytes).expect("synth");
    let len = bytes.get_ref().len() as u64;
    let mut stages = Stages(Vec::new());
    let input = Input::new("archive.tar.gz", Cursor::new(bytes.into_inner()));
    permafrost_engine::load_observed(vec![input], &mut stages).expect("load");
    use permafrost_engine::Stage::*;
    let parsing = stages
        .0
        .iter()
        .position(|s| s.0 == Parsing)
        .expect("parsing");
    let listed: Vec<u64> = stages.0[..parsing]
        .iter()
        .filter(|s| s.0 == Reading && s.2 == Some(len))
        .map(|s| s.1)
        .collect();
    assert!(listed.len() >= 10, "{listed:?}");
    assert!(
        listed.windows(2).all(|w| w[0] < w[1]) && listed[0] > 0,
        "{listed:?}"
    );
    // The media are most of the file, and they were passed before outbox.json.
    assert!(*listed.last().unwrap() > len / 2, "{listed:?} of {len}");
    assert!(stages.0[parsing..].iter().all(|s| s.0 != Reading));
}

/// A generated tar.gz is deflated as Mastodon's is (Ruby's zlib at its default level): block
/// boundaries all along its stream, so listing records access points there, and an entry is read
/// from the nearest one (see crates/synth/src/container.rs).
#[test]
fn a_generated_tar_gz_has_access_points_all_along_its_stream() {
    let (bytes, _) = archive(10_000, 9, Container::TarGz);
    let spacing = 256 << 10;
    let limits = permafrost_archive::Limits {
        access_point_spacing: spacing,
        ..permafrost_archive::Limits::default()
    };
    let container =
        permafrost_archive::Container::open_with_limits(Cursor::new(bytes), limits).expect("opens");
    let stream: u64 = container.entries().iter().map(|e| e.size + 512).sum();
    let points = container.access_points();
    assert!(
        points.len() as u64 >= stream / spacing / 2,
        "{} access points in {stream} bytes",
        points.len()
    );
    assert!(points.last().is_some_and(|p| p.uncompressed > stream / 2));
}
