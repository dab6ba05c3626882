//! The compile errors shown in the runtime crate's documentation are the real
//! ones.
//!
//! rustdoc's `compile_fail` only checks that a snippet fails to compile, for
//! any reason. Here every `compile_fail` snippet of `cors-credentials/src/lib.rs`
//! must be a case of `tests/ui/fail` (same code once hidden lines are shown,
//! whitespace and comment lines aside), and the error printed below it must be
//! a line of that case's `.stderr`, which `tests/ui.rs` compares with the
//! compiler's output.

use std::{fs, path::Path};

/// A `compile_fail` snippet and the error the documentation shows for it.
struct Documented {
    line: usize,
    code: String,
    error: String,
}

/// The documentation lines of a source file (`//!` and `///`), with their
/// line numbers.
fn doc_lines(source: &str) -> Vec<(usize, &str)> {
    source
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let line = line.trim_start();
            let text = line
                .strip_prefix("//!")
                .or_else(|| line.strip_prefix("///"))?;
            Some((index + 1, text.strip_prefix(' ').unwrap_or(text)))
        })
        .collect()
}

/// A code line as rustdoc compiles it: `# ` hides a line but keeps it.
fn unhide(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed == "#" {
        ""
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        rest
    } else {
        line
    }
}

/// Code compared without whitespace and without whole-line comments.
fn normalize(code: &str) -> String {
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect()
}

/// Every fenced block: its info string, first line number and lines.
fn blocks<'a>(lines: &[(usize, &'a str)]) -> Vec<(String, usize, Vec<&'a str>)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, usize, Vec<&str>)> = None;
    for &(number, text) in lines {
        let fence = text.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), number, Vec::new())),
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some((_, _, body)), None) => body.push(text),
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "unclosed code block");
    blocks
}

fn documented(source: &str) -> Vec<Documented> {
    let blocks = blocks(&doc_lines(source));
    let mut found = Vec::new();
    for (index, (info, line, body)) in blocks.iter().enumerate() {
        if !info.split(',').any(|word| word.trim() == "compile_fail") {
            continue;
        }
        let (next_info, _, next_body) = blocks
            .get(index + 1)
            .unwrap_or_else(|| panic!("line {line}: no error shown after the snippet"));
        assert_eq!(
            next_info, "text",
            "line {line}: the snippet must be followed by a ```text block with its error"
        );
        let error = next_body.first().copied().unwrap_or_default();
        assert!(
            error.starts_with("error: "),
            "line {line}: the text block must show the compiler's `error: ..` line, found {error:?}"
        );
        found.push(Documented {
            line: *line,
            code: body
                .iter()
                .map(|l| unhide(l))
                .collect::<Vec<_>>()
                .join("\n"),
            error: error.to_owned(),
        });
    }
    found
}

#[test]
fn documented_compile_errors_are_the_compilers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = fs::read_to_string(root.join("../cors-credentials/src/lib.rs")).unwrap();
    let documented = documented(&source);
    assert!(
        documented.len() >= 15,
        "expected the documented compile errors, found {}",
        documented.len()
    );

    let mut cases = Vec::new();
    for entry in fs::read_dir(root.join("ui/fail")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let code = fs::read_to_string(&path).unwrap();
            let stderr = fs::read_to_string(path.with_extension("stderr")).unwrap();
            cases.push((path, normalize(&code), stderr));
        }
    }

    for doc in documented {
        let code = normalize(&doc.code);
        let Some((path, _, stderr)) = cases.iter().find(|(_, case, _)| *case == code) else {
            panic!(
                "lib.rs line {}: this compile_fail snippet is no case of tests/ui/fail; add it there so its error is checked:\n{}",
                doc.line, doc.code
            );
        };
        assert!(
            stderr.lines().any(|line| line == doc.error),
            "lib.rs line {}: {} reports another error than the documentation shows:\n  documented: {}\n  stderr:\n{stderr}",
            doc.line,
            path.display(),
            doc.error
        );
    }
}

#[test]
fn hidden_lines_are_unhidden_as_rustdoc_does() {
    assert_eq!(unhide("# fn main() {"), "fn main() {");
    assert_eq!(unhide("#     let _ = x;"), "    let _ = x;");
    assert_eq!(unhide("#"), "");
    assert_eq!(unhide("#[get(\"/me\")]"), "#[get(\"/me\")]");
    assert_eq!(
        normalize("// a comment\nfn  main() {\n    \"https://a.example\";\n}"),
        "fnmain(){\"https://a.example\";}"
    );
}
