//! Markdown with YAML front matter, for static-site generators: a post's `RichText` as
//! CommonMark (links, mentions, hashtags and line breaks kept, everything else escaped).

use permafrost_model::{Block, Inline, RichText};

/// A YAML double-quoted scalar: safe for any text (quotes, colons, `#`, newlines, controls).
pub(crate) fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        // Printable ASCII without quotes or backslashes (most values): as it is.
        out.push_str(s);
        out.push('"');
        return out;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text with Markdown's punctuation escaped, so it shows as written.
fn escape(s: &str, out: &mut String) {
    let mut line_start = out.is_empty() || out.ends_with('\n');
    // Runs that need no escape are copied whole; what is escaped is ASCII, so every cut is
    // between two characters.
    let mut from = 0;
    for (at, &b) in s.as_bytes().iter().enumerate() {
        if b == b'\n' {
            out.push_str(&s[from..at]);
            out.push_str("\\\n");
            from = at + 1;
            line_start = true;
            continue;
        }
        if matches!(
            b,
            b'\\'
                | b'`'
                | b'*'
                | b'_'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'#'
                | b'|'
                | b'~'
                | b'&'
                | b'!'
        ) || (line_start && matches!(b, b'-' | b'+' | b'=' | b'.' | b')'))
        {
            out.push_str(&s[from..at]);
            out.push('\\');
            from = at;
        }
        // "1. text" at the start of a line would be a list.
        line_start = line_start && b.is_ascii_digit();
    }
    out.push_str(&s[from..]);
}

/// A link target for `[text](<target>)`.
fn target(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    push_target(href, &mut out);
    out
}

/// [`target`], appended to `out`.
fn push_target(href: &str, out: &mut String) {
    for c in href.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            ' ' => out.push_str("%20"),
            '\n' => {}
            c => out.push(c),
        }
    }
}

/// `[text](<target>)`, or the text alone without a target.
fn link(text: &str, href: Option<&permafrost_model::Href>, out: &mut String) {
    match href {
        Some(h) => {
            out.push('[');
            escape(text, out);
            out.push_str("](<");
            push_target(&h.url, out);
            out.push_str(">)");
        }
        None => escape(text, out),
    }
}

fn inlines(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(t) => escape(t, out),
            Inline::Break => out.push_str("\\\n"),
            Inline::Link { href, text, .. } => {
                link(text, href.as_ref(), out);
                // Where a link in the text goes, unless its text is its URL (as in the app).
                if let Some(host) = href.as_ref().and_then(|h| h.label_for(text)) {
                    out.push_str(" (");
                    escape(host, out);
                    out.push(')');
                }
            }
            Inline::Mention { text, href } => link(text, href.as_ref(), out),
            Inline::Hashtag { name, href } => link(&format!("#{name}"), href.as_ref(), out),
            Inline::Emphasis(c) => wrap("*", c, out),
            Inline::Strong(c) => wrap("**", c, out),
            Inline::Strike(c) => wrap("~~", c, out),
            Inline::Code(t) => {
                let ticks = "`".repeat(longest_run(t, '`') + 1);
                out.push_str(&ticks);
                out.push(' ');
                out.push_str(&t.replace('\n', " "));
                out.push(' ');
                out.push_str(&ticks);
            }
        }
    }
}

fn wrap(mark: &str, content: &[Inline], out: &mut String) {
    out.push_str(mark);
    inlines(content, out);
    out.push_str(mark);
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

fn blocks(items: &[Block], prefix: &str, out: &mut String) {
    for (n, b) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(prefix.trim_end());
            out.push('\n');
        }
        let mut text = String::new();
        match b {
            Block::Paragraph(i) => inlines(i, &mut text),
            Block::Heading { level, content } => {
                text.push_str(&"#".repeat(usize::from((*level).clamp(1, 6))));
                text.push(' ');
                inlines(content, &mut text);
            }
            Block::Quote(inner) => blocks(inner, "> ", &mut text),
            Block::List { ordered, items } => {
                for (k, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", k + 1)
                    } else {
                        "- ".to_string()
                    };
                    let mut inner = String::new();
                    blocks(item, "", &mut inner);
                    let pad = " ".repeat(marker.len());
                    for (l, line) in inner.trim_end().lines().enumerate() {
                        text.push_str(if l == 0 { &marker } else { &pad });
                        text.push_str(line);
                        text.push('\n');
                    }
                }
            }
            Block::Code(code) => {
                let fence = "`".repeat(longest_run(code, '`').max(2) + 1);
                text.push_str(&fence);
                text.push('\n');
                text.push_str(code);
                if !code.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&fence);
            }
        }
        for line in text.trim_end_matches('\n').lines() {
            out.push_str(prefix);
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// A post's text as Markdown.
pub(crate) fn render(text: &RichText) -> String {
    let mut out = String::new();
    blocks(&text.blocks, "", &mut out);
    out
}

/// Alt text for `![alt](path)`.
pub(crate) fn alt(s: &str) -> String {
    let mut out = String::new();
    escape(&s.replace(['\n', '\r'], " "), &mut out);
    out
}

/// A relative path for `(<path>)`.
pub(crate) fn path(p: &str) -> String {
    target(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        let t = RichText::from_plain("# not a heading *x* <b>\n1. no list");
        let md = render(&t);
        assert_eq!(md, "\\# not a heading \\*x\\* \\<b\\>\\\n1\\. no list\n");
    }

    #[test]
    fn a_link_says_where_it_goes_unless_its_text_is_its_url() {
        let link = |href: &str, text: &str| {
            render(&RichText {
                blocks: vec![permafrost_model::Block::Paragraph(vec![Inline::Link {
                    href: permafrost_model::Href::parse(href),
                    text: text.into(),
                    short: None,
                }])],
            })
        };
        assert_eq!(
            link(r"https://127.0.0.1:8199\@good.example/x", "Docs"),
            "[Docs](<https://127.0.0.1:8199/@good.example/x>) (127.0.0.1:8199)\n"
        );
        assert_eq!(
            link("https://example.com/a", "https://example.com/a"),
            "[https://example.com/a](<https://example.com/a>)\n"
        );
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_str("a: \"b\"\n#c"), "\"a: \\\"b\\\"\\n#c\"");
        assert_eq!(yaml_str("\u{7}"), "\"\\u0007\"");
    }
}
