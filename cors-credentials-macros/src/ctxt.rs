//! Collects every error of one attribute or declaration so they are reported
//! together.

use std::{fmt::Display, thread};

use proc_macro2::Span;
use quote::ToTokens;

/// The errors found so far, each spanned on the user's own tokens.
///
/// It must be ended with [`Ctxt::check`]: dropping it unchecked panics, so no
/// error can be lost on the way.
pub(crate) struct Ctxt {
    /// `None` once checked.
    errors: Option<Vec<syn::Error>>,
}

impl Ctxt {
    /// A context with no errors yet.
    pub(crate) fn new() -> Self {
        Ctxt {
            errors: Some(Vec::new()),
        }
    }

    /// Records an error spanned on `tokens`.
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error at `span`.
    pub(crate) fn error_at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records a parse error as it is.
    pub(crate) fn syn_error(&mut self, error: syn::Error) {
        self.push(error);
    }

    fn push(&mut self, error: syn::Error) {
        self.errors
            .as_mut()
            .expect("an error recorded after the check")
            .push(error);
    }

    /// Ends the collection: `Err` holds every error recorded, in order, as one
    /// `syn::Error` (one `compile_error!` each).
    pub(crate) fn check(mut self) -> syn::Result<()> {
        let mut errors = self.errors.take().into_iter().flatten();
        let Some(mut first) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            first.combine(error);
        }
        Err(first)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !thread::panicking() && self.errors.is_some() {
            panic!("errors collected in a `Ctxt` were never checked");
        }
    }
}
