//! Record mode: `scan --input jsonl` reads `{"id", "text", …}` lines and
//! writes one result line per record, in input order, passing other
//! fields through; a bad record gets an error line and the stream goes on.

use std::process::{Command, Output};

use serde_json::{Value, json};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    crate::support::run_with_stdin(std::path::Path::new("."), args, stdin)
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The lines of a run that must have exited 0.
fn clean_lines(out: &Output) -> Vec<Value> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines(out)
}

const TEXTS: [&str; 3] = [
    "We oppose any licensing regime for open-weight models.",
    "Frontier weights should be treated like the sensitive technology they are.",
    "The committee met on Tuesday to discuss the budget.",
];

#[test]
fn records_come_out_in_order_with_their_ids_and_fields() {
    let mut input = String::new();
    for n in 0..1500 {
        let record = json!({"id": format!("r{n}"), "month": n % 12, "text": TEXTS[n % 3]});
        input.push_str(&format!("{record}\n"));
    }
    let one = run(&["scan", "--input", "jsonl", "-j1", "-"], input.as_bytes());
    let records = clean_lines(&one);
    assert_eq!(records.len(), 1500);
    for (n, record) in records.iter().enumerate() {
        assert_eq!(record["id"], format!("r{n}"));
        assert_eq!(record["month"], n % 12);
        assert_eq!(record["report"]["path"], format!("r{n}"));
    }
    let stances: Vec<&str> = records[..3]
        .iter()
        .map(|r| r["report"]["stance"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(stances, ["pro-open", "security-first", "neutral"]);
    // The same bytes for any thread count.
    let two = run(&["scan", "--input", "jsonl", "-j2", "-"], input.as_bytes());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn a_record_gets_the_same_report_as_the_same_text_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("doc.txt"), TEXTS[1]).unwrap();
    let file = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .current_dir(dir.path())
        .args(["scan", "--format", "json", "doc.txt"])
        .output()
        .unwrap();
    let file: Value = serde_json::from_slice(&file.stdout).unwrap();
    let record = json!({"id": "doc.txt", "text": TEXTS[1]}).to_string();
    let out = run(&["scan", "--input", "jsonl", "-"], record.as_bytes());
    let mut from_file = file["documents"][0].clone();
    let mut from_record = lines(&out)[0]["report"].clone();
    // Only the format differs: a file named .txt is `text`, and so is a record.
    from_file["format"] = Value::Null;
    from_record["format"] = Value::Null;
    assert_eq!(from_record, from_file);
}

#[test]
fn bad_records_get_error_lines_and_the_stream_goes_on() {
    let input = concat!(
        "{\"id\": 1, \"text\": \"We oppose any licensing regime for open-weight models.\"}\n",
        "not json\n",
        "\n",
        "[1, 2]\n",
        "{\"text\": \"no id\"}\n",
        "{\"id\": \"x\"}\n",
        "{\"id\": \"y\", \"text\": 5}\n",
        "{\"id\": {\"a\": 1}, \"text\": \"t\"}\n",
        "{\"id\": \"z\", \"text\": \"t\", \"report\": 1}\n",
        "{\"id\": \"latin1\", \"text\": \"caf\u{fffd}\"}\n",
        "{\"id\": \"last\", \"text\": \"The committee met.\"}\r\n",
    );
    // Line 10 is not UTF-8 (a Latin-1 é): it costs its record, not the
    // stream.
    let input = input.replace('\u{fffd}', "\u{1}").into_bytes();
    let input: Vec<u8> = input
        .iter()
        .map(|&b| if b == 1 { 0xE9 } else { b })
        .collect();
    let out = run(&["scan", "--input", "jsonl", "-"], &input);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("8 of 10 records could not be scanned"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
    let records = lines(&out);
    let errors: Vec<(Value, Value, String)> = records
        .iter()
        .filter(|r| r.get("error").is_some())
        .map(|r| {
            let message = r["error"].as_str().unwrap();
            let head = message.split(':').next().unwrap().to_string();
            (
                r["line"].clone(),
                r.get("id").cloned().unwrap_or(Value::Null),
                head,
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (json!(2), Value::Null, "invalid JSON".to_string()),
            (
                json!(4),
                Value::Null,
                "a record must be a JSON object".into()
            ),
            (json!(5), Value::Null, "missing `id`".into()),
            (json!(6), json!("x"), "missing `text`".into()),
            (json!(7), json!("y"), "`text` must be a string".into()),
            (
                json!(8),
                Value::Null,
                "`id` must be a string, number or boolean".into()
            ),
            (
                json!(9),
                json!("z"),
                "`report` is reserved for the result".into()
            ),
            (
                json!(10),
                Value::Null,
                "the line is not valid UTF-8 (at byte 29), so not JSON".into()
            ),
        ]
    );
    assert_eq!(records.first().unwrap()["id"], 1);
    assert_eq!(records.last().unwrap()["id"], "last");
    assert_eq!(records.len(), 10, "one line per non-blank input line");
}

/// `--stats` counts records as documents and times them like files; the
/// result lines are the same with and without it.
#[test]
fn stats_cover_record_mode_and_leave_the_lines_alone() {
    let mut input = String::new();
    for n in 0..7 {
        input.push_str(&format!("{}\n", json!({"id": n, "text": TEXTS[n % 3]})));
    }
    input.push_str("not json\n");
    let plain = run(&["scan", "--input", "jsonl", "-"], input.as_bytes());
    let with_stats = run(
        &["scan", "--input", "jsonl", "--stats", "-"],
        input.as_bytes(),
    );
    assert_eq!(
        with_stats.status.code(),
        Some(2),
        "the bad line still counts"
    );
    assert_eq!(plain.stdout, with_stats.stdout);
    let stderr = String::from_utf8(with_stats.stderr).unwrap();
    let bytes: usize = (0..7).map(|n| TEXTS[n % 3].len()).sum();
    assert!(
        stderr.contains(&format!("documents  7 ({:.1} MB)", bytes as f64 / 1e6)),
        "{stderr}"
    );
    for line in [
        "  loading ",
        "    read ",
        "    extract ",
        "    match ",
        "    classify ",
        "    output ",
    ] {
        assert!(stderr.contains(line), "{line}: {stderr}");
    }
}

/// Options that record mode cannot honour are refused, naming each,
/// instead of being ignored (an `--output` file that never appears, a
/// `--fail-on-stance` that never fails).
#[test]
fn options_record_mode_cannot_honour_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("out.sarif");
    let output = format!("sarif:{}", sarif.display());
    let input = format!("{}\n", json!({"id": 1, "text": TEXTS[0]}));
    let cases: [(&[&str], &str); 3] = [
        (&["--output", &output], "--output does not apply"),
        (
            &[
                "--format",
                "sarif",
                "--fail-on-stance",
                "pro-open",
                "-g",
                "*.md",
            ],
            "--format, --glob, --fail-on-stance do not apply",
        ),
        (
            &["--baseline", "b.json", "--fail-on", "info"],
            "--fail-on, --baseline do not apply",
        ),
    ];
    for (extra, message) in cases {
        let args = [&["scan", "--input", "jsonl"][..], extra, &["-"]].concat();
        let out = run(&args, input.as_bytes());
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        assert!(out.stdout.is_empty(), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
    }
    assert!(!sarif.exists());
    // What record mode writes anyway may be named.
    for format in ["json", "jsonl"] {
        let out = run(
            &["scan", "--input", "jsonl", "-f", format, "-"],
            input.as_bytes(),
        );
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(lines(&out).len(), 1);
    }
}

/// A docket exported from a spreadsheet: `;`-separated (a European
/// locale's Excel), a byte order mark, CRLF line ends, a comment over two
/// lines, its id and text in columns named by the export.
fn docket(rows: usize) -> String {
    let mut table = String::from("\u{feff}Document ID;Organization;Comment\r\n");
    for n in 0..rows {
        let text = if n % 4 == 3 {
            format!(
                "\"{}\r\nSecond paragraph; with \"\"quotes\"\".\"",
                TEXTS[n % 3]
            )
        } else {
            TEXTS[n % 3].to_string()
        };
        table.push_str(&format!("D-{n};Org {};{text}\r\n", n % 5));
    }
    table
}

#[test]
fn table_rows_are_records_in_order_with_their_columns() {
    let table = docket(1500);
    let args = [
        "scan",
        "--input",
        "csv",
        "--id-field",
        "document id",
        "--text-field",
        "Comment",
    ];
    let one = run(&[&args[..], &["-j1", "-"]].concat(), table.as_bytes());
    let records = clean_lines(&one);
    assert_eq!(records.len(), 1500);
    for (n, record) in records.iter().enumerate() {
        assert_eq!(record["Document ID"], format!("D-{n}"));
        assert_eq!(record["Organization"], format!("Org {}", n % 5));
        assert_eq!(record["report"]["path"], format!("D-{n}"));
        assert!(record.get("Comment").is_none(), "the text is not echoed");
        let lines = if n % 4 == 3 { 2 } else { 1 };
        assert_eq!(record["report"]["lines"], lines, "row {n}");
    }
    let stances: Vec<&str> = records[..3]
        .iter()
        .map(|r| r["report"]["stance"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(stances, ["pro-open", "security-first", "neutral"]);
    let two = run(&[&args[..], &["-j2", "-"]].concat(), table.as_bytes());
    assert_eq!(one.stdout, two.stdout);

    // A row's report is the report of the same text as a JSON record.
    let record = json!({"id": "D-1", "text": TEXTS[1]}).to_string();
    let from_jsonl = lines(&run(&["scan", "--input", "jsonl", "-"], record.as_bytes()));
    assert_eq!(records[1]["report"], from_jsonl[0]["report"]);

    // Tab-separated and comma-separated files read the same, as files too.
    let dir = tempfile::tempdir().unwrap();
    let tsv = "id\ttext\tmonth\nk1\tWe oppose any licensing regime for open-weight models.\t3\n";
    std::fs::write(dir.path().join("a.tsv"), tsv).unwrap();
    std::fs::write(dir.path().join("b.csv"), tsv.replace('\t', ",")).unwrap();
    let out = crate::support::run_with_stdin(
        dir.path(),
        &["scan", "--input", "csv", "a.tsv", "b.csv"],
        b"",
    );
    let both = lines(&out);
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], both[1]);
    assert_eq!(both[0]["month"], "3");
    assert_eq!(both[0]["report"]["stance"]["label"], "pro-open");
}

#[test]
fn bad_rows_get_error_lines_and_a_bad_table_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252, as Excel's "CSV" writes on Windows: é is one byte.
    let mut good = b"id,text,author\r\n".to_vec();
    good.extend_from_slice(b"r1,\"Open weights, \x93we\x94 say.\",Ren\xe9e\r\n");
    good.extend_from_slice(b"r2,a row cut short\r\n");
    good.extend_from_slice(b",no id here,X\r\n");
    good.extend_from_slice(b"r4,\"a quote left open,Y\r\nr5,lost,Z\r\n");
    std::fs::write(dir.path().join("good.csv"), good).unwrap();
    std::fs::write(dir.path().join("bad.csv"), "id,body\r\nr1,text\r\n").unwrap();
    let out = crate::support::run_with_stdin(
        dir.path(),
        &[
            "scan",
            "--input",
            "csv",
            "bad.csv",
            "missing.csv",
            ".",
            "good.csv",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(
            "bad.csv: no column named `text` in the header (its columns: `id`, `body`); \
             name the text column with --text-field"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 of 4 records could not be scanned"),
        "{stderr}"
    );
    let records = lines(&out);
    let summary: Vec<Value> = records
        .iter()
        .map(|r| {
            json!([
                r.get("path"),
                r.get("line"),
                r.get("id"),
                r.get("error").is_some()
            ])
        })
        .collect();
    assert_eq!(
        summary,
        [
            json!(["bad.csv", null, null, true]),
            json!(["missing.csv", null, null, true]),
            json!([".", null, null, true]),
            json!([null, null, "r1", false]),
            json!([null, 3, "r2", true]),
            json!([null, 4, null, true]),
            json!([null, 5, "r4", true]),
        ]
    );
    assert!(
        records[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("a folder: record mode reads files"),
    );
    // Every other field is read as Windows-1252; the text too, with a
    // warning on its report.
    assert_eq!(records[3]["author"], "Renée");
    let report = &records[3]["report"];
    assert_eq!(report["lines"], 1);
    assert!(
        report["warnings"][0]
            .as_str()
            .unwrap()
            .contains("read as Windows-1252"),
        "{report}"
    );
    assert!(
        records[4]["error"]
            .as_str()
            .unwrap()
            .starts_with("the row has 2 fields and the header 3 fields"),
    );
    assert_eq!(records[5]["error"], "the `id` field is empty");
}

#[test]
fn field_names_apply_to_json_lines_and_only_to_records() {
    let input = format!(
        "{}\n{}\n",
        json!({"comment_id": "c1", "body": TEXTS[0], "id": "kept"}),
        json!({"comment_id": "c2"}),
    );
    let args = [
        "scan",
        "--input",
        "jsonl",
        "--id-field",
        "comment_id",
        "--text-field",
        "body",
        "-",
    ];
    let out = run(&args, input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let records = lines(&out);
    assert_eq!(records[0]["comment_id"], "c1");
    assert_eq!(records[0]["id"], "kept", "another `id` is passed through");
    assert_eq!(records[0]["report"]["path"], "c1");
    assert_eq!(
        records[1],
        json!({"comment_id": "c2", "line": 2, "error": "missing `body`"})
    );
    // Scanning files, the flags would do nothing: refused.
    let out = run(&["scan", "--text-field", "body", "-"], b"text");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--text-field only applies with --input jsonl or --input csv"),
    );
    // And record mode names its own mode when it refuses an option.
    let out = run(&["scan", "--input", "csv", "-g", "*.md", "-"], b"id,text\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input csv writes one JSON line"),);
}

/// A table or JSON Lines file scanned as files is one document; its
/// report says how to scan the records instead.
#[test]
fn a_table_scanned_as_a_file_says_how_to_scan_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("docket.csv"), docket(3)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), TEXTS[0]).unwrap();
    let out = crate::support::run_with_stdin(
        dir.path(),
        &["scan", "--format", "json", "docket.csv", "notes.txt"],
        b"",
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings: Vec<Value> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["warnings"].clone())
        .collect();
    assert_eq!(
        warnings,
        [
            json!([
                "read as one document; to scan each record (row or line) on its own, use --input csv"
            ]),
            Value::Null
        ]
    );
    // A workbook is skipped as binary, with the way to read it.
    let out = run(&["scan", "tests/data/xlsx/docket.xlsx"], b"");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "skipped tests/data/xlsx/docket.xlsx: binary file (a workbook: --input csv reads"
        ),
        "{out:?}"
    );
}

/// Scans a docket export: its id and text columns as the export names them.
const DOCKET_ARGS: [&str; 7] = [
    "scan",
    "--input",
    "csv",
    "--id-field",
    "Document ID",
    "--text-field",
    "Comment",
];

#[test]
fn a_docket_file_reads_a_comment_a_row() {
    // The same docket as LibreOffice Calc saves it in workbooks.
    for docket in [
        "tests/data/csv/docket.csv",
        "tests/data/xlsx/docket.xlsx",
        "tests/data/ods/docket.ods",
    ] {
        let out = run(&[&DOCKET_ARGS[..], &[docket]].concat(), b"");
        let got: Vec<Value> = clean_lines(&out)
            .iter()
            .map(|r| {
                json!([
                    r["Document ID"],
                    r["Organization Name"],
                    r["report"]["stance"]["label"],
                    r["report"]["lines"]
                ])
            })
            .collect();
        assert_eq!(
            got,
            [
                json!(["DOC-0001", "Riverside Makers Guild", "pro-open", 1]),
                json!(["DOC-0002", "", "security-first", 1]),
                json!(["DOC-0003", "County Library Board", "neutral", 2]),
            ],
            "{docket}"
        );
    }
    let out = run(
        &["scan", "--input", "csv", "tests/data/csv/semicolon.csv"],
        b"",
    );
    let ids: Vec<Value> = clean_lines(&out)
        .iter()
        .map(|r| json!([r["id"], r["date"]]))
        .collect();
    assert_eq!(
        ids,
        [json!(["c1", "2026-05-01"]), json!(["c2", "2026-05-02"])]
    );
}

/// `--input csv --format csv`: the docket comes back as a table, each row
/// its columns (but the text), its line, and what its JSON report says.
#[test]
fn a_table_in_gives_a_table_out() {
    let mut table = docket(40);
    table.push_str("D-40;=SUM(A1);Open weights.\r\nD-41;a row cut short\r\n");
    table = table.replace("Organization", "status");
    let args = [&DOCKET_ARGS[..], &["-"]].concat();
    let as_json = lines(&run(&args, table.as_bytes()));
    let out = run(
        &[&args[..], &["--format", "csv"]].concat(),
        table.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2), "the last row is an error");
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        [
            "Document ID",
            "status",
            "line",
            "policyscan:status",
            "format"
        ],
        "the input's columns, then ours; a name the input has is prefixed"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 42);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, json) in rows[..40].iter().zip(&as_json) {
        assert_eq!(row[at("Document ID")], json["Document ID"]);
        assert_eq!(row[at("status")], json["status"]);
        assert_eq!(&row[at("policyscan:status")], "scanned");
        assert_eq!(row[at("stance")], json["report"]["stance"]["label"]);
        assert_eq!(
            row[at("confidence")].parse::<f64>().unwrap(),
            json["report"]["stance"]["confidence"]
        );
        for theme in json["report"]["themes"].as_array().unwrap() {
            let column = format!("theme:{}", theme["id"].as_str().unwrap());
            assert_eq!(row[at(&column)].parse::<f64>().unwrap(), theme["score"]);
        }
    }
    // Rows over two lines: the line each starts on.
    let starts: Vec<&str> = rows[..5].iter().map(|r| &r[at("line")]).collect();
    assert_eq!(starts, ["2", "3", "4", "5", "7"]);
    // A cell a spreadsheet would run as a formula is shown as text.
    assert_eq!(&rows[40][at("status")], "'=SUM(A1)");
    let last = &rows[41];
    assert_eq!(&last[at("Document ID")], "D-41");
    assert_eq!(&last[at("status")], "", "an error row has no input fields");
    assert_eq!(&last[at("policyscan:status")], "error");
    assert!(last[at("message")].starts_with("the row has 2 fields"));
}

/// `--input mbox`: each message of a mailbox is a record, read as the
/// same message saved as an `.eml` file is.
#[test]
fn a_mailbox_is_a_record_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir("corpus/holdout22")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 8);
    // As a mail program appends them: a separator line, the message with
    // its `From ` lines quoted, a blank line.
    let mut mbox = String::new();
    for path in &paths {
        mbox.push_str("From policy@example.org Mon Mar  2 09:00:00 2026\n");
        for line in std::fs::read_to_string(path).unwrap().lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                mbox.push('>');
            }
            mbox.push_str(line);
            mbox.push('\n');
        }
        mbox.push('\n');
    }
    std::fs::write(dir.path().join("box.mbox"), &mbox).unwrap();
    let run_here = |args: &[&str]| crate::support::run_with_stdin(dir.path(), args, b"");
    let records = clean_lines(&run_here(&["scan", "--input", "mbox", "box.mbox"]));
    assert_eq!(records.len(), paths.len());
    let files = Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .args(["scan", "--format", "json"])
        .args(&paths)
        .output()
        .unwrap();
    let files: Value = serde_json::from_slice(&files.stdout).unwrap();
    for (n, (record, file)) in records
        .iter()
        .zip(files["documents"].as_array().unwrap())
        .enumerate()
    {
        assert_eq!(record["id"], format!("box.mbox#{}", n + 1));
        let report = &record["report"];
        assert_eq!(report["format"], "eml");
        assert_eq!(
            report["stance"]["label"], file["stance"]["label"],
            "{}",
            file["path"]
        );
        assert_eq!(report["stance"]["scores"], file["stance"]["scores"]);
        let scores = |doc: &Value| -> Vec<Value> {
            doc["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["score"].clone())
                .collect()
        };
        assert_eq!(scores(report), scores(file), "{}", file["path"]);
        assert!(!record["from"].as_str().unwrap().is_empty());
        assert!(!record["subject"].as_str().unwrap().starts_with(' '));
    }
    // As a table: the message's fields, its line, the results.
    let out = run_here(&["scan", "--input", "mbox", "--format", "csv", "box.mbox"]);
    let mut table = csv::Reader::from_reader(&out.stdout[..]);
    let header: Vec<String> = table.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..8],
        [
            "id",
            "message_id",
            "from",
            "to",
            "date",
            "subject",
            "line",
            "status"
        ]
    );
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), paths.len());
    assert_eq!(&rows[0][6], "1");
    let second = 1
        + mbox
            .lines()
            .skip(1)
            .position(|l| l.starts_with("From policy@"))
            .unwrap()
        + 1;
    assert_eq!(rows[1][6], second.to_string());
    // A mailbox has no fields to name.
    let out = run_here(&["scan", "--input", "mbox", "--id-field", "x", "box.mbox"]);
    assert_eq!(out.status.code(), Some(2));
    // Scanned as a file, a mailbox says how to read its messages.
    let out = run_here(&["scan", "--format", "json", "box.mbox"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["documents"][0]["warnings"]
            .to_string()
            .contains("use --input mbox")
    );
}

/// A workbook's dates (serial numbers under a date format) and numbers
/// come out as the CSV it was made from wrote them.
#[test]
fn a_workbook_reads_as_the_table_it_was_made_from() {
    let read = |path: &str| -> Vec<Value> {
        clean_lines(&run(&["scan", "--input", "csv", path], b""))
            .into_iter()
            .map(|mut r| {
                r["report"]["bytes"] = Value::Null;
                r
            })
            .collect()
    };
    let from_csv = read("tests/data/csv/dated.csv");
    assert_eq!(from_csv.len(), 2);
    for sheet in ["tests/data/xlsx/dated.xlsx", "tests/data/ods/dated.ods"] {
        let from_sheet = read(sheet);
        assert_eq!(from_sheet, from_csv, "{sheet}");
        assert_eq!(from_sheet[0]["posted"], "2026-03-01");
        assert_eq!(from_sheet[1]["count"], "4.5");
    }
}
