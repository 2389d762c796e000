//! Peak memory measured in a child process of its own (other tests share this
//! one): the child prints one `MEMORY key=value …` line, the parent reads it.

use std::ffi::OsStr;
use std::time::Duration;

/// Peak resident memory of this process (`VmHWM`), in bytes.
pub fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

/// User and system CPU time of this process so far.
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which may hold spaces): utime is the
    // 12th, stime the 13th, in clock ticks of 1/100 s.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .map(|f| f.parse().unwrap())
        .collect();
    Duration::from_millis((fields[0] + fields[1]) * 10)
}

/// The `MEMORY …` line a child printed.
pub struct Measured {
    pub line: String,
}

impl Measured {
    /// The value after `key=` (`before`, `after`, or what the child added).
    pub fn value(&self, key: &str) -> &str {
        let prefix = format!("{key}=");
        self.line
            .split_whitespace()
            .find_map(|w| w.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no {key}= in {}", self.line))
    }

    fn bytes(&self, key: &str) -> u64 {
        self.value(key).parse().unwrap()
    }

    /// Peak memory before and after the measured work, in bytes.
    pub fn before_after(&self) -> (u64, u64) {
        (self.bytes("before"), self.bytes("after"))
    }

    /// How much the peak grew during the work.
    pub fn growth(&self) -> u64 {
        let (before, after) = self.before_after();
        after.saturating_sub(before)
    }
}

/// Runs the ignored test `name` of `module` alone in a child with `envs`, and
/// returns the `MEMORY` line it printed.
pub fn run_child(module: &str, name: &str, envs: &[(&str, &OsStr)]) -> Measured {
    let mut child = super::child_test(module, name);
    for (key, value) in envs {
        child.env(key, value);
    }
    let stdout = super::run_child_test(child);
    let line = stdout
        .lines()
        .find_map(|l| l.find("MEMORY ").map(|at| l[at..].to_string()))
        .unwrap_or_else(|| panic!("no MEMORY line: {stdout}"));
    Measured { line }
}
