//! The timeline's geometry: the height of every row (measured once shown, estimated before), the
//! offset of any row, and which rows a scroll position shows.
//!
//! Each row's difference from the estimate lives in a Fenwick tree, so measuring a row and finding
//! the row at a given offset both cost O(log n): 300,000 rows stay cheap to scroll through, and a
//! new result costs nothing until its rows are measured.
//!
//! Browsers cap an element's height (Chromium at 2^25 px, Firefox near 17.9 million), and 300,000
//! posts are taller than that. Past [`MAX_HEIGHT`] the list's scroll space is scaled: the page
//! scrolls through a list of at most that height, and each pixel of scrolling moves the content
//! by [`Placement::scale`] pixels ([`Rows::place`] works it out).

/// Row heights and their running sums.
///
/// Every row is `estimate` pixels high until measured, so only the differences from it are
/// stored: in a Fenwick tree over the first `cap` rows, where `cap` is a power of two that grows
/// (doubling) to cover the furthest row measured. A new result of 300,000 rows then costs a few
/// bytes, not three arrays of 300,000 (a search at every keystroke made them: about a millisecond
/// each time), and the rows past `cap` need nothing: their differences are all zero.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    len: usize,
    estimate: f64,
    /// Fenwick tree (1-based, `cap + 1` entries, `cap` a power of two or 0) over each row's
    /// height minus the estimate.
    tree: Vec<f64>,
    /// Each row's height minus the estimate, for rows below `cap`.
    deltas: Vec<f64>,
    /// Whether each row below `cap` was measured.
    measured: Vec<bool>,
    /// Sum of `deltas`: the total height is `len * estimate + delta_sum`.
    delta_sum: f64,
    /// Rows measured so far, and the sum of their heights: their average estimates the rows of
    /// the next result.
    measured_count: usize,
    measured_sum: f64,
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

/// The tallest the list gets on the page, in pixels (below every browser's cap).
pub const MAX_HEIGHT: f64 = 15_000_000.0;

/// Where the mounted rows go on the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// The rows to mount, and the spacers around them, in page pixels.
    pub window: Window,
    /// Content pixels per page pixel of scrolling (1 unless the list is taller than
    /// [`MAX_HEIGHT`]).
    pub scale: f64,
}

impl Rows {
    /// `count` rows, each `estimate` pixels high until measured.
    pub fn new(count: usize, estimate: f64) -> Rows {
        Rows {
            len: count,
            estimate,
            ..Rows::default()
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True without rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The estimate for rows not yet measured.
    pub fn estimate(&self) -> f64 {
        self.estimate
    }

    /// The average height of the rows measured so far (the estimate when none was): what rows
    /// of the next result are likely to measure.
    pub fn average_measured(&self) -> f64 {
        if self.measured_count == 0 {
            self.estimate
        } else {
            self.measured_sum / self.measured_count as f64
        }
    }

    /// Rows covered by the tree.
    fn cap(&self) -> usize {
        self.deltas.len()
    }

    /// Grows the tree to cover `row`: to the next power of two (at least 64), rebuilt in linear
    /// time, so that growing to `n` rows costs O(n) in all.
    fn cover(&mut self, row: usize) {
        let cap = (row + 1).next_power_of_two().max(64);
        self.deltas.resize(cap, 0.0);
        self.measured.resize(cap, false);
        self.tree.clear();
        self.tree.resize(cap + 1, 0.0);
        for i in 1..=cap {
            self.tree[i] += self.deltas[i - 1];
            let parent = i + (i & i.wrapping_neg());
            if parent <= cap {
                let v = self.tree[i];
                self.tree[parent] += v;
            }
        }
    }

    /// Records a row's measured height. Returns true when it changed.
    pub fn measure(&mut self, row: usize, height: f64) -> bool {
        if row >= self.len {
            return false;
        }
        if row >= self.cap() {
            self.cover(row);
        }
        let old = self.estimate + self.deltas[row];
        if !self.measured[row] {
            // Counted at its current height; a change below adds the difference.
            self.measured[row] = true;
            self.measured_count += 1;
            self.measured_sum += old;
        }
        if (old - height).abs() < 0.5 {
            return false;
        }
        let delta = height - old;
        self.deltas[row] += delta;
        self.delta_sum += delta;
        self.measured_sum += delta;
        let mut i = row + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & i.wrapping_neg();
        }
        true
    }

    /// The offset of a row's top: the sum of the heights above it.
    pub fn offset(&self, row: usize) -> f64 {
        let row = row.min(self.len);
        if row >= self.cap() {
            return row as f64 * self.estimate + self.delta_sum;
        }
        let mut i = row;
        let mut sum = 0.0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        row as f64 * self.estimate + sum
    }

    /// The height of all rows.
    pub fn total(&self) -> f64 {
        self.offset(self.len)
    }

    /// The row at `y` pixels from the top (the last row when past the end).
    pub fn row_at(&self, y: f64) -> usize {
        if self.is_empty() {
            return 0;
        }
        // Fenwick descent: the largest prefix whose sum stays <= y. With `pos` a multiple of
        // `2 * step`, the node at `pos + step` covers the `step` rows after `pos`: their
        // estimates, plus their differences, which the tree holds below `cap` (a power of two,
        // so a node never straddles it) and which are all zero from `cap` on, except that the
        // first node of size >= cap holds all of them.
        let cap = self.cap();
        let mut pos = 0;
        let mut remaining = y.max(0.0);
        let mut step = self.len.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= self.len {
                let deltas = if next <= cap {
                    self.tree[next]
                } else if pos == 0 {
                    self.delta_sum
                } else {
                    0.0
                };
                let sum = step as f64 * self.estimate + deltas;
                if sum <= remaining {
                    pos = next;
                    remaining -= sum;
                }
            }
            step /= 2;
        }
        pos.min(self.len - 1)
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

    /// The scale between page pixels and content pixels for a viewport of `height`.
    pub fn scale(&self, height: f64, max_height: f64) -> f64 {
        let total = self.total();
        if total <= max_height || max_height <= height {
            1.0
        } else {
            (total - height).max(1.0) / (max_height - height)
        }
    }

    /// Places the rows for a viewport whose top is `top` page pixels below the list's top:
    /// which rows to mount (with `margin` content pixels on each side) and the page heights of
    /// the spacers, so that the row at content offset `top * scale` shows at the viewport's top.
    pub fn place(&self, top: f64, height: f64, margin: f64, max_height: f64) -> Placement {
        let scale = self.scale(height, max_height);
        if scale == 1.0 {
            return Placement {
                window: self.window(top, height, margin),
                scale,
            };
        }
        let page_height = max_height;
        let top = top.clamp(0.0, (page_height - height).max(0.0));
        let content_top = top * scale;
        let mut window = self.window(content_top, height, margin);
        let mounted = self.offset(window.end) - self.offset(window.start);
        window.before = (window.before - (content_top - top)).max(0.0);
        window.after = (page_height - window.before - mounted).max(0.0);
        Placement { window, scale }
    }

    /// The page offset (from the list's top) to scroll to so that `row` shows `gap` pixels
    /// below the viewport's top.
    pub fn scroll_to(&self, row: usize, gap: f64, height: f64, max_height: f64) -> f64 {
        let scale = self.scale(height, max_height);
        // Not clamped at 0: above the list's top there is the rest of the page (the caller
        // clamps the window's scroll position).
        let content = self.offset(row) - gap;
        if scale == 1.0 {
            content
        } else {
            // With scaling, the row at content offset `top * scale` is at the viewport's top.
            (content / scale).min(max_height - height)
        }
    }
}
