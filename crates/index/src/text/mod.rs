//! Text normalisation shared by the index, the query parser, highlighting and the oracle: what a
//! word is, case and accent folding, and Chinese/Japanese/Korean runs.
//!
//! A text is cut into *runs*: a word run is a maximal sequence of letters, digits and combining
//! marks (folded: lowercased, accents removed, `ß` → `ss`); a CJK run is a maximal sequence of Han,
//! Hiragana, Katakana or Hangul characters, kept as written; an emoji is a word of its own (`🐈`,
//! without its skin tone or presentation selector: `👍🏽` is `👍`, and a joined sequence such as
//! `🐈‍⬛` is its emoji one by one). Everything else separates runs. The
//! index turns a CJK run into its character bigrams (a run of one character stays a unigram), so
//! any substring of two or more characters can be found without a dictionary.

mod tables;

/// What a character is to the tokeniser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Splits runs.
    Sep,
    /// Part of a word run.
    Word,
    /// Part of a CJK run.
    Cjk,
    /// A word of its own, as written: an emoji.
    Emoji,
    /// Skipped inside a word without splitting it (soft hyphen, variation selectors, joiners).
    Ignore,
}

/// Classifies a character.
pub(crate) fn classify(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Sep
        };
    }
    let u = c as u32;
    if matches!(u, 0x00AD | 0x200B..=0x200D | 0x2060 | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF
        | 0x1F3FB..=0x1F3FF)
    // skin tones
    {
        return Class::Ignore;
    }
    let alnum = c.is_alphanumeric();
    let mark = !alnum && is_mark(c);
    if is_cjk_block(u) {
        return if alnum || mark {
            Class::Cjk
        } else {
            Class::Sep
        };
    }
    if alnum || mark {
        Class::Word
    } else if is_emoji(u) {
        Class::Emoji
    } else {
        Class::Sep
    }
}

/// The blocks where emoji are (their letters and digits, such as ❶, are words already): the
/// pictographs, emoticons, transport and supplemental symbols, flags' regional indicators, and the
/// older symbols people use as emoji (☀ ❤ ✅ ⭐ ⌚).
fn is_emoji(u: u32) -> bool {
    matches!(u,
        0x1F000..=0x1FAFF       // Mahjong to Symbols and Pictographs Extended-A
        | 0x2600..=0x27BF       // Miscellaneous Symbols, Dingbats
        | 0x2B00..=0x2BFF       // Miscellaneous Symbols and Arrows
        | 0x2300..=0x23FF) // Miscellaneous Technical
}

/// Han, Hiragana, Katakana and Hangul blocks (punctuation inside them is told apart by the caller).
fn is_cjk_block(u: u32) -> bool {
    matches!(u,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x3005..=0x3007      // 々 〆 〇
        | 0x3021..=0x3029      // Hangzhou numerals
        | 0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3130..=0x318F      // Hangul Compatibility Jamo
        | 0x31F0..=0x31FF      // Katakana Phonetic Extensions
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xA960..=0xA97F      // Hangul Jamo Extended-A
        | 0xAC00..=0xD7FF      // Hangul Syllables, Jamo Extended-B
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0xFF66..=0xFF9F      // Halfwidth Katakana
        | 0xFFA0..=0xFFDC      // Halfwidth Hangul
        | 0x1B000..=0x1B16F    // Kana Supplement, Extended-A, Small Kana
        | 0x20000..=0x323AF) // CJK Extensions B to H
}

/// True for a character of General_Category=Mark.
fn is_mark(c: char) -> bool {
    let u = c as u32;
    tables::MARKS
        .binary_search_by(|&(lo, hi)| {
            if hi < u {
                std::cmp::Ordering::Less
            } else if lo > u {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The diacritical marks that accent folding drops (combining diacritics of Latin, Greek, Cyrillic;
/// Hebrew points and Arabic vowel marks). Marks of other scripts (Indic vowel signs, the Japanese
/// voicing marks) change the letter and are kept.
fn is_strip_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7
        | 0x064B..=0x065F | 0x0670)
}

/// Appends the folded form of a word character: lowercase, without accents, `ß` as `ss`, fullwidth
/// Latin letters and digits as ASCII.
pub(crate) fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let u = c as u32;
    if matches!(u, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
        if let Some(a) = char::from_u32(u - 0xFEE0) {
            out.push(a.to_ascii_lowercase());
        }
        return;
    }
    for l in c.to_lowercase() {
        if is_strip_mark(l) {
            continue;
        }
        let base = match tables::FOLD.binary_search_by(|&(from, _)| from.cmp(&l)) {
            Ok(i) => tables::FOLD.get(i).map_or(l, |&(_, to)| to),
            Err(_) => l,
        };
        match base {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            'ſ' => out.push('s'),
            'ς' => out.push('σ'),
            other => out.push(other),
        }
    }
}

/// One run of a text, as [`for_each_run`] reports it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run<'a> {
    /// The folded word, or the CJK run as written.
    pub(crate) text: &'a str,
    /// True for a CJK run.
    pub(crate) cjk: bool,
    /// Byte range in the source text.
    pub(crate) start: usize,
    /// End of the byte range.
    pub(crate) end: usize,
}

/// Calls `f` with each run of `text`, in order. `buf` is scratch space.
pub(crate) fn for_each_run(text: &str, buf: &mut String, f: &mut impl FnMut(Run<'_>)) {
    // `state`: 0 none, 1 in a word, 2 in a CJK run.
    let mut state = 0u8;
    let mut start = 0usize;
    let mut end = 0usize;
    buf.clear();
    let flush =
        |state: u8, start: usize, end: usize, buf: &mut String, f: &mut dyn FnMut(Run<'_>)| {
            match state {
                1 if !buf.is_empty() => f(Run {
                    text: buf,
                    cjk: false,
                    start,
                    end,
                }),
                2 => f(Run {
                    text: text.get(start..end).unwrap_or(""),
                    cjk: true,
                    start,
                    end,
                }),
                _ => {}
            }
            buf.clear();
        };
    for (i, c) in text.char_indices() {
        let class = classify(c);
        match class {
            Class::Word => {
                if state != 1 {
                    flush(state, start, end, buf, f);
                    state = 1;
                    start = i;
                }
                fold_char(c, buf);
                end = i + c.len_utf8();
            }
            Class::Cjk => {
                if state != 2 {
                    flush(state, start, end, buf, f);
                    state = 2;
                    start = i;
                }
                end = i + c.len_utf8();
            }
            Class::Emoji => {
                flush(state, start, end, buf, f);
                state = 0;
                let stop = i + c.len_utf8();
                f(Run {
                    text: text.get(i..stop).unwrap_or(""),
                    cjk: false,
                    start: i,
                    end: stop,
                });
            }
            Class::Ignore if state == 1 => end = i + c.len_utf8(),
            Class::Ignore | Class::Sep => {
                flush(state, start, end, buf, f);
                state = 0;
            }
        }
    }
    flush(state, start, end, buf, f);
}

/// One token as the index sees it: a folded word, or a CJK bigram (or the unigram of a one-character
/// run).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token<'a> {
    /// The term.
    pub(crate) text: &'a str,
    /// Byte range in the source.
    pub(crate) start: usize,
    /// End of the byte range.
    pub(crate) end: usize,
    /// True for the first token of a CJK run (and for every word).
    pub(crate) run_start: bool,
}

/// Calls `f` with each token of `text`.
pub(crate) fn tokenize(text: &str, buf: &mut String, f: &mut impl FnMut(Token<'_>)) {
    for_each_run(text, buf, &mut |run| {
        if !run.cjk {
            f(Token {
                text: run.text,
                start: run.start,
                end: run.end,
                run_start: true,
            });
            return;
        }
        let mut chars = run.text.char_indices().peekable();
        let mut first = true;
        let mut single = true;
        while let Some((i, c)) = chars.next() {
            let Some(&(j, d)) = chars.peek() else {
                if single {
                    f(Token {
                        text: run.text.get(i..).unwrap_or(""),
                        start: run.start + i,
                        end: run.end,
                        run_start: true,
                    });
                }
                break;
            };
            let _ = c;
            single = false;
            let stop = j + d.len_utf8();
            f(Token {
                text: run.text.get(i..stop).unwrap_or(""),
                start: run.start + i,
                end: run.start + stop,
                run_start: first,
            });
            first = false;
        }
    });
}

/// A piece of a query word or of a post's text, at the level the oracle compares: a folded word
/// or a whole CJK run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Piece {
    /// A folded word.
    Word(String),
    /// A run of CJK characters, as written.
    Cjk(String),
}

impl Piece {
    /// The text of the piece.
    pub fn text(&self) -> &str {
        match self {
            Piece::Word(s) | Piece::Cjk(s) => s,
        }
    }
}

/// The pieces of a text.
pub(crate) fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_run(text, &mut buf, &mut |run| {
        out.push(if run.cjk {
            Piece::Cjk(run.text.to_owned())
        } else {
            Piece::Word(run.text.to_owned())
        });
    });
    out
}

/// The host of an http(s) URL, lowercased, without port, user info or trailing dot.
pub(crate) fn host_of(url: &str) -> Option<String> {
    // The scheme in any case; the bytes after it need not be ASCII (`http://é.example`).
    let after = |scheme: &str| {
        let head = url.as_bytes().get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme.as_bytes())
            .then(|| url.get(scheme.len()..))
            .flatten()
    };
    let rest = after("https://").or_else(|| after("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut buf = String::new();
        tokenize(s, &mut buf, &mut |t| {
            out.push((t.text.to_owned(), t.run_start))
        });
        out
    }

    #[test]
    fn words_fold_case_and_accents() {
        let words: Vec<String> =
            toks("Café CRÈME, Straße; Ærø ŁÓDŹ ｆｕｌｌ naïve\u{00AD}ly e\u{0301}t")
                .into_iter()
                .map(|t| t.0)
                .collect();
        assert_eq!(
            words,
            ["cafe", "creme", "strasse", "aero", "lodz", "full", "naively", "et"]
        );
    }

    #[test]
    fn scripts_keep_their_letters() {
        assert_eq!(pieces("हिन्दी"), vec![Piece::Word("हिन्दी".into())]);
        assert_eq!(
            pieces("ёлка йод"),
            vec![Piece::Word("елка".into()), Piece::Word("йод".into())]
        );
        assert_eq!(pieces("Ἀθῆναι"), vec![Piece::Word("αθηναι".into())]);
    }

    #[test]
    fn an_emoji_is_a_word_of_its_own() {
        let words = |s: &str| toks(s).into_iter().map(|t| t.0).collect::<Vec<_>>();
        // Beside a word, a skin tone or a presentation selector left out, a joined sequence
        // one by one, two in a row; letters in the symbol blocks stay letters, arrows separate.
        assert_eq!(
            words("cat🐈 👍🏽 ☕\u{FE0F}coffee 🐈\u{200D}⬛ 🦀🦀 ❶ a→b"),
            [
                "cat", "🐈", "👍", "☕", "coffee", "🐈", "⬛", "🦀", "🦀", "❶", "a", "b"
            ]
        );
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(
            toks("東京都に行く。a中b"),
            vec![
                ("東京".into(), true),
                ("京都".into(), false),
                ("都に".into(), false),
                ("に行".into(), false),
                ("行く".into(), false),
                ("a".into(), true),
                ("中".into(), true),
                ("b".into(), true),
            ]
        );
        assert_eq!(
            pieces("がぎ・カナ"),
            vec![Piece::Cjk("がぎ".into()), Piece::Cjk("カナ".into())]
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://User@Www.Example.org:443/x?y").as_deref(),
            Some("www.example.org")
        );
        assert_eq!(host_of("HTTP://a.b./"), Some("a.b".into()));
        assert_eq!(host_of("mailto:a@b"), None);
        assert_eq!(host_of("https://[::1]:80/"), Some("::1".into()));
        assert_eq!(host_of("http://é.example/"), Some("é.example".into()));
        assert_eq!(host_of("https://Ü.example"), Some("ü.example".into()));
        assert_eq!(host_of("http://"), None);
        assert_eq!(host_of("httpé://x"), None);
    }
}
