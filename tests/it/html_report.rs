//! `--format html` in a real browser: headless Chromium (Debian's
//! `chromium`, which .ci/run installs) loads the page from a file with
//! every network feature off, runs its script, and the rendered DOM must
//! show what the JSON report says: the stance counts, one heatmap row per
//! document, present themes outlined, and highlighted evidence. A
//! screenshot is saved to target/html-report.png.

use std::path::{Path, PathBuf};
use std::process::Command;

use policyscan::report::RunReport;

fn policyscan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

/// Debian's Chromium, or `$CHROMIUM`. Without one the test fails under CI
/// (which installs it) and says so elsewhere.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed; .ci/run installs Debian's chromium package"
        );
        eprintln!("skipping: no chromium (install Debian's chromium package)");
    }
    found
}

fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_html_report_renders_in_chromium_with_the_run_s_figures() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let json = dir.path().join("report.json");
    let out = policyscan(&[
        "scan",
        "--no-config",
        "--format",
        "html",
        "--output",
        &format!("json:{}", json.display()),
        "fixtures/",
    ]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    std::fs::write(&page, &out.stdout).unwrap();
    let report: RunReport = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains(" src="),
        "self-contained: no URLs, no external resources"
    );

    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");
    let dump = headless(
        &browser,
        &profile,
        &["--virtual-time-budget=5000", "--dump-dom", &url],
    );
    let dom = String::from_utf8_lossy(&dump.stdout);
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page's script ran: {}",
        String::from_utf8_lossy(&dump.stderr)
    );

    // Stance chart: one bar per stance, with the run's counts.
    for (stance, n) in &report.summary.stances {
        let bar = format!("data-stance=\"{}\" data-count=\"{n}\"", stance.as_str());
        assert!(dom.contains(&bar), "missing {bar}");
    }
    // Heatmap: one row per document, present themes outlined.
    let rows = dom.matches("<tr data-path=").count();
    assert_eq!(rows, report.documents.len());
    let present: usize = report
        .documents
        .iter()
        .map(|d| d.themes.iter().filter(|t| t.present).count())
        .sum();
    assert_eq!(dom.matches("<td class=\"present\"").count(), present);
    // Drill-down: one section per document, evidence highlighted.
    assert_eq!(
        dom.matches("<details class=\"doc\"").count(),
        report.documents.len()
    );
    assert!(dom.matches("<mark>").count() >= report.documents.len());
    let first = &report.documents[0];
    assert!(dom.contains(&format!("data-path=\"{}\"", first.path)));

    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../html-report.png");
    let _ = std::fs::remove_file(&shot);
    let out = headless(
        &browser,
        &profile,
        &[
            "--hide-scrollbars",
            "--window-size=1280,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        png.len() > 20_000,
        "a blank page compresses to far less: {} bytes",
        png.len()
    );
}

#[test]
fn an_empty_run_and_a_fatal_run_still_make_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args(["scan", "--no-config", "--format", "html", "."])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("No documents were scanned."));
}

/// Counts read as English in the page: "1 hit", "2 hits".
#[test]
fn html_counts_hits_in_the_singular_and_plural() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("one.txt");
    std::fs::write(
        &doc,
        "Developers must be licensed. Open weights, open weights and open weights.\n",
    )
    .unwrap();
    let out = policyscan(&["scan", "--no-config", "-f", "html", doc.to_str().unwrap()]);
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(", 1 hit</span>"), "licensing: one hit");
    assert!(page.contains(", 3 hits</span>"), "open-weights: three hits");
    assert!(!page.contains(" 1 hits"));
}
