//! Helpers shared by the test modules: running the built binary and
//! writing input files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `policyscan`, with the colour variables, GitHub Actions'
/// (which link the Markdown summary to files) and GitLab's project folder
/// (which GitLab Code Quality paths are made relative to) of the caller's
/// environment removed so output does not depend on who runs the tests.
pub(crate) fn policyscan() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_policyscan"));
    for var in GITHUB_VARS
        .iter()
        .chain(&["NO_COLOR", "CLICOLOR_FORCE", "CI_PROJECT_DIR"])
    {
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

/// Runs `policyscan ARGS…` in `dir` with `input` on its standard input.
pub(crate) fn run_with_stdin<S: AsRef<std::ffi::OsStr>>(
    dir: &Path,
    args: &[S],
    input: &[u8],
) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = policyscan()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from a thread: policyscan may answer before reading it all.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    // A run refused before reading its input closes the pipe early.
    if let Err(err) = writer.join().unwrap() {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    out
}

/// Writes `content` to `dir/name`, creating parent folders; returns the path.
pub(crate) fn write(dir: &Path, name: impl AsRef<Path>, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}
