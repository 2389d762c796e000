//! Core metadata files (METADATA, PKG-INFO, WHEEL): RFC 822 style headers with
//! continuation lines and multi-use fields, and the message body; and the one
//! table of core metadata fields, shared by check-dist and the upload form.

/// A core metadata field: its header name, the Metadata-Version that added
/// it, whether it may be given more than once, and its field in PyPI's upload
/// form (`None` for the fields an upload sends on its own terms: Metadata-Version,
/// Name and Version from the artifact, the description from body or header).
pub struct Field {
    pub name: &'static str,
    pub since: &'static str,
    pub multi: bool,
    pub form: Option<&'static str>,
}

const fn single(name: &'static str, since: &'static str, form: &'static str) -> Field {
    Field {
        name,
        since,
        multi: false,
        form: Some(form),
    }
}

const fn multi(name: &'static str, since: &'static str, form: &'static str) -> Field {
    Field {
        name,
        since,
        multi: true,
        form: Some(form),
    }
}

const fn own(name: &'static str, since: &'static str) -> Field {
    Field {
        name,
        since,
        multi: false,
        form: None,
    }
}

/// Every core metadata field: check-dist checks headers against it, and the
/// upload form sends each one that has a form name.
#[rustfmt::skip]
pub const FIELDS: &[Field] = &[
    own("Metadata-Version", "1.0"),
    own("Name", "1.0"),
    own("Version", "1.0"),
    multi("Platform", "1.0", "platform"),
    single("Summary", "1.0", "summary"),
    own("Description", "1.0"),
    single("Keywords", "1.0", "keywords"),
    single("Home-page", "1.0", "home_page"),
    single("Author", "1.0", "author"),
    single("Author-email", "1.0", "author_email"),
    single("License", "1.0", "license"),
    multi("Supported-Platform", "1.1", "supported_platform"),
    single("Download-URL", "1.1", "download_url"),
    multi("Classifier", "1.1", "classifiers"),
    multi("Requires", "1.1", "requires"),
    multi("Provides", "1.1", "provides"),
    multi("Obsoletes", "1.1", "obsoletes"),
    single("Maintainer", "1.2", "maintainer"),
    single("Maintainer-email", "1.2", "maintainer_email"),
    multi("Requires-Dist", "1.2", "requires_dist"),
    single("Requires-Python", "1.2", "requires_python"),
    multi("Requires-External", "1.2", "requires_external"),
    multi("Project-URL", "1.2", "project_urls"),
    multi("Provides-Dist", "1.2", "provides_dist"),
    multi("Obsoletes-Dist", "1.2", "obsoletes_dist"),
    single("Description-Content-Type", "2.1", "description_content_type"),
    multi("Provides-Extra", "2.1", "provides_extra"),
    multi("Dynamic", "2.2", "dynamic"),
    single("License-Expression", "2.4", "license_expression"),
    multi("License-File", "2.4", "license_file"),
    multi("Import-Name", "2.5", "import_name"),
    multi("Import-Namespace", "2.5", "import_namespace"),
];

/// The field named `name` (compared case-insensitively).
pub fn field(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

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
