//! A wheel's RECORD: parsing its CSV lines and checking every hash and size
//! against the archive, and that RECORD and the archive list the same files.

use super::rules::{self, Findings, Rule};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::collections::BTreeMap;

/// How many findings of one rule are reported one by one before summing up.
const MAX_PER_RULE: usize = 10;

/// A file of the archive: its path, size and sha256 digest (`None` when it
/// was not read: a decompression bomb).
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub name: String,
    pub size: u64,
    pub sha256: Option<[u8; 32]>,
}

/// One RECORD line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    path: String,
    hash: String,
    size: String,
}

/// Splits one CSV line (commas, double quotes, doubled quotes inside quotes).
fn split_csv(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let cur = fields.last_mut().expect("at least one field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(String::new()),
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err("an unclosed quote");
    }
    Ok(fields)
}

/// Checks RECORD (its text, its path in the archive) against the members.
pub(crate) fn check(text: &str, record_path: &str, members: &[Member], f: &mut Findings) {
    let mut problems = Problems::default();
    let rows = parse_rows(text, &mut problems);
    compare(&rows, record_path, members, &mut problems);
    problems.report(record_path, f);
}

/// The rows of RECORD by path; malformed lines become problems.
fn parse_rows(text: &str, problems: &mut Problems) -> BTreeMap<String, Row> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match split_csv(line) {
            Ok(fields) if fields.len() == 3 => {
                let path = fields[0].replace('\\', "/");
                let row = Row {
                    path: path.clone(),
                    hash: fields[1].clone(),
                    size: fields[2].clone(),
                };
                if rows.insert(path.clone(), row).is_some() {
                    problems.add(
                        rules::WHEEL_RECORD_MALFORMED,
                        format!("line {} lists {path:?} a second time", i + 1),
                    );
                }
            }
            Ok(fields) => problems.add(
                rules::WHEEL_RECORD_MALFORMED,
                format!(
                    "line {} has {} fields, not 3 (path,hash,size)",
                    i + 1,
                    fields.len()
                ),
            ),
            Err(why) => problems.add(
                rules::WHEEL_RECORD_MALFORMED,
                format!("line {} has {why}", i + 1),
            ),
        }
    }
    rows
}

/// Compares the rows with the members of the archive.
fn compare(
    rows: &BTreeMap<String, Row>,
    record_path: &str,
    members: &[Member],
    problems: &mut Problems,
) {
    let dist_info = record_path.trim_end_matches("RECORD");
    let exempt = [
        record_path.to_string(),
        format!("{dist_info}RECORD.jws"),
        format!("{dist_info}RECORD.p7s"),
    ];
    for m in members {
        match rows.get(&m.name) {
            None if exempt[1..].contains(&m.name) => {}
            None => problems.add(
                rules::WHEEL_RECORD_UNLISTED,
                format!("{:?} is in the wheel but not in RECORD", m.name),
            ),
            Some(_) if m.name == record_path => {}
            Some(row) => check_row(row, m, problems),
        }
    }
    for path in rows.keys() {
        if !members.iter().any(|m| &m.name == path) {
            problems.add(
                rules::WHEEL_RECORD_MISSING_FILE,
                format!("RECORD lists {path:?}, which the wheel does not contain"),
            );
        }
    }
}

fn check_row(row: &Row, m: &Member, problems: &mut Problems) {
    let path = &row.path;
    let Some(sha256) = m.sha256 else {
        return;
    };
    match row.hash.split_once('=') {
        _ if row.hash.is_empty() => problems.add(rules::WHEEL_RECORD_HASH, format!("{path:?} has no hash")),
        Some(("sha256", listed)) => {
            if listed.trim_end_matches('=') != URL_SAFE_NO_PAD.encode(sha256) {
                problems.add(rules::WHEEL_RECORD_HASH, format!("the sha256 of {path:?} differs from RECORD's"));
            }
        }
        Some((algo @ ("md5" | "sha1"), _)) => {
            problems.add(rules::WHEEL_RECORD_HASH, format!("{path:?} is hashed with {algo}, which wheels may not use"))
        }
        Some((algo, _)) => problems.add(
            rules::WHEEL_RECORD_ALGORITHM,
            format!("{path:?} is hashed with {algo}, which this check does not verify (it checks sha256)"),
        ),
        None => problems.add(rules::WHEEL_RECORD_MALFORMED, format!("the hash of {path:?} is not algorithm=digest")),
    }
    if !row.size.is_empty() && row.size.parse::<u64>().ok() != Some(m.size) {
        problems.add(
            rules::WHEEL_RECORD_HASH,
            format!("{path:?} has {} bytes but RECORD says {}", m.size, row.size),
        );
    }
}

/// Problems grouped by rule, so that a wholly wrong RECORD stays readable.
#[derive(Default)]
struct Problems(Vec<(Rule, Vec<String>)>);

impl Problems {
    fn add(&mut self, rule: Rule, text: String) {
        match self.0.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, list)) => list.push(text),
            None => self.0.push((rule, vec![text])),
        }
    }

    fn report(self, record_path: &str, f: &mut Findings) {
        for (rule, list) in self.0 {
            let fix = if rule == rules::WHEEL_RECORD_ALGORITHM {
                "nothing to do if the build tool is trusted"
            } else if rule == rules::WHEEL_RECORD_HASH {
                "PyPI takes such wheels, but installers that verify RECORD refuse them; the wheel was altered after it was built (a re-tagging tool?): rebuild it"
            } else {
                "the wheel was altered after it was built or its build tool is broken: rebuild it"
            };
            for text in list.iter().take(MAX_PER_RULE) {
                f.add(rule, None, format!("in {record_path}: {text}; {fix}"));
            }
            if list.len() > MAX_PER_RULE {
                f.add(
                    rule,
                    None,
                    format!(
                        "in {record_path}: {} more such problems; {fix}",
                        list.len() - MAX_PER_RULE
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_csv;

    #[test]
    fn csv_lines() {
        assert_eq!(split_csv("a,b,c").unwrap(), vec!["a", "b", "c"]);
        assert_eq!(split_csv("\"a,\"\"b\",,1").unwrap(), vec!["a,\"b", "", "1"]);
        assert!(split_csv("\"a,b").is_err());
    }
}
