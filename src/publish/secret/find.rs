//! Finding a secret in text whatever the server did to it: every character
//! may be written as itself or escaped (`decode`), and a long enough run of
//! the secret's characters is found as well as the whole of it.
//!
//! One pass from the end of the text to its start computes, for each position
//! and each character of the secret, the longest run of the secret's
//! characters written there from that character on (as itself or escaped,
//! whichever gives the longer run): time in proportion to the text's length
//! times the secret's, however repetitive either is.

use super::decode::{after, before, escape_at, raw_at};
use std::ops::Range;

/// Shortest run of a secret's characters that is hidden on its own (a slice
/// the server cut, wrapped or truncated). A secret shorter than this is only
/// hidden whole, and only where it stands as a word.
pub const MIN_SLICE: usize = 8;

/// Longer than the longest escape `decode` reads (12 bytes: a surrogate pair).
const RING: usize = 16;

/// One value to hide: a secret or one of its base64 forms.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Pattern {
    chars: Vec<char>,
}

impl Pattern {
    pub(super) fn new(value: &str) -> Pattern {
        Pattern {
            chars: value.chars().collect(),
        }
    }

    fn short(&self) -> bool {
        self.chars.len() < MIN_SLICE
    }
}

/// A character of the text: its byte offset, and how it reads (escaped, as written).
struct Unit {
    at: usize,
    reads: [Option<(char, usize)>; 2],
}

/// The byte ranges of `text` to hide, sorted and merged; with `slices`
/// false, only whole values.
pub(super) fn find(text: &str, patterns: &[Pattern], slices: bool) -> Vec<Range<usize>> {
    let units: Vec<Unit> = text
        .char_indices()
        .map(|(at, _)| Unit {
            at,
            reads: [escape_at(text, at), raw_at(text, at)],
        })
        .collect();
    let mut found = Vec::new();
    for pattern in patterns.iter().filter(|p| !p.chars.is_empty()) {
        runs(text, &units, pattern, slices, &mut found);
    }
    merge(found)
}

/// Adds to `found` each hidden run of `pattern`: the whole pattern (as a word
/// when it is short), or at least [`MIN_SLICE`] of its characters in a row.
fn runs(
    text: &str,
    units: &[Unit],
    pattern: &Pattern,
    slices: bool,
    found: &mut Vec<Range<usize>>,
) {
    let chars = &pattern.chars;
    let n = chars.len();
    // (character, index) sorted: where each character stands in the secret.
    let mut at_char: Vec<(char, usize)> = chars.iter().copied().zip(0..).collect();
    at_char.sort_unstable();
    let places = |c: char| {
        let from = at_char.partition_point(|&(x, _)| x < c);
        let to = at_char.partition_point(|&(x, _)| x <= c);
        at_char[from..to].iter().map(|&(_, j)| j)
    };
    let mut rows: Vec<Row> = (0..RING).map(|_| Row::new(n)).collect();
    for unit in units.iter().rev() {
        let p = unit.at;
        let mut row = std::mem::take(&mut rows[p % RING]);
        row.clear();
        for &(c, len) in unit.reads.iter().flatten() {
            let next = &rows[(p + len) % RING];
            for j in places(c) {
                let (k, end) = match next.cells.get(j + 1) {
                    Some(&(k, end)) if k > 0 && p + len < text.len() => (k + 1, end),
                    _ => (1, p + len),
                };
                row.set(j, k, end);
            }
        }
        let hidden = |j: usize, (k, end): (usize, usize)| {
            if j == 0 && k == n {
                !pattern.short() || stands_alone(text, p..end, chars)
            } else {
                slices && k >= MIN_SLICE
            }
        };
        let longest = (row.touched.iter())
            .filter(|&&j| hidden(j, row.cells[j]))
            .map(|&j| row.cells[j].1)
            .max();
        if let Some(end) = longest {
            found.push(p..end);
        }
        rows[p % RING] = row;
    }
}

/// For one position of the text and each character `j` of the secret: the
/// length and end of the longest run from there that matches `chars[j..]`
/// (a length of 0: none), and which `j` have a run.
#[derive(Default)]
struct Row {
    cells: Vec<(usize, usize)>,
    touched: Vec<usize>,
}

impl Row {
    fn new(n: usize) -> Row {
        Row {
            cells: vec![(0, 0); n],
            touched: Vec::new(),
        }
    }

    fn clear(&mut self) {
        for &j in &self.touched {
            self.cells[j] = (0, 0);
        }
        self.touched.clear();
    }

    fn set(&mut self, j: usize, k: usize, end: usize) {
        if self.cells[j].0 == 0 {
            self.touched.push(j);
        }
        if k > self.cells[j].0 {
            self.cells[j] = (k, end);
        }
    }
}

/// Whether a short secret found at `range` is a word of its own, not part of
/// a longer one: no letter or digit joins it where it begins or ends with one.
fn stands_alone(text: &str, range: Range<usize>, chars: &[char]) -> bool {
    let wordy = |c: char| c.is_alphanumeric() || c == '_';
    let open = !wordy(chars[0]) || !before(text, range.start).is_some_and(wordy);
    let close = !wordy(chars[chars.len() - 1]) || !after(text, range.end).is_some_and(wordy);
    open && close
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}
