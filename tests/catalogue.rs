//! The language catalogues (locales/*.json) agree with each other: every language has every key
//! of the English one and no other, the same `{placeholders}` in each message, and each counted
//! phrase the same plural forms (`one` and `other`, chosen by `Intl.PluralRules` in the page).
//! `leptos_i18n` checks at compile time that every key the page uses is in the English catalogue;
//! this checks the other languages, which it would only warn about (and fill with English).

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const LANGS: [&str; 5] = ["en", "de", "fr", "es", "ja"];

fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out, &path);
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>, path: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out, path);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => panic!("{path}: {prefix} is not a string: {other}"),
    }
}

/// The `{name}` placeholders of a message.
fn placeholders(message: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = message;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.insert(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn every_language_is_in_the_manifest_and_has_a_catalogue() {
    let manifest = include_str!("../Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("locales = "))
        .expect("[package.metadata.leptos-i18n] locales");
    for lang in LANGS {
        assert!(
            line.contains(&format!("\"{lang}\"")),
            "{lang} not in {line}"
        );
        catalogue(lang);
    }
    let files = std::fs::read_dir(format!("{}/locales", env!("CARGO_MANIFEST_DIR")))
        .expect("locales/")
        .count();
    assert_eq!(
        files,
        LANGS.len(),
        "a catalogue in locales/ that no language uses"
    );
}

#[test]
fn every_language_has_every_key_and_no_other() {
    let english = catalogue("en");
    assert!(english.len() > 100, "the English catalogue is nearly empty");
    for lang in &LANGS[1..] {
        let other = catalogue(lang);
        let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} has keys English has not: {extra:?}"
        );
    }
}

#[test]
fn placeholders_are_the_same_in_every_language() {
    let english = catalogue("en");
    for lang in LANGS {
        for (key, message) in catalogue(lang) {
            assert!(
                !message.contains("{{"),
                "{lang} {key}: use {{name}}, not leptos_i18n's {{{{ name }}}}: {message}"
            );
            assert_eq!(
                placeholders(&message),
                placeholders(&english[&key]),
                "{lang} {key}: {message:?} against English {:?}",
                english[&key]
            );
        }
    }
}

#[test]
fn counted_phrases_have_one_and_other_with_the_same_placeholders() {
    for lang in LANGS {
        let catalogue = catalogue(lang);
        let mut forms: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for key in catalogue.keys() {
            if let Some((group, form)) = key.rsplit_once('.') {
                if group.starts_with("n_") || matches!(form, "one" | "other") {
                    forms.entry(group).or_default().insert(form);
                }
            }
        }
        assert!(!forms.is_empty());
        for (group, forms) in forms {
            assert!(
                group
                    .rsplit('.')
                    .next()
                    .is_some_and(|g| g.starts_with("n_")),
                "{lang} {group}: a counted phrase's key starts with n_"
            );
            assert_eq!(
                forms,
                BTreeSet::from(["one", "other"]),
                "{lang} {group}: plural forms"
            );
            let one = &catalogue[&format!("{group}.one")];
            let other = &catalogue[&format!("{group}.other")];
            assert_eq!(
                placeholders(one),
                placeholders(other),
                "{lang} {group}: its forms say different things"
            );
        }
    }
}

#[test]
fn messages_are_not_empty_and_are_translated() {
    let english = catalogue("en");
    // Words that are the same in the other language (checked by hand).
    // International words (JSON, GIF, Audio), and words the language shares with English
    // (German `System`, French `Public`).
    const SAME: &[(&str, &str)] = &[
        ("de", "header.system"),
        ("de", "fg.hashtag"),
        ("de", "fv.gif"),
        ("de", "fv.video"),
        ("de", "fv.audio"),
        ("de", "lib.gifs"),
        ("de", "lib.videos"),
        ("de", "lib.audio"),
        ("de", "lib.line"),
        ("de", "lib.gif"),
        ("de", "lib.video"),
        ("de", "lib.audio_one"),
        ("de", "n_k_gif.one"),
        ("de", "n_k_gif.other"),
        ("de", "export.json"),
        ("de", "export.markdown"),
        ("de", "export.format"),
        ("fr", "search.suggestions"),
        ("fr", "post.public"),
        ("fr", "n_votes.one"),
        ("fr", "n_votes.other"),
        ("fr", "fg.kind"),
        ("fr", "fg.hashtag"),
        ("fr", "fg.mention"),
        ("fr", "fv.public"),
        ("fr", "fv.image"),
        ("fr", "fv.audio"),
        ("fr", "n_mentions.one"),
        ("fr", "n_mentions.other"),
        ("fr", "lib.images"),
        ("fr", "lib.audio"),
        ("fr", "lib.image"),
        ("fr", "lib.gif"),
        ("fr", "lib.audio_one"),
        ("fr", "n_k_image.one"),
        ("fr", "n_k_image.other"),
        ("fr", "n_k_gif.one"),
        ("fr", "export.json"),
        ("fr", "export.zip"),
        ("fr", "export.markdown"),
        ("fr", "export.format"),
        ("es", "fv.audio"),
        ("es", "lib.audio"),
        ("es", "lib.gif"),
        ("es", "lib.audio_one"),
        ("es", "n_k_gif.one"),
        ("es", "export.json"),
        ("es", "export.markdown"),
        ("es", "place.at"),
        ("ja", "lib.gif"),
        ("ja", "export.json"),
        ("ja", "export.markdown"),
        // The keys' own names, as printed on Japanese keyboards.
        ("ja", "dialog.k_ends_keys"),
    ];
    for lang in &LANGS[1..] {
        for (key, message) in catalogue(lang) {
            let glue = key.ends_with("_pre") || key.ends_with("_post");
            assert!(glue || !message.trim().is_empty(), "{lang} {key} is empty");
            // Units (`{n} MB`) are international.
            let words = placeholders(&message)
                .iter()
                .fold(message.clone(), |m, p| m.replace(&format!("{{{p}}}"), ""));
            let same = message == english[&key]
                && words.chars().any(char::is_alphabetic)
                && !key.starts_with("unit.");
            assert!(
                !same || SAME.contains(&(*lang, key.as_str())),
                "{lang} {key} is the English {message:?}: translate it, or allow it in SAME"
            );
        }
    }
}

#[test]
fn the_query_help_is_the_engines_in_english_and_has_the_same_terms_in_every_language() {
    use permafrost_web::help::{sections, Item};
    let source = include_str!("../crates/index/src/query/mod.rs");
    let start = source.find("pub const HELP: &str = r#\"").expect("HELP") + 26;
    let end = start + source[start..].find("\"#;").expect("end of HELP");
    let engine = &source[start..end];
    let english = &catalogue("en")["help.text"];
    assert_eq!(
        english, engine,
        "locales/en.json help.text differs from the engine's HELP"
    );
    let shape = |text: &str| {
        sections(text)
            .into_iter()
            .map(|s| {
                s.items
                    .into_iter()
                    .map(|i| match i {
                        Item::Entry { term, .. } => term,
                        Item::Note(_) => "(note)".to_string(),
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let want = shape(english);
    assert!(want.len() >= 5, "{want:?}");
    for lang in &LANGS[1..] {
        // The filter names stay English, so that a query shared between languages works.
        assert_eq!(
            shape(&catalogue(lang)["help.text"]),
            want,
            "{lang} help.text"
        );
    }
}
