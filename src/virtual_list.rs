//! The timeline's geometry: the height of every row (measured once shown, estimated before), the
//! offset of any row, and which rows a scroll position shows.
//!
//! Heights live in a Fenwick tree, so measuring a row and finding the row at a given offset both
//! cost O(log n): 300,000 rows stay cheap to scroll through.

/// Row heights and their running sums.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// Fenwick tree over heights (1-based).
    tree: Vec<f64>,
    heights: Vec<f64>,
    measured: Vec<bool>,
    estimate: f64,
}

/// The rows to mount: `start..end`, with the space above and below them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// First row mounted.
    pub start: usize,
    /// One past the last row mounted.
    pub end: usize,
    /// Height of the rows above `start`.
    pub before: f64,
    /// Height of the rows from `end` on.
    pub after: f64,
}

impl Rows {
    /// `count` rows, each `estimate` pixels high until measured.
    pub fn new(count: usize, estimate: f64) -> Rows {
        let mut rows = Rows {
            tree: vec![0.0; count + 1],
            heights: vec![estimate; count],
            measured: vec![false; count],
            estimate,
        };
        // Linear-time Fenwick construction.
        for i in 1..=count {
            rows.tree[i] += estimate;
            let parent = i + (i & i.wrapping_neg());
            if parent <= count {
                let v = rows.tree[i];
                rows.tree[parent] += v;
            }
        }
        rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.heights.len()
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }

    /// The estimate for rows not yet measured.
    pub fn estimate(&self) -> f64 {
        self.estimate
    }

    /// Records a row's measured height. Returns true when it changed.
    pub fn measure(&mut self, row: usize, height: f64) -> bool {
        let Some(old) = self.heights.get(row).copied() else {
            return false;
        };
        self.measured[row] = true;
        if (old - height).abs() < 0.5 {
            return false;
        }
        self.heights[row] = height;
        let delta = height - old;
        let mut i = row + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
        true
    }

    /// True once a row has been measured.
    pub fn is_measured(&self, row: usize) -> bool {
        self.measured.get(row).copied().unwrap_or(false)
    }

    /// The offset of a row's top: the sum of the heights above it.
    pub fn offset(&self, row: usize) -> f64 {
        let mut i = row.min(self.len());
        let mut sum = 0.0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }

    /// The height of all rows.
    pub fn total(&self) -> f64 {
        self.offset(self.len())
    }

    /// The row at `y` pixels from the top (the last row when past the end).
    pub fn row_at(&self, y: f64) -> usize {
        if self.is_empty() {
            return 0;
        }
        // Fenwick descent: the largest prefix whose sum stays <= y.
        let mut pos = 0;
        let mut remaining = y.max(0.0);
        let mut step = self.len().next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= self.len() && self.tree[next] <= remaining {
                pos = next;
                remaining -= self.tree[next];
            }
            step /= 2;
        }
        pos.min(self.len() - 1)
    }

    /// The rows to mount for a viewport `top..top + height` (relative to the list's top),
    /// with `margin` pixels of extra rows on each side.
    pub fn window(&self, top: f64, height: f64, margin: f64) -> Window {
        if self.is_empty() {
            return Window {
                start: 0,
                end: 0,
                before: 0.0,
                after: 0.0,
            };
        }
        let start = self.row_at(top - margin);
        let end = (self.row_at(top + height + margin) + 1).min(self.len());
        let before = self.offset(start);
        Window {
            start,
            end,
            before,
            after: (self.total() - self.offset(end)).max(0.0),
        }
    }
}
