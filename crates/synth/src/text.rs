//! Post text: a Zipf vocabulary per language and Mastodon-style content HTML.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::people::Account;
use crate::rng::{Rng, Zipf};
use crate::words;

/// Languages of generated posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    De,
    Fr,
    Es,
    Ja,
    ZhCn,
}

impl Lang {
    /// The BCP 47 code as Mastodon 4.2.2+ writes it (and as `Expected.languages` counts it).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ja => "ja",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The `contentMap` key: before 4.2.2 hyphenated codes were camelCased (`zhCn`).
    pub(crate) fn map_key(self, camel: bool) -> &'static str {
        match self {
            Lang::ZhCn if camel => "zhCn",
            other => other.code(),
        }
    }

    pub(crate) fn is_cjk(self) -> bool {
        matches!(self, Lang::Ja | Lang::ZhCn)
    }

    /// Draws a post language (`None`: no language set, so no `contentMap`).
    pub(crate) fn draw(rng: &mut Rng) -> Option<Lang> {
        const WEIGHTS: &[u64] = &[740, 80, 50, 40, 40, 20, 30];
        match rng.weighted(WEIGHTS) {
            0 => Some(Lang::En),
            1 => Some(Lang::De),
            2 => Some(Lang::Fr),
            3 => Some(Lang::Es),
            4 => Some(Lang::Ja),
            5 => Some(Lang::ZhCn),
            _ => None,
        }
    }
}

/// Folds the accents the marker check cares about, so "creme" also counts as "crème".
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// True if `s` could be mistaken for a marker word by a search (so it must never be generated).
pub(crate) fn clashes_with_marker(s: &str) -> bool {
    let f = fold(s);
    words::MARKERS.iter().any(|(m, _)| f.contains(&fold(m)))
}

/// Pseudo-words from syllables, for the long tail of the vocabulary and for user names.
pub(crate) fn pseudo_word(rng: &mut Rng, syllables: u64) -> String {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
        "br", "cr", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th", "qu",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "y", "io"];
    const CODAS: &[&str] = &[
        "", "", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "x",
    ];
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick(ONSETS));
        w.push_str(rng.pick(VOWELS));
        w.push_str(rng.pick(CODAS));
    }
    w
}

/// The vocabulary: fixed, independent of the seed.
#[derive(Debug)]
pub(crate) struct Vocab {
    en: Vec<String>,
    en_zipf: Zipf,
    de: Zipf,
    fr: Zipf,
    es: Zipf,
    ja: Zipf,
    zh: Zipf,
    /// ASCII-only words for URL paths.
    ascii: Vec<&'static str>,
}

/// Size of the English vocabulary (common words plus pseudo-words).
const EN_SIZE: usize = 3000;

impl Vocab {
    pub(crate) fn new() -> Self {
        let mut en: Vec<String> = words::EN.iter().map(|w| w.to_string()).collect();
        let mut seen: HashSet<String> = en.iter().cloned().collect();
        // A fixed stream: the vocabulary must not change with the seed.
        let mut rng = Rng::new(0x005E_ED0F_0CAB, 99);
        while en.len() < EN_SIZE {
            let syl = rng.range(1, 3);
            let mut w = pseudo_word(&mut rng, syl);
            if rng.permille(40) {
                // A few accented long-tail words.
                let (from, to) =
                    rng.pick(&[("e", "é"), ("a", "ä"), ("o", "ö"), ("n", "ñ"), ("u", "ü")]);
                w = w.replacen(from, to, 1);
            }
            if w.len() < 2 || clashes_with_marker(&w) || !seen.insert(w.clone()) {
                continue;
            }
            en.push(w);
        }
        let ascii = words::EN
            .iter()
            .copied()
            .filter(|w| w.len() > 2 && w.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        Vocab {
            en_zipf: Zipf::with_tail(en.len(), words::EN.len(), 4),
            en,
            de: Zipf::new(words::DE.len()),
            fr: Zipf::new(words::FR.len()),
            es: Zipf::new(words::ES.len()),
            ja: Zipf::new(words::JA.len()),
            zh: Zipf::new(words::ZH.len()),
            ascii,
        }
    }

    /// One word in `lang` (English for posts without a language).
    pub(crate) fn word(&self, rng: &mut Rng, lang: Option<Lang>) -> &str {
        match lang {
            Some(Lang::De) if !rng.permille(150) => words::DE[self.de.sample(rng)],
            Some(Lang::Fr) if !rng.permille(150) => words::FR[self.fr.sample(rng)],
            Some(Lang::Es) if !rng.permille(150) => words::ES[self.es.sample(rng)],
            Some(Lang::Ja) => words::JA[self.ja.sample(rng)],
            Some(Lang::ZhCn) => words::ZH[self.zh.sample(rng)],
            _ => &self.en[self.en_zipf.sample(rng)],
        }
    }

    /// A plain-text English sentence (alt text, poll options), without markers.
    pub(crate) fn plain_sentence(&self, rng: &mut Rng, min: u64, max: u64, out: &mut String) {
        let n = rng.range(min, max);
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            let w = self.word(rng, Some(Lang::En));
            if k == 0 {
                push_capitalized(out, w);
            } else {
                out.push_str(w);
            }
        }
    }
}

fn push_capitalized(out: &mut String, w: &str) {
    let mut cs = w.chars();
    if let Some(c) = cs.next() {
        out.extend(c.to_uppercase());
        out.push_str(cs.as_str());
    }
}

/// Escapes text for HTML the way Rails' `html_escape` does.
pub(crate) fn html_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Percent-encodes a URL path segment (hashtag links).
pub(crate) fn percent_encode(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// What to generate.
pub(crate) struct TextSpec<'a> {
    pub(crate) lang: Option<Lang>,
    /// Accounts mentioned at the start (reply targets, DM recipients).
    pub(crate) mentions: &'a [&'a Account],
    /// Whether marker words and hashtags may appear (not in posts that get an inline self-boost, so the
    /// search ground truth does not depend on whether a parser indexes inline boosts).
    pub(crate) markers_and_tags: bool,
    /// A poll question: one short paragraph ending with a question mark.
    pub(crate) question: bool,
}

/// Generated post text (buffers reused between posts).
#[derive(Debug, Default)]
pub(crate) struct Text {
    pub(crate) html: String,
    /// Indices into `words::HASHTAGS`, distinct.
    pub(crate) hashtags: Vec<usize>,
    /// Indices into `words::EMOJI`, distinct.
    pub(crate) emoji: Vec<usize>,
    /// Bit `i` set: `words::MARKERS[i]` occurs. Bit 7: the CJK marker occurs.
    pub(crate) markers: u8,
}

/// Bit for the CJK marker in `Text::markers`.
pub(crate) const CJK_MARKER_BIT: u8 = 1 << 7;

/// Builds content HTML.
pub(crate) fn generate(
    vocab: &Vocab,
    rng: &mut Rng,
    host: &str,
    spec: &TextSpec<'_>,
    t: &mut Text,
) {
    t.html.clear();
    t.hashtags.clear();
    t.emoji.clear();
    t.markers = 0;
    let cjk = spec.lang.is_some_and(Lang::is_cjk);

    let paragraphs = if spec.question {
        1
    } else {
        [1, 1, 1, 1, 1, 1, 1, 2, 2, 3][rng.index(10)]
    };
    let mut sentences: Vec<u64> = (0..paragraphs).map(|_| rng.range(1, 3)).collect();
    if spec.question {
        sentences[0] = 1;
    }
    let total: u64 = sentences.iter().sum();

    // Decide markers up front and the sentence each one goes into.
    let mut planted: Vec<(u64, &str)> = Vec::new();
    if spec.markers_and_tags && !spec.question {
        if cjk {
            if spec.lang == Some(Lang::Ja) && rng.permille(words::CJK_MARKER.1) {
                planted.push((rng.below(total), words::CJK_MARKER.0));
                t.markers |= CJK_MARKER_BIT;
            }
        } else {
            for (i, (m, rate)) in words::MARKERS.iter().enumerate() {
                if rng.permille(*rate) {
                    planted.push((rng.below(total), m));
                    t.markers |= 1 << i;
                }
            }
        }
    }
    if spec.markers_and_tags && rng.permille(200) {
        let n = rng.range(1, 3);
        let zipf_top = words::HASHTAGS.len() as u64;
        for _ in 0..n {
            // Skewed: low indices are more popular.
            let a = rng.below(zipf_top);
            let b = rng.below(zipf_top);
            let idx = a.min(b) as usize;
            if !t.hashtags.contains(&idx) {
                t.hashtags.push(idx);
            }
        }
    }
    if rng.permille(30) {
        t.emoji.push(rng.index(words::EMOJI.len()));
    }
    let link = !spec.question && rng.permille(80);
    let tags_inline = rng.permille(500);

    let mut sentence_no = 0u64;
    for (p, &count) in sentences.iter().enumerate() {
        t.html.push_str("<p>");
        if p == 0 {
            for m in spec.mentions {
                mention_html(&mut t.html, m);
                t.html.push(' ');
            }
        }
        for s in 0..count {
            if s > 0 {
                if rng.permille(150) {
                    t.html.push_str("<br />");
                } else if !cjk {
                    t.html.push(' ');
                }
            }
            let here: Vec<&str> = planted
                .iter()
                .filter(|(at, _)| *at == sentence_no)
                .map(|(_, m)| *m)
                .collect();
            sentence(vocab, rng, spec, cjk, &here, &mut t.html);
            sentence_no += 1;
        }
        let last = p + 1 == sentences.len();
        if last && !t.emoji.is_empty() {
            t.html.push(' ');
            t.html.push(':');
            t.html.push_str(words::EMOJI[t.emoji[0]]);
            t.html.push(':');
        }
        if last && tags_inline && !t.hashtags.is_empty() {
            for &h in &t.hashtags {
                t.html.push(' ');
                hashtag_html(&mut t.html, host, words::HASHTAGS[h]);
            }
        }
        t.html.push_str("</p>");
    }
    if link {
        t.html.push_str("<p>");
        link_html(vocab, rng, &mut t.html);
        t.html.push_str("</p>");
    }
    if !tags_inline && !t.hashtags.is_empty() {
        t.html.push_str("<p>");
        for (i, &h) in t.hashtags.iter().enumerate() {
            if i > 0 {
                t.html.push(' ');
            }
            hashtag_html(&mut t.html, host, words::HASHTAGS[h]);
        }
        t.html.push_str("</p>");
    }
}

fn sentence(
    vocab: &Vocab,
    rng: &mut Rng,
    spec: &TextSpec<'_>,
    cjk: bool,
    markers: &[&str],
    html: &mut String,
) {
    let n = if cjk {
        rng.range(3, 12)
    } else {
        rng.range(3, 18)
    };
    let marker_at: Vec<u64> = markers.iter().map(|_| rng.below(n)).collect();
    let quote_at = if !cjk && rng.permille(20) {
        Some(rng.below(n))
    } else {
        None
    };
    let amp_at = if !cjk && rng.permille(20) {
        Some(rng.range(1, n))
    } else {
        None
    };
    for k in 0..n {
        if k > 0 && !cjk {
            html.push(' ');
        }
        if amp_at == Some(k) {
            html.push_str("&amp; ");
        }
        for (m, &at) in markers.iter().zip(&marker_at) {
            if at == k {
                if k == 0 && !cjk {
                    let mut s = String::new();
                    push_capitalized(&mut s, m);
                    html_escape(html, &s);
                } else {
                    html_escape(html, m);
                }
                if !cjk {
                    html.push(' ');
                }
            }
        }
        let w = vocab.word(rng, spec.lang);
        let first = k == 0 && !marker_at.contains(&0);
        let quoted = quote_at == Some(k);
        if quoted {
            html.push_str("&quot;");
        }
        if first && !cjk {
            let mut s = String::new();
            push_capitalized(&mut s, w);
            html_escape(html, &s);
        } else {
            html_escape(html, w);
        }
        if quoted {
            html.push_str("&quot;");
        }
    }
    if spec.question {
        html.push_str(if cjk { "？" } else { "?" });
    } else if cjk {
        html.push_str(if spec.lang == Some(Lang::ZhCn) && rng.permille(300) {
            "！"
        } else {
            "。"
        });
    } else {
        const ENDS: &[&str] = &[".", "!", "?", "…", " &lt;3", " :)"];
        html.push_str(ENDS[rng.weighted(&[700, 100, 100, 60, 20, 20])]);
    }
}

/// `<span class="h-card" translate="no"><a href="…" class="u-url mention">@<span>user</span></a></span>`.
pub(crate) fn mention_html(out: &mut String, a: &Account) {
    out.push_str("<span class=\"h-card\" translate=\"no\"><a href=\"");
    html_escape(out, &a.url);
    out.push_str("\" class=\"u-url mention\">@<span>");
    html_escape(out, &a.user);
    out.push_str("</span></a></span>");
}

/// `<a href="https://host/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>`.
pub(crate) fn hashtag_html(out: &mut String, host: &str, tag: &str) {
    out.push_str("<a href=\"https://");
    out.push_str(host);
    out.push_str("/tags/");
    percent_encode(out, tag);
    out.push_str("\" class=\"mention hashtag\" rel=\"tag\">#<span>");
    html_escape(out, tag);
    out.push_str("</span></a>");
}

/// An external link shortened the way Mastodon's formatter does: invisible scheme (and `www.`), 30 visible
/// characters, the rest invisible with an ellipsis class.
pub(crate) fn link_html(vocab: &Vocab, rng: &mut Rng, out: &mut String) {
    let host = rng.pick(words::LINK_HOSTS);
    let mut url = format!("https://{host}/");
    match rng.below(3) {
        0 => {
            let _ = write!(url, "{}/{:02}/", rng.range(2019, 2025), rng.range(1, 12));
            let n = rng.range(2, 6);
            for i in 0..n {
                if i > 0 {
                    url.push('-');
                }
                url.push_str(rng.pick(&vocab.ascii));
            }
        }
        1 => {
            let _ = write!(
                url,
                "watch?v={:x}&t={}",
                rng.next_u64() >> 20,
                rng.range(1, 600)
            );
        }
        _ => {
            url.push_str(rng.pick(&vocab.ascii));
        }
    }
    out.push_str(rng.pick(&["Read: ", "via ", "", "See "]));
    out.push_str("<a href=\"");
    html_escape(out, &url);
    out.push_str("\" target=\"_blank\" rel=\"nofollow noopener noreferrer\" translate=\"no\">");
    let prefix_len = if url.starts_with("https://www.") {
        12
    } else {
        8
    };
    let (prefix, rest) = url.split_at(prefix_len);
    let shown: String = rest.chars().take(30).collect();
    let hidden = &rest[shown.len()..];
    out.push_str("<span class=\"invisible\">");
    out.push_str(prefix);
    out.push_str("</span><span class=\"");
    if hidden.is_empty() {
        out.push_str("\">");
    } else {
        out.push_str("ellipsis\">");
    }
    html_escape(out, &shown);
    out.push_str("</span><span class=\"invisible\">");
    html_escape(out, hidden);
    out.push_str("</span></a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_has_no_markers() {
        let v = Vocab::new();
        assert_eq!(v.en.len(), EN_SIZE);
        for w in
            v.en.iter()
                .map(String::as_str)
                .chain(words::DE.iter().copied())
        {
            assert!(!clashes_with_marker(w), "{w}");
        }
        for w in words::FR.iter().chain(words::ES).chain(words::HASHTAGS) {
            assert!(!clashes_with_marker(w), "{w}");
        }
        let cjk: Vec<char> = words::CJK_MARKER.0.chars().collect();
        for w in words::JA.iter().chain(words::ZH) {
            assert!(!w.chars().any(|c| cjk.contains(&c)), "{w}");
        }
    }

    #[test]
    fn link_is_shortened() {
        let v = Vocab::new();
        let mut rng = Rng::new(3, 3);
        let mut s = String::new();
        link_html(&v, &mut rng, &mut s);
        assert!(s.contains("<span class=\"invisible\">https://"), "{s}");
    }
}
