//! The pipeline's modules form no import cycle: load (files → model) →
//! render (pure) → write, with markdown, model, theme and the small helpers
//! below them. Every `crate::name` path in a module's files counts as an
//! edge from that top-level module to `name`. Inside a folder, no file
//! imports itself through its siblings, and render never uses load.

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

/// A source file's text without its tests (a `#[cfg(test)]` module at the
/// end of the file may use any stage to build its fixtures).
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |i| &text[..i])
}

/// The names a path `prefix` is followed by in `text`: `prefix::a` and
/// `prefix::{a, b::c, …}` give `a` (and `b`).
fn named_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        // `crate::render::` must not match inside `xcrate::render::`.
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level items of the group.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        out.insert(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.remove("");
    out
}

/// Checks that the files of each folder under `src` (siblings, without the
/// folder's own module file) import no sibling that imports them back,
/// directly or through other siblings.
fn no_cycle_inside_folders(src: &Path) {
    let mut dirs = vec![src.to_path_buf()];
    let mut checked = 0;
    while let Some(dir) = dirs.pop() {
        let mut siblings: BTreeMap<String, String> = BTreeMap::new();
        for e in std::fs::read_dir(&dir)
            .expect("read a source folder")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let name = p.file_stem().unwrap().to_string_lossy().to_string();
                if !["mod", "lib", "main"].contains(&name.as_str()) {
                    let text = std::fs::read_to_string(&p).expect("read a source file");
                    siblings.insert(name, without_tests(&text).to_string());
                }
            }
        }
        // `crate::a::b::` for the folder src/a/b.
        let rel = dir.strip_prefix(src).expect("inside src");
        let mut prefix = String::from("crate::");
        for c in rel.components() {
            prefix.push_str(&c.as_os_str().to_string_lossy());
            prefix.push_str("::");
        }
        let inside_root = rel.as_os_str().is_empty();
        let edges: BTreeMap<&str, BTreeSet<String>> = siblings
            .iter()
            .map(|(name, text)| {
                let mut to = named_after(text, &prefix);
                if !inside_root {
                    to.extend(named_after(text, "super::"));
                }
                to.retain(|n| n != name && siblings.contains_key(n));
                (name.as_str(), to)
            })
            .collect();
        for start in edges.keys() {
            let mut stack = vec![(start.to_string(), vec![start.to_string()])];
            let mut seen = BTreeSet::new();
            while let Some((m, path)) = stack.pop() {
                for next in edges.get(m.as_str()).into_iter().flatten() {
                    assert!(
                        next != start,
                        "import cycle inside {}: {} → {start}",
                        dir.display(),
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
        checked += edges.len();
    }
    assert!(checked >= 5, "{}: too few files found", src.display());
}

#[test]
fn no_file_imports_itself_through_its_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    no_cycle_inside_folders(&root.join("src"));
    no_cycle_inside_folders(&root.join("../exercises/src"));
}

/// Render is pure: it reads the model, never the loader (the types both
/// need live in `model`). Tests may load a site to render it.
#[test]
fn render_does_not_use_load() {
    let render = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
    let mut list = Vec::new();
    files(&render, &mut list);
    list.push(render.with_extension("rs"));
    for f in list.iter().filter(|f| f.exists()) {
        let text = std::fs::read_to_string(f).expect("read a source file");
        let code = without_tests(&text);
        assert!(
            named_after(code, "crate::").iter().all(|m| m != "load"),
            "{}: render uses load; move what it needs into model",
            f.display()
        );
    }
}

/// The helper finds grouped and nested imports, and only whole names.
#[test]
fn named_after_reads_groups() {
    let text = "use super::{exercise, href as h, deck::{a, b}};\nuse xsuper::nope;\nsuper::url(x)";
    let names: Vec<String> = named_after(text, "super::").into_iter().collect();
    assert_eq!(names, ["deck", "exercise", "href", "url"]);
}
