//! The pipeline: inputs in, a [`RunReport`] out.
//!
//! Each input is read, decoded and classified independently, in parallel
//! with rayon; results are collected in input order and the report sorts
//! them by path, so the output is the same for any number of threads.
//! A bad input becomes an error or a skipped entry; it never stops the run.

use rayon::prelude::*;

use crate::classify::{self, ClassifyOptions};
use crate::report::{DocumentReport, InputError, RunReport, Skipped};
use crate::rules::CompiledRules;
use crate::text::{Decoded, Document, Format, decode};
use crate::walk::Input;

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// Scanned.
    Report(Box<DocumentReport>),
    /// Deliberately not scanned.
    Skipped(Skipped),
    /// Could not be read.
    Error(InputError),
}

/// Scans every input in parallel (on the current rayon pool) and returns
/// the outcomes in input order.
pub fn scan_inputs(
    rules: &CompiledRules,
    inputs: &[Input],
    options: &ClassifyOptions,
) -> Vec<Outcome> {
    inputs
        .par_iter()
        .map(|input| scan_input(rules, input, options))
        .collect()
}

/// Reads, decodes and classifies one input.
pub fn scan_input(rules: &CompiledRules, input: &Input, options: &ClassifyOptions) -> Outcome {
    let name = input.name();
    let (bytes, format) = match input {
        Input::File { path, format } => match std::fs::read(path) {
            Ok(bytes) => (std::borrow::Cow::Owned(bytes), *format),
            Err(err) => {
                return Outcome::Error(InputError {
                    path: name,
                    message: err.to_string(),
                });
            }
        },
        Input::Bytes { bytes, .. } => (std::borrow::Cow::Borrowed(bytes.as_slice()), Format::Text),
    };
    match decode(&bytes) {
        Decoded::Binary => Outcome::Skipped(Skipped {
            path: name,
            reason: "binary".to_string(),
        }),
        Decoded::Text { text, warnings } => {
            let (directives, text) = crate::suppress::extract(&text);
            let doc = Document::new(name, format, text).with_origin(bytes.len() as u64, warnings);
            let mut report = classify::analyze(rules, &doc, options);
            crate::suppress::apply_inline(rules, &doc, &directives, &mut report);
            Outcome::Report(Box::new(report))
        }
    }
}

/// Builds the run report from outcomes plus errors found while walking.
pub fn assemble(
    rules: &CompiledRules,
    outcomes: Vec<Outcome>,
    mut errors: Vec<InputError>,
) -> RunReport {
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Report(r) => documents.push(*r),
            Outcome::Skipped(s) => skipped.push(s),
            Outcome::Error(e) => errors.push(e),
        }
    }
    let theme_ids: Vec<String> = rules.themes().iter().map(|t| t.id.clone()).collect();
    RunReport::new(
        rules.rulesets().to_vec(),
        &theme_ids,
        documents,
        skipped,
        errors,
    )
}
