//! `--stats`: what the run cost, on stderr.

use std::time::Duration;

use policyscan::rules::CompiledRules;
use policyscan::stats::{Phase, Stats};

/// How many of the slowest rules to list.
const SLOWEST: usize = 10;

/// Prints the statistics of a finished run: `wall` is the whole run,
/// `load` the part of it spent loading and compiling the rules.
pub(crate) fn print(
    stats: &Stats,
    rules: &CompiledRules,
    (wall, load): (Duration, Duration),
    threads: Option<u16>,
) {
    let threads = threads.map_or_else(rayon::current_num_threads, usize::from);
    let bytes = stats.bytes();
    eprintln!("policyscan stats");
    eprintln!(
        "  documents  {} ({:.1} MB)",
        stats.documents(),
        bytes as f64 / 1e6
    );
    eprintln!(
        "  wall time  {} ({:.1} MB/s, {threads} thread{})",
        duration(wall),
        bytes as f64 / 1e6 / wall.as_secs_f64().max(1e-9),
        plural(threads)
    );
    let patterns: usize = rules.rules().iter().map(|r| r.regexes.len()).sum();
    eprintln!(
        "  loading    {} of it: rules read, checked and compiled ({patterns} patterns, {} literals)",
        duration(load),
        rules.literal_count()
    );
    let deferred: Vec<_> = rules
        .rules()
        .iter()
        .flat_map(|r| &r.regexes)
        .filter(|p| p.is_deferred())
        .collect();
    if !deferred.is_empty() {
        let compiled = deferred.iter().filter(|p| p.is_compiled()).count();
        eprintln!(
            "  compiled when first needed: {compiled} of {} anchored patterns of the embedded rules, {} (CPU, part of match)",
            deferred.len(),
            duration(stats.compiles())
        );
    }
    eprintln!("  time per phase (CPU time summed over threads):");
    let total: f64 = Phase::ALL.iter().map(|&p| secs(stats.phase(p))).sum();
    for phase in Phase::ALL {
        let t = secs(stats.phase(phase));
        eprintln!(
            "    {:<9} {:>10}  {:>5.1}%",
            phase.as_str(),
            duration(stats.phase(phase)),
            100.0 * t / total.max(1e-9)
        );
    }
    let mut slow: Vec<(usize, Duration)> = (0..rules.rules().len())
        .map(|i| (i, stats.rule(i)))
        .filter(|(_, d)| !d.is_zero())
        .collect();
    slow.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("  slowest rules (regex time; keywords share one automaton pass):");
    for (i, d) in slow.iter().take(SLOWEST) {
        let rule = &rules.rules()[*i];
        let anchored = rule.anchored_patterns();
        eprintln!(
            "    {:>10}  {}  ({} pattern{}, {} anchored on prefix literals)",
            duration(*d),
            rule.id,
            rule.regexes.len(),
            plural(rule.regexes.len()),
            anchored
        );
    }
    if !stats.groups().is_zero() {
        eprintln!(
            "    {:>10}  (all-of groups, all rules)",
            duration(stats.groups())
        );
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// A duration in the unit that shows it best: `1.234 s`, `56.7 ms`,
/// `89 µs`. A one-document run takes microseconds per phase, a corpus
/// seconds; in seconds alone, the first would read as zeros.
fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// The plural ending for `n` of something.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_shown_in_a_readable_unit() {
        let cases = [
            (Duration::ZERO, "0 µs"),
            (Duration::from_nanos(400), "0 µs"),
            (Duration::from_micros(89), "89 µs"),
            (Duration::from_micros(999), "999 µs"),
            (Duration::from_micros(1_000), "1.0 ms"),
            (Duration::from_micros(56_740), "56.7 ms"),
            (Duration::from_millis(1_000), "1.000 s"),
            (Duration::from_millis(61_234), "61.234 s"),
        ];
        for (d, want) in cases {
            assert_eq!(duration(d), want, "{d:?}");
        }
    }
}
