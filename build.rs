//! Keeps the main thread's package away from the worker's code: this package (the page) may link
//! the protocol and the model's plain types, never the engine, the archive readers, the index or
//! the session. Those belong to the worker (crates/worker), and in the page they would only make
//! the bundle larger. The build fails as soon as Cargo.lock shows one of them among this package's
//! dependencies, direct or not, so the boundary does not rest on the linker dropping unused code.

use std::collections::{HashMap, HashSet};

/// Packages the page must never depend on, with the reason shown when it does.
const FORBIDDEN: &[(&str, &str)] = &[
    ("permafrost-engine", "the engine runs in the worker"),
    ("permafrost-archive", "archives are read in the worker"),
    ("permafrost-index", "the index lives in the worker"),
    ("permafrost-session", "the session lives in the worker"),
    ("permafrost-worker", "the worker is its own bundle"),
    (
        "permafrost-synth",
        "synthetic archives are for tests and the CLI",
    ),
    ("zip", "archives are read in the worker"),
    ("flate2", "archives are read in the worker"),
];

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let lock_path = format!("{root}/Cargo.lock");
    println!("cargo:rerun-if-changed={lock_path}");
    println!("cargo:rerun-if-changed=build.rs");
    let Ok(lock) = std::fs::read_to_string(&lock_path) else {
        // Without a lock file (a package built outside this workspace) there is nothing to check.
        return;
    };
    let graph = dependencies(&lock);
    let me = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "permafrost-web".into());
    // Walk from this package to everything it depends on, remembering how each was reached.
    let mut via: HashMap<&str, &str> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::from([me.as_str()]);
    let mut stack = vec![me.as_str()];
    while let Some(name) = stack.pop() {
        for dep in graph.get(name).into_iter().flatten() {
            if seen.insert(dep) {
                via.insert(dep, name);
                stack.push(dep);
            }
        }
    }
    for (name, why) in FORBIDDEN {
        if seen.contains(name) {
            let mut path = vec![*name];
            while let Some(parent) = via.get(path[path.len() - 1]) {
                path.push(parent);
            }
            path.reverse();
            panic!(
                "\n\nthe main thread's package must not depend on `{name}` ({why}).\n\
                 It is reached through: {}\n\
                 Ask the worker for it with a message instead (crates/protocol, crates/session); \
                 see ARCHITECTURE.md, \"The boundary\".\n",
                path.join(" -> ")
            );
        }
    }
}

/// Each package's dependencies by name, read from Cargo.lock (`[[package]]` tables with `name`
/// and a `dependencies` array of `"name"` or `"name version (source)"` strings). Several
/// versions of one name are merged, which can only make the check stricter.
fn dependencies(lock: &str) -> HashMap<&str, Vec<&str>> {
    let mut graph: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut name = None;
    let mut in_deps = false;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            name = None;
            in_deps = false;
        } else if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"'));
        } else if line.starts_with("dependencies = [") {
            in_deps = !line.ends_with(']');
        } else if in_deps && line == "]" {
            in_deps = false;
        } else if in_deps {
            let dep = line.trim_end_matches(',').trim_matches('"');
            let dep = dep.split(' ').next().unwrap_or(dep);
            if let Some(name) = name {
                graph.entry(name).or_default().push(dep);
            }
        }
    }
    graph
}
