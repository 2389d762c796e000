//! The `Reporter` trait: how library code says what it is doing. The library
//! never writes to the terminal itself; the binary implements this trait.

/// Where library code sends progress. Results go back as values, never through here.
pub trait Reporter {
    /// A step done, cargo style: `    Bumping 1.2.3 -> 1.2.4`.
    fn status(&self, verb: &str, message: &str);
    fn warn(&self, message: &str);
    /// Shown with `-v` only.
    fn verbose(&self, message: &str);
}

/// A reporter that drops everything (tests, JSON output).
pub struct Silent;

impl Reporter for Silent {
    fn status(&self, _: &str, _: &str) {}
    fn warn(&self, _: &str) {}
    fn verbose(&self, _: &str) {}
}
