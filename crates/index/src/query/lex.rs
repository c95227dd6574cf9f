//! Query text → tokens with byte spans.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind<'a> {
    /// `(`
    Open,
    /// `)`
    Close,
    /// `OR`
    Or,
    /// `AND` (a no-op: AND is implied).
    And,
    /// `NOT`, or `-` right before a term.
    Not,
    /// `"…"`; `closed` is false when the text ends before the closing quote.
    Phrase { text: &'a str, closed: bool },
    /// Anything else up to white space, a parenthesis or a quote.
    Word(&'a str),
}

/// A token and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub(super) kind: Kind<'a>,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Cuts `text` into tokens. A `-` counts as negation only at the start of a term and directly
/// followed by it (`-word`, `-"phrase"`, `-(…)`, `-has:media`); elsewhere it is part of the word.
pub(super) fn lex(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' => {
                chars.next();
                out.push(Token {
                    kind: Kind::Open,
                    start: i,
                    end: i + 1,
                });
            }
            ')' => {
                chars.next();
                out.push(Token {
                    kind: Kind::Close,
                    start: i,
                    end: i + 1,
                });
            }
            '"' | '“' | '”' | '„' | '«' | '»' | '＂' => {
                chars.next();
                let open_len = c.len_utf8();
                let body_start = i + open_len;
                let mut end = text.len();
                let mut closed = false;
                let mut body_end = text.len();
                for (j, d) in chars.by_ref() {
                    if matches!(d, '"' | '“' | '”' | '„' | '«' | '»' | '＂') {
                        body_end = j;
                        end = j + d.len_utf8();
                        closed = true;
                        break;
                    }
                }
                out.push(Token {
                    kind: Kind::Phrase {
                        text: text.get(body_start..body_end).unwrap_or(""),
                        closed,
                    },
                    start: i,
                    end,
                });
            }
            '-' | '−' => {
                chars.next();
                let next = chars.peek().map(|&(_, d)| d);
                match next {
                    Some(d) if !d.is_whitespace() && d != ')' && d != '-' => {
                        out.push(Token {
                            kind: Kind::Not,
                            start: i,
                            end: i + c.len_utf8(),
                        });
                    }
                    // A lone dash (or a run of them) is punctuation: skip it.
                    _ => {}
                }
            }
            _ => {
                let mut end = text.len();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_whitespace()
                        || matches!(d, '(' | ')' | '"' | '“' | '”' | '„' | '«' | '»' | '＂')
                    {
                        end = j;
                        break;
                    }
                    chars.next();
                }
                let word = text.get(i..end).unwrap_or("");
                let kind = match word {
                    "OR" | "||" | "|" => Kind::Or,
                    "AND" | "&&" => Kind::And,
                    "NOT" => Kind::Not,
                    _ => Kind::Word(word),
                };
                out.push(Token {
                    kind,
                    start: i,
                    end,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let kinds: Vec<Kind<'_>> = lex(r#"-(a OR "b c") e-mail - -x "open"#)
            .into_iter()
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Not,
                Kind::Open,
                Kind::Word("a"),
                Kind::Or,
                Kind::Phrase {
                    text: "b c",
                    closed: true
                },
                Kind::Close,
                Kind::Word("e-mail"),
                Kind::Not,
                Kind::Word("x"),
                Kind::Phrase {
                    text: "open",
                    closed: false
                },
            ]
        );
    }
}
