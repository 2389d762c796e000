//! Golden files: expected file contents kept under `tests/golden/`.

use std::path::Path;

/// Compares `actual` with the golden file, or writes it when `UPDATE_GOLDEN=1`.
pub fn assert_golden(golden: &Path, actual: &[u8]) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(golden, actual).unwrap();
        return;
    }
    let expected = std::fs::read(golden).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (UPDATE_GOLDEN=1 writes it)",
            golden.display()
        )
    });
    if expected != actual {
        let diff = cargo_pypi::ops::diff::unified(
            &golden.display().to_string(),
            &String::from_utf8_lossy(&expected),
            &String::from_utf8_lossy(actual),
        );
        panic!("{} differs from its golden file:\n{diff}", golden.display());
    }
}
