//! Keeps the module map at the top of `src/lib.rs` true: no two modules of
//! cors-runtime reach each other through `crate::` paths, directly or
//! through others, so the request flows one way (front end -> matcher ->
//! answer -> writer), and no matcher is named by the answer or the writer.

use std::collections::BTreeMap;
use std::path::Path;

/// Module name -> the modules its code (not its comments) names as `crate::m`.
fn module_graph() -> BTreeMap<String, Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            sources.insert(name, std::fs::read_to_string(&path).expect("a source file"));
        }
    }
    let modules: Vec<String> = sources.keys().filter(|m| *m != "lib").cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in &sources {
        if module == "lib" {
            continue;
        }
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut uses: Vec<String> = modules
            .iter()
            .filter(|other| *other != module)
            .filter(|other| names_module(&code, other))
            .cloned()
            .collect();
        uses.sort();
        graph.insert(module.clone(), uses);
    }
    graph
}

/// Whether `code` mentions `crate::module` as a path segment of its own, in a
/// `use` tree (`crate::{a, module}` included) or inline.
fn names_module(code: &str, module: &str) -> bool {
    let direct = format!("crate::{module}");
    let found_direct = code.match_indices(&direct).any(|(at, _)| {
        let after = code[at + direct.len()..].chars().next();
        !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    });
    found_direct
        || code.match_indices("crate::{").any(|(at, _)| {
            let tree = &code[at..];
            let end = tree.find("};").unwrap_or(tree.len());
            tree[..end]
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == module)
        })
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
    assert!(graph.contains_key("front") && graph.contains_key("writer"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "import cycle among cors-runtime's modules: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_answer_and_the_writer_know_no_matcher() {
    let graph = module_graph();
    for module in ["front", "answer", "decision", "writer", "rule_walk"] {
        let uses = &graph[module];
        for matcher in ["dsl_matcher", "s3_matcher", "policy"] {
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
    assert!(names_module("use crate::{front::X, writer};", "writer"));
    assert!(!names_module("use crate::front_end;", "front"));
}
