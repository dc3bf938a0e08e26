//! Input discovery: files, folders and standard input.
//!
//! Folders are walked recursively with ripgrep's walker (the `ignore`
//! crate): hidden files and folders and paths matched by `.gitignore`,
//! `.ignore` and git's exclude files are skipped (also outside a git
//! repository), and `--glob` patterns include or (with a leading `!`)
//! exclude paths. Without an including glob, a walk picks up the formats
//! policyscan reads (`.txt`, `.text`, `.md`, `.markdown`); a file named
//! explicitly is always read, whatever its name.
//!
//! Symbolic links inside folders are not followed unless
//! [`WalkOptions::follow`] is set (ripgrep's `-L`); a link that is not
//! followed is reported as skipped, and with `follow` a link loop or a
//! dangling link is an error. A path named on the command line is always
//! resolved.
//!
//! Nothing is dropped silently: a path that does not exist or cannot be
//! listed becomes an [`InputError`], a link that is not followed a
//! [`Skipped`] entry.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::{Override, OverrideBuilder};

use crate::report::{InputError, Skipped};
use crate::text::Format;

/// One input to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file on disk.
    File {
        /// The path, as found.
        path: PathBuf,
        /// The format its name implies.
        format: Format,
    },
    /// Bytes already in memory (standard input).
    Bytes {
        /// The name to report (`<stdin>`, or what `--stdin-filename`
        /// says).
        name: String,
        /// The format the name implies; [`Format::Text`] lets the
        /// content decide (a PDF header, a Word package, an HTML doctype).
        format: Format,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl Input {
    /// The path or name reported for this input.
    pub fn name(&self) -> String {
        match self {
            Input::File { path, .. } => display(path),
            Input::Bytes { name, .. } => name.clone(),
        }
    }
}

/// How to walk folders.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Include (`*.md`) and exclude (`!drafts/**`) globs, gitignore syntax.
    pub globs: Vec<String>,
    /// Also walk hidden files and folders.
    pub hidden: bool,
    /// Do not respect `.gitignore` and `.ignore` files.
    pub no_ignore: bool,
    /// Follow symbolic links inside folders.
    pub follow: bool,
    /// Skip files larger than this many bytes (named ones too).
    pub max_filesize: Option<u64>,
    /// Paths never walked into, matched from a folder of their own (see
    /// [`exclusions`]): `policyscan.toml`'s `exclude`, relative to the
    /// file's folder whichever folder is walked.
    pub exclude: Option<Override>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Inputs, in walk order (the report sorts by path).
    pub inputs: Vec<Input>,
    /// Symbolic links that were not followed, files over the size limit.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be walked.
    pub errors: Vec<InputError>,
}

/// The [`Skipped::reason`] of a symbolic link that was not followed.
pub const SKIPPED_SYMLINK: &str = "symlink";

/// The [`Skipped::reason`] of a file over [`WalkOptions::max_filesize`].
pub const SKIPPED_TOO_LARGE: &str = "too-large";

/// An invalid `--glob`.
#[derive(Debug)]
pub struct GlobError {
    glob: String,
    message: String,
}

impl std::fmt::Display for GlobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid glob `{}`: {}", self.glob, self.message)
    }
}

impl std::error::Error for GlobError {}

/// Finds the inputs under `paths` (files or folders).
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Result<Walked, GlobError> {
    let mut walked = Walked::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => walked.errors.push(InputError {
                path: display(path),
                message: io_message(path, &err),
            }),
            Ok(meta) if meta.is_dir() => walk_dir(path, options, &mut walked)?,
            Ok(meta) => walked.add_file(
                path.clone(),
                Format::from_path(path).unwrap_or(Format::Text),
                meta.len(),
                options,
            ),
        }
    }
    Ok(walked)
}

fn walk_dir(root: &Path, options: &WalkOptions, walked: &mut Walked) -> Result<(), GlobError> {
    let overrides = overrides(root, &options.globs)?;
    let any_include = options.globs.iter().any(|g| !g.starts_with('!'));
    let mut walker = WalkBuilder::new(root);
    walker
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .git_global(!options.no_ignore)
        .parents(!options.no_ignore)
        .require_git(false)
        .follow_links(options.follow)
        .overrides(overrides)
        .sort_by_file_path(|a, b| a.cmp(b));
    if let Some(exclude) = options.exclude.clone() {
        // Matched as absolute paths, as the exclusions are rooted at
        // their own (absolute) folder; a folder matched is not entered.
        // The folder named on the command line is walked whatever it is.
        let cwd = std::env::current_dir().unwrap_or_default();
        walker.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let path = lexical(&cwd.join(entry.path()));
            entry.depth() == 0
                || !(path.starts_with(exclude.path()) && exclude.matched(&path, is_dir).is_ignore())
        });
    }
    let walker = walker.build();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                let format = match Format::from_path(entry.path()) {
                    Some(format) => format,
                    None if any_include => Format::Text,
                    None => continue,
                };
                // Only stat when there is a limit; a file that cannot be
                // stat'ed is read, and reading reports what is wrong.
                let len = match options.max_filesize {
                    Some(_) => entry.metadata().map_or(0, |m| m.len()),
                    None => 0,
                };
                walked.add_file(entry.into_path(), format, len, options);
            }
            Ok(entry)
                if !options.follow
                    && entry.path_is_symlink()
                    && entry.depth() > 0
                    && (any_include
                        || Format::from_path(entry.path()).is_some()
                        || entry.path().is_dir()) =>
            {
                walked.skipped.push(Skipped {
                    path: display(entry.path()),
                    reason: SKIPPED_SYMLINK.to_string(),
                });
            }
            Ok(_) => {}
            Err(err) => walked.errors.push(walk_error(root, &err)),
        }
    }
    Ok(())
}

impl Walked {
    /// Adds a file of `len` bytes as an input, or as skipped if it is over
    /// the size limit.
    fn add_file(&mut self, path: PathBuf, format: Format, len: u64, options: &WalkOptions) {
        if options.max_filesize.is_some_and(|max| len > max) {
            self.skipped.push(Skipped {
                path: display(&path),
                reason: SKIPPED_TOO_LARGE.to_string(),
            });
        } else {
            self.inputs.push(Input::File { path, format });
        }
    }
}

/// `path` with `.` and `..` taken out by its own components (no
/// symbolic link is read), to compare with a folder's absolute path.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A matcher of the paths under `root` that `globs` exclude (each as
/// `!GLOB` would in a walk from `root`): `policyscan.toml`'s `exclude`,
/// matched from the file's folder by a walk ([`WalkOptions::exclude`])
/// and by the language server, which is given documents one at a time.
pub fn exclusions(root: &Path, globs: &[String]) -> Result<Override, GlobError> {
    let negated: Vec<String> = globs.iter().map(|g| format!("!{g}")).collect();
    overrides(root, &negated).map_err(|mut err| {
        err.glob = err.glob.replace(" !", " ");
        if err.glob.starts_with('!') {
            err.glob.remove(0);
        }
        err.message = err.message.replace("'!", "'");
        err
    })
}

fn overrides(root: &Path, globs: &[String]) -> Result<Override, GlobError> {
    let mut builder = OverrideBuilder::new(root);
    for glob in globs {
        builder.add(glob).map_err(|e| GlobError {
            glob: glob.clone(),
            message: glob_message(&e),
        })?;
    }
    builder.build().map_err(|e| GlobError {
        glob: globs.join(" "),
        message: glob_message(&e),
    })
}

fn glob_message(err: &ignore::Error) -> String {
    err.to_string()
}

/// The path an `ignore` error is about, and its message without it.
fn walk_error(root: &Path, err: &ignore::Error) -> InputError {
    fn dig(err: &ignore::Error) -> (Option<&Path>, String) {
        match err {
            ignore::Error::WithPath { path, err } => (Some(path), dig(err).1),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                dig(err)
            }
            ignore::Error::Loop { child, ancestor } => (
                Some(child),
                format!("symbolic link loop (points back to {})", ancestor.display()),
            ),
            other => (None, other.to_string()),
        }
    }
    let (path, message) = dig(err);
    let path = path.unwrap_or(root);
    let message = match err.io_error() {
        Some(io) => io_message(path, io),
        None => message,
    };
    InputError {
        path: display(path),
        message,
    }
}

/// An I/O error's message, saying so when the path is a dangling link.
fn io_message(path: &Path, err: &std::io::Error) -> String {
    match std::fs::read_link(path) {
        Ok(target) if err.kind() == std::io::ErrorKind::NotFound => format!(
            "dangling symbolic link (points to {}, which does not exist)",
            target.display()
        ),
        _ => {
            // The walker wraps walkdir's error, which repeats the path.
            let message = err.to_string();
            let prefix = format!("IO error for operation on {}: ", path.display());
            match message.strip_prefix(&prefix) {
                Some(rest) => rest.to_string(),
                None => message,
            }
        }
    }
}

/// Paths are reported as given, with `/` separators on every platform
/// and without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(walked: &Walked) -> Vec<String> {
        walked
            .inputs
            .iter()
            .map(|i| i.name().rsplit('/').next().unwrap().to_string())
            .collect()
    }

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        for f in [
            "a.md",
            "b.txt",
            "c.xlsx",
            "sub/d.md",
            "sub/deeper/e.txt",
            ".hidden/f.md",
            "ignored.md",
            ".g.md",
        ] {
            std::fs::write(root.join(f), "text").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored.md\n").unwrap();
        dir
    }

    #[test]
    fn files_over_the_size_limit_are_skipped_named_or_walked() {
        let dir = tree();
        let root = dir.path();
        std::fs::write(root.join("sub/big.md"), "x".repeat(101)).unwrap();
        std::fs::write(root.join("edge.txt"), "x".repeat(100)).unwrap();
        let options = WalkOptions {
            max_filesize: Some(100),
            ..WalkOptions::default()
        };
        let named = root.join("sub/big.md");
        let walked = walk(&[root.to_path_buf(), named], &options).unwrap();
        assert_eq!(
            names(&walked),
            ["a.md", "b.txt", "edge.txt", "d.md", "e.txt"]
        );
        let skipped: Vec<(&str, &str)> = walked
            .skipped
            .iter()
            .map(|s| (s.path.rsplit('/').next().unwrap(), s.reason.as_str()))
            .collect();
        assert_eq!(skipped, [("big.md", SKIPPED_TOO_LARGE); 2]);
        // No limit: all read.
        let walked = walk(&[root.to_path_buf()], &WalkOptions::default()).unwrap();
        assert!(walked.skipped.is_empty());
        assert!(names(&walked).contains(&"big.md".to_string()));
    }

    #[test]
    fn walks_supported_files_skipping_hidden_and_ignored() {
        let dir = tree();
        let walked = walk(&[dir.path().to_path_buf()], &WalkOptions::default()).unwrap();
        assert_eq!(names(&walked), ["a.md", "b.txt", "d.md", "e.txt"]);
    }

    #[test]
    fn hidden_and_no_ignore_widen_the_walk() {
        let dir = tree();
        let options = WalkOptions {
            hidden: true,
            no_ignore: true,
            ..WalkOptions::default()
        };
        let walked = walk(&[dir.path().to_path_buf()], &options).unwrap();
        assert_eq!(
            names(&walked),
            [
                ".g.md",
                "f.md",
                "a.md",
                "b.txt",
                "ignored.md",
                "d.md",
                "e.txt"
            ]
        );
    }

    #[test]
    fn globs_include_and_exclude() {
        let dir = tree();
        let only_xlsx = WalkOptions {
            globs: vec!["*.xlsx".into()],
            ..WalkOptions::default()
        };
        assert_eq!(
            names(&walk(&[dir.path().to_path_buf()], &only_xlsx).unwrap()),
            ["c.xlsx"]
        );
        let no_sub = WalkOptions {
            globs: vec!["!sub/".into()],
            ..WalkOptions::default()
        };
        assert_eq!(
            names(&walk(&[dir.path().to_path_buf()], &no_sub).unwrap()),
            ["a.md", "b.txt"]
        );
    }

    #[test]
    fn explicit_files_are_always_read_and_missing_paths_are_errors() {
        let dir = tree();
        let paths = [dir.path().join("c.xlsx"), dir.path().join("nope.md")];
        let walked = walk(&paths, &WalkOptions::default()).unwrap();
        assert_eq!(names(&walked), ["c.xlsx"]);
        assert_eq!(walked.errors.len(), 1);
        assert!(walked.errors[0].path.ends_with("nope.md"));
    }

    #[test]
    fn invalid_globs_are_errors() {
        let options = WalkOptions {
            globs: vec!["a[".into()],
            ..WalkOptions::default()
        };
        let err = walk(&[PathBuf::from(".")], &options).unwrap_err();
        assert!(err.to_string().contains("a["), "{err}");
    }
}
