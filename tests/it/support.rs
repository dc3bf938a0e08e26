//! Helpers shared by the test modules: running the built binary and
//! writing input files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `policyscan`, with the colour variables and GitHub Actions'
/// (which link the Markdown summary to files) of the caller's environment
/// removed so output does not depend on who runs the tests.
pub(crate) fn policyscan() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policyscan"));
    for var in GITHUB_VARS.iter().chain(&["NO_COLOR", "CLICOLOR_FORCE"]) {
        cmd.env_remove(var);
    }
    cmd
}

/// What `SourceLinks::from_github_env` reads.
pub(crate) const GITHUB_VARS: [&str; 4] = [
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
    "GITHUB_WORKSPACE",
];

/// Runs `policyscan ARGS…` in `dir` and waits for it.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    policyscan().current_dir(dir).args(args).output().unwrap()
}

/// Writes `content` to `dir/name`, creating parent folders; returns the path.
pub(crate) fn write(dir: &Path, name: impl AsRef<Path>, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}
