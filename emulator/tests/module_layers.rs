//! The emulator's modules import one way: the `crate::…` references of
//! `src/*.rs` (outside comments) form no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The modules one source file names through `crate::x` or `crate::{x, y::z}`.
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            let names = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name.trim().chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// Module -> the other modules it imports.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut g = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let module = path.file_stem().unwrap().to_string_lossy().into_owned();
            let mut deps = imports(&std::fs::read_to_string(&path).unwrap());
            deps.remove(&module);
            g.insert(module, deps);
        }
    }
    g
}

/// A cycle of `g` (its modules in order, the first repeated at the end), if any.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut cycle = path[i..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|m| visit(m, g, &mut Vec::new(), &mut done))
}

#[test]
fn emulator_modules_import_one_way() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(g.contains_key("routes") && g["routes"].contains("auth"), "the graph was not read: {g:?}");
    assert_eq!(find_cycle(&g), None, "an import cycle among emulator/src modules");
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_the_group_form() {
    assert_eq!(
        imports("use crate::{ops, payment::x};\n// crate::server\nlet _ = crate::data::f();"),
        ["data", "ops", "payment"].map(String::from).into()
    );
    let g: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c"), ("c", "a")].map(|(m, d)| (m.to_string(), [d.to_string()].into())).into();
    assert_eq!(find_cycle(&g), Some(["a", "b", "c", "a"].map(String::from).to_vec()));
}
