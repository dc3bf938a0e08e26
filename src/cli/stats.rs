//! `--stats`: what the run cost, on stderr.

use std::time::Duration;

use policyscan::rules::CompiledRules;
use policyscan::stats::{Phase, Stats};

/// How many of the slowest rules to list.
const SLOWEST: usize = 10;

/// Prints the statistics of a finished run.
pub(crate) fn print(stats: &Stats, rules: &CompiledRules, wall: Duration, threads: Option<u16>) {
    let threads = threads.map_or_else(rayon::current_num_threads, usize::from);
    let bytes = stats.bytes();
    eprintln!("policyscan stats");
    eprintln!(
        "  documents  {} ({:.1} MB)",
        stats.documents(),
        bytes as f64 / 1e6
    );
    eprintln!(
        "  wall time  {:.3} s ({:.1} MB/s, {threads} threads)",
        wall.as_secs_f64(),
        bytes as f64 / 1e6 / wall.as_secs_f64().max(1e-9)
    );
    eprintln!("  time per phase (CPU time summed over threads):");
    let total: f64 = Phase::ALL.iter().map(|&p| secs(stats.phase(p))).sum();
    for phase in Phase::ALL {
        let t = secs(stats.phase(phase));
        eprintln!(
            "    {:<9} {:>9.3} s  {:>5.1}%",
            phase.as_str(),
            t,
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
            "    {:>9.3} s  {}  ({} pattern{}, {} anchored on prefix literals)",
            secs(*d),
            rule.id,
            rule.regexes.len(),
            if rule.regexes.len() == 1 { "" } else { "s" },
            anchored
        );
    }
    if !stats.groups().is_zero() {
        eprintln!(
            "    {:>9.3} s  (all-of groups, all rules)",
            secs(stats.groups())
        );
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
