//! Facet counts and statistics over a result set.
//!
//! Yes/no properties (visibility, kind, media, content warning) are precomputed bitsets: a count is
//! a popcount of the result AND the property. Months and days are runs of ranks (ranks are in time
//! order), so they are popcounts of ranges. Tags, mentions, domains and languages walk per-post
//! lists over the result set, or over its complement when that is smaller (subtracting from the
//! archive-wide counts).

use crate::bitset::Bitset;
use crate::index::{Field, Flag, Index, MEDIA_KINDS};
use crate::postings::List;
use crate::query::{visibility_name, IsFilter};
use crate::tz::{self, TzCols};
use permafrost_model::Visibility;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the entries of a field are counted over a result set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Counting {
    /// Intersect each entry's posting list with the set.
    Postings,
    /// Walk the per-post lists of the posts in the set.
    Posts,
    /// Walk those of the posts not in the set, subtracting from the archive-wide counts.
    Complement,
}

/// How many entries the "top" lists keep.
pub const TOP: usize = 20;

/// A value and how many posts of the result set have it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value, as the query language writes it (`2023-05`, `followers`, `rust`, `example.org`).
    pub value: String,
    /// Number of posts.
    pub count: u32,
}

/// Facet counts over the whole result set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Posts per year (`2023`), oldest first; years without posts left out.
    pub years: Vec<FacetCount>,
    /// Posts per month (`2023-05`), oldest first; months without posts left out.
    pub months: Vec<FacetCount>,
    /// Posts per visibility: public, unlisted, followers, direct (always all four).
    pub visibility: Vec<FacetCount>,
    /// Posts per `is:` value (original, boost, reply, self-reply, thread, edited, sensitive, poll,
    /// quote; always all nine; a post can count in several).
    pub kinds: Vec<FacetCount>,
    /// Posts with at least one attachment of each kind: image, gif, video, audio, other (always
    /// all five).
    pub media: Vec<FacetCount>,
    /// Posts `with` and `without` a content warning.
    pub content_warning: Vec<FacetCount>,
    /// Posts per language (most first, at most [`TOP`]); posts without a language left out.
    pub languages: Vec<FacetCount>,
    /// Most used hashtags (first spelling seen), at most [`TOP`].
    pub hashtags: Vec<FacetCount>,
    /// Most mentioned accounts (`user@host`), at most [`TOP`].
    pub mentions: Vec<FacetCount>,
    /// Most linked hosts, at most [`TOP`].
    pub domains: Vec<FacetCount>,
    /// Posts per account (`alice@example.social`, as `account:` takes it), when archives of
    /// several accounts are open; empty otherwise.
    #[serde(default)]
    pub accounts: Vec<FacetCount>,
}

/// Alt-text coverage of one month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AltCoverage {
    /// `YYYY-MM`.
    pub month: String,
    /// Attachments of the month's posts.
    pub attachments: u32,
    /// Of those, the ones with a description.
    pub described: u32,
}

/// Statistics over the result set, in the search's time zone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Posts per month (`2023-05`), every month from the first to the last, zeros included.
    pub per_month: Vec<FacetCount>,
    /// Posts per ISO week (`2023-W05`), every week from the first to the last, zeros included.
    pub per_week: Vec<FacetCount>,
    /// Posts per day (`2023-05-17`) for a calendar heatmap; days without posts left out.
    pub per_day: Vec<FacetCount>,
    /// Posts per weekday (row 0 is Monday) and local hour (column 0 is 00:00–00:59).
    pub punchcard: [[u32; 24]; 7],
    /// Most boosted accounts, named as `boosted:` names them (the handle the archive gives for
    /// the actor URI, else the URI without its scheme), at most [`TOP`].
    pub top_boosted: Vec<FacetCount>,
    /// Attachments with and without descriptions per month, months with attachments only.
    pub alt_text: Vec<AltCoverage>,
}

/// Sorts by count (most first), then value, and keeps the first `top`: the order of every top
/// list (facets, statistics, and the session's likes by server and account).
pub fn top_n(mut items: Vec<FacetCount>, top: usize) -> Vec<FacetCount> {
    let order =
        |a: &FacetCount, b: &FacetCount| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value));
    if items.len() > top && top > 0 {
        items.select_nth_unstable_by(top - 1, order);
        items.truncate(top);
    }
    items.sort_by(order);
    items.truncate(top);
    items
}

fn fc(value: impl Into<String>, count: u32) -> FacetCount {
    FacetCount {
        value: value.into(),
        count,
    }
}

impl Index {
    /// Counts, per entry of a field, the posts of `set` (of `total` posts) holding it: by walking
    /// the per-post lists of the result set (or of its complement, subtracting from the
    /// archive-wide counts), or by intersecting each entry's posting list with the set, whichever
    /// touches less.
    fn field_counts(&self, field: &Field, set: &Bitset, total: u32) -> Vec<u32> {
        // Nothing to count (the account field of one account's archive): no walk over the set.
        if field.present_count == 0 {
            return vec![0; field.dict.len()];
        }
        let n = u64::from(self.n.max(1));
        let complement = u64::from(total) * 2 > n;
        let side = if complement {
            n - u64::from(total)
        } else {
            u64::from(total)
        };
        // Posts walked (an estimate: the side times the share of posts with entries), and what
        // each costs: its list is somewhere in memory (a cache miss, some 40 times a sequential
        // check of a posting), then its entries. A posting list is read in order, a dense one
        // a word at a time.
        let present = u64::from(field.present_count);
        let walked = side * present / n;
        let per_post_cost = walked * 40 + walked * field.per_post.total() as u64 / present.max(1);
        let (sparse, dense) = field.postings.shape();
        let postings_cost = sparse as u64 + dense as u64 * (n / 64) / 2 + field.dict.len() as u64;
        let how = if postings_cost < per_post_cost {
            Counting::Postings
        } else if complement {
            Counting::Complement
        } else {
            Counting::Posts
        };
        Self::field_counts_by(field, set, how)
    }

    fn field_counts_by(field: &Field, set: &Bitset, how: Counting) -> Vec<u32> {
        match how {
            Counting::Postings => (0..field.dict.len() as u32)
                .map(|id| match field.postings.get(id) {
                    List::Dense(bits) => bits.count_and(set),
                    List::Sparse(docs) => docs.iter().filter(|&&d| set.contains(d)).count() as u32,
                })
                .collect(),
            Counting::Complement => {
                let mut counts = field.df.clone();
                set.for_each_and(&field.present, true, |r| {
                    for &id in field.per_post.get(r) {
                        if let Some(c) = counts.get_mut(id as usize) {
                            *c = c.saturating_sub(1);
                        }
                    }
                });
                counts
            }
            Counting::Posts => {
                let mut counts = vec![0u32; field.dict.len()];
                set.for_each_and(&field.present, false, |r| {
                    for &id in field.per_post.get(r) {
                        if let Some(c) = counts.get_mut(id as usize) {
                            *c += 1;
                        }
                    }
                });
                counts
            }
        }
    }

    fn top_of(
        &self,
        field: &Field,
        set: &Bitset,
        total: u32,
        label: impl Fn(u32) -> String,
    ) -> Vec<FacetCount> {
        let counts = self.field_counts(field, set, total);
        let items = counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(id, &c)| fc(label(id as u32), c))
            .collect();
        top_n(items, TOP)
    }

    /// Posts of `set` per local day: `(day, count)` in day order.
    fn day_counts(&self, set: &Bitset, total: u32, cols: &TzCols) -> BTreeMap<i32, u32> {
        let mut days = BTreeMap::new();
        match &cols.day_runs {
            // Few posts: walk them, moving along the runs.
            Some(runs) if (total as usize) < runs.len() + (self.n as usize) / 256 => {
                let mut k = 0usize;
                for r in set.iter() {
                    while runs.get(k).is_some_and(|run| run.2 <= r) {
                        k += 1;
                    }
                    if let Some(&(d, lo, _)) = runs.get(k) {
                        if lo <= r {
                            *days.entry(d).or_insert(0) += 1;
                        }
                    }
                }
            }
            Some(runs) => {
                for &(d, lo, hi) in runs {
                    let c = set.count_range(lo, hi);
                    if c > 0 {
                        days.insert(d, c);
                    }
                }
            }
            None => {
                for r in set.iter() {
                    let d = cols.day.get(r as usize).copied().unwrap_or(i32::MIN);
                    if d != i32::MIN {
                        *days.entry(d).or_insert(0) += 1;
                    }
                }
            }
        }
        days
    }

    fn month_counts(days: &BTreeMap<i32, u32>) -> BTreeMap<i64, u32> {
        let mut months = BTreeMap::new();
        for (&d, &c) in days {
            *months.entry(tz::month_index(d)).or_insert(0) += c;
        }
        months
    }

    /// Facet counts of a result set.
    pub(crate) fn facets(&self, set: &Bitset, total: u32, cols: &TzCols) -> Facets {
        let days = self.day_counts(set, total, cols);
        let months = Self::month_counts(&days);
        let mut years: BTreeMap<i64, u32> = BTreeMap::new();
        for (&m, &c) in &months {
            *years.entry(m.div_euclid(12)).or_insert(0) += c;
        }
        let count = |f: Flag| self.flag_ref(f).map_or(0, |b| b.count_and(set));
        let cw = count(Flag::Cw);
        Facets {
            years: years
                .iter()
                .map(|(y, &c)| fc(format!("{y:04}"), c))
                .collect(),
            months: months
                .iter()
                .map(|(&m, &c)| fc(tz::month_key(m), c))
                .collect(),
            visibility: [
                Visibility::Public,
                Visibility::Unlisted,
                Visibility::Private,
                Visibility::Direct,
            ]
            .into_iter()
            .map(|v| fc(visibility_name(v), count(Flag::of_visibility(v))))
            .collect(),
            kinds: IsFilter::ALL
                .into_iter()
                .map(|f| fc(f.as_str(), count(Flag::of_is(f))))
                .collect(),
            media: MEDIA_KINDS
                .into_iter()
                .map(|(k, f)| fc(k.as_str(), count(f)))
                .collect(),
            content_warning: vec![fc("with", cw), fc("without", total.saturating_sub(cw))],
            languages: self.top_of(&self.langs, set, total, |id| {
                // Stored lowercase for matching; shown in BCP 47 case (`zh-CN`), as inspect does.
                let l = self.langs.dict.get(id);
                permafrost_model::lang::normalize(l).unwrap_or_else(|| l.to_string())
            }),
            hashtags: self.top_of(&self.tags, set, total, |id| {
                self.tag_display
                    .get(id as usize)
                    .map_or_else(|| self.tags.dict.get(id).to_string(), |s| s.to_string())
            }),
            mentions: self.top_of(&self.mentions, set, total, |id| {
                self.mentions.dict.get(id).to_string()
            }),
            domains: self.top_of(&self.domains, set, total, |id| {
                self.domains.dict.get(id).to_string()
            }),
            accounts: self.top_of(&self.accounts, set, total, |id| {
                self.accounts.dict.get(id).to_string()
            }),
        }
    }

    /// Statistics of a result set.
    pub(crate) fn stats(&self, set: &Bitset, total: u32, cols: &TzCols) -> Stats {
        let days = self.day_counts(set, total, cols);
        let months = Self::month_counts(&days);
        let per_month = match (months.keys().next(), months.keys().next_back()) {
            (Some(&a), Some(&b)) => (a..=b)
                .map(|m| fc(tz::month_key(m), months.get(&m).copied().unwrap_or(0)))
                .collect(),
            _ => Vec::new(),
        };
        let mut weeks: BTreeMap<(i64, i64), u32> = BTreeMap::new();
        for (&d, &c) in &days {
            *weeks.entry(tz::iso_week(d)).or_insert(0) += c;
        }
        let per_week = match (days.keys().next(), days.keys().next_back()) {
            (Some(&a), Some(&b)) => {
                let mut out = Vec::new();
                let mut monday = a - tz::weekday(a) as i32;
                while monday <= b {
                    let (y, w) = tz::iso_week(monday);
                    out.push(fc(
                        format!("{y:04}-W{w:02}"),
                        weeks.get(&(y, w)).copied().unwrap_or(0),
                    ));
                    monday += 7;
                }
                out
            }
            _ => Vec::new(),
        };
        let per_day = days.iter().map(|(&d, &c)| fc(tz::day_key(d), c)).collect();

        let mut alt: BTreeMap<i64, (u32, u32)> = BTreeMap::new();
        let use_complement = u64::from(total) * 2 > u64::from(self.n);
        let mut punchcard = if use_complement {
            cols.punch_all
        } else {
            [[0u32; 24]; 7]
        };
        let mut bump = |r: u32, sign: i64| {
            let d = cols.day.get(r as usize).copied().unwrap_or(i32::MIN);
            if d == i32::MIN {
                return;
            }
            let h = cols.hour.get(r as usize).copied().unwrap_or(0) as usize;
            if let Some(c) = punchcard
                .get_mut(tz::weekday(d))
                .and_then(|row| row.get_mut(h))
            {
                *c = (i64::from(*c) + sign).max(0) as u32;
            }
        };
        if use_complement {
            let mut comp = set.clone();
            comp.negate();
            for r in comp.iter() {
                bump(r, -1);
            }
        } else {
            for r in set.iter() {
                bump(r, 1);
            }
        }
        let media = self.flag_ref(Flag::Media);
        for r in set.iter() {
            if !media.is_some_and(|m| m.contains(r)) {
                continue;
            }
            let d = cols.day.get(r as usize).copied().unwrap_or(i32::MIN);
            if d == i32::MIN {
                continue;
            }
            let e = alt.entry(tz::month_index(d)).or_insert((0, 0));
            e.0 += u32::from(self.attachments.get(r as usize).copied().unwrap_or(0));
            e.1 += u32::from(self.described.get(r as usize).copied().unwrap_or(0));
        }
        Stats {
            per_month,
            per_week,
            per_day,
            punchcard,
            top_boosted: self.top_of(&self.boosted, set, total, |id| {
                self.boosted.dict.get(id).to_string()
            }),
            alt_text: alt
                .into_iter()
                .filter(|(_, (a, _))| *a > 0)
                .map(|(m, (a, d))| AltCoverage {
                    month: tz::month_key(m),
                    attachments: a,
                    described: d,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Counting;
    use crate::eval::Ctx;
    use crate::{parse_query, tz, Index, Mode};
    use permafrost_model::{outbox, Account};

    /// Days that went backwards in rank order (a daylight-saving change across midnight) switch
    /// counting from runs of ranks to post by post; both ways must agree.
    #[test]
    fn counting_without_day_runs_agrees() {
        let mut account = Account::default();
        outbox::read_outbox(
            include_bytes!("../tests/data/small_outbox.json").as_slice(),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("outbox");
        let index = Index::build(&account);
        for zone in ["UTC", "Europe/Berlin", "America/New_York"] {
            let z = tz::resolve(zone).expect("zone");
            let runs = index.tz_cols(zone, &z);
            let mut posts = tz::TzCols::new(zone, &z, &index.times, index.first_timed);
            assert!(posts.day_runs.is_some());
            posts.day_runs = None;
            for q in [
                "",
                "coffee",
                "-is:boost",
                "on:2023-03-26",
                "after:2023-06",
                "before:2024",
            ] {
                let query = parse_query(q, Mode::Exact).query;
                let a = index.eval(&query, &Ctx { cols: &runs });
                let b = index.eval(&query, &Ctx { cols: &posts });
                assert_eq!(a, b, "{q} in {zone}");
                let total = a.count();
                assert_eq!(
                    index.facets(&a, total, &runs),
                    index.facets(&a, total, &posts)
                );
                assert_eq!(
                    index.stats(&a, total, &runs),
                    index.stats(&a, total, &posts)
                );
                for field in [
                    &index.tags,
                    &index.mentions,
                    &index.domains,
                    &index.langs,
                    &index.boosted,
                    &index.accounts,
                ] {
                    let by = |how| Index::field_counts_by(field, &a, how);
                    assert_eq!(by(Counting::Postings), by(Counting::Posts), "{q}");
                    assert_eq!(by(Counting::Postings), by(Counting::Complement), "{q}");
                }
            }
        }
    }
}
