//! A global allocator that counts the allocations of each thread.
//!
//! A test or benchmark binary installs it once:
//!
//! ```
//! use test_support::alloc::{allocations, CountingAlloc};
//!
//! #[global_allocator]
//! static GLOBAL: CountingAlloc = CountingAlloc;
//!
//! # fn main() {
//! let before = allocations();
//! let boxed = std::hint::black_box(Box::new(7));
//! assert_eq!(allocations() - before, 1);
//! # drop(boxed);
//! # }
//! ```
//!
//! and compares [`allocations`] before and after the code it measures, on
//! the thread that runs it: the other threads of the binary (other tests,
//! server workers) do not count.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
};

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// Counts allocations (`alloc`, `alloc_zeroed`, `realloc`) per thread and
/// leaves the work to the system allocator.
pub struct CountingAlloc;

fn count_one() {
    // `try_with`: an allocation while the thread is torn down is not counted.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees are passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's guarantees are passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees are passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations made on this thread so far (with [`CountingAlloc`] installed;
/// always 0 without it).
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Panics unless [`CountingAlloc`] is the global allocator, so that a count
/// of 0 means no allocation rather than no counting.
#[track_caller]
pub fn assert_counting() {
    let before = allocations();
    drop(std::hint::black_box(Box::new(0u64)));
    assert!(
        allocations() > before,
        "install `test_support::alloc::CountingAlloc` as the #[global_allocator] to count allocations"
    );
}
