//! Language tags. Before Mastodon 4.2.2 `contentMap` keys with a region were camelCased (`zhCn`,
//! `ptBr`); other servers write `pt_BR` or `EN`. All become BCP 47 style: `zh-CN`, `pt-BR`, `en`.

/// Normalises a language tag: `zhCn` → `zh-CN`, `pt_br` → `pt-BR`, `zhHant` → `zh-Hant`, `EN` → `en`.
/// Returns `None` for an empty or implausible tag.
pub fn normalize(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty()
        || raw.len() > 35
        || !raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    // Most tags are already normal (`en`, `de`, `ja`): read for every post of an archive.
    if raw.len() <= 3 && raw.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(raw.to_string());
    }
    // Split on separators and on camelCase boundaries (a lowercase letter followed by an uppercase one).
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in raw.chars() {
        if c == '-' || c == '_' {
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && parts.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase();
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            out.push_str(&part.to_ascii_lowercase());
            continue;
        }
        out.push('-');
        if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
            let lower = part.to_ascii_lowercase();
            out.push_str(&lower[..1].to_ascii_uppercase());
            out.push_str(&lower[1..]);
        } else if part.len() == 2 {
            out.push_str(&part.to_ascii_uppercase());
        } else {
            out.push_str(&part.to_ascii_lowercase());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn camel_case_and_separators() {
        assert_eq!(normalize("zhCn").as_deref(), Some("zh-CN"));
        assert_eq!(normalize("zh-CN").as_deref(), Some("zh-CN"));
        assert_eq!(normalize("ptBr").as_deref(), Some("pt-BR"));
        assert_eq!(normalize("pt_br").as_deref(), Some("pt-BR"));
        assert_eq!(normalize("zhHant").as_deref(), Some("zh-Hant"));
        assert_eq!(normalize("EN").as_deref(), Some("en"));
        assert_eq!(normalize("es-419").as_deref(), Some("es-419"));
        assert_eq!(normalize("und").as_deref(), Some("und"));
        assert_eq!(normalize(""), None);
        assert_eq!(normalize("<b>"), None);
    }
}
