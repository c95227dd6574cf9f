//! Query evaluation: a [`Query`] → the bitset of matching ranks.
//!
//! Words and prefixes are unions of posting lists. A phrase (or a word that folds into several
//! tokens, or a CJK run of three characters or more) intersects the lists of its tokens, then
//! checks each candidate's token sequence for the tokens in a row.

use crate::bitset::Bitset;
use crate::index::{Field, Flag, Index, NONE, RUN_START, SEP};
use crate::postings::Dict;
use crate::query::{Cmp, CountField, DateOp, Query, Text};
use crate::text::Piece;
use crate::tz::{self, TzCols};

/// What a token must be to fill a slot of a text term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Pred {
    /// This term.
    Exact(String),
    /// A term starting with this.
    Prefix(String),
    /// A term (a CJK bigram or unigram) ending with this character.
    Suffix(String),
    /// A term (a CJK bigram or unigram) holding this character.
    Contains(String),
}

impl Pred {
    pub(crate) fn matches(&self, term: &str) -> bool {
        match self {
            Pred::Exact(s) => term == s,
            Pred::Prefix(s) => term.starts_with(s.as_str()),
            Pred::Suffix(s) => term.ends_with(s.as_str()),
            Pred::Contains(s) => term.contains(s.as_str()),
        }
    }
}

/// One position of a text term.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    pub(crate) pred: Pred,
    /// The token must start a CJK run (words always do).
    pub(crate) run_start: bool,
    /// The token must not start a run: it continues the CJK run of the slot before (the second
    /// and later bigrams of a CJK piece), so that a piece never spans two runs.
    pub(crate) inside_run: bool,
}

/// The slots of a text term: tokens that must follow each other.
pub(crate) fn slots(text: &Text) -> Vec<Slot> {
    let k = text.pieces.len();
    let mut out = Vec::new();
    for (j, piece) in text.pieces.iter().enumerate() {
        let (first, last) = (j == 0, j + 1 == k);
        match piece {
            Piece::Word(w) => out.push(Slot {
                pred: if text.prefix && last {
                    Pred::Prefix(w.clone())
                } else {
                    Pred::Exact(w.clone())
                },
                run_start: false,
                inside_run: false,
            }),
            Piece::Cjk(run) => {
                let chars: Vec<(usize, char)> = run.char_indices().collect();
                if chars.len() == 1 {
                    let c = run.clone();
                    out.push(match (first, last) {
                        (true, true) => Slot {
                            pred: Pred::Contains(c),
                            run_start: false,
                            inside_run: false,
                        },
                        (true, false) => Slot {
                            pred: Pred::Suffix(c),
                            run_start: false,
                            inside_run: false,
                        },
                        (false, true) => Slot {
                            pred: Pred::Prefix(c),
                            run_start: true,
                            inside_run: false,
                        },
                        (false, false) => Slot {
                            pred: Pred::Exact(c),
                            run_start: true,
                            inside_run: false,
                        },
                    });
                    continue;
                }
                for (w, pair) in chars.windows(2).enumerate() {
                    let (Some(&(a, _)), Some(&(b, cb))) = (pair.first(), pair.get(1)) else {
                        continue;
                    };
                    let bigram = run.get(a..b + cb.len_utf8()).unwrap_or("").to_string();
                    out.push(Slot {
                        pred: Pred::Exact(bigram),
                        run_start: w == 0 && !first,
                        inside_run: w > 0,
                    });
                }
            }
        }
    }
    out
}

/// A slot resolved against the term dictionary.
#[derive(Clone, Debug)]
pub(crate) struct IdSlot {
    /// Sorted term ids.
    pub(crate) ids: Vec<u32>,
    pub(crate) run_start: bool,
    pub(crate) inside_run: bool,
}

impl IdSlot {
    #[inline]
    fn accepts(&self, v: u32) -> bool {
        if v == SEP
            || (self.run_start && v & RUN_START == 0)
            || (self.inside_run && v & RUN_START != 0)
        {
            return false;
        }
        let term = v & !RUN_START;
        match self.ids.as_slice() {
            [one] => *one == term,
            ids => ids.binary_search(&term).is_ok(),
        }
    }
}

/// Finds the terms a predicate accepts.
fn resolve_pred(dict: &Dict, pred: &Pred) -> Vec<u32> {
    let mut ids: Vec<u32> = match pred {
        Pred::Exact(s) => dict.find(s).into_iter().collect(),
        Pred::Prefix(s) => dict.with_prefix(s).to_vec(),
        Pred::Suffix(_) | Pred::Contains(_) => {
            // Every CJK term starts with a character at U+1100 or above.
            let mut v: Vec<u32> = dict
                .from("\u{1100}")
                .iter()
                .copied()
                .filter(|&id| pred.matches(dict.get(id)))
                .collect();
            v.sort_unstable();
            v
        }
    };
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A text term resolved against the index.
#[derive(Clone, Debug)]
pub(crate) struct Resolved {
    pub(crate) slots: Vec<IdSlot>,
}

impl Resolved {
    /// True when the sequence holds the slots in a row.
    pub(crate) fn matches(&self, seq: &[u32]) -> bool {
        self.count(seq, true) > 0
    }

    /// Number of places the slots occur in a row (stops at the first when `first_only`).
    ///
    /// The slot with the fewest terms anchors the search: the sequence is scanned for it alone,
    /// and the other slots are checked around each hit.
    pub(crate) fn count(&self, seq: &[u32], first_only: bool) -> u32 {
        let k = self.slots.len();
        if k == 0 || seq.len() < k {
            return 0;
        }
        let (a, anchor) = match self
            .slots
            .iter()
            .enumerate()
            .min_by_key(|(_, s)| s.ids.len())
        {
            Some(x) => x,
            None => return 0,
        };
        let mut n = 0;
        let last_base = seq.len() - k;
        let check = |p: usize| -> bool {
            if p < a || p - a > last_base {
                return false;
            }
            let base = p - a;
            let window = seq.get(base..base + k).unwrap_or(&[]);
            self.slots
                .iter()
                .zip(window)
                .enumerate()
                .all(|(j, (s, &v))| j == a || s.accepts(v))
        };
        if let ([id], false, false) = (anchor.ids.as_slice(), anchor.run_start, anchor.inside_run) {
            let id = *id;
            for (p, &v) in seq.iter().enumerate() {
                if v & !RUN_START == id && v != SEP && check(p) {
                    n += 1;
                    if first_only {
                        return n;
                    }
                }
            }
        } else {
            for (p, &v) in seq.iter().enumerate() {
                if anchor.accepts(v) && check(p) {
                    n += 1;
                    if first_only {
                        return n;
                    }
                }
            }
        }
        n
    }
}

/// The evaluation context.
pub(crate) struct Ctx<'a> {
    /// The calendar of the search's time zone.
    pub(crate) cols: &'a TzCols,
}

impl Index {
    pub(crate) fn resolve(&self, text: &Text) -> Resolved {
        Resolved {
            slots: slots(text)
                .into_iter()
                .map(|s| IdSlot {
                    ids: resolve_pred(&self.terms, &s.pred),
                    run_start: s.run_start,
                    inside_run: s.inside_run,
                })
                .collect(),
        }
    }

    /// The ranks matching a text term.
    pub(crate) fn eval_text(&self, text: &Text) -> Bitset {
        let resolved = self.resolve(text);
        let n = self.n;
        if resolved.slots.is_empty() || resolved.slots.iter().any(|s| s.ids.is_empty()) {
            return Bitset::empty(n);
        }
        let mut cand: Option<Bitset> = None;
        for slot in &resolved.slots {
            let mut set = Bitset::empty(n);
            for &id in &slot.ids {
                self.term_postings.union_into(id, &mut set);
            }
            match &mut cand {
                None => cand = Some(set),
                Some(c) => c.and(&set),
            }
        }
        let cand = cand.unwrap_or_else(|| Bitset::empty(n));
        if resolved.slots.len() == 1 {
            return cand;
        }
        let mut out = Bitset::empty(n);
        // Candidates are far apart in memory: touch a batch of sequences before scanning them,
        // so their cache misses overlap instead of queueing.
        let ranks: Vec<u32> = cand.iter().collect();
        for batch in ranks.chunks(16) {
            let touched = batch.iter().fold(0u32, |acc, &r| {
                acc ^ self.seq_of(r).first().copied().unwrap_or(0)
            });
            std::hint::black_box(touched);
            for &r in batch {
                if resolved.matches(self.seq_of(r)) {
                    out.insert(r);
                }
            }
        }
        out
    }

    fn union_field(&self, field: &Field, ids: &[u32]) -> Bitset {
        let mut set = Bitset::empty(self.n);
        for &id in ids {
            field.postings.union_into(id, &mut set);
        }
        set
    }

    /// The ids of the tags a `#tag` query names.
    pub(crate) fn tag_ids(&self, name: &str, prefix: bool) -> Vec<u32> {
        if prefix {
            self.tags.dict.with_prefix(name).to_vec()
        } else {
            self.tags.dict.find(name).into_iter().collect()
        }
    }

    /// The ids of the accounts an `@user` query names.
    pub(crate) fn mention_ids(&self, acct: &str, prefix: bool) -> Vec<u32> {
        let d = &self.mentions.dict;
        if prefix {
            return d.with_prefix(acct).to_vec();
        }
        let mut ids: Vec<u32> = d.find(acct).into_iter().collect();
        if !acct.contains('@') {
            ids.extend_from_slice(d.with_prefix(&format!("{acct}@")));
        }
        ids
    }

    /// Evaluates a query.
    pub(crate) fn eval(&self, q: &Query, ctx: &Ctx<'_>) -> Bitset {
        let n = self.n;
        match q {
            Query::All => Bitset::full(n),
            Query::And(items) => {
                let mut acc: Option<Bitset> = None;
                let mut negs = Vec::new();
                for item in items {
                    if let Query::Not(inner) = item {
                        negs.push(&**inner);
                        continue;
                    }
                    let set = self.eval(item, ctx);
                    match &mut acc {
                        None => acc = Some(set),
                        Some(a) => a.and(&set),
                    }
                }
                let mut acc = acc.unwrap_or_else(|| Bitset::full(n));
                for neg in negs {
                    acc.and_not(&self.eval(neg, ctx));
                }
                acc
            }
            Query::Or(items) => {
                let mut acc = Bitset::empty(n);
                for item in items {
                    acc.or(&self.eval(item, ctx));
                }
                acc
            }
            Query::Not(inner) => {
                let mut set = self.eval(inner, ctx);
                set.negate();
                set
            }
            Query::Text(t) => self.eval_text(t),
            Query::Tag { name, prefix } => {
                self.union_field(&self.tags, &self.tag_ids(name, *prefix))
            }
            Query::Mention { acct, prefix } => {
                self.union_field(&self.mentions, &self.mention_ids(acct, *prefix))
            }
            Query::Lang(l) => {
                let d = &self.langs.dict;
                let mut ids: Vec<u32> = d.find(l).into_iter().collect();
                ids.extend_from_slice(d.with_prefix(&format!("{l}-")));
                self.union_field(&self.langs, &ids)
            }
            Query::Domain(dom) => {
                let d = &self.domains.dict;
                let dotted = format!(".{dom}");
                let ids: Vec<u32> = (0..d.len() as u32)
                    .filter(|&id| {
                        let h = d.get(id);
                        h == dom || h.ends_with(&dotted)
                    })
                    .collect();
                self.union_field(&self.domains, &ids)
            }
            Query::DayOfYear { month, day } => {
                let want = (i64::from(*month), i64::from(*day));
                ranks_where(n, ctx.cols, |d, _| tz::month_day(d) == want)
            }
            Query::Weekday(w) => {
                let w = usize::from(*w);
                ranks_where(n, ctx.cols, |day, _| tz::weekday(day) == w)
            }
            Query::Hour { from, to } => {
                let (from, to) = (*from, *to);
                ranks_where(n, ctx.cols, |_, h| {
                    if from <= to {
                        (from..=to).contains(&h)
                    } else {
                        h >= from || h <= to
                    }
                })
            }
            Query::Boosted(a) => {
                let ids: Vec<u32> = self.boosted.dict.find(a).into_iter().collect();
                self.union_field(&self.boosted, &ids)
            }
            Query::Account(a) => {
                let names = &self.account_names;
                let d = &self.accounts.dict;
                if d.len() > 0 {
                    let ids: Vec<u32> = (0..d.len() as u32)
                        .filter(|&id| crate::index::names_account(names, d.get(id), a))
                        .collect();
                    self.union_field(&self.accounts, &ids)
                } else if names
                    .iter()
                    .any(|n| crate::index::names_account(names, n, a))
                {
                    Bitset::full(n)
                } else {
                    Bitset::empty(n)
                }
            }
            Query::Id(id) => {
                let mut set = Bitset::empty(n);
                for post in self.posts_with_id(id) {
                    if let Some(r) = self.rank_of(post) {
                        set.insert(r);
                    }
                }
                set
            }
            Query::Thread(id) => {
                let roots: Vec<u32> = self
                    .posts_with_id(id)
                    .into_iter()
                    .map(|p| self.root_of(p))
                    .collect();
                let mut set = Bitset::empty(n);
                if !roots.is_empty() {
                    for (post, root) in self.thread_root.iter().enumerate() {
                        if roots.contains(root) {
                            if let Some(r) = self.rank_of(post as u32) {
                                set.insert(r);
                            }
                        }
                    }
                }
                set
            }
            Query::Date { op, date } => {
                let (from, to) = tz::day_range(date);
                let (lo, hi) = match op {
                    DateOp::After => (to, i64::MAX),
                    DateOp::Before => (i64::MIN, from),
                    DateOp::On => (from, to),
                };
                ctx.cols.ranks_in_days(n, lo, hi)
            }
            Query::Is(f) => self.flag(Flag::of_is(*f)),
            Query::Has(f) => self.flag(Flag::of_has(*f)),
            Query::Visibility(v) => self.flag(Flag::of_visibility(*v)),
            Query::Count { field, op, value } => {
                let col = match field {
                    CountField::Likes => &self.likes,
                    CountField::Shares => &self.shares,
                };
                let x = *value;
                match op {
                    Cmp::Lt => Bitset::from_slice(n, col, |v| v < x),
                    Cmp::Le => Bitset::from_slice(n, col, |v| v <= x),
                    Cmp::Eq => Bitset::from_slice(n, col, |v| v == x),
                    // NONE (no count) is the largest value: keep it out.
                    Cmp::Ge => Bitset::from_slice(n, col, |v| v >= x && v != NONE),
                    Cmp::Gt => Bitset::from_slice(n, col, |v| v > x && v != NONE),
                }
            }
        }
    }

    /// Relevance scores (BM25 over the query's positive words and phrases, plus the rarity of
    /// matched tags and mentions) of the given ranks.
    pub(crate) fn scores(&self, q: &Query, ctx: &Ctx<'_>, ranks: &[u32]) -> Vec<f32> {
        const K1: f32 = 1.2;
        const B: f32 = 0.75;
        let mut texts = Vec::new();
        let mut others = Vec::new();
        positive_terms(q, &mut texts, &mut others);
        let n = self.n.max(1) as f32;
        let idf = |df: u32| {
            let df = df as f32;
            (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
        };
        let resolved: Vec<(Resolved, f32)> = texts
            .iter()
            .map(|t| {
                let df = self.eval_text(t).count();
                (self.resolve(t), idf(df))
            })
            .collect();
        let other_sets: Vec<(Bitset, f32)> = others
            .iter()
            .map(|q| {
                let set = self.eval(q, ctx);
                let w = idf(set.count());
                (set, w)
            })
            .collect();
        ranks
            .iter()
            .map(|&r| {
                let mut score = 0.0f32;
                if !resolved.is_empty() {
                    let seq = self.seq_of(r);
                    let len = f32::from(self.doc_len.get(r as usize).copied().unwrap_or(0));
                    let norm = K1 * (1.0 - B + B * len / self.avg_len);
                    for (res, w) in &resolved {
                        let tf = res.count(seq, false) as f32;
                        if tf > 0.0 {
                            score += w * tf * (K1 + 1.0) / (tf + norm);
                        }
                    }
                }
                for (set, w) in &other_sets {
                    if set.contains(r) {
                        score += w;
                    }
                }
                score
            })
            .collect()
    }
}

/// Collects the text terms and tag/mention terms that are not under a negation.
pub(crate) fn positive_terms<'q>(
    q: &'q Query,
    texts: &mut Vec<&'q Text>,
    others: &mut Vec<&'q Query>,
) {
    match q {
        Query::And(items) | Query::Or(items) => {
            for i in items {
                positive_terms(i, texts, others);
            }
        }
        Query::Text(t) => texts.push(t),
        Query::Tag { .. } | Query::Mention { .. } => others.push(q),
        _ => {}
    }
}

/// The ranks with a known time whose local day and hour pass `keep`.
fn ranks_where(n: u32, cols: &TzCols, keep: impl Fn(i32, u8) -> bool) -> Bitset {
    let mut set = Bitset::empty(n);
    for (r, (&day, &hour)) in cols.day.iter().zip(&cols.hour).enumerate() {
        if day != i32::MIN && keep(day, hour) {
            set.insert(r as u32);
        }
    }
    set
}
