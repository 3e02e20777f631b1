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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_add_up_until_taken() {
        take();
        step();
        add(5);
        add(0);
        step();
        assert_eq!(take(), 7);
        assert_eq!(take(), 0, "taking restarts the count");
        add(3);
        assert_eq!(take(), 3);
    }

    /// Each thread counts its own steps.
    #[test]
    fn another_threads_steps_are_not_counted() {
        take();
        step();
        let other = std::thread::spawn(|| {
            add(100);
            take()
        })
        .join()
        .expect("no panic");
        assert_eq!(other, 100);
        assert_eq!(take(), 1);
    }

    /// The count wraps instead of overflowing.
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn the_count_wraps() {
        take();
        add(usize::MAX);
        add(usize::MAX);
        assert_eq!(take(), u64::MAX - 1);
    }
}
