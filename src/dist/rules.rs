//! The catalogue of rules (stable id, severity, one-line summary) and the
//! collector every check writes its findings into.

use super::{Diagnostic, Severity};

/// One rule of `check-dist`: its id never changes once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident, $summary:literal;)*) => {
        $(pub const $name: Rule = Rule { id: $id, severity: Severity::$sev, summary: $summary };)*
        /// Every rule, in the order of this catalogue.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    FILE_UNREADABLE = "file-unreadable", Error, "the archive cannot be opened or one of its members cannot be read";
    FILE_FORMAT = "file-format", Error, "not a .whl or .tar.gz: PyPI refuses .zip sdists, eggs and installers";
    FILE_TOO_LARGE = "file-too-large", Error, "larger than the upload limit (100 MiB on PyPI unless raised for the project)";
    FILE_COMPRESSION_RATIO = "file-compression-ratio", Error, "content over 64 MiB compressed more than 50 times (a wheel member, or an sdist's tar): PyPI refuses it";
    FILE_MEMBER_TOO_LARGE = "file-member-too-large", Error, "METADATA, WHEEL, RECORD, entry_points.txt or PKG-INFO over 8 MiB: not read, not checked";
    WHEEL_FILENAME = "wheel-filename", Error, "the wheel file name is not {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl";
    WHEEL_FILENAME_NAME = "wheel-filename-name", Error, "the name part of the wheel file name is not the normalized project name";
    WHEEL_FILENAME_VERSION = "wheel-filename-version", Error, "the version in the wheel file name differs from the metadata's";
    WHEEL_FILENAME_VERSION_FORM = "wheel-filename-version-form", Warning, "the version in the wheel file name is not in normalized form";
    WHEEL_PLATFORM_TAG = "wheel-platform-tag", Error, "a platform tag PyPI refuses (linux_x86_64, unknown architectures...)";
    WHEEL_PLATFORM_TAG_LEGACY = "wheel-platform-tag-legacy", Warning, "linux_armv6l/linux_armv7l: accepted by PyPI but installable on any such Linux";
    WHEEL_ZIP_FRAMING = "wheel-zip-framing", Error, "ZIP features PyPI refuses: duplicate names, data descriptors, extra data, other compressions";
    WHEEL_DIST_INFO = "wheel-dist-info", Error, "not exactly one {name}-{version}.dist-info directory matching the file name";
    WHEEL_FILE_MISSING = "wheel-file-missing", Error, "the .dist-info directory lacks METADATA, WHEEL or RECORD";
    WHEEL_WHEEL_FILE = "wheel-wheel-file", Error, "WHEEL lacks Wheel-Version 1.x or a true/false Root-Is-Purelib";
    WHEEL_TAGS_MISMATCH = "wheel-tags-mismatch", Error, "the Tag lines of WHEEL differ from the tags in the file name (compressed sets expanded on both sides)";
    WHEEL_TAGS_COMPRESSED = "wheel-tags-compressed", Warning, "a Tag line of WHEEL holds a compressed tag set (maturin 1.9.6 and older): accepted, but one tag per line is the standard";
    WHEEL_UNSAFE_PATH = "wheel-unsafe-path", Error, "a wheel entry with '..', an absolute path or a backslash: pip refuses to install it";
    ENTRY_POINTS_INVALID = "entry-points-invalid", Error, "entry_points.txt is not [group] sections of name = module:attr lines, or a script name is not a bare name: PyPI refuses it";
    WHEEL_RECORD_MALFORMED = "wheel-record-malformed", Error, "a RECORD line is not path,hash,size";
    WHEEL_RECORD_HASH = "wheel-record-hash", Warning, "a RECORD hash or size does not match the file, or is missing: PyPI accepts it, installers that verify RECORD do not";
    WHEEL_RECORD_ALGORITHM = "wheel-record-algorithm", Warning, "a RECORD hash uses an algorithm other than sha256: not verified";
    WHEEL_RECORD_UNLISTED = "wheel-record-unlisted", Error, "a file in the wheel is not listed in RECORD";
    WHEEL_RECORD_MISSING_FILE = "wheel-record-missing-file", Error, "RECORD lists a file the wheel does not contain";
    SDIST_FILENAME = "sdist-filename", Error, "the sdist file name is not {normalized_name}-{normalized_version}.tar.gz (PEP 625)";
    SDIST_LAYOUT = "sdist-layout", Error, "the sdist does not have exactly one top-level directory";
    SDIST_TOP_LEVEL_NAME = "sdist-top-level-name", Warning, "the top-level directory is not named like the file ({name}-{version})";
    SDIST_PKG_INFO_MISSING = "sdist-pkg-info-missing", Error, "no PKG-INFO file directly inside the top-level directory";
    SDIST_UNSAFE_PATH = "sdist-unsafe-path", Error, "absolute paths, '..', links leaving the sdist, or device files";
    SDIST_MEMBER_TYPE = "sdist-member-type", Error, "a sparse tar member, or one that is not a file, directory or link: PyPI refuses it";
    METADATA_MALFORMED = "metadata-malformed", Error, "the metadata file is not UTF-8 RFC 822 headers";
    METADATA_VERSION = "metadata-version", Error, "Metadata-Version missing or not one PyPI accepts (1.0-1.2, 2.1-2.5; never 2.0)";
    METADATA_UNKNOWN_FIELD = "metadata-unknown-field", Error, "a field that is not core metadata (twine refuses to upload it)";
    METADATA_DUPLICATE_FIELD = "metadata-duplicate-field", Error, "a single-use field given more than once";
    METADATA_FIELD_TOO_NEW = "metadata-field-too-new", Error, "a field newer than the declared Metadata-Version";
    METADATA_LICENSE_FILE_IGNORED = "metadata-license-file-ignored", Warning, "License-File below Metadata-Version 2.4: twine drops it";
    NAME_INVALID = "name-invalid", Error, "Name missing or not a valid project name";
    VERSION_INVALID = "version-invalid", Error, "Version missing or not a valid PEP 440 version";
    VERSION_LOCAL = "version-local", Error, "a local version (+...): PyPI refuses it";
    REQUIRES_DIST_INVALID = "requires-dist-invalid", Error, "a Requires-Dist (or Provides-/Obsoletes-Dist) that is not PEP 508";
    REQUIRES_DIST_URL = "requires-dist-url", Error, "a direct URL reference (pkg @ https://...): PyPI refuses it";
    REQUIRES_PYTHON_INVALID = "requires-python-invalid", Error, "Requires-Python is not a valid version specifier set";
    SUMMARY_TOO_LONG = "summary-too-long", Error, "Summary longer than 512 characters";
    SUMMARY_MULTILINE = "summary-multiline", Error, "Summary spans more than one line";
    PROJECT_URL = "project-url", Error, "a Project-URL that is not 'label, https://...' or repeats a label";
    PROJECT_URL_LABEL = "project-url-label", Error, "a Project-URL label longer than 32 characters";
    URL_INVALID = "url-invalid", Error, "Home-page or Download-URL is not an http(s) URL";
    EMAIL_INVALID = "email-invalid", Error, "Author-email or Maintainer-email holds an invalid address";
    PROVIDES_EXTRA_INVALID = "provides-extra-invalid", Error, "a Provides-Extra that is not a valid name";
    DYNAMIC_INVALID = "dynamic-invalid", Error, "Dynamic names Name, Version, Metadata-Version or an unknown field";
    CLASSIFIER_UNKNOWN = "classifier-unknown", Error, "a Classifier that is not in the trove-classifiers list";
    CLASSIFIER_PRIVATE = "classifier-private", Error, "a 'Private ::' classifier: PyPI refuses the upload, by design";
    CLASSIFIER_DEPRECATED = "classifier-deprecated", Error, "a deprecated classifier: PyPI refuses it";
    LICENSE_CONFLICT = "license-conflict", Error, "both License and License-Expression";
    LICENSE_EXPRESSION_INVALID = "license-expression-invalid", Error, "License-Expression is not a valid SPDX expression of known ids";
    LICENSE_FILE_INVALID = "license-file-invalid", Error, "a License-File path that is absolute, uses '..', '\\' or a glob";
    LICENSE_FILE_MISSING = "license-file-missing", Error, "a License-File that is not in the archive";
    DESCRIPTION_MISSING = "description-missing", Warning, "no long description (the project page will be empty)";
    DESCRIPTION_CONTENT_TYPE_MISSING = "description-content-type-missing", Warning, "no Description-Content-Type: PyPI renders the description as reStructuredText";
    DESCRIPTION_CONTENT_TYPE_INVALID = "description-content-type-invalid", Error, "Description-Content-Type is not text/plain, text/x-rst or text/markdown (UTF-8, GFM/CommonMark)";
    DESCRIPTION_RST = "description-rst", Error, "the reStructuredText description does not render: PyPI refuses it";
    DESCRIPTION_RST_UNCHECKED = "description-rst-unchecked", Error, "the reStructuredText description could not be rendered (no readme_renderer, and installing it failed)";
    RELEASE_MULTIPLE_SDISTS = "release-multiple-sdists", Error, "more than one sdist for one release: PyPI takes only one";
    RELEASE_MIXED = "release-mixed", Error, "artifacts of different projects or versions given together";
}

/// Looks a rule up by id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().find(|rule| rule.id == id)
}

/// Collects the findings about one file.
#[derive(Debug)]
pub(crate) struct Findings {
    file: String,
    pub(crate) list: Vec<Diagnostic>,
}

impl Findings {
    pub(crate) fn new(file: &str) -> Findings {
        Findings {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    /// The metadata file `path` as text; a `METADATA_MALFORMED` finding (with
    /// `fix`) when it is not UTF-8.
    pub(crate) fn utf8(&mut self, bytes: Vec<u8>, path: &str, fix: &str) -> Option<String> {
        let text = String::from_utf8(bytes).ok();
        if text.is_none() {
            let message = format!("file {path} is not UTF-8: {fix}");
            self.add(METADATA_MALFORMED, None, message);
        }
        text
    }

    /// Records a finding of `rule`, about metadata `field` when there is one.
    pub(crate) fn add(&mut self, rule: Rule, field: Option<&str>, message: impl Into<String>) {
        self.list.push(Diagnostic {
            severity: rule.severity,
            file: self.file.clone(),
            field: field.map(str::to_string),
            rule: rule.id,
            message: message.into(),
        });
    }
}
