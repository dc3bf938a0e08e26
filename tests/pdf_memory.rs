//! The PDF reader's memory limit. A test binary of its own: it measures
//! the peak memory of this process's children, so no other test may start
//! any here.
#![cfg(target_os = "linux")]

use std::io::Write as _;
use std::process::Command;

/// A PDF of `pages` pages, each drawing the same line of text, whose
/// cross-reference stream inflates to `inflated` bytes (at least its own
/// rows): the loader inflates it before any object is read, so no check
/// on streams sees it; only the reader's memory limit bounds it.
fn pdf(pages: usize, inflated: usize) -> Vec<u8> {
    let content = b"BT /F1 12 Tf 50 700 Td (open weights) Tj ET";
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 5)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        format!("<</Type/Pages/Kids[{}]/Count {pages}>>", kids.join(" ")).into_bytes(),
        [
            format!("<</Length {}>>stream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".to_vec(),
    ];
    for _ in 0..pages {
        objects.push(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 3 0 R\
              /Resources<</Font<</F1 4 0 R>>>>>>"
                .to_vec(),
        );
    }
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let mut rows = vec![0u8, 0, 0, 0, 0, 0xff, 0xff];
    for (number, object) in (1..).zip(&objects) {
        rows.push(1);
        rows.extend_from_slice(&(pdf.len() as u32).to_be_bytes());
        rows.extend_from_slice(&[0, 0]);
        writeln!(pdf, "{number} 0 obj").unwrap();
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let xref_number = objects.len() + 1;
    rows.push(1);
    rows.extend_from_slice(&(xref as u32).to_be_bytes());
    rows.extend_from_slice(&[0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&rows).unwrap();
    let zeros = vec![0u8; 1 << 20];
    let mut left = inflated.saturating_sub(rows.len());
    while left > 0 {
        let n = left.min(zeros.len());
        z.write_all(&zeros[..n]).unwrap();
        left -= n;
    }
    let stream = z.finish().unwrap();
    write!(
        pdf,
        "{xref_number} 0 obj\n<</Type/XRef/Size {}/W[1 4 2]/Root 1 0 R/Length {}\
         /Filter/FlateDecode>>stream\n",
        xref_number + 1,
        stream.len()
    )
    .unwrap();
    pdf.extend_from_slice(&stream);
    write!(pdf, "\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").unwrap();
    pdf
}

/// Scans `file` in `dir` with the reader's memory limit set to `limit`.
fn scan(dir: &std::path::Path, file: &str, limit: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir)
        .env("POLICYSCAN_PDF_MEMORY", limit)
        .args(["scan", "--no-config", "--format", "jsonl", file])
        .output()
        .unwrap()
}

/// The largest resident set of any child (or their children) waited for
/// so far, in bytes.
fn children_peak() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).unwrap();
    u64::try_from(usage.max_rss()).unwrap() * 1024
}

#[test]
fn a_pdf_reader_past_its_memory_limit_is_held_to_it() {
    const MB: u64 = 1 << 20;
    let dir = tempfile::tempdir().unwrap();
    // Inflating it whole takes the reader 2 GB of memory and ~4 s.
    std::fs::write(dir.path().join("bomb.pdf"), pdf(1, 1 << 30)).unwrap();
    let out = scan(dir.path(), "bomb.pdf", "200");
    let peak = children_peak();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The reader's inflating fails at the limit; it then reads the page
    // through the objects themselves.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains(r#""path":"bomb.pdf""#), "{stdout}");
    assert!(peak < 300 * MB, "peak {} MB", peak / MB);

    // A limit that is not a number of megabytes stops the run at once.
    let out = scan(dir.path(), "bomb.pdf", "lots");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("POLICYSCAN_PDF_MEMORY=lots: expected a number of megabytes"),
        "{stderr}"
    );
}

#[test]
fn a_pdf_reader_out_of_memory_is_an_error_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 20,000 pages in ~1.5 MB: the file fits in 40 MB, its pages' text and
    // the reader's objects do not (3,000 such pages took over 30 MB), and
    // they are allocated where running out ends the reader.
    std::fs::write(dir.path().join("pages.pdf"), pdf(20_000, 0)).unwrap();
    // The file padded past the whole limit: reading it in fails first.
    let mut padded = pdf(1, 0);
    padded.resize(padded.len() + (64 << 20), b'\n');
    std::fs::write(dir.path().join("padded.pdf"), padded).unwrap();
    for (file, limit, said) in [
        (
            "pages.pdf",
            "40",
            "the PDF reader crashed (it needed more than the 40 MB of memory allowed for this file; \
             POLICYSCAN_PDF_MEMORY sets the limit)",
        ),
        (
            "padded.pdf",
            "24",
            "the file does not fit in the 24 MB of memory allowed for reading it",
        ),
    ] {
        let out = scan(dir.path(), file, limit);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{file}: {stdout}");
        let error = stdout
            .lines()
            .find(|l| l.starts_with(r#"{"type":"error""#))
            .unwrap_or_default();
        assert!(
            error.contains(file) && error.contains(said) && error.contains("POLICYSCAN_PDF_MEMORY"),
            "{file}: {stdout}"
        );
    }
    // With room enough, the same file reads.
    let out = scan(dir.path(), "pages.pdf", "0");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
