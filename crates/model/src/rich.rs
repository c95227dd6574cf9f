//! The typed rich-text tree that post and profile HTML is parsed into, once (design principle 5).
//!
//! It holds only what a Mastodon post can show: paragraphs, line breaks, links with checked targets,
//! mentions, hashtags, emphasis, code, lists and quotes. The app renders it through components, the
//! index searches its [`RichText::plain_text`], and every export format writes it. Nothing in it can
//! run script: a link target is kept only when it is `http:`, `https:` or `mailto:`.

use crate::link::Href;
use serde::{Deserialize, Serialize};

/// A parsed piece of post or profile HTML.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RichText {
    /// Top-level blocks in document order.
    pub blocks: Vec<Block>,
}

/// A block of text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum Block {
    /// A paragraph of inline content.
    Paragraph(Vec<Inline>),
    /// A heading (remote servers may send `<h1>`…`<h6>`); `level` is 1 to 6.
    Heading {
        /// 1 for `<h1>` up to 6.
        level: u8,
        /// The heading's content.
        content: Vec<Inline>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A bulleted (`ordered: false`) or numbered list; each item is a list of blocks.
    List {
        /// True for `<ol>`.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// Preformatted text (`<pre>`), kept verbatim.
    Code(Box<str>),
}

/// Inline content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    /// Plain text, entities decoded.
    Text(Box<str>),
    /// A line break (`<br>`).
    Break,
    /// A link. `href` is `None` when the target was not http(s)/mailto: the text stays, the link goes.
    Link {
        /// The checked target, and the host to show beside the text.
        href: Option<Href>,
        /// The whole link text, including the parts Mastodon hides (`<span class="invisible">`):
        /// for a shortened URL this is the full URL.
        text: Box<str>,
        /// What Mastodon displays for a shortened URL (`example.com/long…`), when shortened.
        short: Option<Box<str>>,
    },
    /// A mention of an account: `@user` or `@user@domain` as written, and the account's URL.
    Mention {
        /// The mention as displayed, with its `@`.
        text: Box<str>,
        /// The account URL, when http(s).
        href: Option<Href>,
    },
    /// A hashtag, without its `#`.
    Hashtag {
        /// The tag as written (case kept).
        name: Box<str>,
        /// The server's tag page, when http(s).
        href: Option<Href>,
    },
    /// `<em>`, `<i>`.
    Emphasis(Vec<Inline>),
    /// `<strong>`, `<b>`.
    Strong(Vec<Inline>),
    /// `<del>`, `<s>`.
    Strike(Vec<Inline>),
    /// Inline `<code>`.
    Code(Box<str>),
}

impl RichText {
    /// A rich text of one paragraph of plain text (line breaks kept).
    pub fn from_plain(text: &str) -> RichText {
        if text.is_empty() {
            return RichText::default();
        }
        let mut inlines = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                inlines.push(Inline::Break);
            }
            if !line.is_empty() {
                inlines.push(Inline::Text(line.into()));
            }
        }
        RichText {
            blocks: vec![Block::Paragraph(inlines)],
        }
    }

    /// True when there is no content at all.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The text a person reads, for search and plain exports: paragraphs separated by a blank line,
    /// `<br>` as a newline, links as their full text, hashtags with `#`.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.write_plain(&mut out);
        out
    }

    /// Appends [`RichText::plain_text`] to `out`.
    pub fn write_plain(&self, out: &mut String) {
        write_blocks(&self.blocks, out);
    }

    /// Visits every inline node, depth first.
    pub fn for_each_inline(&self, f: &mut impl FnMut(&Inline)) {
        fn blocks(bs: &[Block], f: &mut impl FnMut(&Inline)) {
            for b in bs {
                match b {
                    Block::Paragraph(i) | Block::Heading { content: i, .. } => inlines(i, f),
                    Block::Quote(inner) => blocks(inner, f),
                    Block::List { items, .. } => items.iter().for_each(|item| blocks(item, f)),
                    Block::Code(_) => {}
                }
            }
        }
        fn inlines(is: &[Inline], f: &mut impl FnMut(&Inline)) {
            for i in is {
                f(i);
                if let Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) = i {
                    inlines(c, f);
                }
            }
        }
        blocks(&self.blocks, f);
    }

    /// Approximate heap bytes, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let mut n = self.blocks.capacity() * std::mem::size_of::<Block>();
        self.for_each_inline(&mut |i| {
            n += std::mem::size_of::<Inline>()
                + match i {
                    Inline::Text(t) | Inline::Code(t) => t.len(),
                    Inline::Link { href, text, short } => {
                        href_bytes(href) + text.len() + short.as_ref().map_or(0, |s| s.len())
                    }
                    Inline::Mention { text: name, href } | Inline::Hashtag { name, href } => {
                        name.len() + href_bytes(href)
                    }
                    _ => 0,
                }
        });
        n
    }
}

fn write_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => write_inlines(inlines, out),
            Block::Quote(inner) => write_blocks(inner, out),
            Block::List { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let mut s = String::new();
                    write_blocks(item, &mut s);
                    out.push_str(&s);
                }
            }
            Block::Code(code) => out.push_str(code),
        }
    }
}

fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Break => out.push('\n'),
            Inline::Link { text, .. } => out.push_str(text),
            Inline::Mention { text, .. } => out.push_str(text),
            Inline::Hashtag { name, .. } => {
                out.push('#');
                out.push_str(name);
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => write_inlines(c, out),
        }
    }
}

fn href_bytes(href: &Option<Href>) -> usize {
    href.as_ref().map_or(0, |h| h.url.len() + h.host.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_joins_paragraphs_and_breaks() {
        let rt = RichText {
            blocks: vec![
                Block::Paragraph(vec![
                    Inline::Text("a".into()),
                    Inline::Break,
                    Inline::Text("b".into()),
                ]),
                Block::Paragraph(vec![Inline::Hashtag {
                    name: "Tag".into(),
                    href: None,
                }]),
            ],
        };
        assert_eq!(rt.plain_text(), "a\nb\n\n#Tag");
        assert_eq!(RichText::from_plain("x\ny").plain_text(), "x\ny");
    }
}
