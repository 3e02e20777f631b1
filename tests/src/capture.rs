//! A small `tracing` subscriber for tests: it enables events up to a level
//! and keeps each one's level and fields as text.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// One captured event: its level and fields (`message` included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The event's level.
    pub level: Level,
    /// The fields, as text (`Debug` of each value, strings unquoted).
    pub fields: BTreeMap<String, String>,
}

/// A subscriber that enables events up to `max` and records them.
#[derive(Debug, Clone)]
pub struct Capture {
    max: Level,
    events: Arc<Mutex<Vec<Captured>>>,
}

impl Capture {
    /// Captures events at `max` and below (`Level::INFO`: no DEBUG or TRACE).
    pub fn up_to(max: Level) -> Self {
        Capture {
            max,
            events: Arc::default(),
        }
    }

    /// The events captured so far, taken.
    pub fn take(&self) -> Vec<Captured> {
        std::mem::take(&mut *self.events.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= self.max
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::from_level(self.max))
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let captured = Captured {
            level: *event.metadata().level(),
            fields,
        };
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(captured);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
