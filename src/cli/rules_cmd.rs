//! `policyscan rules list | show | schema`.

use std::io::{self, Write};

use anyhow::{Result, bail};
use serde_json::json;

use super::args::{ListFormat, RulesListArgs, RulesSchemaArgs, RulesShowArgs};
use super::{config::Config, exit, load_rules};
use policyscan::rules::{self, Check, CompiledRules, Example, Origin, Owner, Rule, Theme};

/// One line of `rules list`.
struct Entry {
    kind: &'static str,
    id: String,
    owner: String,
    weight: String,
    matchers: String,
    about: String,
}

/// Where `policyscan.toml` disables the check `id`, if it does:
/// "policyscan.toml:4".
fn disabled_by(config: &Config, id: &str) -> Option<String> {
    if !config.disable_checks.value.iter().any(|c| c == id) {
        return None;
    }
    let path = config.path.as_deref()?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = path
        .strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string();
    Some(match config.disable_checks.line {
        Some(line) => format!("{file}:{line}"),
        None => file,
    })
}

fn entries(rules: &CompiledRules, config: &Config) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (index, theme) in rules.themes().iter().enumerate() {
        let count = rules
            .rules()
            .iter()
            .filter(|r| r.owner == Owner::Theme(index))
            .count();
        entries.push(Entry {
            kind: "theme",
            id: theme.id.clone(),
            owner: String::new(),
            weight: format!("≥{}", theme.threshold),
            matchers: plural(count, "rule"),
            about: theme.title.clone(),
        });
        for rule in rules
            .rules()
            .iter()
            .filter(|r| r.owner == Owner::Theme(index))
        {
            entries.push(rule_entry(rules, "rule", rule));
        }
    }
    for rule in rules.rules() {
        if let Owner::Stance(_) = rule.owner {
            entries.push(rule_entry(rules, "cue", rule));
        }
    }
    for check in rules.checks() {
        entries.push(Entry {
            kind: "check",
            id: check.id.clone(),
            owner: check.severity.as_str().to_string(),
            weight: String::new(),
            matchers: disabled_by(config, &check.id)
                .map_or(String::new(), |at| format!("disabled in {at}")),
            about: check.message.clone(),
        });
    }
    entries
}

fn rule_entry(rules: &CompiledRules, kind: &'static str, rule: &Rule) -> Entry {
    let mut matchers = Vec::new();
    if !rule.keywords.is_empty() {
        matchers.push(plural(rule.keywords.len(), "keyword"));
    }
    if !rule.regexes.is_empty() {
        matchers.push(plural(rule.regexes.len(), "pattern"));
    }
    if !rule.all_of.is_empty() {
        matchers.push(format!("all-of {}", rule.all_of.len()));
    }
    Entry {
        kind,
        id: rule.id.clone(),
        owner: owner_name(rules, rule.owner),
        weight: rule.weight.to_string(),
        matchers: matchers.join(", "),
        about: rule.description.clone().unwrap_or_default(),
    }
}

fn owner_name(rules: &CompiledRules, owner: Owner) -> String {
    match owner {
        Owner::Theme(i) => rules.themes()[i].id.clone(),
        Owner::Stance(stance) => stance.as_str().to_string(),
    }
}

pub(super) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

pub(crate) fn run_list(args: &RulesListArgs, config: &Config) -> Result<i32> {
    let rules = load_rules(&args.rules.rules)?;
    let entries = entries(&rules, config);
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = entries
                .iter()
                .map(|e| {
                    json!({
                        "kind": e.kind,
                        "id": e.id,
                        "owner": e.owner,
                        "weight": e.weight,
                        "matchers": e.matchers,
                        "about": e.about,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        }
        ListFormat::Text => {
            let width = |f: fn(&Entry) -> usize| entries.iter().map(f).max().unwrap_or(0);
            let (id_w, owner_w, weight_w, matchers_w) = (
                width(|e| e.id.chars().count()),
                width(|e| e.owner.chars().count()),
                width(|e| e.weight.chars().count()),
                width(|e| e.matchers.chars().count()),
            );
            for e in &entries {
                let line = format!(
                    "{:<5}  {:<id_w$}  {:<owner_w$}  {:<weight_w$}  {:<matchers_w$}  {}",
                    e.kind, e.id, e.owner, e.weight, e.matchers, e.about
                );
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

pub(crate) fn run_show(args: &RulesShowArgs, config: &Config) -> Result<i32> {
    let rules = load_rules(&args.rules)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if let Some((index, theme)) = rules
        .themes()
        .iter()
        .enumerate()
        .find(|(_, t)| t.id == args.id)
    {
        show_theme(&mut out, &rules, index, theme)?;
    } else if let Some(rule) = rules.rules().iter().find(|r| r.id == args.id) {
        show_rule(&mut out, &rules, rule)?;
    } else if let Some(check) = rules.checks().iter().find(|c| c.id == args.id) {
        show_check(&mut out, &rules, check)?;
        if let Some(at) = disabled_by(config, &check.id) {
            writeln!(out, "  disabled: `checks.disable` in {at} turns it off")?;
        }
    } else {
        match rules::suggest_id(&rules, &args.id) {
            Some(near) => bail!(
                "no theme, rule, cue or check `{}` (did you mean `{near}`?)",
                args.id
            ),
            None => bail!(
                "no theme, rule, cue or check `{}` (`policyscan rules list` lists them)",
                args.id
            ),
        }
    }
    out.flush()?;
    Ok(exit::CLEAN)
}

/// Where a rule is defined: `file:line:column`, as far as it is known.
pub(super) fn origin(origin: &Origin) -> String {
    match (origin.line, origin.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", origin.file),
        (Some(line), None) => format!("{}:{line}", origin.file),
        _ => origin.file.clone(),
    }
}

fn show_theme(
    out: &mut impl Write,
    rules: &CompiledRules,
    index: usize,
    theme: &Theme,
) -> io::Result<()> {
    writeln!(out, "theme {}: {}", theme.id, theme.title)?;
    if !theme.description.is_empty() {
        writeln!(out, "  {}", theme.description)?;
    }
    writeln!(
        out,
        "  present when the best ~400-word stretch scores ≥ {} with ≥ {}",
        theme.threshold,
        plural(theme.min_rules, "distinct rule")
    )?;
    writeln!(out, "  rules:")?;
    for rule in rules
        .rules()
        .iter()
        .filter(|r| r.owner == Owner::Theme(index))
    {
        let line = format!("    {} (weight {})", rule.id, rule.weight);
        match rule.description.as_deref() {
            Some(about) => writeln!(out, "{line} {about}")?,
            None => writeln!(out, "{line}")?,
        }
    }
    let checks: Vec<&str> = rules
        .checks()
        .iter()
        .filter(|c| {
            c.all_present.contains(&index)
                || c.any_present.contains(&index)
                || c.none_present.contains(&index)
        })
        .map(|c| c.id.as_str())
        .collect();
    if !checks.is_empty() {
        writeln!(out, "  checks that use it: {}", checks.join(", "))?;
    }
    Ok(())
}

fn show_rule(out: &mut impl Write, rules: &CompiledRules, rule: &Rule) -> io::Result<()> {
    let kind = match rule.owner {
        Owner::Theme(_) => "rule",
        Owner::Stance(_) => "cue",
    };
    writeln!(
        out,
        "{kind} {} → {}",
        rule.id,
        owner_name(rules, rule.owner)
    )?;
    writeln!(out, "  defined at {}", origin(&rule.origin))?;
    if let Some(description) = &rule.description {
        writeln!(out, "  {description}")?;
    }
    writeln!(
        out,
        "  weight {}; {}; {}; exclusions in the {}{}",
        rule.weight,
        if rule.case_sensitive {
            "case-sensitive"
        } else {
            "any case"
        },
        if rule.whole_word {
            "whole words"
        } else {
            "inside words too"
        },
        match rule.exclude_scope {
            rules::ExcludeScope::Overlap => "overlapping text",
            rules::ExcludeScope::Sentence => "sentence",
        },
        if rule.gated { "; patterns gated" } else { "" },
    )?;
    if !rule.keywords.is_empty() {
        writeln!(
            out,
            "  keywords ({}): {}",
            rule.keywords.len(),
            rule.keywords.join(", ")
        )?;
    }
    for regex in &rule.regexes {
        writeln!(out, "  pattern: {}", regex.as_str())?;
    }
    if !rule.all_of.is_empty() {
        let groups: Vec<String> = rule
            .all_of
            .iter()
            .map(|g| format!("[{}]", g.join(", ")))
            .collect();
        writeln!(
            out,
            "  all-of (one term of each, in one sentence): {}",
            groups.join(" + ")
        )?;
    }
    examples(out, "examples (must match)", &rule.examples)?;
    examples(
        out,
        "counterexamples (must not match)",
        &rule.counterexamples,
    )
}

fn examples(out: &mut impl Write, title: &str, examples: &[Example]) -> io::Result<()> {
    if examples.is_empty() {
        return Ok(());
    }
    writeln!(out, "  {title}:")?;
    for example in examples {
        writeln!(out, "    {}", example.text)?;
    }
    Ok(())
}

fn show_check(out: &mut impl Write, rules: &CompiledRules, check: &Check) -> io::Result<()> {
    let themes = |ids: &[usize]| -> String {
        ids.iter()
            .map(|&i| rules.themes()[i].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "check {} ({})", check.id, check.severity.as_str())?;
    writeln!(out, "  defined at {}", origin(&check.origin))?;
    writeln!(out, "  message: {}", check.message)?;
    if let Some(help) = &check.help {
        writeln!(out, "  help: {help}")?;
    }
    if let Some(description) = &check.description {
        writeln!(out, "  {description}")?;
    }
    writeln!(out, "  fires when:")?;
    if !check.all_present.is_empty() {
        writeln!(out, "    all present: {}", themes(&check.all_present))?;
    }
    if !check.any_present.is_empty() {
        writeln!(out, "    any present: {}", themes(&check.any_present))?;
    }
    if !check.none_present.is_empty() {
        writeln!(out, "    none present: {}", themes(&check.none_present))?;
    }
    let stances =
        |s: &[policyscan::Stance]| s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    if !check.stance.is_empty() {
        writeln!(out, "    stance is: {}", stances(&check.stance))?;
    }
    if !check.stance_not.is_empty() {
        writeln!(out, "    stance is not: {}", stances(&check.stance_not))?;
    }
    if let Some(min) = check.min_confidence {
        writeln!(out, "    confidence ≥ {min}")?;
    }
    for (theme, min) in &check.min_score {
        writeln!(out, "    {} score ≥ {min}", rules.themes()[*theme].id)?;
    }
    for (theme, min) in &check.min_hits {
        writeln!(out, "    {} hits ≥ {min}", rules.themes()[*theme].id)?;
    }
    Ok(())
}

pub(crate) fn run_schema(args: &RulesSchemaArgs) -> Result<i32> {
    let schema = if args.report {
        policyscan::report::schema()
    } else {
        rules::schema()
    };
    writeln!(
        io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&schema)?
    )?;
    Ok(exit::CLEAN)
}
