//! Core metadata files (METADATA, PKG-INFO, WHEEL): RFC 822 style headers with
//! continuation lines and multi-use fields, and the message body.

/// One header as written: the name's case is kept, continuation lines are
/// joined to the value with `\n` and keep their leading whitespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// A parsed metadata file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreMetadata {
    /// Headers in file order.
    pub headers: Vec<Header>,
    /// The message body after the first blank line, when not blank
    /// (the description in Metadata 2.1 and later).
    pub body: Option<String>,
    /// Lines of the header block that are neither a header nor a continuation.
    pub malformed: Vec<String>,
}

impl CoreMetadata {
    /// Parses the text of a metadata file. Never fails: lines it cannot make
    /// sense of land in [`CoreMetadata::malformed`].
    pub fn parse(text: &str) -> CoreMetadata {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut meta = CoreMetadata::default();
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            meta.take_header_line(line);
        }
        let body: Vec<&str> = lines.collect();
        let body = body.join("\n");
        if !body.trim().is_empty() {
            meta.body = Some(body);
        }
        meta
    }

    fn take_header_line(&mut self, line: &str) {
        if line.starts_with([' ', '\t']) {
            match self.headers.last_mut() {
                Some(last) => {
                    last.value.push('\n');
                    last.value.push_str(line);
                }
                None => self.malformed.push(line.to_string()),
            }
            return;
        }
        match line.split_once(':') {
            Some((name, value)) if is_header_name(name) => self.headers.push(Header {
                name: name.to_string(),
                value: value.trim().to_string(),
            }),
            _ => self.malformed.push(line.to_string()),
        }
    }

    /// The first value of a field (names compare case-insensitively), unfolded.
    pub fn get(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| unfold(&h.value))
    }

    /// Every value of a multi-use field, unfolded, in file order.
    pub fn get_all(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| unfold(&h.value))
            .collect()
    }

    /// The raw value (continuation lines kept) of the first such field.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// The long description: the `Description` header (with the 1.x/2.0
    /// continuation prefix of eight spaces and `|` removed), else the body.
    pub fn description(&self) -> Option<String> {
        match self.raw("Description") {
            Some(raw) => Some(dedent_description(raw)),
            None => self.body.clone(),
        }
    }
}

fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
}

/// Joins continuation lines: each loses its leading whitespace, lines are kept
/// apart by `\n` so that callers can tell a multi-line value.
fn unfold(raw: &str) -> String {
    let mut lines = raw.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        out.push_str(line.trim_start());
    }
    out.trim_end().to_string()
}

/// Undoes the folding of a `Description` header: continuation lines start with
/// eight spaces and a `|` (setuptools), or eight spaces, or some whitespace.
fn dedent_description(raw: &str) -> String {
    let mut lines = raw.split('\n');
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        if let Some(rest) = line.strip_prefix("        |") {
            out.push_str(rest);
        } else if let Some(rest) = line.strip_prefix("        ") {
            out.push_str(rest);
        } else {
            out.push_str(line.trim_start());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_continuations_and_body() {
        let m = CoreMetadata::parse(
            "Metadata-Version: 2.1\nName: a\nClassifier: X\nclassifier: Y\nSummary: one\n  two\n\nBody\n",
        );
        assert_eq!(m.get("name").as_deref(), Some("a"));
        assert_eq!(m.get_all("Classifier"), vec!["X", "Y"]);
        assert_eq!(m.get("Summary").as_deref(), Some("one\ntwo"));
        assert_eq!(m.description().as_deref(), Some("Body\n"));
        assert!(m.malformed.is_empty());
    }

    #[test]
    fn description_header_is_dedented() {
        let m = CoreMetadata::parse(
            "Metadata-Version: 1.2\nDescription: Title\n        |=====\n        |\n        |text\n",
        );
        assert_eq!(m.description().as_deref(), Some("Title\n=====\n\ntext"));
    }

    #[test]
    fn lines_that_are_not_headers_are_kept_as_malformed() {
        let m = CoreMetadata::parse("Name: a\nnot a header\n");
        assert_eq!(m.malformed, vec!["not a header"]);
    }
}
