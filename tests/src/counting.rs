//! A global allocator that counts allocations, for tests that prove a code
//! path allocates nothing (or no more than something else).
//!
//! ```text
//! #[global_allocator]
//! static GLOBAL: cors_tests::counting::CountingAllocator = cors_tests::counting::CountingAllocator;
//! ```
// A global allocator needs `unsafe impl`; this one only delegates to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// This thread's allocations: tests running in parallel threads of one
    /// binary do not count each other's. Const-initialised and without a
    /// destructor, so reading it never allocates.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    /// The bytes this thread asked for: each `alloc`'s size and each
    /// `realloc`'s new size (so a vector grown by doubling counts about
    /// twice its final size).
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

/// Counts one allocation of `bytes` on this thread.
fn count(bytes: usize) {
    // A thread being torn down has no counter left: nothing to count.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = BYTES.try_with(|n| n.set(n.get().saturating_add(bytes)));
}

/// This thread's count so far.
fn counted() -> usize {
    ALLOCATIONS.try_with(Cell::get).unwrap_or_default()
}

/// The system allocator, counting every `alloc` and `realloc` of each thread.
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is a thread-local `Cell`.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through `alloc` or `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: `ptr` came from `System`; same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// How many allocations `f` made on this thread and how many bytes they
/// asked for (see [`allocations_during`]); `f`'s result is returned, not
/// dropped, so that its own freeing is not part of the count either way.
pub fn allocated_during<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = counted();
    let bytes_before = BYTES.try_with(Cell::get).unwrap_or_default();
    let result = f();
    let after = counted();
    let bytes_after = BYTES.try_with(Cell::get).unwrap_or_default();
    (result, after - before, bytes_after - bytes_before)
}

/// How many allocations `f` made on this thread (meaningful only in a test
/// binary that installed [`CountingAllocator`] as its global allocator).
/// The result of `f` is dropped after counting.
pub fn allocations_during<T>(f: impl FnOnce() -> T) -> usize {
    let before = counted();
    let result = f();
    let after = counted();
    drop(result);
    after - before
}
