//! A `tracing` layer that keeps the events of target `cors_credentials`, for
//! the tests of the `tracing` feature (feature `tracing`).

use std::{
    collections::BTreeMap,
    fmt,
    sync::{Arc, Mutex},
};

use tracing::{field::Field, Event, Level, Subscriber};
use tracing_subscriber::{layer::Context, registry::LookupSpan, Layer};

/// One event of target `cors_credentials`, as the subscriber received it.
#[derive(Debug)]
pub struct Captured {
    /// Its level.
    pub level: Level,
    /// Its fields, each as `Display` or `Debug` wrote it.
    pub fields: BTreeMap<&'static str, String>,
    /// The name of the span the event was recorded in.
    pub parent: Option<&'static str>,
}

/// Keeps the events of target `cors_credentials`: install it in a
/// per-test (thread-local) subscriber, then [`take`](Events::take) them.
#[derive(Clone, Default)]
pub struct Events(Arc<Mutex<Vec<Captured>>>);

impl Events {
    /// The events kept so far, removed.
    pub fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct Fields<'a>(&'a mut BTreeMap<&'static str, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Events {
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("cors_credentials") {
            return;
        }
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured {
            level: *event.metadata().level(),
            fields,
            parent: ctx.event_span(event).map(|span| span.name()),
        });
    }
}
