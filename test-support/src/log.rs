//! One `log` logger for a whole test binary, read through per-test views.
//!
//! `log` takes one logger per process, and the tests of a binary run in
//! parallel, each on a thread of its own. [`Capture::start`] installs the
//! logger the first time (at every level) and returns a view of the records
//! logged from then on, for as long as the view lives. A test keeps its own
//! view and asserts only on the records that are its own:
//!
//! - those logged on its thread ([`Capture::on_this_thread`]), when the code
//!   under test runs there, as it does under `#[actix_web::test]` and
//!   `actix_web::test::call_service`;
//! - those that name something only that test uses, a path or a port
//!   ([`Capture::take`], [`Capture::records`]), when a server logs on threads
//!   of its own.
//!
//! Records are kept only while a view is alive, and only as far back as the
//! oldest live view.
//!
//! A test binary that uses this module must install no other logger.

use std::{
    cell::{Cell, RefCell},
    collections::{BTreeSet, VecDeque},
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Mutex, MutexGuard, Once,
    },
};

/// One record, as the logger received it.
#[derive(Clone, Debug)]
pub struct Record {
    pub level: log::Level,
    pub target: String,
    /// The formatted message, as a logger would write it.
    pub message: String,
    /// The thread that logged it.
    thread: u64,
}

/// A number for the current thread, unique in the process. Not
/// `std::thread::current()`, which a record logged while the thread's locals
/// are torn down could not use.
fn thread_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static NUMBER: Cell<u64> = const { Cell::new(0) };
    }
    NUMBER.with(|number| {
        if number.get() == 0 {
            number.set(NEXT.fetch_add(1, Ordering::Relaxed));
        }
        number.get()
    })
}

/// A view of the records logged since it started, while it lives.
///
/// Not `Sync`: a test reads its view from its own thread.
pub struct Capture {
    start: u64,
    thread: u64,
    /// Sequence numbers already returned by [`Capture::take`].
    taken: RefCell<BTreeSet<u64>>,
}

struct Store {
    /// The sequence number of `records[0]`.
    first: u64,
    records: VecDeque<Record>,
    /// The starts of the live views (one entry per view).
    starts: Vec<u64>,
}

impl Store {
    fn next(&self) -> u64 {
        self.first + self.records.len() as u64
    }

    /// The records from `start` on, with their sequence numbers.
    fn since(&self, start: u64) -> impl Iterator<Item = (u64, &Record)> {
        let skip = (start.saturating_sub(self.first) as usize).min(self.records.len());
        (self.first + skip as u64..).zip(self.records.range(skip..))
    }
}

static STORE: Mutex<Store> = Mutex::new(Store {
    first: 0,
    records: VecDeque::new(),
    starts: Vec::new(),
});

/// How many views are alive: with none, records are not even formatted.
static LIVE: AtomicUsize = AtomicUsize::new(0);

fn store() -> MutexGuard<'static, Store> {
    // A test that panicked while holding the lock left the store consistent:
    // every change to it is a single push or drain.
    STORE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Logger;

impl log::Log for Logger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if LIVE.load(Ordering::SeqCst) == 0 {
            return;
        }
        // Formatted outside the lock, as a real logger would format it.
        let record = Record {
            level: record.level(),
            target: record.target().to_owned(),
            message: record.args().to_string(),
            thread: thread_number(),
        };
        let mut store = store();
        if store.starts.is_empty() {
            return;
        }
        store.records.push_back(record);
    }

    fn flush(&self) {}
}

static LOGGER: Logger = Logger;

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&LOGGER).expect("test_support::log is the only logger of this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

impl Capture {
    /// Installs the logger if no test of this binary has, and starts a view
    /// of the records logged from now on by any thread.
    pub fn start() -> Capture {
        install();
        let mut store = store();
        let start = store.next();
        store.starts.push(start);
        LIVE.fetch_add(1, Ordering::SeqCst);
        Capture {
            start,
            thread: thread_number(),
            taken: RefCell::default(),
        }
    }

    /// Every record logged since this view started, by any thread, oldest
    /// first.
    pub fn records(&self) -> Vec<Record> {
        store()
            .since(self.start)
            .map(|(_, record)| record.clone())
            .collect()
    }

    /// The records logged since this view started by the thread that
    /// started it.
    pub fn on_this_thread(&self) -> Vec<Record> {
        store()
            .since(self.start)
            .filter(|(_, record)| record.thread == self.thread)
            .map(|(_, record)| record.clone())
            .collect()
    }

    /// The records logged since this view started, by any thread, that
    /// `keep` selects and no earlier `take` returned. A record one `take`
    /// returns is out of the view for the next ones; the others stay.
    pub fn take(&self, keep: impl Fn(&Record) -> bool) -> Vec<Record> {
        let store = store();
        let mut taken = self.taken.borrow_mut();
        let mut records = Vec::new();
        for (seq, record) in store.since(self.start) {
            if !taken.contains(&seq) && keep(record) {
                taken.insert(seq);
                records.push(record.clone());
            }
        }
        records
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let mut store = store();
        if let Some(i) = store.starts.iter().position(|&s| s == self.start) {
            store.starts.swap_remove(i);
        }
        LIVE.fetch_sub(1, Ordering::SeqCst);
        // Drop what no live view can see any more.
        let keep_from = store.starts.iter().copied().min().unwrap_or(store.next());
        let stale = keep_from.saturating_sub(store.first) as usize;
        store.records.drain(..stale);
        store.first += stale as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::Capture;

    #[test]
    fn views_see_what_was_logged_while_they_live() {
        log::info!("before");
        let outer = Capture::start();
        log::info!("first");
        let inner = Capture::start();
        log::warn!("second");
        let messages = |records: Vec<super::Record>| {
            records.into_iter().map(|r| r.message).collect::<Vec<_>>()
        };
        assert_eq!(messages(outer.on_this_thread()), ["first", "second"]);
        assert_eq!(messages(inner.records()), ["second"]);
        std::thread::spawn(|| log::info!("elsewhere"))
            .join()
            .unwrap();
        assert_eq!(messages(inner.on_this_thread()), ["second"]);
        assert_eq!(messages(inner.records()), ["second", "elsewhere"]);

        assert_eq!(
            messages(outer.take(|r| r.message.starts_with('s'))),
            ["second"]
        );
        assert!(outer.take(|r| r.message.starts_with('s')).is_empty());
        assert_eq!(messages(outer.take(|_| true)), ["first", "elsewhere"]);
        drop(outer);
        assert_eq!(messages(inner.records()), ["second", "elsewhere"]);
    }
}
