//! End-to-end tests of the `permafrost` binary: exit statuses, messages and `--json` output.
//!
//! Topics:
//! - `inspect`: summaries of real archives, the JSON keys, exit statuses on bad input.
//! - `synth`: determinism and agreement between what it writes and what `inspect` reads.
//! - `search`: `--count`, `--ids`, `--json`, query errors; `stats`.
//! - `people`: the People view, as JSON the app would receive, on real and generated exports.
//! - `export`: every format written and read back, a query that begins with `-`, exit statuses,
//!   nothing half-written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn permafrost(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_permafrost"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn data(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("permafrost-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

mod inspect {
    use super::*;

    #[test]
    fn json_has_every_documented_key() {
        let v = json(&permafrost(&[
            "inspect",
            &data("archive/tests/data/mastodon-export.tar.gz"),
            "--json",
        ]));
        for key in [
            "format",
            "account",
            "posts",
            "originals",
            "boosts",
            "replies",
            "self_replies",
            "visibility",
            "with_media",
            "polls",
            "with_cw",
            "edited",
            "languages",
            "media",
            "likes",
            "bookmarks",
            "following",
            "followers",
            "lists",
            "blocks",
            "mutes",
            "domain_blocks",
            "first_post",
            "last_post",
            "diagnostics",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["format"], "tar.gz");
        assert_eq!(v["posts"], 224);
        assert_eq!(v["account"]["handle"], "lmorchard@mastodon.social");
        assert_eq!(v["followers"], serde_json::Value::Null);
        for key in ["public", "unlisted", "private", "direct"] {
            assert!(v["visibility"][key].is_u64());
        }
        for key in ["referenced", "present", "missing", "without_alt"] {
            assert!(v["media"][key].is_u64());
        }
        assert!(v["first_post"]
            .as_str()
            .is_some_and(|d| d.ends_with('Z') && d.len() == 20));
    }

    #[test]
    fn real_4_2_10_outbox_and_csvs_as_loose_files() {
        let dir = temp_dir("loose");
        for f in ["outbox.json", "actor.json", "likes.json", "bookmarks.json"] {
            std::fs::copy(
                data(&format!("model/tests/data/dealingwith/{f}")),
                dir.join(f),
            )
            .expect("copy");
        }
        std::fs::write(
            dir.join("lists.csv"),
            "Friends,a@b.social\nFriends,c@d.social\n\"Work, mostly\",e@f.social\n",
        )
        .expect("write");
        let v = json(&permafrost(&[
            "inspect",
            &dir.display().to_string(),
            "--json",
        ]));
        assert_eq!(v["format"], "folder");
        assert_eq!(v["posts"], 1586);
        assert_eq!(v["boosts"], 326);
        assert_eq!(v["originals"], 1260);
        assert_eq!(v["visibility"]["direct"], 35);
        assert_eq!(v["visibility"]["private"], 40);
        assert_eq!(v["lists"]["Friends"], 2);
        assert_eq!(v["lists"]["Work, mostly"], 1);
        let human = permafrost(&["inspect", &dir.display().to_string()]);
        assert!(human.status.success());
        let text = String::from_utf8_lossy(&human.stdout);
        assert!(
            text.contains("dealingwith@indieweb.social") && text.contains("1586"),
            "{text}"
        );
    }

    #[test]
    fn input_errors_exit_1_with_one_line() {
        let dir = temp_dir("bad");
        let png = dir.join("archive.zip");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01").expect("write");
        let cut = dir.join("cut.zip");
        let zip = std::fs::read(data("archive/tests/data/mastodon-export.zip")).expect("fixture");
        // Cut inside outbox.json, the first entry, before its first post ends: nothing to read
        // (cut later, the posts before the cut are read: see engine/tests/containers.rs).
        std::fs::write(&cut, &zip[..200]).expect("write");
        for (path, needle) in [
            (png, "PNG"),
            (cut, "download"),
            (dir.join("missing.zip"), "missing.zip"),
        ] {
            let out = permafrost(&["inspect", &path.display().to_string()]);
            assert_eq!(out.status.code(), Some(1), "{}", path.display());
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(
                err.contains(needle) && err.starts_with("permafrost: "),
                "{err}"
            );
            assert!(!err.contains("panicked") && !err.contains("backtrace"));
            // No part of the line is said twice ("permafrost: X: X").
            let parts: Vec<&str> = err.trim_end().split(": ").collect();
            for (i, part) in parts.iter().enumerate() {
                assert!(part.len() < 12 || !parts[i + 1..].contains(part), "{err}");
            }
        }
    }

    #[test]
    fn usage_errors_exit_2() {
        assert_eq!(permafrost(&["inspect"]).status.code(), Some(2));
        assert_eq!(permafrost(&["no-such-command"]).status.code(), Some(2));
        assert_eq!(
            permafrost(&["synth", "--posts", "x", "-o", "a.zip"])
                .status
                .code(),
            Some(2)
        );
    }
}

mod synth {
    use super::*;

    fn synth(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, serde_json::Value) {
        let out = dir.join(name);
        let expected = dir.join(format!("{name}.expected.json"));
        let mut args = vec!["synth", "--posts", "400", "--seed", "7", "-o"];
        let (o, e) = (out.display().to_string(), expected.display().to_string());
        args.push(&o);
        args.extend_from_slice(&["--expected", &e]);
        args.extend_from_slice(extra);
        let status = permafrost(&args);
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        (
            out,
            serde_json::from_slice(&std::fs::read(&expected).expect("expected counts"))
                .expect("JSON"),
        )
    }

    #[test]
    fn inspect_reads_back_exactly_what_synth_wrote() {
        let dir = temp_dir("synth");
        for (name, extra) in [
            ("a.zip", &[][..]),
            ("b.tar.gz", &["--format", "tar.gz"][..]),
        ] {
            let (archive, expected) = synth(&dir, name, extra);
            let csvs = [
                "following_accounts.csv",
                "lists.csv",
                "blocked_accounts.csv",
                "muted_accounts.csv",
                "blocked_domains.csv",
                "bookmarks.csv",
            ]
            .map(|f| dir.join(f).display().to_string());
            let mut args = vec![
                "inspect".to_string(),
                "--json".to_string(),
                archive.display().to_string(),
            ];
            args.extend(csvs);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let got = json(&permafrost(&args));
            let expected = expected.as_object().expect("object");
            for (key, want) in expected {
                if let Some(have) = got.get(key) {
                    assert_eq!(have, want, "{name}: {key}");
                }
            }
            for key in [
                "posts",
                "originals",
                "boosts",
                "replies",
                "self_replies",
                "visibility",
                "media",
                "likes",
                "bookmarks",
                "following",
                "lists",
                "first_post",
                "last_post",
            ] {
                assert!(
                    expected.contains_key(key),
                    "synth's expected counts lack {key}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_bytes() {
        let dir = temp_dir("seed");
        let (a, _) = synth(&dir, "a.zip", &[]);
        let (b, _) = synth(&dir, "b.zip", &[]);
        assert_eq!(std::fs::read(a).expect("a"), std::fs::read(b).expect("b"));
    }
}

mod search {
    use super::*;

    fn outbox() -> [String; 2] {
        [
            data("model/tests/data/dealingwith/outbox.json"),
            data("model/tests/data/dealingwith/actor.json"),
        ]
    }

    fn run(extra: &[&str]) -> Output {
        let [o, a] = outbox();
        let mut args = vec!["search", &o, &a];
        args.extend_from_slice(extra);
        permafrost(&args)
    }

    fn count(query: &str) -> u64 {
        let out = run(&[query, "--count"]);
        assert!(
            out.status.success(),
            "{query}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a number alone on a line")
    }

    #[test]
    fn counts_agree_with_inspect() {
        // Hand-checked against the 4.2.10 archive's summary: 326 boosts, 35 direct, 40 followers-only.
        assert_eq!(count(""), 1586);
        assert_eq!(count("is:boost"), 326);
        assert_eq!(count("is:original"), 1260);
        assert_eq!(count("visibility:dm"), 35);
        assert_eq!(count("visibility:private"), 40);
        assert_eq!(
            count("is:original -visibility:direct -visibility:followers"),
            1260 - 75
        );
        assert_eq!(count("visibility:direct OR visibility:followers"), 75);
    }

    #[test]
    fn ids_are_note_ids_and_announce_ids() {
        let out = run(&["is:boost", "--ids"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.lines().count(), 326);
        assert!(text.lines().all(|l| l.ends_with("/activity")));
        let out = run(&["is:original", "--ids", "--sort", "oldest"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.lines().count(), 1260);
        assert!(text.lines().all(|l| l
            .starts_with("https://indieweb.social/users/dealingwith/statuses/")
            && !l.ends_with("/activity")));
    }

    #[test]
    fn json_results_and_facets() {
        let v = json(&run(&["has:media", "--json", "--limit", "3"]));
        assert_eq!(v["hits"].as_array().map(Vec::len), Some(3));
        assert!(v["total"].as_u64().is_some_and(|n| n > 3));
        assert!(v["facets"]["years"].is_array());
        assert!(v["hits"][0]["id"].is_string());
    }

    #[test]
    fn no_posts_found_says_what_each_part_taken_out_finds() {
        let out = run(&["indieweb  has:media"]);
        assert!(out.status.success());
        let (media, indieweb) = (count("has:media"), count("indieweb"));
        assert!(media > 1 && indieweb > 1, "{media} {indieweb}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!(
                "0 posts\n\nWith one part of the query taken out:\n  \
                 without indieweb: {media} posts  (has:media)\n  \
                 without has:media: {indieweb} posts  (indieweb)\n"
            )
        );
        // Found something, or one part only: no such lines.
        let out = run(&["indieweb"]);
        assert!(!String::from_utf8_lossy(&out.stdout).contains("taken out"));
        let out = run(&["zzzqqq"]);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "0 posts\n");
    }

    #[test]
    fn query_errors_exit_1_and_suggest() {
        let out = run(&["hass:media"]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("has:media"), "{err}");
        let out = run(&["cats", "--tz", "Mars/Olympus"]);
        assert_eq!(out.status.code(), Some(1));
    }

    #[test]
    fn stats_json_and_text() {
        let [o, a] = outbox();
        let v = json(&permafrost(&[
            "stats",
            &o,
            &a,
            "is:original",
            "--tz",
            "America/New_York",
            "--json",
        ]));
        assert_eq!(v["total"], 1260);
        let months: u64 = v["stats"]["per_month"]
            .as_array()
            .expect("months")
            .iter()
            .map(|m| m["count"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(months, 1260);
        assert_eq!(v["stats"]["punchcard"].as_array().map(Vec::len), Some(7));
        let out = permafrost(&["stats", &o, &a]);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("1586 posts"));
    }
}

mod docs {
    use super::*;

    /// The README documents the query language with the very text `help-query` prints.
    #[test]
    fn readme_shows_the_query_help() {
        let readme = std::fs::read_to_string(data("../README.md")).expect("README.md");
        let out = permafrost(&["help-query"]);
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(readme.contains(help.trim_end()), "README.md's query language section is out of date: paste `permafrost help-query` into it");
    }
}

mod export {
    use super::*;

    const FIXTURE: &str = "archive/tests/data/mastodon-export.zip";

    fn count(query: &str) -> usize {
        let out = permafrost(&["search", &data(FIXTURE), query, "--count"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a count")
    }

    #[test]
    fn a_query_that_begins_with_a_hyphen_selects_the_posts_it_says() {
        let dir = temp_dir("export-hyphen");
        let csv_path = dir.join("x.csv");
        let out = permafrost(&[
            "export",
            &data(FIXTURE),
            "-has:media",
            "--format",
            "csv",
            "-o",
            &csv_path.display().to_string(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        let wanted = count("-has:media");
        assert!(wanted > 0 && wanted < count(""));
        assert!(
            stderr.contains(&format!("exported {wanted} posts")),
            "{stderr}"
        );
        let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
        let media = reader
            .headers()
            .expect("header")
            .iter()
            .position(|h| h == "media")
            .expect("media column");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), wanted);
        assert!(rows.iter().all(|r| &r[media] == "0"));
        // Nothing else is left in the folder.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["x.csv"]);
    }

    #[test]
    fn an_archive_zip_opens_again_with_the_same_counts() {
        let dir = temp_dir("export-zip");
        let zip_path = dir.join("copy.zip").display().to_string();
        let out = permafrost(&["export", &data(FIXTURE), "--format", "zip", "-o", &zip_path]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let before = json(&permafrost(&["inspect", &data(FIXTURE), "--json"]));
        let after = json(&permafrost(&["inspect", &zip_path, "--json"]));
        for key in [
            "posts",
            "originals",
            "boosts",
            "replies",
            "visibility",
            "media",
            "likes",
            "bookmarks",
        ] {
            assert_eq!(before[key], after[key], "{key}");
        }
        assert_eq!(before["account"], after["account"]);
    }

    #[test]
    fn every_format_is_written() {
        let dir = temp_dir("export-all");
        // The people need a CSV export beside the archive.
        let following = data("session/tests/data/todb-following_accounts.csv");
        for format in [
            "csv",
            "media-csv",
            "people-csv",
            "json",
            "zip",
            "markdown",
            "html",
        ] {
            let path = dir.join(format!("out-{format}")).display().to_string();
            let out = permafrost(&[
                "export",
                &data(FIXTURE),
                &following,
                "--format",
                format,
                "-o",
                &path,
                "--tz",
                "Europe/Berlin",
                "--leave-out",
                "followers,direct",
                "--redact-mentions",
                "--bom",
            ]);
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let bytes = std::fs::read(&path).expect("written");
            assert!(!bytes.is_empty(), "{format}");
        }
        // Without one there is nobody to write: it says what to add, and writes nothing.
        let path = dir.join("no-people.csv");
        let out = permafrost(&[
            "export",
            &data(FIXTURE),
            "--format",
            "people-csv",
            "-o",
            &path.display().to_string(),
        ]);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("no CSV exports were given"), "{stderr}");
        assert!(!path.exists());
    }

    /// ZIP exports are deflated and rendered on several threads: the file must not depend on
    /// how many (a 400-post generated archive: Markdown batches of many documents, every
    /// thread given some).
    #[test]
    fn zip_exports_are_the_same_bytes_on_any_number_of_threads() {
        let dir = temp_dir("export-threads");
        let archive = dir.join("a.zip").display().to_string();
        let made = permafrost(&["synth", "--posts", "400", "--seed", "3", "-o", &archive]);
        assert!(made.status.success());
        for format in ["zip", "markdown", "html"] {
            let written: Vec<Vec<u8>> = ["1", "3"]
                .iter()
                .map(|threads| {
                    let path = dir
                        .join(format!("{format}-{threads}"))
                        .display()
                        .to_string();
                    let out = permafrost(&[
                        "export",
                        &archive,
                        "--format",
                        format,
                        "-o",
                        &path,
                        "--threads",
                        threads,
                    ]);
                    assert!(out.status.success(), "{format}");
                    std::fs::read(&path).expect("written")
                })
                .collect();
            assert!(written[0].len() > 10_000, "{format}: {}", written[0].len());
            // A ZIP's entries carry the time of the export, and two runs can fall on either side
            // of one of its 2-second steps: the entries are compared (names, order, CRC-32,
            // compressed bytes), and the files' sizes.
            assert_eq!(written[0].len(), written[1].len(), "{format}");
            if written[0].starts_with(b"PK") {
                assert!(
                    raw_entries(&written[0]) == raw_entries(&written[1]),
                    "{format}: the entries depend on the threads"
                );
            } else {
                assert!(
                    written[0] == written[1],
                    "{format}: the bytes depend on the threads"
                );
            }
        }
    }

    /// Each entry of a ZIP as it is stored: name, CRC-32 and compressed bytes.
    fn raw_entries(bytes: &[u8]) -> Vec<(String, u32, Vec<u8>)> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
        (0..zip.len())
            .map(|i| {
                let mut entry = zip.by_index_raw(i).expect("an entry");
                let mut data = Vec::new();
                entry.read_to_end(&mut data).expect("its bytes");
                (
                    entry.name().expect("a name").to_string(),
                    entry.crc32(),
                    data,
                )
            })
            .collect()
    }

    #[test]
    fn mistakes_exit_with_the_right_status_and_write_nothing() {
        let dir = temp_dir("export-bad");
        let target = dir.join("x.csv");
        let t = target.display().to_string();
        let run = |args: &[&str]| {
            let mut all = vec!["export"];
            all.extend_from_slice(args);
            permafrost(&all).status.code()
        };
        let fixture = data(FIXTURE);
        assert_eq!(run(&[&fixture, "--format", "xls", "-o", &t]), Some(2));
        assert_eq!(run(&[&fixture, "--format", "csv"]), Some(2));
        assert_eq!(
            run(&[&fixture, "--format", "csv", "-o", &t, "--leave-out", "cats"]),
            Some(2)
        );
        assert_eq!(
            run(&[&fixture, "hass:media", "--format", "csv", "-o", &t]),
            Some(1)
        );
        assert_eq!(
            run(&[&fixture, "--format", "csv", "-o", &t, "--tz", "Mars/Base"]),
            Some(1)
        );
        let missing = dir.join("missing.zip").display().to_string();
        assert_eq!(run(&[&missing, "--format", "csv", "-o", &t]), Some(1));
        let not_archive = dir.join("notes.txt");
        std::fs::write(&not_archive, "hello").expect("write");
        let n = not_archive.display().to_string();
        assert_eq!(run(&[&n, "--format", "csv", "-o", &t]), Some(1));
        assert!(!target.exists());
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["notes.txt"]);
    }
}

mod people {
    use super::*;

    fn dealingwith() -> String {
        data("model/tests/data/dealingwith")
    }

    #[test]
    fn json_is_the_apps_view_paged_or_whole() {
        let csv = data("session/tests/data/todb-following_accounts.csv");
        let page = json(&permafrost(&["people", "--json", &dealingwith(), &csv]));
        assert_eq!(page["table"], "following");
        assert_eq!(page["sort"], "name");
        assert_eq!(
            (page["total"].as_u64(), page["matching"].as_u64()),
            (Some(797), Some(797))
        );
        assert_eq!(page["rows"].as_array().map(Vec::len), Some(500));
        for key in [
            "tables",
            "files",
            "missing",
            "export_page",
            "owner",
            "offset",
            "domains",
            "lists",
            "errors",
        ] {
            assert!(page.get(key).is_some(), "no {key}");
        }
        let row = &page["rows"][0];
        for key in [
            "address",
            "list",
            "followed",
            "show_boosts",
            "notify",
            "languages",
            "hide_notifications",
            "lists",
            "mentions",
            "boosts",
            "mention_term",
            "boost_term",
        ] {
            assert!(row.get(key).is_some(), "no {key} in a row");
        }
        let all = json(&permafrost(&[
            "people",
            "--json",
            "--all",
            &dealingwith(),
            &csv,
        ]));
        assert_eq!(all["rows"].as_array().map(Vec::len), Some(797));
        assert_eq!(all["rows"][0], page["rows"][0]);
        let filtered = json(&permafrost(&[
            "people",
            "--json",
            "--filter",
            "B0RK@",
            "--sort",
            "mentions",
            &dealingwith(),
            &csv,
        ]));
        assert_eq!(filtered["matching"], 1);
        assert_eq!(filtered["rows"][0]["boost_term"], "boosted:b0rk@jvns.ca");
        // The cross reference: mentioned, not followed, most first.
        let mentioned = json(&permafrost(&[
            "people",
            "--json",
            "--table",
            "mentioned_not_followed",
            &dealingwith(),
            &csv,
        ]));
        let counts: Vec<u64> = mentioned["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["mentions"].as_u64().unwrap())
            .collect();
        assert!(!counts.is_empty());
        assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    }

    #[test]
    fn generated_lists_are_the_csvs_rows_and_missing_files_are_named() {
        let dir = temp_dir("people");
        let archive = dir.join("a.zip").display().to_string();
        assert!(permafrost(&["synth", "--posts", "300", "-o", &archive])
            .status
            .success());
        let csv = |name: &str| dir.join(name).display().to_string();
        let lists = json(&permafrost(&[
            "people",
            "--json",
            "--all",
            "--sort",
            "file",
            "--table",
            "lists",
            &archive,
            &csv("lists.csv"),
        ]));
        let text = std::fs::read_to_string(dir.join("lists.csv")).unwrap();
        let want: Vec<(String, String)> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[1].to_string())
            })
            .collect();
        let got: Vec<(String, String)> = lists["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["list"].as_str().unwrap().to_string(),
                    r["address"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(got, want);
        // Only the lists were given: the rest is missing, and the human output says where to
        // export it.
        assert_eq!(
            lists["missing"],
            serde_json::json!(["following", "blocks", "mutes", "domain_blocks"])
        );
        let out = permafrost(&["people", "--table", "blocks", &archive]);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("blocked_accounts.csv"), "{text}");
        assert!(text.contains("/settings/export"), "{text}");
    }

    #[test]
    fn bad_arguments_are_usage_errors_and_bad_input_an_input_error() {
        let code = |args: &[&str]| permafrost(args).status.code();
        assert_eq!(
            code(&["people", "--table", "friends", &dealingwith()]),
            Some(2)
        );
        assert_eq!(code(&["people", "--sort", "age", &dealingwith()]), Some(2));
        assert_eq!(code(&["people", "/nonexistent/archive.zip"]), Some(1));
        assert_eq!(
            code(&["people", "--tz", "Mars/Base", &dealingwith()]),
            Some(1)
        );
    }
}

mod several {
    use super::*;

    /// A generated archive of `handle` in `dir`, with its CSV exports beside it; returns its
    /// path and its true counts.
    fn synth(
        dir: &Path,
        handle: &str,
        posts: &str,
        seed: &str,
        name: &str,
    ) -> (String, serde_json::Value) {
        let archive = dir.join(name).display().to_string();
        let expected = dir.join(format!("{name}.expected.json"));
        let out = permafrost(&[
            "synth",
            "--posts",
            posts,
            "--seed",
            seed,
            "--handle",
            handle,
            "-o",
            &archive,
            "--expected",
            &expected.display().to_string(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let counts = serde_json::from_slice(&std::fs::read(expected).expect("test data"))
            .expect("test data");
        (archive, counts)
    }

    #[test]
    fn inspect_json_has_each_accounts_figures_and_the_total() {
        let dir = temp_dir("several-inspect");
        let (a, ea) = synth(&dir, "alice@example.social", "300", "1", "alice.zip");
        let (b, eb) = synth(&dir, "bob@other.example", "200", "2", "bob.zip");
        let v = json(&permafrost(&["inspect", "--json", &a, &b]));
        let n = |v: &serde_json::Value, k: &str| v[k].as_u64().expect("test data");
        assert_eq!(n(&v, "posts"), n(&ea, "posts") + n(&eb, "posts"));
        assert_eq!(
            n(&v, "originals"),
            n(&ea, "originals") + n(&eb, "originals")
        );
        assert_eq!(n(&v, "duplicates_merged"), 0);
        let accounts = v["accounts"].as_array().expect("test data");
        assert_eq!(accounts.len(), 2);
        assert_eq!(accounts[0]["account"]["handle"], "alice@example.social");
        assert_eq!(accounts[1]["account"]["handle"], "bob@other.example");
        for (account, expected) in accounts.iter().zip([&ea, &eb]) {
            for key in [
                "posts",
                "originals",
                "boosts",
                "replies",
                "with_media",
                "polls",
            ] {
                assert_eq!(account[key], expected[key], "{key}");
            }
        }
        // The human form names both, and the total.
        let out = permafrost(&["inspect", &a, &b]);
        let text = String::from_utf8(out.stdout).expect("test data");
        assert!(text.starts_with("2 accounts, 500 posts in all"), "{text}");
        assert!(text.contains("(@alice@example.social)") && text.contains("(@bob@other.example)"));
        assert!(text.contains("All accounts"));
    }

    #[test]
    fn the_same_archive_twice_and_its_csv_exports() {
        let dir = temp_dir("several-twice");
        let (a, ea) = synth(&dir, "alice@example.social", "300", "1", "alice.zip");
        let copy = dir.join("alice (1).zip");
        std::fs::copy(&a, &copy).expect("test data");
        let csv = dir.join("following_accounts.csv").display().to_string();
        let v = json(&permafrost(&[
            "inspect",
            "--json",
            &a,
            &copy.display().to_string(),
            &csv,
        ]));
        assert_eq!(v["posts"], ea["posts"]);
        assert_eq!(v["duplicates_merged"], ea["posts"]);
        // One account: its CSV exports are its own, and there is no per-account list.
        assert_eq!(v["following"], ea["following"]);
        assert!(v.get("accounts").is_none());
        let text =
            String::from_utf8(permafrost(&["inspect", &a, &copy.display().to_string()]).stdout)
                .expect("test data");
        assert!(
            text.contains("posts in more than one archive counted once"),
            "{text}"
        );
    }

    #[test]
    fn search_stats_and_export_take_several_archives() {
        let dir = temp_dir("several-search");
        let (a, ea) = synth(&dir, "alice@example.social", "300", "1", "alice.zip");
        let (b, eb) = synth(&dir, "bob@other.example", "200", "2", "bob.tar.gz");
        let count = |q: &str| -> u64 {
            let out = permafrost(&["search", "--count", &a, &b, q]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout)
                .expect("test data")
                .trim()
                .parse()
                .expect("test data")
        };
        let total =
            ea["posts"].as_u64().expect("test data") + eb["posts"].as_u64().expect("test data");
        assert_eq!(count(""), total);
        assert_eq!(
            count("account:bob"),
            eb["posts"].as_u64().expect("test data")
        );
        assert_eq!(
            count("account:alice@example.social is:boost"),
            ea["boosts"].as_u64().expect("test data")
        );
        let v = json(&permafrost(&[
            "search",
            "--json",
            "--limit",
            "3",
            &a,
            &b,
            "account:bob",
        ]));
        assert_eq!(v["hits"][0]["account"], "bob@other.example");
        assert_eq!(v["facets"]["accounts"][0]["value"], "bob@other.example");
        let stats = json(&permafrost(&["stats", "--json", &a, &b]));
        assert!(stats.is_object());
        // An export of one account's posts opens again as exactly those.
        let out = dir.join("outbox.json").display().to_string();
        let status = permafrost(&[
            "export",
            "--format",
            "json",
            "-o",
            &out,
            &a,
            &b,
            "account:bob",
        ]);
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let v = json(&permafrost(&["inspect", "--json", &out]));
        assert_eq!(v["posts"], eb["posts"]);
        // An unknown account is no error: it matches nothing.
        assert_eq!(count("account:carol"), 0);
    }
}
