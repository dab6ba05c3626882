//! The compile errors shown in the runtime crate's documentation are the real
//! ones.
//!
//! rustdoc's `compile_fail` only checks that a snippet fails to compile, for
//! any reason. Here every `compile_fail` snippet of that documentation (the
//! pages of `cors-credentials/docs/`, which `src/lib.rs` includes, and any doc
//! comment in `cors-credentials/src/`) must be a case of `tests/ui/fail` (same
//! code once hidden lines are shown, whitespace and comment lines aside), and
//! the error printed below it must be a line of that case's `.stderr`, which
//! `tests/compile_ui.rs` compares with the compiler's output.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// Fewer documented compile errors than this means a page or a snippet went
/// missing (or the reader below stopped finding them).
const AT_LEAST: usize = 16;

/// A `compile_fail` snippet and the error the documentation shows for it.
struct Documented {
    /// Where the snippet starts: `path:line`.
    at: String,
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

/// Every line of a markdown page, with its line number.
fn markdown_lines(source: &str) -> Vec<(usize, &str)> {
    source
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .collect()
}

/// The files under `dir` whose name ends with `.{ext}`, at any depth, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            found.push(path);
        }
    }
    found.sort();
    found
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

/// The documented compile errors of one file, given its documentation lines;
/// `file` names it in messages.
fn compile_errors(file: &str, lines: &[(usize, &str)]) -> Vec<Documented> {
    let blocks = blocks(lines);
    let mut found = Vec::new();
    for (index, (info, line, body)) in blocks.iter().enumerate() {
        if !info.split(',').any(|word| word.trim() == "compile_fail") {
            continue;
        }
        let (next_info, _, next_body) = blocks
            .get(index + 1)
            .unwrap_or_else(|| panic!("{file}:{line}: no error shown after the snippet"));
        assert_eq!(
            next_info, "text",
            "{file}:{line}: the snippet must be followed by a ```text block with its error"
        );
        let error = next_body.first().copied().unwrap_or_default();
        assert!(
            error.starts_with("error: ") || error.starts_with("error["),
            "{file}:{line}: the text block must show the compiler's `error: ..` (or `error[E..]: ..`) line, found {error:?}"
        );
        found.push(Documented {
            at: format!("{file}:{line}"),
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
    let runtime = root.join("../cors-credentials");
    let sources: Vec<String> = files(&runtime.join("src"), "rs")
        .iter()
        .map(|module| fs::read_to_string(module).unwrap())
        .collect();
    let mut documented = Vec::new();
    for page in files(&runtime.join("docs"), "md") {
        let name = page.file_name().unwrap().to_str().unwrap();
        // `../docs/` from `src/lib.rs`, `../../docs/` from a module's `mod.rs`.
        let included = [
            format!("include_str!(\"../docs/{name}\")"),
            format!("include_str!(\"../../docs/{name}\")"),
        ];
        assert!(
            sources
                .iter()
                .any(|source| included.iter().any(|include| source.contains(include))),
            "cors-credentials/docs/{name} is included nowhere in src, so rustdoc never shows or tests it"
        );
        let source = fs::read_to_string(&page).unwrap();
        let file = format!("cors-credentials/docs/{name}");
        documented.extend(compile_errors(&file, &markdown_lines(&source)));
    }
    for module in files(&runtime.join("src"), "rs") {
        let source = fs::read_to_string(&module).unwrap();
        let file = format!(
            "cors-credentials/{}",
            module.strip_prefix(&runtime).unwrap().display()
        );
        documented.extend(compile_errors(&file, &doc_lines(&source)));
    }
    assert!(
        documented.len() >= AT_LEAST,
        "expected at least {AT_LEAST} documented compile errors, found {}",
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
                "{}: this compile_fail snippet is no case of tests/ui/fail; add it there so its error is checked:\n{}",
                doc.at, doc.code
            );
        };
        assert!(
            stderr.lines().any(|line| line == doc.error),
            "{}: {} reports another error than the documentation shows:\n  documented: {}\n  stderr:\n{stderr}",
            doc.at,
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
