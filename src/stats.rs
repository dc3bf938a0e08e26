//! Run statistics for `--stats`: time per phase and per rule.
//!
//! Counters are atomics shared by the scanning threads; phase times are
//! CPU time summed over threads (so with two busy threads they add up to
//! about twice the wall time). Nothing is measured unless a [`Stats`] is
//! passed in, so a normal run pays nothing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The phases of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Finding input files.
    Walk,
    /// Reading files.
    Read,
    /// Decoding, folding, splitting lines and sentences.
    Extract,
    /// Keywords, all-of groups and regexes.
    Match,
    /// Themes, stance, evidence and checks.
    Classify,
    /// Writing reports.
    Output,
}

impl Phase {
    /// Every phase, in pipeline order.
    pub const ALL: [Phase; 6] = [
        Phase::Walk,
        Phase::Read,
        Phase::Extract,
        Phase::Match,
        Phase::Classify,
        Phase::Output,
    ];

    /// The name shown in `--stats`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Walk => "walk",
            Phase::Read => "read",
            Phase::Extract => "extract",
            Phase::Match => "match",
            Phase::Classify => "classify",
            Phase::Output => "output",
        }
    }
}

/// Counters for one run.
#[derive(Debug)]
pub struct Stats {
    phases: [AtomicU64; 6],
    rules: Vec<AtomicU64>,
    groups: AtomicU64,
    compiles: AtomicU64,
    documents: AtomicU64,
    bytes: AtomicU64,
}

impl Stats {
    /// Counters for a ruleset of `rules` rules and cues.
    pub fn new(rules: usize) -> Stats {
        Stats {
            phases: Default::default(),
            rules: (0..rules).map(|_| AtomicU64::new(0)).collect(),
            groups: AtomicU64::new(0),
            compiles: AtomicU64::new(0),
            documents: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Runs `f`, adding its duration to `phase`.
    pub fn time<T>(&self, phase: Phase, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(phase, start.elapsed());
        out
    }

    /// Adds a duration to a phase.
    pub fn add(&self, phase: Phase, elapsed: Duration) {
        let i = Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0);
        self.phases[i].fetch_add(nanos(elapsed), Ordering::Relaxed);
    }

    /// Adds time spent on one rule's regexes or all-of groups.
    pub fn add_rule(&self, rule: usize, elapsed: Duration) {
        if let Some(counter) = self.rules.get(rule) {
            counter.fetch_add(nanos(elapsed), Ordering::Relaxed);
        }
    }

    /// Adds time spent pairing `all-of` terms into sentence hits (shared
    /// by all `all-of` rules).
    pub fn add_groups(&self, elapsed: Duration) {
        self.groups.fetch_add(nanos(elapsed), Ordering::Relaxed);
    }

    /// Time spent pairing `all-of` terms.
    pub fn groups(&self) -> Duration {
        Duration::from_nanos(self.groups.load(Ordering::Relaxed))
    }

    /// Adds time spent compiling a pattern on its first use (see
    /// [`crate::rules::Pattern::is_deferred`]), or waiting for another
    /// thread to.
    pub fn add_compile(&self, elapsed: Duration) {
        self.compiles.fetch_add(nanos(elapsed), Ordering::Relaxed);
    }

    /// Time spent compiling patterns on first use.
    pub fn compiles(&self) -> Duration {
        Duration::from_nanos(self.compiles.load(Ordering::Relaxed))
    }

    /// Counts one scanned document of `bytes` bytes.
    pub fn add_document(&self, bytes: u64) {
        self.documents.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// CPU time of a phase.
    pub fn phase(&self, phase: Phase) -> Duration {
        let i = Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0);
        Duration::from_nanos(self.phases[i].load(Ordering::Relaxed))
    }

    /// Time per rule index.
    pub fn rule(&self, rule: usize) -> Duration {
        self.rules.get(rule).map_or(Duration::ZERO, |c| {
            Duration::from_nanos(c.load(Ordering::Relaxed))
        })
    }

    /// Documents scanned.
    pub fn documents(&self) -> u64 {
        self.documents.load(Ordering::Relaxed)
    }

    /// Bytes scanned.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// Runs `f`, adding its duration to `phase` of `stats` if there are any.
pub fn timed<T>(stats: Option<&Stats>, phase: Phase, f: impl FnOnce() -> T) -> T {
    match stats {
        Some(stats) => stats.time(phase, f),
        None => f(),
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
