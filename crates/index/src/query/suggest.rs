//! "Did you mean": the closest known word by edit distance.

/// The edit distance between `a` and `b` counting insertions, deletions, substitutions and swaps of
/// two neighbouring characters (optimal string alignment), compared case-insensitively.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    let at = |i: usize, j: usize| i * w + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j;
        }
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let get = |d: &[usize], i, j| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let mut v = (get(&d, i - 1, j) + 1)
                .min(get(&d, i, j - 1) + 1)
                .min(get(&d, i - 1, j - 1) + cost);
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                v = v.min(get(&d, i - 2, j - 2) + 1);
            }
            if let Some(x) = d.get_mut(at(i, j)) {
                *x = v;
            }
        }
    }
    d.get(at(a.len(), b.len())).copied().unwrap_or(usize::MAX)
}

/// The candidate closest to `word`, if one is close enough to be a likely typo: within 1 edit for
/// words of up to 4 characters, 2 up to 8, 3 beyond; a candidate that starts with `word` (2
/// characters or more) counts as 1 edit away and wins ties. Other ties go to the earlier candidate.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let len = word.chars().count();
    if len == 0 || len > 64 {
        return None;
    }
    let limit = match len {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let lower = word.to_lowercase();
    // Ranked by distance, then by being an extension of the word (`vis` → `visibility` over `is`).
    let mut best: Option<((usize, bool), &'c str)> = None;
    for &c in candidates {
        let extends = len >= 2 && c.starts_with(&lower);
        let mut d = distance(&lower, c);
        if extends {
            d = d.min(1);
        }
        let rank = (d, !extends);
        if d <= limit && best.is_none_or(|(br, _)| rank < br) {
            best = Some((rank, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("has", "hass"), 1);
        assert_eq!(distance("medai", "media"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions() {
        let keys = ["after", "before", "on", "has", "is", "lang"];
        assert_eq!(did_you_mean("hass", &keys), Some("has"));
        assert_eq!(did_you_mean("befor", &keys), Some("before"));
        assert_eq!(did_you_mean("xyzzy", &keys), None);
        assert_eq!(did_you_mean("la", &keys), Some("lang"));
    }
}
