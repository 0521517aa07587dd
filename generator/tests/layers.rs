//! The pipeline's modules form no import cycle: load (files → model) →
//! render (pure) → write, with markdown, model, theme and the small helpers
//! below them. Every `crate::name` path in a module's files counts as an
//! edge from that top-level module to `name`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module → the top-level modules it names.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src, &mut list);
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in list {
        let rel = f.strip_prefix(&src).expect("inside src");
        let first = rel
            .components()
            .next()
            .map(|c| {
                c.as_os_str()
                    .to_string_lossy()
                    .trim_end_matches(".rs")
                    .to_string()
            })
            .unwrap_or_default();
        if first == "lib" || first == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read a source file");
        assert!(
            !text.contains("crate::{"),
            "{}: grouped `crate::{{…}}` imports hide edges from this test",
            f.display()
        );
        let deps = out.entry(first.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != first {
                deps.insert(name);
            }
        }
    }
    out
}

#[test]
fn no_module_imports_itself_through_others() {
    let edges = edges();
    assert!(edges.contains_key("load") && edges.contains_key("render"));
    for start in edges.keys() {
        // Depth-first from `start`, keeping the path to report a cycle.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((m, path)) = stack.pop() {
            for next in edges.get(&m).into_iter().flatten() {
                assert!(
                    next != start,
                    "import cycle: {} → {start}",
                    path.join(" → ")
                );
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    // The stages point one way.
    let uses = |a: &str, b: &str| edges.get(a).is_some_and(|d| d.contains(b));
    assert!(!uses("load", "render") && !uses("render", "write") && !uses("markdown", "model"));
}
