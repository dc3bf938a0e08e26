//! CI conditions: which finished reports should fail a build.
//!
//! For now: `--fail-on-stance LABEL` and `--fail-on-theme ID`. A matched
//! condition makes the run exit 1 (unless an input or rule error already
//! makes it exit 2).

use crate::Stance;
use crate::report::RunReport;

/// Conditions that fail a run when any document meets them.
#[derive(Debug, Clone, Default)]
pub struct FailConditions {
    /// Fail when a document takes one of these stances.
    pub stances: Vec<Stance>,
    /// Fail when one of these themes is present in a document.
    pub themes: Vec<String>,
}

impl FailConditions {
    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        self.stances.is_empty() && self.themes.is_empty()
    }

    /// One line per (document, condition) that matched, in report order.
    pub fn matches(&self, report: &RunReport) -> Vec<String> {
        let mut out = Vec::new();
        for doc in &report.documents {
            if self.stances.contains(&doc.stance.label) {
                out.push(format!("{}: stance is {}", doc.path, doc.stance.label));
            }
            for theme in doc
                .themes
                .iter()
                .filter(|t| t.present && self.themes.contains(&t.id))
            {
                out.push(format!("{}: theme {} is present", doc.path, theme.id));
            }
        }
        out
    }
}
