//! The interface's language: the catalogues in `locales/*.json` (one per language, English the
//! default), compiled in by `leptos_i18n`, whose `t_string!` checks every key at compile time.
//!
//! The language is the browser's (`navigator.languages`) at first visit, or the one the user
//! picked in the header, which only then is remembered in local storage. It is one signal: the
//! page below the header is drawn again when it changes (the archive, the query and the tab live
//! in [`crate::app::AppState`] and the URL, so nothing the user did is lost), and `Intl` formats
//! numbers, dates and plural categories in it ([`crate::format`]).
//!
//! Plurals: a counted phrase is a key with `one` and `other` forms (`{{ n }}` the formatted
//! number); [`plural!`](crate::plural) picks the form by the browser's `Intl.PluralRules` for
//! the language, so French says `0 publication`, and Japanese uses one form for all counts.

pub use crate::i18n::{use_i18n, Locale};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
pub use leptos_i18n::Locale as _;
use permafrost_model::Message;
use std::cell::Cell;

const LANG_KEY: &str = "permafrost.lang";

thread_local! {
    static CONTEXT: Cell<Option<I18nContext<Locale>>> = const { Cell::new(None) };
}

/// Every language, with its name in itself, for the picker.
pub const LANGUAGES: [(Locale, &str); 5] = [
    (Locale::en, "English"),
    (Locale::de, "Deutsch"),
    (Locale::fr, "Français"),
    (Locale::es, "Español"),
    (Locale::ja, "日本語"),
];

/// Makes and provides the language context: the stored choice, else the browser's languages.
pub fn provide() -> I18nContext<Locale> {
    let stored = storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|l| parse(&l));
    let initial = stored.unwrap_or_else(browser_locale);
    let ctx = leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(Signal::stored(initial)));
    provide_context(ctx);
    CONTEXT.with(|c| c.set(Some(ctx)));
    // `<html lang>` (screen readers and hyphenation follow it) and the tab's title.
    Effect::new(move |_| {
        let locale = ctx.get_locale();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.as_str());
        }
        document().set_title(crate::i18n::t_string!(ctx, app.title));
    });
    ctx
}

/// The language context, wherever called from (an event handler, a task). Before the app
/// made it (formatting in a test), an English one.
pub fn i18n() -> I18nContext<Locale> {
    CONTEXT.with(Cell::get).unwrap_or_else(|| {
        let ctx =
            leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(Signal::stored(Locale::en)));
        CONTEXT.with(|c| c.set(Some(ctx)));
        ctx
    })
}

/// The current language (tracked).
pub fn current() -> Locale {
    i18n().get_locale()
}

/// The current language's tag for `Intl` (`en`, `de`…), untracked.
pub fn tag() -> &'static str {
    i18n().get_locale_untracked().as_str()
}

/// Switches the language at the user's request, and remembers it.
pub fn choose(locale: Locale) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, locale.as_str());
    }
    i18n().set_locale(locale);
}

/// A language by its tag.
pub fn parse(tag: &str) -> Option<Locale> {
    LANGUAGES
        .iter()
        .map(|(l, _)| *l)
        .find(|l| l.as_str() == tag)
}

fn browser_locale() -> Locale {
    let languages: Vec<String> = window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect();
    Locale::find_locale(&languages)
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// A message with its `{name}` placeholders filled. (`leptos_i18n`'s own `{{ name }}`
/// interpolation makes views, or strings only with the build.rs code generator: the page wants
/// strings, for attributes and the `El` builder. The catalogue test checks that every language
/// has the same placeholders.)
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A message with placeholders: `tr!(i18n, key, name = value, …)`.
#[macro_export]
macro_rules! tr {
    ($i18n:expr, $($key:ident).+ $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::lang::fill(
            $crate::i18n::t_string!($i18n, $($key).+),
            &[$((stringify!($name), &$value.to_string())),*],
        )
    };
}

/// A counted phrase: `plural!(i18n, key, n)` is the catalogue's `key.one` or `key.other` by the
/// language's plural rules, with `{n}` the number formatted in the language; more placeholders
/// may follow, as in [`tr!`](crate::tr).
#[macro_export]
macro_rules! plural {
    ($i18n:expr, $($key:ident).+, $n:expr $(, $name:ident = $value:expr)* $(,)?) => {{
        let n: u64 = $n;
        let template = if $crate::format::is_one(n) {
            $crate::i18n::t_string!($i18n, $($key).+.one)
        } else {
            $crate::i18n::t_string!($i18n, $($key).+.other)
        };
        $crate::lang::fill(
            template,
            &[("n", &$crate::format::count(n)) $(, (stringify!($name), &$value.to_string()))*],
        )
    }};
}

/// A filter group's heading (the worker names them in English; the page says them in its
/// language by the group's key).
pub fn facet_group(key: &str, given: &str) -> String {
    let i18n = i18n();
    use crate::i18n::t_string;
    match key {
        "year" => t_string!(i18n, fg.year),
        "month" => t_string!(i18n, fg.month),
        "type" => t_string!(i18n, fg.kind),
        "visibility" => t_string!(i18n, fg.visibility),
        "media" => t_string!(i18n, fg.media),
        "cw" => t_string!(i18n, fg.cw),
        "language" => t_string!(i18n, fg.language),
        "hashtag" => t_string!(i18n, fg.hashtag),
        "mention" => t_string!(i18n, fg.mention),
        "domain" => t_string!(i18n, fg.domain),
        "account" => t_string!(i18n, fg.account),
        _ => given,
    }
    .to_string()
}

/// A filter value's name, by its query term (`is:boost`, `has:video`); names the worker takes
/// from the archive (years, tags, accounts, sites, language codes) stay as given.
pub fn facet_value(term: &str, given: &str) -> String {
    let i18n = i18n();
    use crate::i18n::t_string;
    match term {
        "is:original" => t_string!(i18n, fv.original),
        "is:boost" => t_string!(i18n, fv.boost),
        "is:reply" => t_string!(i18n, fv.reply),
        "is:self-reply" => t_string!(i18n, fv.self_reply),
        "is:thread" => t_string!(i18n, fv.thread),
        "is:edited" => t_string!(i18n, fv.edited),
        "is:sensitive" => t_string!(i18n, fv.sensitive),
        "is:poll" => t_string!(i18n, fv.poll),
        "is:quote" => t_string!(i18n, fv.quote),
        "visibility:public" => t_string!(i18n, fv.public),
        "visibility:unlisted" => t_string!(i18n, fv.unlisted),
        "visibility:followers" => t_string!(i18n, fv.followers),
        "visibility:direct" => t_string!(i18n, fv.direct),
        "has:image" => t_string!(i18n, fv.image),
        "has:gif" => t_string!(i18n, fv.gif),
        "has:video" => t_string!(i18n, fv.video),
        "has:audio" => t_string!(i18n, fv.audio),
        "has:other" => t_string!(i18n, fv.other_files),
        "has:cw" => t_string!(i18n, fv.with_cw),
        "-has:cw" => t_string!(i18n, fv.without_cw),
        _ => given,
    }
    .to_string()
}

/// A message from the worker (an engine's error, a diagnostic, a query mistake), said in the
/// current language: its pieces in order, each either the catalogue's words or an argument's
/// value (`true`: user data, a file name or a query term, which the page shows as text apart,
/// never as HTML). A code this page does not know (a newer worker) is said in English, as the
/// worker wrote it. A query mistake's `suggestion` follows as `query.did_you_mean`. An argument
/// `x` with an argument `x_code` is a phrase of the catalogue, said by that code.
pub fn message_parts(message: &Message) -> Vec<(bool, String)> {
    let Some(template) = template(&message.code) else {
        return vec![(false, message.text.clone())];
    };
    let mut out = Vec::new();
    fill_parts(template, &message.args, &mut out);
    if let Some(suggestion) = message.arg("suggestion") {
        if !template.contains("{suggestion}") {
            fill_parts(
                crate::i18n::t_string!(i18n(), query.did_you_mean),
                &[("suggestion".to_string(), suggestion.to_string())],
                &mut out,
            );
        }
    }
    out
}

/// A message from the worker as a view, in the current language: its arguments in `<bdi>`.
pub fn message_view(message: &Message) -> impl IntoView {
    message_parts(message)
        .into_iter()
        .map(|(arg, text)| {
            if arg {
                view! { <bdi>{text}</bdi> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}

/// A message from the worker as one line of text, in the current language.
pub fn message(message: &Message) -> String {
    message_parts(message).into_iter().map(|(_, t)| t).collect()
}

/// A catalogue template filled, in parts: each `(true, text)` an argument (a query term, a file
/// name) that the caller isolates (`<bdi>`), each `(false, text)` the template's words.
pub fn filled_parts(template: &str, args: &[(String, String)]) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    fill_parts(template, args, &mut out);
    out
}

fn fill_parts(template: &str, args: &[(String, String)], out: &mut Vec<(bool, String)>) {
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if let Some((_, value)) = args.iter().find(|(n, _)| n == name) {
            if start > 0 {
                out.push((false, rest[..start].to_string()));
            }
            // A message of its own (`found`, "a PNG image", with `found_code`; a note with
            // its arguments `why.type`…), said in the language when the page knows its code.
            let code = args.iter().find(|(n, _)| {
                n.len() == name.len() + 5 && n.starts_with(name) && n.ends_with("_code")
            });
            match code.and_then(|(_, code)| self::template(code)) {
                Some(inner) => {
                    let prefix = format!("{name}.");
                    let inner_args: Vec<(String, String)> = args
                        .iter()
                        .filter_map(|(n, v)| {
                            Some((n.strip_prefix(&prefix)?.to_string(), v.clone()))
                        })
                        .collect();
                    fill_parts(inner, &inner_args, out);
                }
                None => out.push((true, counted(name, value))),
            }
        } else {
            out.push((false, rest[..start + 1].to_string()));
            rest = after;
            continue;
        }
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        out.push((false, rest.to_string()));
    }
}

/// The arguments that are counts or positions (a byte's, an item's, a line's, how many files
/// were kept…), in the interface's language's digits ("at byte 1,234,567"), as the page writes
/// every other number. Anything else is shown as the worker wrote it. Every argument of every
/// message is either here or in the session's list of those shown as written
/// (crates/session/tests/messages.rs fails on one in neither).
fn counted(name: &str, value: &str) -> String {
    const COUNTS: [&str; 14] = [
        "at",
        "byte",
        "compressed",
        "declared",
        "dropped",
        "item",
        "items",
        "kept",
        "line",
        "n",
        "produced",
        "ratio",
        "times",
        "total",
    ];
    match value.parse() {
        Ok(n) if COUNTS.contains(&name) => crate::format::count(n),
        _ => value.to_string(),
    }
}

/// The current language's template of an engine message code (the engines' `MESSAGES` tables;
/// a native test checks that this match has every code of them).
fn template(code: &str) -> Option<&'static str> {
    let i18n = i18n();
    use crate::i18n::t_string;
    Some(match code {
        "place.file" => t_string!(i18n, place.file),
        "place.at" => t_string!(i18n, place.at),
        "place.item" => t_string!(i18n, place.item),
        "place.line" => t_string!(i18n, place.line),
        "outbox.empty" => t_string!(i18n, outbox.empty),
        "outbox.utf16" => t_string!(i18n, outbox.utf16),
        "outbox.zero_bytes" => t_string!(i18n, outbox.zero_bytes),
        "outbox.not_object" => t_string!(i18n, outbox.not_object),
        "outbox.not_key" => t_string!(i18n, outbox.not_key),
        "outbox.not_colon" => t_string!(i18n, outbox.not_colon),
        "outbox.no_items" => t_string!(i18n, outbox.no_items),
        "outbox.no_posts" => t_string!(i18n, outbox.no_posts),
        "outbox.no_posts_first" => t_string!(i18n, outbox.no_posts_first),
        "outbox.ends_early" => t_string!(i18n, outbox.ends_early),
        "outbox.io" => t_string!(i18n, outbox.io),
        "item.not_json" => t_string!(i18n, item.not_json),
        "item.not_activity" => t_string!(i18n, item.not_activity),
        "item.create_without_post" => t_string!(i18n, item.create_without_post),
        "item.announce_without_uri" => t_string!(i18n, item.announce_without_uri),
        "item.no_type" => t_string!(i18n, item.no_type),
        "item.unsupported" => t_string!(i18n, item.unsupported),
        "item.not_utf8" => t_string!(i18n, item.not_utf8),
        "item.bad_date" => t_string!(i18n, item.bad_date),
        "item.read_failed" => t_string!(i18n, item.read_failed),
        "diagnostic.duplicate_items" => t_string!(i18n, diagnostic.duplicate_items),
        "diagnostic.empty_items_first" => t_string!(i18n, diagnostic.empty_items_first),
        "diagnostic.total_items" => t_string!(i18n, diagnostic.total_items),
        "diagnostic.cut_off" => t_string!(i18n, diagnostic.cut_off),
        "diagnostic.stopped" => t_string!(i18n, diagnostic.stopped),
        "csv.unreadable" => t_string!(i18n, csv.unreadable),
        "csv.account" => t_string!(i18n, csv.account),
        "csv.domain" => t_string!(i18n, csv.domain),
        "csv.uri" => t_string!(i18n, csv.uri),
        "csv.list" => t_string!(i18n, csv.list),
        "query.did_you_mean" => t_string!(i18n, query.did_you_mean),
        "query.unmatched_close" => t_string!(i18n, query.unmatched_close),
        "query.or_needs_terms" => t_string!(i18n, query.or_needs_terms),
        "query.nothing_to_exclude" => t_string!(i18n, query.nothing_to_exclude),
        "query.too_deep" => t_string!(i18n, query.too_deep),
        "query.missing_close" => t_string!(i18n, query.missing_close),
        "query.missing_quote" => t_string!(i18n, query.missing_quote),
        "query.empty_phrase" => t_string!(i18n, query.empty_phrase),
        "query.empty_word" => t_string!(i18n, query.empty_word),
        "query.tag_needs_name" => t_string!(i18n, query.tag_needs_name),
        "query.mention_needs_name" => t_string!(i18n, query.mention_needs_name),
        "query.unknown_filter" => t_string!(i18n, query.unknown_filter),
        "query.unknown_filter_list" => t_string!(i18n, query.unknown_filter_list),
        "query.needs_value_list" => t_string!(i18n, query.needs_value_list),
        "query.needs_value_date" => t_string!(i18n, query.needs_value_date),
        "query.needs_value_lang" => t_string!(i18n, query.needs_value_lang),
        "query.needs_value_domain" => t_string!(i18n, query.needs_value_domain),
        "query.needs_value_hour" => t_string!(i18n, query.needs_value_hour),
        "query.needs_value_account" => t_string!(i18n, query.needs_value_account),
        "query.needs_value_open_account" => t_string!(i18n, query.needs_value_open_account),
        "query.needs_value_id" => t_string!(i18n, query.needs_value_id),
        "query.needs_value_count" => t_string!(i18n, query.needs_value_count),
        "query.unknown_value" => t_string!(i18n, query.unknown_value),
        "query.unknown_visibility" => t_string!(i18n, query.unknown_visibility),
        "query.bad_day" => t_string!(i18n, query.bad_day),
        "query.day_needs_year" => t_string!(i18n, query.day_needs_year),
        "query.bad_language" => t_string!(i18n, query.bad_language),
        "query.bad_domain" => t_string!(i18n, query.bad_domain),
        "query.bad_hour" => t_string!(i18n, query.bad_hour),
        "query.bad_account" => t_string!(i18n, query.bad_account),
        "query.bad_open_account" => t_string!(i18n, query.bad_open_account),
        "diagnostic.others_opened" => t_string!(i18n, diagnostic.others_opened),
        "diagnostic.beside_archives" => t_string!(i18n, diagnostic.beside_archives),
        "diagnostic.unattributed" => t_string!(i18n, diagnostic.unattributed),
        "diagnostic.duplicates_merged" => t_string!(i18n, diagnostic.duplicates_merged),
        "place.archives" => t_string!(i18n, place.archives),
        "place.in_archive" => t_string!(i18n, place.in_archive),
        "session.no_held_csv" => t_string!(i18n, session.no_held_csv),
        "kept.stale" => t_string!(i18n, kept.stale),
        "kept.damaged_state" => t_string!(i18n, kept.damaged_state),
        "kept.mismatch" => t_string!(i18n, kept.mismatch),
        "kept.keep_failed" => t_string!(i18n, kept.keep_failed),
        "kept.unreadable" => t_string!(i18n, kept.unreadable),
        "kept.no_storage" => t_string!(i18n, kept.no_storage),
        "kept.not_found" => t_string!(i18n, kept.not_found),
        "export.write_zip" => t_string!(i18n, export.write_zip),
        "export.write" => t_string!(i18n, export.write),
        "export.cancelled" => t_string!(i18n, export.cancelled),
        "export.write_csv" => t_string!(i18n, export.write_csv),
        "export.read_outbox" => t_string!(i18n, export.read_outbox),
        "export.not_zip" => t_string!(i18n, export.not_zip),
        "export.time_zone" => t_string!(i18n, export.time_zone),
        "export.unfinished" => t_string!(i18n, export.unfinished),
        "export.no_people" => t_string!(i18n, export.no_people),
        "added.held" => t_string!(i18n, added.held),
        "query.bad_post_id" => t_string!(i18n, query.bad_post_id),
        "query.bad_count" => t_string!(i18n, query.bad_count),
        "query.bad_date" => t_string!(i18n, query.bad_date),
        "query.unknown_time_zone" => t_string!(i18n, query.unknown_time_zone),
        "open.nothing_given" => t_string!(i18n, open.nothing_given),
        "open.no_outbox_empty" => t_string!(i18n, open.no_outbox_empty),
        "open.only_csv" => t_string!(i18n, open.only_csv),
        "open.no_outbox_one" => t_string!(i18n, open.no_outbox_one),
        "open.no_outbox" => t_string!(i18n, open.no_outbox),
        "open.nested_archive" => t_string!(i18n, open.nested_archive),
        "open.unreadable" => t_string!(i18n, open.unreadable),
        "place.zip_directory" => t_string!(i18n, place.zip_directory),
        "place.attachment" => t_string!(i18n, place.attachment),
        "diagnostic.could_not_read" => t_string!(i18n, diagnostic.could_not_read),
        "diagnostic.file_error" => t_string!(i18n, diagnostic.file_error),
        "diagnostic.bad_json" => t_string!(i18n, diagnostic.bad_json),
        "diagnostic.second_archive" => t_string!(i18n, diagnostic.second_archive),
        "diagnostic.no_outbox_ignored" => t_string!(i18n, diagnostic.no_outbox_ignored),
        "diagnostic.beside_archive" => t_string!(i18n, diagnostic.beside_archive),
        "diagnostic.shadowed" => t_string!(i18n, diagnostic.shadowed),
        "diagnostic.salvaged" => t_string!(i18n, diagnostic.salvaged),
        "diagnostic.salvaged_in" => t_string!(i18n, diagnostic.salvaged_in),
        "diagnostic.salvaged_outbox" => t_string!(i18n, diagnostic.salvaged_outbox),
        "diagnostic.cut_short" => t_string!(i18n, diagnostic.cut_short),
        "diagnostic.copies_first" => t_string!(i18n, diagnostic.copies_first),
        "diagnostic.copies_first_not" => t_string!(i18n, diagnostic.copies_first_not),
        "diagnostic.copies" => t_string!(i18n, diagnostic.copies),
        "diagnostic.copies_not" => t_string!(i18n, diagnostic.copies_not),
        "diagnostic.missing_media" => t_string!(i18n, diagnostic.missing_media),
        "diagnostic.missing_media_cut" => t_string!(i18n, diagnostic.missing_media_cut),
        "diagnostic.unknown_csv" => t_string!(i18n, diagnostic.unknown_csv),
        "added.archive" => t_string!(i18n, added.archive),
        "added.not_csv" => t_string!(i18n, added.not_csv),
        "query.no_counts" => t_string!(i18n, query.no_counts),
        "session.not_in_archive" => t_string!(i18n, session.not_in_archive),
        "session.no_archive" => t_string!(i18n, session.no_archive),
        "session.already_open" => t_string!(i18n, session.already_open),
        "session.no_post" => t_string!(i18n, session.no_post),
        "container.not_an_archive_loose" => t_string!(i18n, container.not_an_archive_loose),
        "container.not_an_archive" => t_string!(i18n, container.not_an_archive),
        "container.truncated" => t_string!(i18n, container.truncated),
        "container.truncated_in" => t_string!(i18n, container.truncated_in),
        "container.truncated_before_posts" => t_string!(i18n, container.truncated_before_posts),
        "container.corrupt" => t_string!(i18n, container.corrupt),
        "container.corrupt_entry" => t_string!(i18n, container.corrupt_entry),
        "container.encrypted" => t_string!(i18n, container.encrypted),
        "container.unsupported_compression" => t_string!(i18n, container.unsupported_compression),
        "container.io_entry" => t_string!(i18n, container.io_entry),
        "container.io" => t_string!(i18n, container.io),
        "container.too_large" => t_string!(i18n, container.too_large),
        "container.gzip_bomb" => t_string!(i18n, container.gzip_bomb),
        "container.changed" => t_string!(i18n, container.changed),
        "found.zip" => t_string!(i18n, found.zip),
        "found.gzip" => t_string!(i18n, found.gzip),
        "found.tar" => t_string!(i18n, found.tar),
        "found.json" => t_string!(i18n, found.json),
        "found.text" => t_string!(i18n, found.text),
        "found.png" => t_string!(i18n, found.png),
        "found.jpeg" => t_string!(i18n, found.jpeg),
        "found.gif" => t_string!(i18n, found.gif),
        "found.pdf" => t_string!(i18n, found.pdf),
        "found.rar" => t_string!(i18n, found.rar),
        "found.seven_zip" => t_string!(i18n, found.seven_zip),
        "found.bzip2" => t_string!(i18n, found.bzip2),
        "found.xz" => t_string!(i18n, found.xz),
        "found.zstd" => t_string!(i18n, found.zstd),
        "found.webm" => t_string!(i18n, found.webm),
        "found.ogg" => t_string!(i18n, found.ogg),
        "found.mp3" => t_string!(i18n, found.mp3),
        "found.flac" => t_string!(i18n, found.flac),
        "found.sqlite" => t_string!(i18n, found.sqlite),
        "found.office" => t_string!(i18n, found.office),
        "found.windows" => t_string!(i18n, found.windows),
        "found.linux" => t_string!(i18n, found.linux),
        "found.java" => t_string!(i18n, found.java),
        "found.macos" => t_string!(i18n, found.macos),
        "found.wasm" => t_string!(i18n, found.wasm),
        "found.font" => t_string!(i18n, found.font),
        "found.empty" => t_string!(i18n, found.empty),
        "found.mp4" => t_string!(i18n, found.mp4),
        "found.webp" => t_string!(i18n, found.webp),
        "found.wav" => t_string!(i18n, found.wav),
        "found.avi" => t_string!(i18n, found.avi),
        "found.riff" => t_string!(i18n, found.riff),
        "found.html" => t_string!(i18n, found.html),
        "found.svg" => t_string!(i18n, found.svg),
        "found.xml" => t_string!(i18n, found.xml),
        "found.binary" => t_string!(i18n, found.binary),
        "found.blank" => t_string!(i18n, found.blank),
        _ => return None,
    })
}

/// A filter's hint in the search box's completion, by its key (the worker sends the index's
/// English, which locales/en.json repeats: a native test checks they agree).
pub fn filter_hint(key: &str, given: &str) -> String {
    let i18n = i18n();
    use crate::i18n::t_string;
    match key {
        "is" => t_string!(i18n, hint.is),
        "has" => t_string!(i18n, hint.has),
        "visibility" => t_string!(i18n, hint.visibility),
        "lang" => t_string!(i18n, hint.lang),
        "during" => t_string!(i18n, hint.during),
        "on" => t_string!(i18n, hint.on),
        "before" => t_string!(i18n, hint.before),
        "after" => t_string!(i18n, hint.after),
        "weekday" => t_string!(i18n, hint.weekday),
        "hour" => t_string!(i18n, hint.hour),
        "domain" => t_string!(i18n, hint.domain),
        "likes" => t_string!(i18n, hint.likes),
        "shares" => t_string!(i18n, hint.shares),
        "boosted" => t_string!(i18n, hint.boosted),
        "account" => t_string!(i18n, hint.account),
        "thread" => t_string!(i18n, hint.thread),
        "id" => t_string!(i18n, hint.id),
        _ => given,
    }
    .to_string()
}
