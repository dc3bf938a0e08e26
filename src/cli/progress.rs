//! The progress bar: on stderr, only when stderr is a terminal, not with
//! `--quiet`, and only once a scan has run for a second (short scans never
//! flash a bar).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// The delay, or `POLICYSCAN_PROGRESS_DELAY_MS` when set: the test suite's
/// hook, so that whether a bar appears does not hang on how fast the
/// machine scans.
fn delay() -> Duration {
    std::env::var("POLICYSCAN_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    delay: Duration,
    shown: AtomicBool,
}

impl Progress {
    /// A bar over `total` inputs, or nothing when it should not be drawn.
    pub(crate) fn new(total: usize, quiet: bool) -> Progress {
        let wanted = !quiet && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {bar:30} {pos}/{len} documents  {per_sec}  {elapsed} (eta {eta})",
                )
                .expect("a valid template"),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            delay: delay(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more input done.
    pub(crate) fn inc(&self) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed) && self.started.elapsed() >= self.delay {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Runs `f` (which prints to stderr) with the bar out of the way.
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar before the closing notices.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
