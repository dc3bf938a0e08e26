//! Ruleset errors: every problem names the file, the line and column where
//! the format has them, and the rule.
//!
//! The error type is opaque (a struct with a private kind), as in
//! aho-corasick's `BuildError`: callers format it or ask for its parts, and
//! new kinds of problem can be added without breaking anyone.

use std::fmt;

/// Everything wrong with the rulesets of one run (at least one problem).
#[derive(Debug)]
pub struct Error {
    problems: Vec<Problem>,
}

/// One problem in a ruleset.
#[derive(Debug)]
pub struct Problem {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    rule: Option<String>,
    /// Boxed: keeps `Result<_, Problem>` small on the happy path.
    kind: Box<Kind>,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Read(std::io::Error),
    Syntax(String),
    DuplicateId {
        what: &'static str,
        first: String,
    },
    EmptyKeyword {
        field: &'static str,
    },
    InvalidRegex {
        pattern: String,
        message: String,
    },
    RegexTooBig {
        pattern: String,
        limit: usize,
    },
    UnknownTheme {
        theme: String,
        /// A known theme id close enough to be what was meant.
        near: Option<String>,
    },
    MissingField {
        field: &'static str,
        context: &'static str,
    },
    MisplacedField {
        field: &'static str,
        context: &'static str,
    },
    NoMatchers,
    EmptyGroup,
    BadNumber {
        field: &'static str,
        value: f64,
    },
    BadId(String),
    Empty,
    Automaton(String),
}

impl Error {
    pub(crate) fn new(problems: Vec<Problem>) -> Error {
        debug_assert!(!problems.is_empty());
        Error { problems }
    }

    /// The problems, in file order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl Problem {
    pub(crate) fn new(file: impl Into<String>, kind: Kind) -> Problem {
        Problem {
            file: file.into(),
            line: None,
            column: None,
            rule: None,
            kind: Box::new(kind),
        }
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Problem {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn rule(mut self, id: &str) -> Problem {
        self.rule = Some(id.to_string());
        self
    }

    /// The ruleset file (or `<default>` for the embedded ruleset).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column, when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// The rule, cue or theme id the problem is about, when there is one.
    pub fn rule_id(&self) -> Option<&str> {
        self.rule.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(rule) = &self.rule {
            write!(f, "in `{rule}`: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Read(err) => write!(f, "cannot read ruleset: {err}"),
            Kind::Syntax(msg) => write!(f, "{msg}"),
            Kind::DuplicateId { what, first } => {
                write!(f, "duplicate {what} id (first defined at {first})")
            }
            Kind::EmptyKeyword { field: "message" } => write!(f, "empty `message`"),
            Kind::EmptyKeyword { field } => write!(
                f,
                "empty or whitespace-only entry in `{field}` (hyphens and dashes count as spaces)"
            ),
            Kind::InvalidRegex { pattern, message } => {
                write!(f, "invalid regex `{pattern}`: {message}")
            }
            Kind::RegexTooBig { pattern, limit } => write!(
                f,
                "regex `{pattern}` compiles to more than the size limit of {limit} bytes; \
                 simplify it or split it into several patterns"
            ),
            Kind::UnknownTheme { theme, near } => {
                write!(f, "unknown theme `{theme}`")?;
                match near {
                    Some(near) => write!(f, " (did you mean `{near}`?)"),
                    None => Ok(()),
                }
            }
            Kind::MissingField { field, context } => {
                write!(f, "missing field `{field}` (required {context})")
            }
            Kind::MisplacedField { field, context } => {
                write!(f, "field `{field}` is not allowed {context}")
            }
            Kind::NoMatchers => write!(f, "rule has no `keywords`, no `patterns` and no `all-of`"),
            Kind::EmptyGroup => write!(f, "an `all-of` group is empty; every group needs a term"),
            Kind::BadNumber { field, value } => {
                write!(f, "`{field}` must be a finite number >= 0, not {value}")
            }
            Kind::BadId(id) => write!(
                f,
                "invalid id `{id}`: ids are non-empty and contain no whitespace"
            ),
            Kind::Empty => write!(f, "no themes and no cues: there is nothing to scan for"),
            Kind::Automaton(msg) => write!(f, "cannot build the keyword automaton: {msg}"),
        }
    }
}
