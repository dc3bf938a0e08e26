//! policyscan's integration tests, one module per area, in a single test
//! binary: each integration test file used to be its own binary linking
//! every dependency, which cost a CI machine its disk and minutes of
//! linking (see docs/ARCHITECTURE.md, "Tests").

/// Evidence positions checked against a text (shared with the fuzz
/// targets).
#[path = "../support/positions.rs"]
mod positions;

mod checks;
mod ci_docs;
mod ci_formats;
mod ci_reports;
mod cli;
mod config;
mod default_rules;
mod diff;
mod doc_links;
mod fixtures;
mod formats;
mod html_report;
mod input_formats;
mod properties;
mod quality;
mod readme;
mod records;
mod robustness;
mod sarif;
mod schemas;
mod server;
mod shell;
mod stance;
mod streaming;
mod support;
mod suppress;
