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
/// first at each position). Empty terms are ignored.
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
        if let Some(end) = terms.iter().find_map(|t| match_at(text, i, t)) {
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
