//! The four stances of the open-source AI regulation debate.

use serde::{Deserialize, Serialize};

/// A document's stance in the open-source AI regulation debate.
///
/// The serialized names (`pro-open`, `security-first`, `hybrid`,
/// `neutral`) are part of the output contract.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    /// Openness is a benefit; restrictions on publishing models would
    /// entrench incumbents and weaken security.
    ProOpen,
    /// Open weights cannot be recalled; dual-use risks justify licensing,
    /// testing, liability and limits on release.
    SecurityFirst,
    /// Regulate deployment and high-risk uses rather than publication.
    Hybrid,
    /// No advocacy: statutes, even-handed explainers, or too little signal.
    Neutral,
}

impl Stance {
    /// Every stance, in report order.
    pub const ALL: [Stance; 4] = [
        Stance::ProOpen,
        Stance::SecurityFirst,
        Stance::Hybrid,
        Stance::Neutral,
    ];

    /// The contract name (`pro-open`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::ProOpen => "pro-open",
            Stance::SecurityFirst => "security-first",
            Stance::Hybrid => "hybrid",
            Stance::Neutral => "neutral",
        }
    }

    /// Parses a contract name.
    pub fn parse(name: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Index into [`Stance::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Stance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
