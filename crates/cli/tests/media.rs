//! `permafrost media`: prints what the session answers the app's media library (the same view,
//! every item), in JSON and as text; its exit statuses.

use permafrost_protocol::MediaKind;
use permafrost_session::{MediaFilter, Session};
use std::io::Cursor;
use std::path::PathBuf;
use std::process::{Command, Output};

fn permafrost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_permafrost"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A generated archive written to a fresh folder, and its bytes.
fn archive(name: &str) -> (PathBuf, Vec<u8>) {
    let dir = std::env::temp_dir().join(format!(
        "permafrost-cli-media-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let opts = permafrost_synth::Options {
        posts: 700,
        seed: 9,
        ..Default::default()
    };
    let mut zip = Cursor::new(Vec::new());
    permafrost_synth::write_archive(&opts, &mut zip).expect("synth");
    let path = dir.join("a.zip");
    std::fs::write(&path, zip.get_ref()).expect("write");
    (path, zip.into_inner())
}

fn session(bytes: &[u8]) -> Session<Cursor<Vec<u8>>> {
    let inputs = vec![permafrost_engine::Input::new(
        "a.zip",
        Cursor::new(bytes.to_vec()),
    )];
    Session::open(inputs, &mut |_| {}, Box::new(|| 0.0))
        .expect("opens")
        .0
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

#[test]
fn json_is_the_sessions_answer_with_every_item() {
    let (path, bytes) = archive("json");
    let path = path.display().to_string();
    let mut s = session(&bytes);
    let cases: [(&[&str], MediaFilter); 4] = [
        (
            &[],
            MediaFilter {
                time_zone: "UTC".into(),
                ..Default::default()
            },
        ),
        (
            &["--tz", "Europe/Berlin", "--oldest-first", "has:cw"],
            MediaFilter {
                query: "has:cw".into(),
                time_zone: "Europe/Berlin".into(),
                oldest_first: true,
                ..Default::default()
            },
        ),
        (
            &["--kind", "image", "--without-alt", "-is:boost"],
            MediaFilter {
                query: "-is:boost".into(),
                time_zone: "UTC".into(),
                kind: Some(MediaKind::Image),
                without_alt: true,
                ..Default::default()
            },
        ),
        (
            &["--kind", "video", "--tz", "Asia/Tokyo"],
            MediaFilter {
                time_zone: "Asia/Tokyo".into(),
                kind: Some(MediaKind::Video),
                ..Default::default()
            },
        ),
    ];
    for (options, filter) in cases {
        let mut args = vec!["media", "--json", &path];
        args.extend_from_slice(options);
        let got: serde_json::Value =
            serde_json::from_str(&stdout(&permafrost(&args))).expect("JSON");
        let want = s.media_library(filter, 0, u32::MAX);
        assert!(want.total > 0, "{options:?}");
        assert_eq!(
            got["items"].as_array().map(Vec::len),
            Some(want.total as usize)
        );
        assert_eq!(
            got,
            serde_json::to_value(&want).expect("JSON"),
            "{options:?}"
        );
    }
}

#[test]
fn text_lists_the_counts_and_every_item_by_month() {
    let (path, bytes) = archive("text");
    let path = path.display().to_string();
    let filter = MediaFilter {
        query: "-is:boost".into(),
        time_zone: "UTC".into(),
        without_alt: true,
        ..Default::default()
    };
    let want = session(&bytes).media_library(filter, 0, u32::MAX);
    let text = stdout(&permafrost(&["media", &path, "--without-alt", "-is:boost"]));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            format!(
                "{} attachments in {} posts ({} posts with media matching `-is:boost`)",
                want.total, want.posts, want.posts_with_media
            )
            .as_str()
        )
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with(&format!(
            "alt text: {} of {} described",
            want.described, want.attachments
        ))),
        "{text}"
    );
    let items: Vec<&str> = text.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(items.len(), want.items.len());
    for (line, item) in items.iter().zip(&want.items) {
        assert!(
            line.contains(&format!("{}#{}", item.id, item.index + 1)),
            "{line}"
        );
        assert!(line.ends_with("(no description)"), "{line}");
    }
    let months = text
        .lines()
        .filter(|l| l.ends_with(" (UTC)") && !l.starts_with(' '))
        .count();
    let mut want_months: Vec<_> = want.items.iter().map(|i| &i.month).collect();
    want_months.dedup();
    assert_eq!(months, want_months.len());
}

#[test]
fn mistakes_exit_1_and_usage_errors_2() {
    let (path, _) = archive("errors");
    let path = path.display().to_string();
    let out = permafrost(&["media", &path, "hass:media"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has:media"));
    let out = permafrost(&["media", &path, "--tz", "Mars/Base"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        permafrost(&["media", &path, "--kind", "painting"])
            .status
            .code(),
        Some(2)
    );
}
