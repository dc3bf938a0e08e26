//! Shell completions and manual pages.

use std::process::Command;

fn policyscan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_policyscan"))
        .args(args)
        .output()
        .unwrap()
}

/// The subcommands `policyscan --help` lists, read from the binary itself.
fn subcommands() -> Vec<String> {
    let help = String::from_utf8(policyscan(&["--help"]).stdout).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

#[test]
fn completions_cover_every_subcommand_and_flag_in_every_shell() {
    let commands = subcommands();
    assert!(commands.len() >= 8, "{commands:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = policyscan(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: {command}");
        }
        // fish spells long flags `-l follow`; the others `--follow`.
        for flag in ["format", "follow", "fail-on", "max-evidence"] {
            assert!(script.contains(flag), "{shell}: {flag}");
        }
    }
    let out = policyscan(&["completions", "nushell"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "unknown shells are usage errors"
    );
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("policyscan.bash");
    std::fs::write(&script, policyscan(&["completions", "bash"]).stdout).unwrap();
    let check = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    // Sourcing it registers the completion function.
    let registered = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p policyscan",
            script.display()
        ))
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&registered.stdout);
    assert!(line.contains("policyscan"), "{registered:?}");
}

#[test]
fn man_prints_a_page_and_writes_one_per_subcommand() {
    let out = policyscan(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH policyscan 1"), "{page}");
    for command in subcommands() {
        assert!(
            page.contains(&format!("policyscan\\-{command}")),
            "{command}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let out = policyscan(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    for command in subcommands() {
        let name = format!("policyscan-{command}.1");
        assert!(written.contains(&name), "{name} not in {written:?}");
    }
    let scan = std::fs::read_to_string(dir.path().join("policyscan-scan.1")).unwrap();
    for flag in ["\\-\\-format", "\\-\\-follow", "\\-\\-output"] {
        assert!(scan.contains(flag), "{flag}");
    }
}

/// On a terminal, a scan that runs for longer than the delay (a second;
/// `POLICYSCAN_PROGRESS_DELAY_MS` here, so the outcome does not hang on the
/// machine's speed) draws a progress bar on stderr; a shorter one draws
/// none; `--quiet` draws none and drops warnings, keeping errors. `script`
/// gives policyscan a pseudo-terminal.
#[test]
fn progress_bar_on_a_terminal_and_quiet_silences_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let text = "We oppose any licensing regime for open-weight models. ".repeat(60);
    for n in 0..100 {
        std::fs::write(docs.join(format!("{n:04}.txt")), &text).unwrap();
    }
    std::fs::write(docs.join("latin1.txt"), b"caf\xe9 open weights\n").unwrap();
    let run = |delay_ms: &str, flags: &str| -> String {
        let transcript = dir.path().join("transcript");
        let command = format!(
            "{} scan -j1 {flags} --format json {} missing.md > /dev/null",
            env!("CARGO_BIN_EXE_policyscan"),
            docs.display()
        );
        let out = Command::new("script")
            .current_dir(dir.path())
            .env("POLICYSCAN_PROGRESS_DELAY_MS", delay_ms)
            .args(["-qec", &command])
            .arg(&transcript)
            .output()
            .unwrap();
        assert!(out.status.code().is_some());
        String::from_utf8_lossy(&std::fs::read(&transcript).unwrap()).into_owned()
    };
    let loud = run("0", "");
    assert!(
        loud.contains("/101 documents"),
        "no progress bar: {loud:.2000}"
    );
    assert!(loud.contains("warning: "), "{loud:.2000}");
    assert!(loud.contains("missing.md: No such file"), "{loud:.2000}");
    let short = run("600000", "");
    assert!(!short.contains("documents"), "{short:.2000}");
    assert!(short.contains("warning: "), "{short:.2000}");
    let quiet = run("0", "--quiet");
    assert!(!quiet.contains("documents"), "{quiet:.2000}");
    assert!(!quiet.contains("warning: "), "{quiet:.2000}");
    assert!(quiet.contains("missing.md: No such file"), "{quiet:.2000}");
}

/// `policyscan server` typed at a prompt says what it is waiting for; fed
/// by an editor (a pipe) it says nothing on stderr.
#[test]
fn the_server_at_a_prompt_says_it_waits_for_an_editor() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = dir.path().join("transcript");
    // The terminal's end of input (Ctrl-D) comes at once: `script` reads
    // it from /dev/null.
    let command = format!(
        "{} --no-config server; echo exit=$?",
        env!("CARGO_BIN_EXE_policyscan")
    );
    let out = Command::new("script")
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .args(["-qec", &command])
        .arg(&transcript)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    let seen = String::from_utf8_lossy(&std::fs::read(&transcript).unwrap()).into_owned();
    assert!(
        seen.contains("speaks the Language Server Protocol") && seen.contains("docs/editors.md"),
        "{seen}"
    );
    let piped = crate::support::run_with_stdin(dir.path(), &["--no-config", "server"], b"");
    assert_eq!(piped.status.code(), Some(1), "ended without shutdown");
    assert!(piped.stderr.is_empty(), "{piped:?}");
}
