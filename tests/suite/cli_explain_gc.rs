//! `pyheap explain-gc`: the five-object example's table (x moved back by y, the a <-> b cycle
//! freed), a well-formed DOT/SVG picture with its title and legend, and one-line argument errors
//! with exit status 2.

use crate::xml_check;

use std::process::Command;

fn pyheap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pyheap"))
}

#[test]
fn explains_the_five_object_example() {
    let dir = std::env::temp_dir().join(format!("pyheap-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dot = dir.join("ex.dot");
    let out = pyheap()
        .args(["explain-gc", "--dot"])
        .arg(&dot)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_string()
    };
    assert!(line("x (deleted)").contains("moved back by y"), "{text}");
    assert!(line("a (deleted)").ends_with("freed"), "{text}");
    assert!(line("b (deleted)").ends_with("freed"), "{text}");
    assert!(!line("c ").ends_with("freed"), "{text}");
    assert!(text.contains("collect() returned 2; 2 freed"), "{text}");
    // Each reference names the index it goes through: y = [x], a = [b], b = [a], c = [c].
    let refs = line("references between them");
    for r in [
        "y[0] -> x (deleted)",
        "a (deleted)[0] -> b (deleted)",
        "b (deleted)[0] -> a (deleted)",
        "c[0] -> c",
    ] {
        assert!(refs.contains(r), "{r} in {refs}");
    }
    let dot_text = std::fs::read_to_string(&dot).unwrap();
    assert_eq!(dot_text.matches("[label=\"[0]\"]").count(), 4, "{dot_text}");
    assert!(dot_text.contains("gc.collect(0) explained"));
    assert!(dot_text.contains("cluster_legend"));
    assert_eq!(
        dot_text.matches("style=\"rounded,filled,dashed\"").count(),
        3
    );
    // With Graphviz installed, the SVG it renders is well-formed.
    if Command::new("dot").arg("-V").output().is_ok() {
        let svg = dir.join("ex.svg");
        let out = pyheap()
            .args(["explain-gc", "--svg"])
            .arg(&svg)
            .output()
            .unwrap();
        assert!(out.status.success());
        let s = std::fs::read_to_string(&svg).unwrap();
        // Graphviz writes an XML declaration, a DOCTYPE and comments before the root element.
        let root = &s[s.find("<svg").expect("an <svg> element")..];
        xml_check::parse(root).unwrap_or_else(|e| panic!("invalid SVG: {e}"));
    } else {
        println!("Graphviz `dot` not installed: SVG rendering not checked");
    }
}

#[test]
fn argument_errors_are_one_line_exit_2() {
    for args in [
        &["explain-gc", "--like", "3.12"][..],
        &["explain-gc", "prog.py"][..],
        &["tour", "--like", "2.7"][..],
    ] {
        let out = pyheap().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn explains_the_first_collect_of_a_program() {
    let dir = std::env::temp_dir().join(format!("pyheap-explain-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let prog = dir.join("cycle.py");
    std::fs::write(
        &prog,
        "import gc\nclass Node:\n    pass\na = Node()\nb = Node()\na.other = b\nb.other = a\n\
         keep = [1, 2]\ndel a, b\nprint('freed', gc.collect())\n",
    )
    .unwrap();
    let dot = dir.join("cycle.dot");
    let out = pyheap()
        .arg("explain-gc")
        .arg(&prog)
        .arg("--dot")
        .arg(&dot)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_string()
    };
    // The deleted a <-> b cycle is named after its variables and freed; `keep` survives.
    assert!(line("a (deleted)").ends_with("freed"), "{text}");
    assert!(line("b (deleted)").ends_with("freed"), "{text}");
    assert!(line("keep ").contains("survives"), "{text}");
    assert!(
        text.contains("line 10: print('freed', gc.collect())"),
        "{text}"
    );
    assert!(text.contains("collect() returned 2; 2 freed"), "{text}");
    // CPython frees the same two objects at that line.
    if let Ok(py) = Command::new("python3").arg("-S").arg(&prog).output() {
        assert_eq!(String::from_utf8_lossy(&py.stdout).trim(), "freed 2");
    }
    // The cycle's references name the attribute they go through, in the text and the picture.
    let refs = line("references between them");
    assert!(refs.contains("a (deleted).other -> b (deleted)"), "{refs}");
    assert!(refs.contains("b (deleted).other -> a (deleted)"), "{refs}");
    assert!(refs.contains("a (deleted).__class__ -> Node"), "{refs}");
    let dot_text = std::fs::read_to_string(&dot).unwrap();
    assert!(dot_text.contains("a (deleted)"));
    assert_eq!(
        dot_text.matches("[label=\".other\"]").count(),
        2,
        "{dot_text}"
    );
}

#[test]
fn a_missing_program_is_a_one_line_error() {
    let out = pyheap()
        .args(["explain-gc", "/nonexistent/p.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("can't open file"), "{err}");
}
