//! The crates that `cors-credentials` with only its `tower` feature compiles
//! for `wasm32-unknown-unknown` (Cloudflare's `workers-rs` runs axum there):
//! exactly the list audited for that target in the README's "WebAssembly"
//! section. A dependency added to the runtime fails this test until it is
//! audited and listed here. Proc macros, which run on the host, are left out.

use std::{collections::BTreeSet, path::Path, process::Command};

/// Audited for `wasm32-unknown-unknown`; see the README's "WebAssembly".
const AUDITED: &[&str] = &[
    "arc-swap",
    "bytes",
    "cors-credentials",
    "cors-credentials-rules",
    "form_urlencoded",
    "http",
    "icu_collections",
    "icu_locale_core",
    "icu_normalizer",
    "icu_normalizer_data",
    "icu_properties",
    "icu_properties_data",
    "icu_provider",
    "idna",
    "idna_adapter",
    "inventory",
    "itoa",
    "litemap",
    "log",
    "percent-encoding",
    "pin-project-lite",
    "potential_utf",
    "psl",
    "psl-types",
    "smallvec",
    "stable_deref_trait",
    "tinystr",
    "tower-layer",
    "tower-service",
    "url",
    "utf8_iter",
    "utf_types",
    "writeable",
    "yoke",
    "zerofrom",
    "zerotrie",
    "zerovec",
];

#[test]
fn the_tower_features_wasm_dependencies_are_the_audited_ones() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // `cargo tree` resolves for a target without its standard library.
    let output = Command::new(cargo)
        .current_dir(&workspace)
        .args([
            "tree",
            "-p",
            "cors-credentials",
            "--no-default-features",
            "--features",
            "tower",
            "--target",
            "wasm32-unknown-unknown",
            "-e",
            "normal,no-proc-macro",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let found: BTreeSet<&str> = stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let audited: BTreeSet<&str> = AUDITED.iter().copied().collect();
    assert!(found.contains("inventory"), "{stdout}");
    let unaudited: Vec<_> = found.difference(&audited).collect();
    let gone: Vec<_> = audited.difference(&found).collect();
    assert!(
        unaudited.is_empty() && gone.is_empty(),
        "audit these for wasm32-unknown-unknown and list them: {unaudited:?}; no longer a dependency, remove from the list: {gone:?}"
    );
}
