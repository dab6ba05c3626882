//! Tests and examples of cors-credentials live in `tests/` and `examples/`.
