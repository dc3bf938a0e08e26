//! The PDF reader's memory limit. A test binary of its own: it measures
//! the peak memory of this process's children, so no other test may start
//! any here.
#![cfg(target_os = "linux")]

use std::io::Write as _;
use std::process::Command;

/// A one-page PDF whose cross-reference stream inflates to `inflated`
/// bytes: the loader inflates it before any object is read, so no check
/// on streams sees it; only the reader's memory limit bounds it.
fn cross_reference_bomb(inflated: usize) -> Vec<u8> {
    let content = b"BT /F1 12 Tf 50 700 Td (open weights) Tj ET";
    let objects: [Vec<u8>; 5] = [
        b"<</Type/Catalog/Pages 2 0 R>>".to_vec(),
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec(),
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R\
          /Resources<</Font<</F1 5 0 R>>>>>>"
            .to_vec(),
        [
            format!("<</Length {}>>stream\n", content.len()).as_bytes(),
            content,
            b"\nendstream",
        ]
        .concat(),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".to_vec(),
    ];
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
    rows.push(1);
    rows.extend_from_slice(&(xref as u32).to_be_bytes());
    rows.extend_from_slice(&[0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&rows).unwrap();
    let zeros = vec![0u8; 1 << 20];
    let mut left = inflated - rows.len();
    while left > 0 {
        let n = left.min(zeros.len());
        z.write_all(&zeros[..n]).unwrap();
        left -= n;
    }
    let stream = z.finish().unwrap();
    write!(
        pdf,
        "6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length {}/Filter/FlateDecode>>stream\n",
        stream.len()
    )
    .unwrap();
    pdf.extend_from_slice(&stream);
    write!(pdf, "\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").unwrap();
    pdf
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
    std::fs::write(dir.path().join("bomb.pdf"), cross_reference_bomb(1 << 30)).unwrap();
    let scan = |limit: &str| {
        Command::new(env!("CARGO_BIN_EXE_policyscan"))
            .current_dir(dir.path())
            .env("POLICYSCAN_PDF_MEMORY", limit)
            .args(["scan", "--no-config", "--format", "jsonl", "bomb.pdf"])
            .output()
            .unwrap()
    };
    let out = scan("200");
    let peak = children_peak();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The reader's inflating fails at the limit; it then reads the page
    // through the objects themselves.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains(r#""path":"bomb.pdf""#), "{stdout}");
    assert!(peak < 300 * MB, "peak {} MB", peak / MB);

    // A limit that is not a number of megabytes stops the run at once.
    let out = scan("lots");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("POLICYSCAN_PDF_MEMORY=lots: expected a number of megabytes"),
        "{stderr}"
    );
}
