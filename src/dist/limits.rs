//! Bounded work on hostile archives: how much of one member is read into
//! memory, and PyPI's rule against decompression bombs. Every reader of
//! archive contents goes through these, so that no input makes a check slow
//! or large (peak memory stays under 64 MiB).

use super::rules::{self, Findings};
use crate::display::human_size;

/// The most read into memory of one metadata member (METADATA, WHEEL,
/// RECORD, entry_points.txt, PKG-INFO): real ones are a few hundred KiB.
pub(crate) const MAX_TEXT: u64 = 8 * 1024 * 1024;

/// PyPI refuses content over 64 MiB compressed more than 50 times.
const BOMB_SIZE: u64 = 64 * 1024 * 1024;
const BOMB_RATIO: u64 = 50;

/// Whether `size` bytes stored in `compressed` bytes break PyPI's rule.
pub(crate) fn is_bomb(size: u64, compressed: u64) -> bool {
    size > BOMB_SIZE && size > compressed.saturating_mul(BOMB_RATIO)
}

/// The most an archive of `compressed` bytes may inflate to before it
/// breaks PyPI's rule whatever follows.
pub(crate) fn inflate_limit(compressed: u64) -> u64 {
    BOMB_SIZE.max(compressed.saturating_mul(BOMB_RATIO))
}

/// Records a finding about what inflates past PyPI's ratio.
pub(crate) fn bomb(what: &str, size: Option<u64>, compressed: u64, f: &mut Findings) {
    let inflated = match size {
        Some(size) => format!(
            "inflates {} to {} ({}:1)",
            human_size(compressed),
            human_size(size),
            size / compressed.max(1)
        ),
        None => format!(
            "inflates {} to more than {}",
            human_size(compressed),
            human_size(inflate_limit(compressed))
        ),
    };
    f.add(
        rules::FILE_COMPRESSION_RATIO,
        None,
        format!("{what} {inflated}, and PyPI refuses content over 64 MiB compressed more than 50 times (a decompression bomb); it was not read further: rebuild the file from its sources"),
    );
}

/// Records that the metadata member `path` of `size` bytes was not read.
pub(crate) fn too_large(path: &str, size: Option<u64>, f: &mut Findings) {
    let size = size.map_or_else(|| "more than 8 MiB".to_string(), human_size);
    f.add(
        rules::FILE_MEMBER_TOO_LARGE,
        None,
        format!("file {path} has {size}, over the {} this check reads of a metadata file, so it was not checked: such a file is broken or hostile; rebuild the archive", human_size(MAX_TEXT)),
    );
}
