//! Link targets that tell the truth: every URL a post or profile links to is parsed once, here, with
//! the WHATWG URL rules browsers use (the `url` crate), so that the address the page shows is the
//! address a click opens.
//!
//! Hand-rolled URL splitting gets this wrong in ways attackers use: `https://127.0.0.1\@good.example`
//! goes to 127.0.0.1 (a `\` is a `/` in http(s) URLs), `HTTPS://` is a valid scheme, and
//! `gооgle.com` with Cyrillic `о` is a different host (`xn--ggle-55da.com`). An [`Href`] keeps the
//! URL as the browser will open it, serialized by the same rules, and the label derived from its
//! parsed host: in Unicode only where browsers would show Unicode, otherwise in punycode.

use serde::{Deserialize, Serialize};
use url::{Host, Url};

/// A checked link target: `http`, `https` or `mailto` only.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Href {
    /// The URL exactly as the browser opens it (WHATWG serialization: lowercase scheme and host,
    /// punycode, `\` read as `/`, spaces and controls removed or escaped).
    pub url: Box<str>,
    /// Where it goes, for people: the host (with its port when not the default one), in Unicode
    /// only when no label of it is mixed-script or confusable with Latin; for `mailto:` the address.
    pub host: Box<str>,
}

impl Href {
    /// Parses a link target as a browser would, keeping it only when it is `http:`, `https:` or
    /// `mailto:` (everything else, `javascript:`, `data:`, relative paths, is dropped).
    pub fn parse(raw: &str) -> Option<Href> {
        if let Some(href) = Href::plain(raw) {
            return Some(href);
        }
        Href::parse_whatwg(raw)
    }

    /// The link of a URL that the WHATWG rules leave as it is, without running them: most of an
    /// archive's links (`https://mastodon.social/@alice`, `https://host/tags/rust`), read by
    /// the hundred thousand when an archive opens, where the `url` crate's parser was a fifth of
    /// reading a post's HTML. `None` for anything else, which [`Href::parse_whatwg`] reads: the
    /// check is deliberately narrower than the rules (its test holds it to them).
    ///
    /// What it accepts: `http://` or `https://` in lowercase; a host of lowercase ASCII letters,
    /// digits and hyphens in non-empty dot-separated labels, none of them punycode (`xn--`) and
    /// the last not starting with a digit (which could make it an IPv4 address); then nothing,
    /// or `/`, `?` or `#` and characters that no part of a URL escapes or rewrites, with no `.`
    /// or `..` path segment (spelled with `%2e` or not) to remove.
    fn plain(raw: &str) -> Option<Href> {
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))?;
        let host_end = rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let (host, tail) = rest.split_at(host_end);
        let label_ok = |label: &str| {
            !label.is_empty()
                && !label.starts_with("xn--")
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        let last = host.rsplit('.').next()?;
        if !host.split('.').all(label_ok) || last.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let kept = |b: u8| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b':'
                        | b'@'
                        | b'/'
                        | b'%'
                        | b'?'
                        | b'#'
                )
        };
        if !tail.bytes().all(kept) {
            return None;
        }
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        let path = &tail[..path_end];
        let dotted = |segment: &str| segment == "." || segment == "..";
        if path.contains("%2e") || path.contains("%2E") || path.split('/').any(dotted) {
            return None;
        }
        let url = if tail.starts_with('/') {
            raw.into()
        } else {
            // `https://host` and `https://host?q` have the path `/`.
            let scheme = raw.len() - rest.len();
            format!("{}{host}/{tail}", &raw[..scheme]).into()
        };
        Some(Href {
            url,
            host: host.into(),
        })
    }

    /// The WHATWG rules' link of `raw` when [`Href::plain`] takes it, with the shortcut's (the
    /// html fuzz target compares them, as the tests do).
    #[cfg(any(test, fuzzing))]
    pub fn plain_beside_whatwg(raw: &str) -> Option<(Href, Option<Href>)> {
        Href::plain(raw).map(|plain| (plain, Href::parse_whatwg(raw)))
    }

    /// [`Href::parse`] by the WHATWG URL rules, as browsers read URLs.
    fn parse_whatwg(raw: &str) -> Option<Href> {
        let url = Url::parse(raw).ok()?;
        let host = match url.scheme() {
            "http" | "https" => {
                let mut host = match url.host()? {
                    Host::Domain(d) => display_domain(d),
                    Host::Ipv4(ip) => ip.to_string(),
                    Host::Ipv6(ip) => format!("[{ip}]"),
                };
                if host.is_empty() {
                    return None;
                }
                if let Some(port) = url.port() {
                    host.push_str(&format!(":{port}"));
                }
                host
            }
            "mailto" => {
                let address = url.path();
                if address.is_empty() {
                    return None;
                }
                printable(address)
            }
            _ => return None,
        };
        Some(Href {
            url: String::from(url).into(),
            host: host.into(),
        })
    }

    /// The label to show beside a link whose text is `text`: `None` when the text is the URL
    /// itself (so it already says where the link goes), else the host. Anything else that the
    /// text says (a different URL, a look-alike domain, bidi controls) cannot hide the label.
    pub fn label_for(&self, text: &str) -> Option<&str> {
        let text = text.trim();
        let spelled = text == &*self.url
            || self.url.strip_suffix('/') == Some(text)
            || self.url.strip_prefix("mailto:") == Some(text);
        (!spelled).then_some(&*self.host)
    }

    /// [`Href::label_for`] for a link whose text is shown as `shown`: Mastodon shortens a long
    /// URL (`example.com/long/pa…`), and a shortened URL that does not show its whole host
    /// (`hallucinunciation.daniel.indus…`, or `example.com…`, which may go on as
    /// `example.com.evil.net`) gets the label too.
    pub fn label_for_shown(&self, text: &str, shown: &str) -> Option<&str> {
        self.label_for(text)
            .or_else(|| (!shows_whole_host(shown, &self.host)).then_some(&*self.host))
    }
}

/// Whether `shown`, a URL as Mastodon shows it (maybe without its scheme and `www.`, maybe
/// shortened with an ellipsis), shows the whole of `host`: the host, then the end of what is
/// shown or a character that ends a host.
fn shows_whole_host(shown: &str, host: &str) -> bool {
    let s = shown.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    let bare = host.strip_prefix("www.").unwrap_or(host);
    [host, bare].into_iter().any(|h| {
        s.strip_prefix(h)
            .is_some_and(|after| after.is_empty() || after.starts_with(['/', '?', '#', ':']))
    })
}

/// The host as people should see it: `domain` is the ASCII form (punycode) the URL parser made.
fn display_domain(ascii: &str) -> String {
    if !ascii.split('.').any(|l| l.starts_with("xn--")) {
        return ascii.to_string();
    }
    let (unicode, result) = idna::domain_to_unicode(ascii);
    if result.is_err() || !unicode.split('.').all(label_is_unambiguous) {
        return ascii.to_string();
    }
    unicode
}

/// Whether a domain label can be shown in Unicode without misleading: like the browsers' IDN
/// display policies, a label may mix scripts only in the ways languages do (Latin with Han and
/// Japanese kana, Bopomofo or Hangul), and a label wholly in Cyrillic or Greek made only of letters
/// that look Latin (`аррӏе`) is a spoof. Anything unusual falls back to punycode, which is honest.
fn label_is_unambiguous(label: &str) -> bool {
    use icu_properties::props::Script;
    use icu_properties::CodePointMapData;

    if label.is_ascii() {
        return true;
    }
    let scripts = CodePointMapData::<Script>::new();
    let mut seen: Vec<Script> = Vec::new();
    for c in label.chars() {
        if c.is_ascii_digit() || c == '-' || c == '\u{30FC}' {
            continue; // digits, hyphens and the kana length mark (ー) belong to every script.
        }
        let script = scripts.get(c);
        if script == Script::Common || script == Script::Inherited || script == Script::Unknown {
            return false; // symbols, combining marks and unassigned code points: spoofable.
        }
        if !seen.contains(&script) {
            seen.push(script);
        }
    }
    let allowed_together = |set: &[Script]| seen.iter().all(|s| set.contains(s));
    let mixed_ok = seen.len() <= 1
        || allowed_together(&[
            Script::Latin,
            Script::Han,
            Script::Hiragana,
            Script::Katakana,
        ])
        || allowed_together(&[Script::Latin, Script::Han, Script::Bopomofo])
        || allowed_together(&[Script::Latin, Script::Han, Script::Hangul]);
    if !mixed_ok {
        return false;
    }
    // Whole-script confusables: every letter of a Cyrillic or Greek label looks like a Latin one
    // (the letters after the browsers' lists).
    const LATIN_LOOKALIKES: &str = "асԁеһіјӏорԛѕԝхуъьҽпгѵѡүкмнтвзэбдαορνικτυχεϲϳ";
    let whole_script =
        matches!(seen.as_slice(), [s] if *s == Script::Cyrillic || *s == Script::Greek);
    !(whole_script
        && label
            .chars()
            .filter(|c| !c.is_ascii_digit() && *c != '-')
            .all(|c| LATIN_LOOKALIKES.contains(c)))
}

/// `text` with everything that is not printable ASCII percent-encoded, so that no bidi control
/// or invisible character can rearrange or hide part of a label.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each case: the href as written, the link text, then what the page must show beside the
    /// text (`None`: no label, the text is the URL) and the URL a click opens (`None`: no link).
    #[allow(clippy::type_complexity)]
    const CASES: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        // The backslash spoof: browsers read `\` as `/`, so the host is 127.0.0.1:8199.
        (
            r"https://127.0.0.1:8199\@good.example/x",
            "Documentation",
            Some("127.0.0.1:8199"),
            Some("https://127.0.0.1:8199/@good.example/x"),
        ),
        (
            r"http:\\host.example\path",
            "a post",
            Some("host.example"),
            Some("http://host.example/path"),
        ),
        // Userinfo does not change where a link goes.
        (
            "https://good.example@evil.example/",
            "https://good.example",
            Some("evil.example"),
            Some("https://good.example@evil.example/"),
        ),
        // Upper-case schemes are schemes.
        (
            "HTTPS://Host.Example/A",
            "docs",
            Some("host.example"),
            Some("https://host.example/A"),
        ),
        // Text naming another URL that contains the real host still gets the label.
        (
            "https://pal.com/",
            "https://paypal.com/",
            Some("pal.com"),
            Some("https://pal.com/"),
        ),
        (
            "https://evil.example/",
            "notevil.example",
            Some("evil.example"),
            Some("https://evil.example/"),
        ),
        // Bidi controls in the text cannot reach the label.
        (
            "https://google.com/",
            "\u{202E}kcilc",
            Some("google.com"),
            Some("https://google.com/"),
        ),
        // Homographs: mixed Latin and Cyrillic, and all-Cyrillic look-alikes, show punycode.
        (
            "https://gооgle.com/",
            "google",
            Some("xn--ggle-55da.com"),
            Some("https://xn--ggle-55da.com/"),
        ),
        (
            "https://аррӏе.com/",
            "apple",
            Some("xn--80ak6aa92e.com"),
            Some("https://xn--80ak6aa92e.com/"),
        ),
        // Real internationalised domains read as themselves.
        (
            "https://münchen.de/",
            "Stadt",
            Some("münchen.de"),
            Some("https://xn--mnchen-3ya.de/"),
        ),
        (
            "https://xn--mnchen-3ya.de/",
            "Stadt",
            Some("münchen.de"),
            Some("https://xn--mnchen-3ya.de/"),
        ),
        (
            "https://例え.jp/",
            "例",
            Some("例え.jp"),
            Some("https://xn--r8jz45g.jp/"),
        ),
        (
            "https://пример.рф/",
            "пример",
            Some("пример.рф"),
            Some("https://xn--e1afmkfd.xn--p1ai/"),
        ),
        // A link whose text is its URL needs no label; a shortened one (Mastodon's) neither.
        (
            "https://example.com/a/b",
            "https://example.com/a/b",
            None,
            Some("https://example.com/a/b"),
        ),
        (
            "https://example.com",
            "https://example.com",
            None,
            Some("https://example.com/"),
        ),
        (
            "https://example.com:8443/",
            "x",
            Some("example.com:8443"),
            Some("https://example.com:8443/"),
        ),
        (
            "https://example.com:443/",
            "x",
            Some("example.com"),
            Some("https://example.com/"),
        ),
        (
            "https://[::1]:9/",
            "x",
            Some("[::1]:9"),
            Some("https://[::1]:9/"),
        ),
        (
            "  https://example.com/a b  ",
            "x",
            Some("example.com"),
            Some("https://example.com/a%20b"),
        ),
        (
            "mailto:a@b.example",
            "write",
            Some("a@b.example"),
            Some("mailto:a@b.example"),
        ),
        (
            "mailto:a@b.example",
            "a@b.example",
            None,
            Some("mailto:a@b.example"),
        ),
        (
            "mailto:\u{202E}x@y",
            "write",
            Some("%E2%80%AEx@y"),
            Some("mailto:%E2%80%AEx@y"),
        ),
        // Nothing else survives.
        ("javascript:alert(1)", "x", None, None),
        ("JaVaScRiPt:alert(1)", "x", None, None),
        ("java\tscript:alert(1)", "x", None, None),
        ("data:text/html,x", "x", None, None),
        ("vbscript:x", "x", None, None),
        ("/relative", "x", None, None),
        ("https:", "x", None, None),
        ("https://", "x", None, None),
        ("mailto:", "x", None, None),
        ("", "x", None, None),
    ];

    #[test]
    fn labels_name_the_host_a_click_opens() {
        for &(raw, text, label, opens) in CASES {
            let href = Href::parse(raw);
            assert_eq!(href.as_ref().map(|h| &*h.url), opens, "url of {raw:?}");
            if let Some(href) = &href {
                assert_eq!(
                    href.label_for(text),
                    label,
                    "label of {raw:?} with text {text:?}"
                );
                // The label is the parsed host of what the click opens, in Unicode or as is.
                if let Ok(parsed) = Url::parse(&href.url) {
                    if let Some(host) = parsed.host_str() {
                        let (unicode, _) = idna::domain_to_unicode(host);
                        assert!(
                            href.host.starts_with(host) || href.host.starts_with(&*unicode),
                            "{raw:?}: label {} is not {host}",
                            href.host
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_shortened_url_that_cuts_its_host_is_labelled() {
        let url = "https://hallucinunciation.daniel.industries/2023/04/a-long-post-title";
        let href = Href::parse(url).expect("parses");
        // Shown whole, or cut after the host: the text says where it goes.
        assert_eq!(href.label_for_shown(url, url), None);
        assert_eq!(
            href.label_for_shown(url, "hallucinunciation.daniel.industries/2023/04/a-lo…"),
            None
        );
        // Cut inside the host, or right at its end (it might go on): the host is said.
        for shown in [
            "hallucinunciation.daniel.indus…",
            "hallucinunciation.daniel.industries…",
        ] {
            assert_eq!(
                href.label_for_shown(url, shown),
                Some("hallucinunciation.daniel.industries"),
                "{shown}"
            );
        }
        // Mastodon leaves out `www.`.
        let href = Href::parse("https://www.youtube.com/watch?v=abc").expect("parses");
        assert_eq!(
            href.label_for_shown(
                "https://www.youtube.com/watch?v=abc",
                "youtube.com/watch?v=a…"
            ),
            None
        );
        // Another text still gets the label, shortened or not.
        assert_eq!(
            href.label_for_shown("click here", "click here"),
            Some("www.youtube.com")
        );
    }

    /// The shortcut for plain URLs ([`Href::plain`]) answers only as the WHATWG rules would:
    /// checked on every case above and on 30,000 strings made of the pieces that those rules
    /// rewrite (case, `\\`, dot segments, ports, user info, IPv4 numbers, punycode, escapes,
    /// spaces and controls). It must also answer for the links Mastodon writes, or it is dead.
    #[test]
    fn the_shortcut_for_plain_urls_agrees_with_the_whatwg_rules() {
        let agrees = |raw: &str| match Href::plain_beside_whatwg(raw) {
            Some((plain, whatwg)) => {
                assert_eq!(Some(plain), whatwg, "{raw:?}");
                true
            }
            None => false,
        };
        for &(raw, ..) in CASES {
            agrees(raw);
        }
        for raw in [
            "https://mastodon.social/@alice",
            "https://mastodon.social/@alice/109876543210",
            "https://example.social/tags/gardening",
            "https://a-b.example/users/bob/statuses/1?x=1&y=2#top",
            "http://example.com",
            "https://example.com?q",
            "https://example.com#f",
            "https://example.com/%E2%9C%A8/a:b@c;d=e,f+g!h$i*j(k)l~m_n.o-p",
        ] {
            assert!(agrees(raw), "not taken as plain: {raw:?}");
        }
        let schemes = [
            "https://",
            "http://",
            "HTTPS://",
            "Http://",
            "https:",
            "https:/",
            "https:///",
            "ftp://",
            " https://",
        ];
        let host_parts = [
            "a",
            "example",
            "b2",
            "xn--mnchen-3ya",
            "xn--",
            "1",
            "09",
            "0x7f",
            "-",
            ".",
            "..",
            "B",
            "é",
            ":8080",
            ":443",
            "@",
            "user:pw@",
            "%41",
            "[::1]",
            "\\",
            " ",
            "\t",
            "_",
            "com",
            "1.2.3.4",
            "0",
        ];
        let tail_parts = [
            "/", "/", "?", "#", ".", "..", "/.", "/..", "%2e", "%2E", "%2e%2e", "'", "\"", "<",
            ">", "`", "{", "}", "|", "^", "\\", " ", "\t", "\n", "\r", "a", "Z", "9", "~", "!",
            "$", "&", "(", ")", "*", "+", ",", ";", "=", ":", "@", "%", "%20", "%zz", "é", "[",
            "]", "\u{0}", "\u{7f}",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        // Mostly what links look like, with one of the pieces above now and then.
        let plain_labels = ["a", "example", "b-2", "social", "z9"];
        let plain_tail = [
            "/", "a", "Z", "9", "~", "-", "_", ".", "?", "#", "=", "&", "%20", "@", ":",
        ];
        let mut taken = 0;
        for _ in 0..30_000 {
            let hostile = |next: &mut dyn FnMut(usize) -> usize| next(4) == 0;
            let mut raw = String::from(if hostile(&mut next) {
                schemes[next(schemes.len())]
            } else {
                "https://"
            });
            for label in 0..1 + next(3) {
                if label > 0 {
                    raw.push('.');
                }
                raw.push_str(if hostile(&mut next) {
                    host_parts[next(host_parts.len())]
                } else {
                    plain_labels[next(plain_labels.len())]
                });
            }
            for _ in 0..next(8) {
                raw.push_str(if hostile(&mut next) {
                    tail_parts[next(tail_parts.len())]
                } else {
                    plain_tail[next(plain_tail.len())]
                });
            }
            taken += usize::from(agrees(&raw));
        }
        // Enough of them plain for the comparison to mean something.
        assert!(taken > 3_000, "only {taken} taken as plain");
    }
}
