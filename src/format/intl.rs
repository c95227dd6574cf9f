//! Numbers and dates in the browser's locale (through `Intl`, so the bundle carries no locale
//! data) and in the chosen IANA time zone, daylight saving included.

use super::{iso_utc, DateStyle};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Date formatters by language and time zone, and style.
type DateFormats = Vec<((String, DateStyle), Option<js_sys::Function>)>;

thread_local! {
    /// The number formatter and the plural rules, with the language they are for.
    static NUMBER: RefCell<Option<(&'static str, js_sys::Function, js_sys::Intl::PluralRules)>> =
        const { RefCell::new(None) };
    /// Formatters by time zone and style (a few: a list is smaller than a map in the bundle).
    static DATES: RefCell<DateFormats> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with the number formatter and plural rules of the interface's language.
fn with_number<T>(f: impl FnOnce(&js_sys::Function, &js_sys::Intl::PluralRules) -> T) -> T {
    let tag = crate::lang::tag();
    NUMBER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(t, _, _)| *t != tag) {
            let locales = js_sys::Array::of1(&tag.into());
            let format = js_sys::Intl::NumberFormat::new(&locales, &js_sys::Object::new()).format();
            let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
            *cell = Some((tag, format, rules));
        }
        let (_, format, rules) = cell.as_ref().expect("set above");
        f(format, rules)
    })
}

/// `1,234` in the interface's language (`1.234` in German, `1 234` in French).
pub fn count(n: u64) -> String {
    with_number(|format, _| {
        format
            .call1(&JsValue::UNDEFINED, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| n.to_string())
    })
}

/// A number with one digit after the separator, in the interface's language (`2.5`, `2,5`):
/// `tenths` is ten times the value.
fn tenths(tenths: u128) -> String {
    let options = js_sys::Object::new();
    let set = |k: &str| js_sys::Reflect::set(&options, &k.into(), &JsValue::from_f64(1.0)).ok();
    set("minimumFractionDigits");
    set("maximumFractionDigits");
    let locales = js_sys::Array::of1(&crate::lang::tag().into());
    js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(
            &JsValue::UNDEFINED,
            &JsValue::from_f64(tenths as f64 / 10.0),
        )
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{}.{}", tenths / 10, tenths % 10))
}

/// `2.5 MB` (decimal units) in the interface's language (`2,5 Mo` in French).
pub fn size(n: u64) -> String {
    let i18n = crate::lang::i18n();
    let (unit, scale) = super::size_unit(n);
    if unit == 0 {
        return crate::tr!(i18n, unit.bytes, n = count(n));
    }
    let value = tenths((u128::from(n) * 10 + u128::from(scale) / 2) / u128::from(scale));
    match unit {
        1 => crate::tr!(i18n, unit.kb, n = value),
        2 => crate::tr!(i18n, unit.mb, n = value),
        3 => crate::tr!(i18n, unit.gb, n = value),
        _ => crate::tr!(i18n, unit.tb, n = value),
    }
}

/// `1.5 s` from milliseconds, in the interface's language; under a second, `61 ms` (a small
/// archive opens in less than a tenth of a second, which would read `0.0 s`).
pub fn duration(ms: u32) -> String {
    if ms < 1000 {
        return crate::tr!(
            crate::lang::i18n(),
            unit.milliseconds,
            n = count(u64::from(ms))
        );
    }
    let value = tenths(u128::from((u64::from(ms) + 50) / 100));
    crate::tr!(crate::lang::i18n(), unit.seconds, n = value)
}

/// A weekday's name in the interface's language, Monday = 0 (`Monday`, `Mo`).
pub fn weekday(day: usize, long: bool) -> String {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into()).ok();
    set("weekday", if long { "long" } else { "short" });
    set("timeZone", "UTC");
    let locales = js_sys::Array::of1(&crate::lang::tag().into());
    // 2024-01-01 was a Monday.
    let date = js_sys::Date::new(&JsValue::from_f64(
        (1_704_110_400 + day as i64 * 86_400) as f64 * 1000.0,
    ));
    js_sys::Intl::DateTimeFormat::new(&locales, &options)
        .format()
        .call1(&JsValue::UNDEFINED, &date)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Whether `n` takes the `one` form in the interface's language (`Intl.PluralRules`: 1 in
/// English and German, 0 and 1 in French, never in Japanese).
pub fn is_one(n: u64) -> bool {
    with_number(|_, rules| rules.select(n as f64).as_string().as_deref() == Some("one"))
}

/// `1 post`, `1,234 posts`, in the interface's language.
pub fn posts(n: u64) -> String {
    crate::plural!(crate::lang::i18n(), n_posts, n)
}

/// A Unix time in the given IANA time zone. Falls back to UTC for a zone the browser does not
/// know.
pub fn date(unix_secs: i64, time_zone: &str, style: DateStyle) -> String {
    let key = (format!("{}|{time_zone}", crate::lang::tag()), style);
    let format = DATES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, f)) = cache.iter().find(|(k, _)| *k == key) {
            return f.clone();
        }
        let f = date_format(time_zone, style);
        cache.push((key, f.clone()));
        f
    });
    let date = js_sys::Date::new(&JsValue::from_f64(unix_secs as f64 * 1000.0));
    format
        .and_then(|f| f.call1(&JsValue::UNDEFINED, &date).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| iso_utc(unix_secs))
}

fn date_format(time_zone: &str, style: DateStyle) -> Option<js_sys::Function> {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into()).ok();
    set("timeZone", time_zone);
    match style {
        DateStyle::DateTime => {
            set("dateStyle", "medium");
            set("timeStyle", "short");
        }
        DateStyle::Date => {
            set("dateStyle", "medium");
        }
        DateStyle::Month => {
            set("year", "numeric");
            set("month", "long");
        }
    }
    let constructor = intl("DateTimeFormat")?;
    // Constructing through Reflect catches the RangeError of an unknown time zone.
    let formatter = js_sys::Reflect::construct(
        &constructor,
        &js_sys::Array::of2(&crate::lang::tag().into(), &options),
    )
    .ok()?;
    js_sys::Reflect::get(&formatter, &"format".into())
        .ok()?
        .dyn_into()
        .ok()
}

fn intl(name: &str) -> Option<js_sys::Function> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    js_sys::Reflect::get(&intl, &name.into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Today's date in the zone, `YYYY-MM-DD` (UTC's when the browser does not know the zone).
pub fn today(time_zone: &str) -> String {
    let now = js_sys::Date::now();
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &v.into()).ok();
    set("timeZone", time_zone);
    set("year", "numeric");
    set("month", "2-digit");
    set("day", "2-digit");
    // Canadian English writes dates as ISO does.
    let formatted = intl("DateTimeFormat")
        .and_then(|c| {
            js_sys::Reflect::construct(&c, &js_sys::Array::of2(&"en-CA".into(), &options)).ok()
        })
        .and_then(|f| js_sys::Reflect::get(&f, &"format".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| {
            f.call1(&JsValue::UNDEFINED, &js_sys::Date::new(&now.into()))
                .ok()
        })
        .and_then(|s| s.as_string())
        .filter(|s| s.len() == 10 && s.as_bytes().get(4) == Some(&b'-'));
    formatted.unwrap_or_else(|| iso_utc((now / 1000.0) as i64).chars().take(10).collect())
}

/// The browser's time zone (`Europe/Paris`), or `UTC`.
pub fn browser_time_zone() -> String {
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options()
        .dyn_into::<js_sys::Object>()
        .ok()
        .and_then(|o| js_sys::Reflect::get(&o, &"timeZone".into()).ok())
        .and_then(|z| z.as_string())
        .filter(|z| !z.is_empty())
        .unwrap_or_else(|| "UTC".into())
}

/// Every IANA time zone the browser knows, for the time zone picker.
pub fn time_zones() -> Vec<String> {
    let Some(supported) = intl("supportedValuesOf") else {
        return vec!["UTC".into()];
    };
    let mut zones: Vec<String> = supported
        .call1(&JsValue::UNDEFINED, &"timeZone".into())
        .ok()
        .map(|a| {
            js_sys::Array::from(&a)
                .iter()
                .filter_map(|z| z.as_string())
                .collect()
        })
        .unwrap_or_default();
    if !zones.iter().any(|z| z == "UTC") {
        zones.insert(0, "UTC".into());
    }
    zones
}

/// True when the browser can format dates in this zone.
pub fn is_time_zone(name: &str) -> bool {
    !name.is_empty() && date_format(name, DateStyle::Date).is_some()
}
