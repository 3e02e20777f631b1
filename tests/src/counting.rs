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
use std::sync::atomic::{AtomicUsize, Ordering};

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting every `alloc` and `realloc`.
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is an atomic.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as our caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through `alloc` or `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: `ptr` came from `System`; same contract as our caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// How many allocations `f` made (meaningful only in a test binary that
/// installed [`CountingAllocator`] as its global allocator). The result of
/// `f` is dropped after counting.
pub fn allocations_during<T>(f: impl FnOnce() -> T) -> usize {
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let result = f();
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    drop(result);
    after - before
}
