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
