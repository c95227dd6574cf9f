//! Every message the worker sends to the page (an engine error, a diagnostic, a query mistake)
//! has a code, and every code is in the page's catalogue in every language (locales/*.json): in
//! English with the very template the engine formats its English from, in the other languages
//! with the same placeholders. The page's lookup by code (src/lang.rs) knows every code.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_model::message::placeholders;
use permafrost_model::Message;
use permafrost_protocol::{RequestBody, ResponseBody};
use permafrost_session::{messages, Answer, Session};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};

const LANGS: [&str; 5] = ["en", "de", "fr", "es", "ja"];

fn root() -> String {
    format!("{}/../..", env!("CARGO_MANIFEST_DIR"))
}

fn catalogue(lang: &str) -> Value {
    let path = format!("{}/locales/{lang}.json", root());
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn lookup<'a>(catalogue: &'a Value, code: &str) -> Option<&'a str> {
    code.split('.')
        .try_fold(catalogue, |v, part| v.get(part))?
        .as_str()
}

fn set(template: &str) -> BTreeSet<&str> {
    placeholders(template).into_iter().collect()
}

#[test]
fn every_code_is_in_every_catalogue_with_the_engines_english_and_the_same_placeholders() {
    let all = messages::all();
    assert!(all.len() > 90, "{}", all.len());
    let mut seen = BTreeSet::new();
    for (code, _) in &all {
        assert!(seen.insert(*code), "{code} is in two tables");
        assert!(
            code.split('.').count() == 2
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.' || c.is_ascii_digit()),
            "{code}: a code is group.name in snake_case"
        );
    }
    let catalogues: BTreeMap<&str, Value> = LANGS.iter().map(|l| (*l, catalogue(l))).collect();
    for (code, english) in &all {
        assert_eq!(
            lookup(&catalogues["en"], code),
            Some(*english),
            "locales/en.json {code} differs from the engine's English"
        );
        for lang in LANGS {
            let Some(text) = lookup(&catalogues[lang], code) else {
                panic!("locales/{lang}.json lacks {code}");
            };
            assert_eq!(
                set(text),
                set(english),
                "{lang} {code}: {text:?} against {english:?}"
            );
        }
    }
}

#[test]
fn the_page_looks_up_every_code() {
    let page = std::fs::read_to_string(format!("{}/src/lang.rs", root())).unwrap();
    let all = messages::all();
    for (code, _) in &all {
        assert!(
            page.contains(&format!("\"{code}\" => t_string!(i18n, {code}),")),
            "src/lang.rs's `template` does not know {code}"
        );
    }
    let arms = page.matches("=> t_string!(i18n, ").count();
    let known: BTreeSet<&str> = all.iter().map(|(c, _)| *c).collect();
    for line in page
        .lines()
        .filter(|l| l.contains("\" => t_string!(i18n, "))
    {
        let code = line
            .trim()
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap();
        assert!(
            known.contains(code) || !code.contains('.'),
            "src/lang.rs looks up {code}, which no engine sends"
        );
    }
    assert!(arms >= all.len());
}

/// The search box's completion says what each filter does: the index's English is the English
/// catalogue's, and the page knows every filter.
#[test]
fn every_filter_hint_is_in_the_catalogue() {
    let english = catalogue("en");
    let page = std::fs::read_to_string(format!("{}/src/lang.rs", root())).unwrap();
    for filter in permafrost_index::FILTERS {
        let code = format!("hint.{}", filter.key);
        assert_eq!(
            lookup(&english, &code),
            Some(filter.hint),
            "locales/en.json {code}"
        );
        for lang in LANGS {
            assert!(
                lookup(&catalogue(lang), &code).is_some(),
                "{lang} lacks {code}"
            );
        }
        assert!(
            page.contains(&format!("\"{}\" => t_string!(i18n, {code}),", filter.key)),
            "src/lang.rs's filter_hint does not know {}",
            filter.key
        );
    }
}

/// The page writes a message's counts and positions in the interface language's digits, and
/// its other arguments as the worker wrote them; it tells them apart by name (src/lang.rs,
/// `COUNTS`). Every argument of every message is one or the other here, so that a new one is
/// placed on purpose rather than shown bare.
#[test]
fn every_message_argument_is_a_count_or_written_as_is() {
    // Names, addresses, ids, dates, sizes with their unit, query text: shown as written.
    const AS_WRITTEN: &[&str] = &[
        "account",
        "archive",
        "date",
        "detail",
        "entry",
        "example",
        "file",
        "files",
        "filters",
        "found",
        "inner",
        "key",
        "method",
        "name",
        "names",
        "others",
        "place",
        "post",
        "suggestion",
        "type",
        "url",
        "value",
        "values",
        "why",
        "word",
        "zone",
    ];
    let page = std::fs::read_to_string(format!("{}/src/lang.rs", root())).unwrap();
    let start = page
        .find("const COUNTS: [&str; ")
        .expect("COUNTS in src/lang.rs");
    let list = &page[start..];
    let list = &list[list.find('[').unwrap() + 1..];
    let list = &list[list.find('[').unwrap() + 1..list.find("];").unwrap()];
    let counts: BTreeSet<&str> = list
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .filter(|n| !n.is_empty())
        .collect();
    let mut used = BTreeSet::new();
    for (code, english) in messages::all() {
        for name in set(english) {
            assert!(
                counts.contains(name) != AS_WRITTEN.contains(&name),
                "{code}: is {{{name}}} a count or a position (src/lang.rs's COUNTS) or shown \
                 as written (AS_WRITTEN here)? It must be one of them"
            );
            used.insert(name);
        }
    }
    for name in counts.iter().chain(AS_WRITTEN) {
        assert!(
            used.contains(name),
            "{name} is no message's argument any more"
        );
    }
}

type Source = Cursor<Vec<u8>>;

fn input(name: &str, bytes: &[u8]) -> Input<Source> {
    Input::new(name, Cursor::new(bytes.to_vec()))
}

fn open(
    inputs: Vec<Input<Source>>,
) -> Result<(Session<Source>, permafrost_protocol::Opened), Message> {
    Session::open(inputs, &mut |_| {}, Box::new(|| 0.0))
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        out.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The code's template filled with the message's arguments is its English text.
fn check(message: &Message) {
    let all = messages::all();
    let Some((_, english)) = all.iter().find(|(c, _)| *c == message.code) else {
        panic!("{message:?} has no known code");
    };
    let mut args = message.args.clone();
    let shown = permafrost_model::message::fill(english, &args);
    if let Some(s) = message
        .arg("suggestion")
        .filter(|_| !english.contains("{suggestion}"))
    {
        let tail = permafrost_model::message::fill(
            permafrost_index::messages::DID_YOU_MEAN.english,
            &[("suggestion", s)],
        );
        assert_eq!(format!("{shown}{tail}"), message.text, "{message:?}");
        args.retain(|(n, _)| n != "suggestion");
    } else {
        assert_eq!(shown, message.text, "{message:?}");
    }
    for (name, value) in &message.args {
        if let Some(inner) = name.strip_suffix("_code") {
            // A nested message: a known code, whose placeholders all have values.
            let (_, english) = all.iter().find(|(c, _)| c == value).unwrap();
            for p in placeholders(english) {
                assert!(
                    message.arg(&format!("{inner}.{p}")).is_some(),
                    "{message:?}: {inner}.{p}"
                );
            }
        }
    }
    let given: BTreeSet<&str> = args.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        set(english).is_subset(&given),
        "{message:?}: every placeholder has a value"
    );
}

#[test]
fn open_errors_have_codes() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let cases: Vec<(Vec<Input<Source>>, &str)> = vec![
        (vec![], "open.nothing_given"),
        (vec![input("cat.png", png)], "container.not_an_archive"),
        (
            vec![input("a.zip", &zip(&[("notes.txt", b"hi")]))],
            "open.no_outbox_one",
        ),
        (
            vec![input("a.zip", &zip(&[("outbox.json", b"[1,2]")]))],
            "outbox.not_object",
        ),
        (
            vec![input("a.zip", &zip(&[("outbox.json", b"{\"x\":1}")]))],
            "outbox.no_items",
        ),
        (
            vec![input(
                "a.zip",
                &zip(&[("outbox.json", br#"{"orderedItems":[{"type":"Like"}]}"#)]),
            )],
            "outbox.no_posts_first",
        ),
    ];
    for (inputs, code) in cases {
        let Err(message) = open(inputs) else {
            panic!("{code}: opened")
        };
        assert_eq!(message.code, code, "{message:?}");
        check(&message);
        if code == "container.not_an_archive" {
            // The description, said by the page by its own code.
            assert_eq!(message.arg("found_code"), Some("found.png"));
        }
        if code == "outbox.no_posts_first" {
            // The first item's note, said by its own code.
            assert_eq!(message.arg("why_code"), Some("item.unsupported"));
            assert_eq!(message.arg("why.type"), Some("Like"));
            assert_eq!(message.arg("place_code"), Some("place.item"));
        }
    }
    let zipped = zip(&[("outbox.json", b"{\"orderedItems\":[]}")]);
    // Cut inside outbox.json's entry (cut after it, what arrived would be read).
    let Err(message) = open(vec![input("a.zip", &zipped[..40])]) else {
        panic!("a cut-off ZIP opened")
    };
    assert!(message.code.starts_with("container."), "{message:?}");
    check(&message);
}

#[test]
fn diagnostics_and_query_mistakes_have_codes() {
    let outbox = br#"{"totalItems":9,"orderedItems":[
      {"type":"Create","object":{"id":"https://e.x/1","type":"Note","published":"2023-02-30T00:00:00Z",
        "content":"<p>hi</p>","attachment":[{"type":"Document","mediaType":"image/png","url":"/media_attachments/gone.png"}]}},
      {"type":"Like"}, {"type":"Create"}, {"no":"type"}, {"type":"Announce"}, 7,
      {"type":"Create","object":{"id":"https://e.x/2","type":"Note","content":"<p>ho</p>"}}
    ]}"#;
    let archive = zip(&[
        ("outbox.json", outbox),
        ("actor.json", b"{not json"),
        ("x/outbox.json", b"{}"),
    ]);
    let (mut session, opened) = open(vec![
        input("a.zip", &archive),
        input("notes.txt", b"hello"),
        input(
            "following_accounts.csv",
            b"Account address,Show boosts\nnot an address,true\n",
        ),
        input("odd.csv", b"a,b\n1,2\n"),
    ])
    .unwrap();
    let diagnostics = &opened.summary.diagnostics;
    let kinds: BTreeSet<&str> = diagnostics.iter().map(|d| d.kind.as_str()).collect();
    for kind in [
        "missing_media",
        "unsupported_item",
        "bad_item",
        "bad_value",
        "bad_file",
        "duplicate",
        "note",
        "unknown_file",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {diagnostics:#?}");
    }
    for d in diagnostics {
        check(&d.place);
        check(&d.detail);
        assert_eq!(d.place.text, d.location);
        assert_eq!(d.detail.text, d.message);
    }
    let added = session.add_files(vec![
        input(
            "bad_following.csv",
            b"Account address,Show boosts\nnot an address,true\n",
        ),
        input("a.zip", &archive),
        input("odd.csv", b"a,b\n1,2\n"),
    ]);
    assert!(added.files[0]
        .diagnostics
        .iter()
        .any(|d| d.detail.code == "csv.account"));
    for f in &added.files {
        f.error.iter().for_each(check);
        for d in &f.diagnostics {
            check(&d.place);
            check(&d.detail);
        }
    }
    assert_eq!(added.files[1].error.as_ref().unwrap().code, "added.archive");
    assert_eq!(
        added.files[2].error.as_ref().unwrap().code,
        "diagnostic.unknown_csv"
    );

    let queries = [
        "hass:media",
        "zzz:1",
        "has:",
        "after:",
        "lang:",
        "domain:",
        "hour:",
        "boosted:",
        "id:",
        "likes:",
        "is:bost",
        "visibility:friends",
        "on:13-45",
        "after:12-25",
        "lang:e_",
        "hour:25",
        "likes:lots",
        "after:2023-13",
        "( a",
        "a )",
        "OR",
        "-",
        "\"a",
        "\"!!\"",
        "#",
        "@",
        "!!",
    ];
    let mut codes = BTreeSet::new();
    for q in queries {
        let body = RequestBody::Search {
            query: format!("{q} x"),
            sort: permafrost_protocol::Sort::Newest,
            time_zone: "Mars/Base".into(),
            limit: 1,
            collapse_threads: false,
        };
        let Answer::Body(ResponseBody::Results(results)) = session.answer(1, body) else {
            panic!("{q}: no results")
        };
        assert!(!results.errors.is_empty(), "{q}: {:?}", results.errors);
        results.errors.iter().for_each(check);
        codes.extend(results.errors.iter().map(|e| e.code.clone()));
    }
    assert!(codes.len() >= 15, "{codes:?}");
    assert!(codes.contains("query.unknown_filter"));

    // A last word being typed is told nothing yet; what it would be told once finished comes
    // apart, for the page to show when the typing pauses.
    let mut search = |query: &str| {
        let body = RequestBody::Search {
            query: query.into(),
            sort: permafrost_protocol::Sort::Newest,
            time_zone: "UTC".into(),
            limit: 1,
            collapse_threads: false,
        };
        let Answer::Body(ResponseBody::Results(results)) = session.answer(1, body) else {
            panic!("{query}: no results")
        };
        let codes = |m: &[Message]| m.iter().map(|e| e.code.clone()).collect::<Vec<_>>();
        (codes(&results.errors), codes(&results.unfinished))
    };
    for q in ["during:2023-13", "has:", "→", "hi lang:x"] {
        let (errors, unfinished) = search(q);
        assert!(
            errors.is_empty() && !unfinished.is_empty(),
            "{q}: {errors:?} {unfinished:?}"
        );
        assert_eq!(
            search(&format!("{q} ")),
            (unfinished, Vec::new()),
            "{q} finished"
        );
    }
    // A phrase still open is still being typed after a space.
    let (errors, unfinished) = search("\"an open ");
    assert!(
        errors.is_empty() && unfinished == ["query.missing_quote"],
        "{unfinished:?}"
    );
    // A word that may still become one is no mistake; one told already is not told twice.
    assert_eq!(search("ho"), (Vec::new(), Vec::new()));
    let (errors, unfinished) = search("hass:media during:2023-13");
    assert_eq!(
        (errors.len(), unfinished.len()),
        (1, 1),
        "{errors:?} {unfinished:?}"
    );
}
