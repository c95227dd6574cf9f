//! The query language's help, read from the text the worker sends (the same text
//! `permafrost help-query` prints) into sections of terms and what they do, for a readable,
//! structured panel instead of fixed-width text broken at the wrong places.

/// A section of the help: a heading, then entries and notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The heading (`Words`, `Dates (in the chosen time zone…)`).
    pub title: String,
    /// Entries and notes, in order.
    pub items: Vec<Item>,
}

/// One line of a section, with its continuation lines joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A term to type and what it does.
    Entry {
        /// What to type (`has:media`, `"good morning"`).
        term: String,
        /// What it does.
        text: String,
    },
    /// A sentence about the section.
    Note(String),
}

/// Reads the help text. The first line is its title (the panel has its own) and is left out.
/// Headings stand at the start of a line; entries are indented by two spaces with two or more
/// spaces between the term and its text; deeper-indented lines continue the line before; other
/// two-space lines are notes.
pub fn sections(help: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in help.lines().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if indent == 0 {
            out.push(Section {
                title: text.to_string(),
                items: Vec::new(),
            });
            continue;
        }
        let Some(section) = out.last_mut() else {
            continue;
        };
        let continues = indent > 2;
        match (continues, section.items.last_mut()) {
            (true, Some(Item::Entry { text: t, .. })) | (true, Some(Item::Note(t))) => {
                t.push(' ');
                t.push_str(text);
            }
            _ => match text.split_once("  ") {
                Some((term, rest)) => section.items.push(Item::Entry {
                    term: term.trim().to_string(),
                    text: rest.trim().to_string(),
                }),
                None => match section.items.last_mut() {
                    // A note goes on over several two-space lines.
                    Some(Item::Note(t)) => {
                        t.push(' ');
                        t.push_str(text);
                    }
                    _ => section.items.push(Item::Note(text.to_string())),
                },
            },
        }
    }
    out
}
