//! Every reference from the project's text to one of its files resolves:
//! relative links in the markdown (`[BENCHMARKS](../../BENCHMARKS.md)`, with or
//! without a title, and reference definitions `[x]: path`) and in doc
//! comments, each from the folder of the file that holds it, as a markdown
//! viewer resolves it; and file paths written in backticks
//! (`` `tests/src/table.rs` ``, `` `BENCHMARKS.md` ``) in both, from that
//! folder, its crate's or the repository's root. A renamed or removed file
//! then fails here, not in a reader's hands.

use std::path::{Path, PathBuf};

/// The repository's root (this crate is `tests/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The markdown and Rust files of the repository, outside build output,
/// version control and test fixtures (which hold deliberate mistakes).
fn text_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | ".git" | "ui" | "node_modules") {
                text_files(&path, into);
            }
        } else if name.ends_with(".md") || name.ends_with(".rs") {
            into.push(path);
        }
    }
}

/// The text of `file` that is prose: all of a markdown file, the doc and
/// ordinary comments of a Rust file.
fn prose(file: &Path, text: &str) -> Vec<(usize, String)> {
    let markdown = file.extension().is_some_and(|ext| ext == "md");
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let trimmed = line.trim_start();
            if markdown {
                Some((index + 1, line.to_owned()))
            } else {
                trimmed
                    .strip_prefix("//")
                    .map(|comment| (index + 1, comment.to_owned()))
            }
        })
        .collect()
}

/// The target of a link's destination and optional title (`path`,
/// `path "title"`, `<path>`), or `None` when what follows the target is not
/// a title (then the brackets were not a link).
fn destination(inside: &str) -> Option<String> {
    let inside = inside.trim();
    let (target, rest) = match inside.strip_prefix('<') {
        Some(angled) => {
            let end = angled.find('>')?;
            (&angled[..end], &angled[end + 1..])
        }
        None => inside.split_at(inside.find(char::is_whitespace).unwrap_or(inside.len())),
    };
    let title = rest.trim();
    let quoted = title.is_empty()
        || [('"', '"'), ('\'', '\''), ('(', ')')]
            .iter()
            .any(|&(open, close)| {
                title.len() >= 2 && title.starts_with(open) && title.ends_with(close)
            });
    (quoted && !target.is_empty()).then(|| target.to_owned())
}

/// The targets of `[text](target)` and `[text](target "title")` links in
/// `line`.
fn link_targets(line: &str) -> Vec<String> {
    line.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &line[at + 2..];
            link_end(rest).and_then(|end| destination(&rest[..end]))
        })
        .collect()
}

/// Where the parenthesis that closes a link's `(target "title")` is in
/// `rest` (what follows the opening one): balanced parentheses, and any
/// parenthesis inside `<...>` or a quoted title, do not close it.
fn link_end(rest: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut closing: Option<char> = None;
    let mut after_space = true;
    for (at, c) in rest.char_indices() {
        match closing {
            Some(close) if c == close => closing = None,
            Some(_) => {}
            None => match c {
                '<' if rest[..at].trim().is_empty() => closing = Some('>'),
                '"' | '\'' if after_space => closing = Some(c),
                '(' => depth += 1,
                ')' if depth == 0 => return Some(at),
                ')' => depth -= 1,
                _ => {}
            },
        }
        after_space = c.is_whitespace();
    }
    None
}

/// The target of a reference definition (`[x]: path`, `[x]: path "title"`)
/// that `line` is, in markdown or after a doc comment's `///` or `//!`.
fn reference_target(line: &str) -> Option<String> {
    let line = line.trim_start_matches(['/', '!']).trim_start();
    let label = line.strip_prefix('[')?;
    let end = label.find("]:")?;
    let name = &label[..end];
    if name.is_empty() || name.starts_with('^') || name.contains('[') {
        return None;
    }
    destination(&label[end + 2..])
}

/// The words in backticks in `line` that look like paths of the project's
/// files: a known extension, and either a folder part or a markdown name.
fn backticked_paths(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| {
            let plain = word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'));
            let extension = [".rs", ".md", ".toml", ".sh", ".json", ".xml"]
                .iter()
                .any(|ext| word.ends_with(ext));
            plain
                && extension
                && (word.contains('/') || word.ends_with(".md"))
                && !word.starts_with('/')
                && !word.contains("..")
        })
        .map(str::to_owned)
        .collect()
}

/// Markdown file names written as plain words (`README.md's table`).
fn markdown_words(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-')))
        .map(|word| word.trim_end_matches('.'))
        .filter(|word| word.ends_with(".md") && word.len() > 3 && !word.contains(".."))
        .map(str::to_owned)
        .collect()
}

/// Whether a link's `target` names a file or folder from `file`'s folder
/// (the only base a markdown viewer resolves it from).
fn link_resolves(root: &Path, file: &Path, target: &str) -> bool {
    file.parent().unwrap_or(root).join(target).exists()
}

/// Whether a path written in prose names a file or folder from `file`'s
/// folder, its crate's folder or the repository's root.
fn resolves(root: &Path, file: &Path, target: &str) -> bool {
    let folder = file.parent().unwrap_or(root);
    let mut bases = vec![folder.to_path_buf(), root.to_path_buf()];
    let mut crate_dir = Some(folder);
    while let Some(dir) = crate_dir {
        if dir.join("Cargo.toml").is_file() {
            bases.push(dir.to_path_buf());
            break;
        }
        crate_dir = dir.parent();
    }
    bases.iter().any(|base| base.join(target).exists())
}

#[test]
fn every_reference_to_a_file_resolves() {
    let root = root();
    let mut files = Vec::new();
    text_files(&root, &mut files);
    assert!(files.len() > 50, "only {} files found", files.len());
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a text file");
        for (line_number, line) in prose(file, &text) {
            let links = link_targets(&line)
                .into_iter()
                .chain(reference_target(&line))
                .filter(|target| {
                    !target.contains("://")
                        && !target.starts_with('#')
                        && !target.starts_with("mailto:")
                        && (target.contains('/') || target.contains('.'))
                        && !target.contains("::")
                })
                .map(|target| (target, true));
            let words = backticked_paths(&line)
                .into_iter()
                .chain(markdown_words(&line))
                .map(|target| (target, false));
            for (target, link) in links.chain(words) {
                let path = target.split('#').next().unwrap_or_default();
                if path.is_empty() {
                    continue;
                }
                checked += 1;
                let found = match link {
                    true => link_resolves(&root, file, path),
                    false => resolves(&root, file, path),
                };
                if !found {
                    broken.push(format!(
                        "{}:{line_number}: `{target}`",
                        file.strip_prefix(&root).unwrap_or(file).display()
                    ));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} references checked");
    assert!(
        broken.is_empty(),
        "{} references to files that do not exist:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn the_scanner_finds_links_and_paths() {
    assert_eq!(
        link_targets("see [the table](tests/src/table.rs) and [x](#anchor)"),
        ["tests/src/table.rs", "#anchor"]
    );
    assert_eq!(
        link_targets(r#"[a](a.md "A") [b](<b c.md>) [c](c.md 'C') [f](x, y)"#),
        ["a.md", "b c.md", "c.md"]
    );
    assert_eq!(
        link_targets(r#"[d](d.md (D)) [e](<e).md> "E (1)") [g](g_(1).md)"#),
        ["d.md", "e).md", "g_(1).md"]
    );
    assert_eq!(
        reference_target(r#"[bench]: ../BENCHMARKS.md "the numbers""#).as_deref(),
        Some("../BENCHMARKS.md")
    );
    assert_eq!(
        reference_target("//! [`Policy`]: crate::Policy").as_deref(),
        Some("crate::Policy")
    );
    assert_eq!(reference_target("[^1]: a footnote"), None);
    assert_eq!(reference_target("see [x]: not a definition"), None);
    let root = root();
    let readme = root.join("README.md");
    assert!(link_resolves(&root, &readme, "BENCHMARKS.md"));
    assert!(!link_resolves(
        &root,
        &root.join("tests/tests/links.rs"),
        "BENCHMARKS.md"
    ));
    assert_eq!(
        backticked_paths(
            "`BENCHMARKS.md`, `cors-runtime/src/lib.rs`, `x-api-*`, `lib.rs`, `a b.rs`"
        ),
        ["BENCHMARKS.md", "cors-runtime/src/lib.rs"]
    );
    assert_eq!(
        markdown_words("pins DESIGN.md's table; see docs/a.md."),
        ["DESIGN.md", "docs/a.md"]
    );
}
