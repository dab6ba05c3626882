//! What each set of features builds: the `tower` feature alone brings no
//! actix-web crate, and the default (`actix`) no tower, axum or `http` 1.x
//! crate. Read from `cargo tree`, which resolves the lock file offline.

use std::process::Command;

/// The normal dependencies of `cors-credentials` with `features`, one
/// `name vX.Y.Z` per line.
fn tree(features: &[&str]) -> Vec<String> {
    package_tree("cors-credentials", features)
}

/// The normal dependencies of `package` with `features` (its defaults when
/// empty), one `name vX.Y.Z` per line.
fn package_tree(package: &str, features: &[&str]) -> Vec<String> {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["tree", "--offline", "-p", package, "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if !features.is_empty() {
        cargo
            .arg("--no-default-features")
            .arg("--features")
            .arg(features.join(","));
    }
    let output = cargo.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .collect()
}

fn crate_name(line: &str) -> &str {
    line.split(' ').next().unwrap_or("")
}

#[test]
fn the_tower_feature_builds_no_actix_crate() {
    let tree = tree(&["tower"]);
    assert!(tree.iter().any(|line| crate_name(line) == "tower-layer"));
    assert!(tree.iter().any(|line| line.starts_with("http v1.")));
    let actix: Vec<&String> = tree
        .iter()
        .filter(|line| crate_name(line).starts_with("actix"))
        .collect();
    assert!(actix.is_empty(), "actix crates with `tower`: {actix:?}");
}

#[test]
fn the_default_features_build_no_tower_or_axum_crate() {
    let tree = tree(&[]);
    assert!(tree.iter().any(|line| crate_name(line) == "actix-web"));
    let tower: Vec<&String> = tree
        .iter()
        .filter(|line| {
            let name = crate_name(line);
            name.starts_with("tower") || name.starts_with("axum") || line.starts_with("http v1.")
        })
        .collect();
    assert!(tower.is_empty(), "tower crates by default: {tower:?}");
}

#[test]
fn the_axum_example_builds_no_actix_crate() {
    let tree = package_tree("cors-credentials-examples-axum", &[]);
    assert!(tree.iter().any(|line| crate_name(line) == "axum"));
    let actix: Vec<&String> = tree
        .iter()
        .filter(|line| crate_name(line).starts_with("actix"))
        .collect();
    assert!(
        actix.is_empty(),
        "actix crates in the axum example: {actix:?}"
    );
}
