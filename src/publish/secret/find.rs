//! Finding a secret in text whatever the server did to it: every character
//! may be written as itself or escaped (`decode`), and a long enough run of
//! the secret's characters is found as well as the whole of it.

use super::decode::{after, before, escape_at, raw_at};
use std::ops::Range;

/// Shortest run of a secret's characters that is hidden on its own (a slice
/// the server cut, wrapped or truncated). A secret shorter than this is only
/// hidden whole, and only where it stands as a word.
pub const MIN_SLICE: usize = 8;

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

    pub(super) fn len(&self) -> usize {
        self.chars.len()
    }

    fn short(&self) -> bool {
        self.chars.len() < MIN_SLICE
    }
}

/// The byte ranges of `text` to hide, sorted and merged; with `slices`
/// false, only whole values.
pub(super) fn find(text: &str, patterns: &[Pattern], slices: bool) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    for pattern in patterns.iter().filter(|p| p.len() > 0) {
        for (at, _) in text.char_indices() {
            if let Some(end) = longest_run(text, at, pattern, slices) {
                found.push(at..end);
            }
        }
    }
    merge(found)
}

/// The end of the longest run of `pattern` that starts at `at` and is hidden:
/// the whole pattern (as a word when it is short), or at least [`MIN_SLICE`]
/// of its characters in a row.
fn longest_run(text: &str, at: usize, pattern: &Pattern, slices: bool) -> Option<usize> {
    let chars = &pattern.chars;
    let mut best = None;
    for (first, len) in [escape_at(text, at), raw_at(text, at)]
        .into_iter()
        .flatten()
    {
        for start in (0..chars.len()).filter(|&j| chars[j] == first) {
            let (mut end, mut next) = (at + len, start + 1);
            while next < chars.len() {
                match step(text, end, chars[next]) {
                    Some(len) => (end, next) = (end + len, next + 1),
                    None => break,
                }
            }
            let whole = start == 0 && next == chars.len();
            let hidden = if whole && pattern.short() {
                stands_alone(text, at..end, chars)
            } else {
                whole || slices && next - start >= MIN_SLICE
            };
            if hidden && best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
    }
    best
}

/// The length of `expected` written at `at` (escaped or as itself).
fn step(text: &str, at: usize, expected: char) -> Option<usize> {
    [escape_at(text, at), raw_at(text, at)]
        .into_iter()
        .flatten()
        .find(|&(c, _)| c == expected)
        .map(|(_, len)| len)
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
