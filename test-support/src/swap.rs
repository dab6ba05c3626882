//! A thread that swaps a dynamic origin set again and again while a test
//! sends requests: the tests that every request made during swaps is
//! decided by one whole set, never by a mix of two.
//!
//! The swaps must happen while the requests are made, however fast either
//! side runs (an optimised build sends a few thousand requests before a new
//! thread is first scheduled on a busy machine): [`Swapper::start`] returns
//! once the thread has swapped, and [`Swapper::keep_going`] goes on past the
//! given rounds until it has swapped [`MIN_SWAPS`] times more.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    thread::{self, JoinHandle},
    time::{Duration, Instant},
};

/// The swaps [`Swapper::keep_going`] waits for while the requests are made.
pub const MIN_SWAPS: usize = 100;

/// How long a test may take to see [`MIN_SWAPS`] swaps before it fails.
const DEADLINE: Duration = Duration::from_secs(60);

/// The swapping thread, stopped by [`Swapper::stop`] or when dropped.
pub struct Swapper {
    stop: Arc<AtomicBool>,
    swaps: Arc<AtomicUsize>,
    /// When [`Swapper::start`] returned, and the swaps made by then.
    started_at: Instant,
    swaps_at_start: usize,
    thread: Option<JoinHandle<()>>,
}

impl Swapper {
    /// Starts a thread that calls `swap(0)`, `swap(1)`, … until stopped, and
    /// returns once the first call has returned.
    pub fn start(mut swap: impl FnMut(usize) + Send + 'static) -> Swapper {
        let stop = Arc::new(AtomicBool::new(false));
        let swaps = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (stop, swaps) = (stop.clone(), swaps.clone());
            thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    swap(n);
                    n += 1;
                    swaps.store(n, Ordering::Release);
                }
            })
        };
        let begun = Instant::now();
        while swaps.load(Ordering::Acquire) == 0 {
            assert!(begun.elapsed() < DEADLINE, "the swapping thread never ran");
            thread::sleep(Duration::from_millis(1));
        }
        let swaps_at_start = swaps.load(Ordering::Acquire);
        Swapper {
            stop,
            swaps,
            started_at: Instant::now(),
            swaps_at_start,
            thread: Some(thread),
        }
    }

    /// How many swaps the thread has made since [`Swapper::start`] returned.
    pub fn swaps(&self) -> usize {
        self.swaps.load(Ordering::Acquire) - self.swaps_at_start
    }

    /// Whether the test makes request `round`: every round below `rounds`,
    /// then more until the thread has swapped [`MIN_SWAPS`] times since it
    /// started. Panics when that takes longer than a minute.
    pub fn keep_going(&self, round: usize, rounds: usize) -> bool {
        if round < rounds {
            return true;
        }
        if self.swaps() >= MIN_SWAPS {
            return false;
        }
        assert!(
            self.started_at.elapsed() < DEADLINE,
            "{} swaps in {round} rounds after {DEADLINE:?}",
            self.swaps()
        );
        true
    }

    /// Stops the thread; returns how many swaps it made since it started.
    pub fn stop(mut self) -> usize {
        self.halt();
        self.swaps()
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the swapping thread panicked");
        }
    }
}

impl Drop for Swapper {
    fn drop(&mut self) {
        if self.thread.is_some() && !thread::panicking() {
            self.halt();
        } else {
            self.stop.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_go_on_until_the_thread_has_swapped_enough() {
        // A slow swapper: the rounds asked for are over long before it has
        // swapped MIN_SWAPS times.
        let swapper = Swapper::start(|_| thread::sleep(Duration::from_micros(200)));
        let mut round = 0;
        while swapper.keep_going(round, 3) {
            round += 1;
        }
        assert!(round >= 3);
        assert!(swapper.swaps() >= MIN_SWAPS);
        assert!(swapper.stop() >= MIN_SWAPS);
    }

    #[test]
    fn start_returns_after_the_first_swap() {
        let swapper = Swapper::start(|_| thread::sleep(Duration::from_millis(20)));
        assert!(swapper.swaps.load(Ordering::Acquire) >= 1);
        drop(swapper); // stops and joins the thread
    }
}
