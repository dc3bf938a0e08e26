//! policyscan reads documents about AI policy (statutes, bills, op-eds,
//! news, public comments) and reports, per document, which policy themes
//! it discusses and which stance it takes in the open-source AI regulation
//! debate, with the evidence for each call.
//!
//! The flow runs one way:
//!
//! ```text
//! walk ─► read + decode ─► fold ─► scan ─► classify ─► report ─► printer
//! ```
//!
//! - [`rules`] loads, validates and compiles rulesets once into
//!   [`rules::CompiledRules`];
//! - [`text`] turns bytes into a [`text::Document`] (source, folded text,
//!   line index, sentences);
//! - [`scan`] matches the compiled rules against a document;
//! - [`classify`] turns hits into a [`report::DocumentReport`];
//! - [`pipeline`] runs all of that over many inputs in parallel;
//! - [`report`] holds the output contract and the printers.
//!
//! ```
//! use policyscan::{classify, rules, text::{Document, Format}};
//!
//! let rules = rules::load(&[rules::RuleSource::Default]).unwrap();
//! let doc = Document::new("op-ed.txt", Format::Text, "\
//! Restricting the publication of model weights would be a mistake. It would
//! entrench a handful of incumbents, stifle startups and leave researchers
//! and students behind. Open models democratize access and transparency
//! makes them safer."
//!     .to_string());
//! let report = classify::analyze(&rules, &doc, &Default::default());
//! assert_eq!(report.stance.label, policyscan::Stance::ProOpen);
//! ```

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod classify;
pub mod diff;
pub mod eval;
pub mod lsp;
pub mod memory;
pub mod pipeline;
pub mod records;
pub mod report;
pub mod rules;
pub mod ruletest;
pub mod scan;
mod stance;
pub mod stats;
pub mod suggest;
pub mod suppress;
#[cfg(test)]
mod testutil;
pub mod text;
pub mod walk;

pub use stance::Stance;

#[cfg(test)]
mod tests {
    /// Everything shared across scanning threads must be thread-safe.
    #[test]
    fn shared_types_are_send_and_sync() {
        fn assert_all<T: Send + Sync>() {}
        assert_all::<crate::rules::CompiledRules>();
        assert_all::<crate::text::Document>();
        assert_all::<crate::report::DocumentReport>();
        assert_all::<crate::report::RunReport>();
    }
}
