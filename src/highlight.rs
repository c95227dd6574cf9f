//! Splitting text around the words a search matched, so they can be marked.

/// A piece of text, matched or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The text.
    pub text: &'a str,
    /// True when it matched a term.
    pub matched: bool,
}

/// Splits `text` into pieces, marking every case-insensitive occurrence of any term (longest term
/// first at each position) that stands as a word of its own, as search matches whole words:
/// `bike` is marked in "a bike!" but not in "ronsbikesblog". Chinese, Japanese and Korean text
/// has no spaces between words: there any occurrence is marked. Empty terms are ignored.
pub fn split<'a>(text: &'a str, terms: &[String]) -> Vec<Piece<'a>> {
    let mut terms: Vec<Vec<char>> = terms
        .iter()
        .map(|t| t.chars().flat_map(char::to_lowercase).collect::<Vec<_>>())
        .filter(|t| !t.is_empty())
        .collect();
    if terms.is_empty() || text.is_empty() {
        return vec![Piece {
            text,
            matched: false,
        }];
    }
    sort_small(&mut terms, |a, b| a.len() > b.len());
    let mut pieces = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while i < text.len() {
        let starts_word = !text[..i].chars().next_back().is_some_and(is_word_char);
        let found = terms.iter().find_map(|t| {
            let end = match_at(text, i, t)?;
            let first = text[i..].chars().next()?;
            let ends_word = !text[end..].chars().next().is_some_and(is_word_char);
            let last = text[..end].chars().next_back()?;
            let open_start = starts_word || !is_word_char(first);
            let open_end = ends_word || !is_word_char(last);
            (open_start && open_end).then_some(end)
        });
        if let Some(end) = found {
            if plain_start < i {
                pieces.push(Piece {
                    text: &text[plain_start..i],
                    matched: false,
                });
            }
            pieces.push(Piece {
                text: &text[i..end],
                matched: true,
            });
            i = end;
            plain_start = end;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if plain_start < text.len() {
        pieces.push(Piece {
            text: &text[plain_start..],
            matched: false,
        });
    }
    pieces
}

/// A character that continues a word: letters and digits, but not Chinese, Japanese or Korean
/// ones (words there are not separated, and search matches any run of them).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Han, Hiragana, Katakana and Hangul.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x2FA1F)
}

/// If `term` (lowercase chars) matches `text` at byte `start`, the byte where the match ends.
fn match_at(text: &str, start: usize, term: &[char]) -> Option<usize> {
    let mut want = term.iter();
    let mut pending = want.next();
    for (offset, c) in text[start..].char_indices() {
        for lower in c.to_lowercase() {
            match pending {
                Some(&w) if w == lower => pending = want.next(),
                _ => return None,
            }
        }
        if pending.is_none() {
            return Some(start + offset + c.len_utf8());
        }
    }
    None
}

/// Sorts a short list (stable: an insertion sort). The page sorts only a few items at a time, and
/// std's sorts cost its bundle kilobytes per element type.
pub fn sort_small<T>(items: &mut [T], before: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && before(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}
