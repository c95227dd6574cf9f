//! Entry names as listed: one spelling for the same path whatever wrote the archive.

/// Normalises an entry name: `\` becomes `/`, and empty and `.` components are dropped, which
/// removes a leading `/` (tar-era local-storage media names are absolute server paths such as
/// `/home/mastodon/live/public/system/media_attachments/…`), a leading `./` and doubled or
/// trailing slashes. `..` components are kept: names are lookup keys here, never paths to write.
///
/// Returns an empty string for a name with no components, such as `./`.
pub(crate) fn normalise(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len());
    for part in raw.split(['/', '\\']) {
        if part.is_empty() || part == "." {
            continue;
        }
        if !name.is_empty() {
            name.push('/');
        }
        name.push_str(part);
    }
    name
}

/// The name's depth: how many directories it is inside.
pub(crate) fn depth(name: &str) -> usize {
    name.bytes().filter(|&byte| byte == b'/').count()
}

/// The name's last component.
pub(crate) fn basename(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_separators_and_prefixes() {
        assert_eq!(normalise("outbox.json"), "outbox.json");
        assert_eq!(normalise("./outbox.json"), "outbox.json");
        assert_eq!(normalise("/home/m/a.jpg"), "home/m/a.jpg");
        assert_eq!(normalise("a//b/./c/"), "a/b/c");
        assert_eq!(normalise("dir\\file.json"), "dir/file.json");
        assert_eq!(normalise("./"), "");
        assert_eq!(normalise("../x"), "../x");
    }

    #[test]
    fn depth_and_basename() {
        assert_eq!(depth("outbox.json"), 0);
        assert_eq!(depth("a/b/outbox.json"), 2);
        assert_eq!(basename("a/b/outbox.json"), "outbox.json");
        assert_eq!(basename("outbox.json"), "outbox.json");
    }
}
