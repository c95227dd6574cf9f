//! Tokens → a syntax tree. Stray parentheses and operators are reported and skipped; a missing `)`
//! is assumed at the end.

use super::lex::{Kind, Token};
use super::messages as m;
use super::{Mode, QueryError};
use permafrost_model::Template;

/// Parentheses nest at most this deep; deeper ones are ignored (and reported).
const MAX_DEPTH: usize = 32;

/// The syntax tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Ast<'a> {
    /// Nothing (an empty group, or a term that was dropped).
    Empty,
    /// Implied AND.
    And(Vec<Ast<'a>>),
    /// `OR`.
    Or(Vec<Ast<'a>>),
    /// `-` / `NOT`.
    Not(Box<Ast<'a>>),
    /// A word or filter.
    Word {
        text: &'a str,
        start: usize,
        end: usize,
        /// The last token of the query, with nothing after it (not even a space).
        last: bool,
    },
    /// A quoted phrase.
    Phrase {
        text: &'a str,
        start: usize,
        end: usize,
        closed: bool,
        last: bool,
    },
}

struct Parser<'t, 'a> {
    toks: &'t [Token<'a>],
    pos: usize,
    text_len: usize,
    mode: Mode,
    errors: &'t mut Vec<QueryError>,
}

/// Parses the tokens of `text`.
pub(super) fn parse<'a>(
    toks: &[Token<'a>],
    text: &str,
    mode: Mode,
    errors: &mut Vec<QueryError>,
) -> Ast<'a> {
    let mut p = Parser {
        toks,
        pos: 0,
        text_len: text.len(),
        mode,
        errors,
    };
    p.and(0)
}

/// The byte ranges of the parts that the query's implied AND joins, as [`parse`] reads them at
/// the top level: a part's `-` or `NOT` and its parentheses are in its range, an `AND` between
/// parts and stray operators are not, and a part that reads as nothing (a lone `-`) is left out.
pub(super) fn top_level_spans(toks: &[Token<'_>], text: &str) -> Vec<(usize, usize)> {
    let mut errors = Vec::new();
    let mut p = Parser {
        toks,
        pos: 0,
        text_len: text.len(),
        mode: Mode::Exact,
        errors: &mut errors,
    };
    let mut spans = Vec::new();
    // As `and(0)` goes, keeping where each part starts and ends.
    while let Some(&tok) = p.toks.get(p.pos) {
        match tok.kind {
            Kind::Close | Kind::Or | Kind::And => p.pos += 1,
            _ => {
                let part = p.or(0);
                let end = p
                    .toks
                    .get(p.pos.saturating_sub(1))
                    .map_or(tok.end, |t| t.end);
                if part != Ast::Empty {
                    spans.push((tok.start, end));
                }
            }
        }
    }
    spans
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Kind<'a>> {
        self.toks.get(self.pos).map(|t| t.kind)
    }

    fn typing(&self) -> bool {
        self.mode == Mode::Typing
    }

    fn error(&mut self, tok: Token<'_>, message: Template, suggestion: Option<String>) {
        self.errors.push(QueryError {
            span: (tok.start, tok.end),
            message: message.message(),
            suggestion,
        });
    }

    fn is_last(&self, tok: Token<'_>) -> bool {
        self.pos >= self.toks.len() && tok.end >= self.text_len
    }

    fn and(&mut self, depth: usize) -> Ast<'a> {
        let mut items = Vec::new();
        while let Some(&tok) = self.toks.get(self.pos) {
            match tok.kind {
                Kind::Close if depth > 0 => break,
                Kind::Close => {
                    self.pos += 1;
                    self.error(tok, m::UNMATCHED_CLOSE, None);
                }
                Kind::Or => {
                    self.pos += 1;
                    self.error(tok, m::OR_NEEDS_TERMS, None);
                }
                Kind::And => self.pos += 1,
                _ => items.push(self.or(depth)),
            }
        }
        match items.len() {
            0 => Ast::Empty,
            1 => items.pop().unwrap_or(Ast::Empty),
            _ => Ast::And(items),
        }
    }

    fn or(&mut self, depth: usize) -> Ast<'a> {
        let mut alts = vec![self.unary(depth)];
        while let Some(&tok) = self.toks.get(self.pos) {
            if tok.kind != Kind::Or {
                break;
            }
            self.pos += 1;
            match self.peek() {
                None | Some(Kind::Close | Kind::Or | Kind::And) => {
                    if !(self.typing() && self.is_last(tok)) {
                        self.error(tok, m::OR_NEEDS_TERMS, None);
                    }
                }
                Some(_) => alts.push(self.unary(depth)),
            }
        }
        if alts.len() == 1 {
            alts.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Or(alts)
        }
    }

    fn unary(&mut self, depth: usize) -> Ast<'a> {
        let mut negate = false;
        while let Some(&tok) = self.toks.get(self.pos) {
            if tok.kind != Kind::Not {
                break;
            }
            self.pos += 1;
            if matches!(self.peek(), None | Some(Kind::Close | Kind::Or | Kind::And)) {
                if !(self.typing() && self.is_last(tok)) {
                    self.error(tok, m::NOTHING_TO_EXCLUDE, None);
                }
                return Ast::Empty;
            }
            negate = !negate;
        }
        let atom = self.atom(depth);
        if negate {
            Ast::Not(Box::new(atom))
        } else {
            atom
        }
    }

    fn atom(&mut self, depth: usize) -> Ast<'a> {
        let Some(&tok) = self.toks.get(self.pos) else {
            return Ast::Empty;
        };
        self.pos += 1;
        match tok.kind {
            Kind::Open => {
                if depth >= MAX_DEPTH {
                    self.error(tok, m::TOO_DEEP, None);
                    return Ast::Empty;
                }
                let inner = self.and(depth + 1);
                match self.toks.get(self.pos) {
                    Some(close) if close.kind == Kind::Close => self.pos += 1,
                    _ => {
                        if !self.typing() {
                            self.error(tok, m::MISSING_CLOSE, None);
                        }
                    }
                }
                inner
            }
            Kind::Word(text) => Ast::Word {
                text,
                start: tok.start,
                end: tok.end,
                last: self.is_last(tok),
            },
            Kind::Phrase { text, closed } => Ast::Phrase {
                text,
                start: tok.start,
                end: tok.end,
                closed,
                last: self.is_last(tok),
            },
            // Callers never hand these over; skip them if they do.
            Kind::Close | Kind::Or | Kind::And | Kind::Not => Ast::Empty,
        }
    }
}
