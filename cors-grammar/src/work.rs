//! Counted work: how many steps the loaders and checkers of `cors-s3` and
//! `cors-config` took on this thread, so that a test can prove their work
//! linear in the input without measuring time (see
//! `tests/tests/hostile_inputs.rs`). Needs the `std` feature.
//!
//! A step is one unit of work whose count depends on the input: an element
//! visited (a rule, a field, a list item, an XML token, a host label, an
//! environment variable), one set or map operation, one comparison of two
//! elements (sorting counts each comparison), and for a scan through text,
//! one step per byte scanned ([`add`] with the length). Work that is
//! constant per element (a lookup among the nine keys) is not counted
//! separately. The counter is a thread-local integer, always compiled: one
//! addition per counted unit, at load time only (never when a request is
//! answered).

use core::cell::Cell;

std::thread_local! {
    /// This thread's steps since the last [`take`]. Const-initialised and
    /// without a destructor: reading or adding never allocates.
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// Counts `units` steps on this thread.
#[inline]
pub fn add(units: usize) {
    STEPS.with(|steps| steps.set(steps.get().wrapping_add(units as u64)));
}

/// Counts one step on this thread.
#[inline]
pub fn step() {
    add(1);
}

/// The steps counted on this thread since the last call, and restarts the
/// count.
pub fn take() -> u64 {
    STEPS.with(|steps| steps.replace(0))
}
