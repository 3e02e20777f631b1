//! Keeps the module map at the top of `src/lib.rs` true. The source is
//! grouped in folders by the stage of a request's way through it (`front`,
//! `matcher`, `protection`, `answer`, then `load` and `adapters` around
//! them), and no two modules reach each other through `crate::` paths,
//! directly or through others; nor do two stages. So the request flows one
//! way (front end -> matcher -> answer -> writer), and no matcher is named
//! by the answer or the writer.

use std::collections::BTreeMap;
use std::path::Path;

/// Every module of `src` by its path (`answer::writer`; a folder's
/// `mod.rs` is the folder's module, `answer`), with its code: the file
/// without its comment lines and its unit tests.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &str, into: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("a readable source folder") {
            let path = entry.expect("a directory entry").path();
            let stem = path
                .file_stem()
                .expect("a file name")
                .to_string_lossy()
                .into_owned();
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_owned()
                } else {
                    format!("{prefix}::{name}")
                }
            };
            if path.is_dir() {
                walk(&path, &join(&stem), into);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let name = match stem.as_str() {
                    // The crate root, and a module of unit tests alone.
                    "lib" | "index_tests" => continue,
                    "mod" => prefix.to_owned(),
                    _ => join(&stem),
                };
                let text = std::fs::read_to_string(&path).expect("a source file");
                // The module's own code: its unit tests may name any module.
                let text = text
                    .split("#[cfg(test)]\nmod tests")
                    .next()
                    .unwrap_or_default();
                let code = text
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                into.insert(name, code);
            }
        }
    }
    let mut modules = BTreeMap::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        "",
        &mut modules,
    );
    modules
}

/// The modules `code` names, each `crate::a::b::..` path counted for the
/// longest module it names (`crate::answer::vary::VaryOn` names
/// `answer::vary`, not `answer`).
fn named_modules(code: &str, modules: &[&str]) -> Vec<String> {
    let mut named: Vec<String> = code
        .match_indices("crate::")
        .filter_map(|(at, _)| {
            let path: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            (1..=segments.len())
                .rev()
                .map(|n| segments[..n].join("::"))
                .find(|candidate| modules.contains(&candidate.as_str()))
        })
        .collect();
    named.sort();
    named.dedup();
    named
}

/// Module path -> the other modules its code names.
fn module_graph() -> BTreeMap<String, Vec<String>> {
    let modules = modules();
    let names: Vec<&str> = modules.keys().map(String::as_str).collect();
    modules
        .iter()
        .map(|(module, code)| {
            let uses = named_modules(code, &names)
                .into_iter()
                .filter(|other| other != module)
                .collect();
            (module.clone(), uses)
        })
        .collect()
}

/// The stage (top folder or root module) of a module path.
fn stage(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// Stage -> the other stages its modules name.
fn stage_graph() -> BTreeMap<String, Vec<String>> {
    let mut stages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, uses) in module_graph() {
        let entry = stages.entry(stage(&module).to_owned()).or_default();
        for used in uses {
            let used = stage(&used).to_owned();
            if used != stage(&module) && !entry.contains(&used) {
                entry.push(used);
            }
        }
    }
    stages
}

/// A cycle in `graph`, as a path whose first and last modules are the same.
fn find_cycle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        graph: &BTreeMap<String, Vec<String>>,
        module: &str,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if done.iter().any(|m| m == module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(graph, next, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.push(module.to_owned());
        None
    }
    let mut done = Vec::new();
    graph
        .keys()
        .find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn modules_import_each_other_without_a_cycle() {
    let graph = module_graph();
    for expected in [
        "front",
        "matcher::dsl",
        "answer::writer",
        "load::config",
        "adapters::tower",
    ] {
        assert!(
            graph.contains_key(expected),
            "no module `{expected}`: {:?}",
            graph.keys()
        );
    }
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle among cors-runtime's modules: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn stages_import_each_other_without_a_cycle() {
    let graph = stage_graph();
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle among cors-runtime's folders: {}",
            cycle.join(" -> ")
        );
    }
    // The request's way: the front end names no later stage, the answer no
    // matcher, and nothing of the request's way names a loader or adapter.
    for (stage, later) in [
        ("front", &["matcher", "protection", "answer", "policy"][..]),
        ("answer", &["matcher", "protection", "policy"][..]),
        ("matcher", &["protection", "policy", "load", "adapters"][..]),
        ("protection", &["policy", "load", "adapters"][..]),
    ] {
        let uses = &graph[stage];
        for other in later {
            assert!(
                !uses.iter().any(|u| u == other),
                "`{stage}` names `{other}`: {uses:?}"
            );
        }
    }
}

#[test]
fn the_answer_and_the_writer_know_no_matcher() {
    let graph = module_graph();
    for module in [
        "front",
        "answer",
        "answer::decision",
        "answer::writer",
        "matcher::rule_walk",
    ] {
        let uses = &graph[module];
        for matcher in ["matcher::dsl", "matcher::s3", "policy"] {
            assert!(
                !uses.iter().any(|m| m == matcher),
                "`{module}` names `{matcher}`: {uses:?}"
            );
        }
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, Vec<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
            .into_iter()
            .map(|(m, uses)| (m.to_owned(), uses.into_iter().map(str::to_owned).collect()))
            .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let modules = ["answer", "answer::vary", "front"];
    assert_eq!(
        named_modules("use crate::answer::vary::VaryOn; crate::front::X", &modules),
        ["answer::vary", "front"]
    );
    assert!(named_modules("use crate::front_end;", &modules).is_empty());
    assert_eq!(stage("answer::vary"), "answer");
}
