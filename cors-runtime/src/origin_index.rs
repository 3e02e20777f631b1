//! [`OriginIndex`]: the perfect-hash index from a host (or a `*.` base
//! domain) to the origin patterns keyed there.
//!
//! The hash state (`key`, `disps`) is computed by `phf_generator` when
//! `cors_policy!` expands, and hashed here with `phf_shared`, the hash the
//! generator solved for. The type is ours, not `phf::Map`: generated code
//! only calls [`OriginIndex::new`], so a feature that changes `phf::Map`'s
//! layout elsewhere in a user's dependency graph (such as `phf/ptrhash`)
//! cannot break the expansion.

use crate::origin::OriginEntry;

/// A static perfect-hash map from host bytes to origin entries.
#[derive(Debug, Clone, Copy)]
pub struct OriginIndex {
    key: u64,
    disps: &'static [(u32, u32)],
    slots: &'static [(&'static [u8], &'static [OriginEntry])],
}

impl OriginIndex {
    /// The index of a policy without exact or `*.` origin patterns.
    pub const EMPTY: OriginIndex = OriginIndex {
        key: 0,
        disps: &[],
        slots: &[],
    };

    /// An index from `phf_generator`'s hash state: the hash `key`, the
    /// displacements, and the entries in the generator's slot order. Not
    /// public API: called by the code `cors_policy!` generates.
    #[doc(hidden)]
    pub const fn new(
        key: u64,
        disps: &'static [(u32, u32)],
        slots: &'static [(&'static [u8], &'static [OriginEntry])],
    ) -> Self {
        OriginIndex { key, disps, slots }
    }

    /// The entries keyed by `host`, if any. One SipHash of `host` and one
    /// comparison; never panics, whatever the index holds.
    pub(crate) fn get(&self, host: &[u8]) -> Option<&'static [OriginEntry]> {
        if self.disps.is_empty() || self.slots.is_empty() {
            return None;
        }
        let hashes = phf_shared::hash(host, &self.key);
        let slot = phf_shared::get_index(&hashes, self.disps, self.slots.len());
        let (key, entries) = self.slots.get(usize::try_from(slot).ok()?)?;
        (*key == host).then_some(*entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds an index the way the macro's expansion does, leaking what
    /// generated code would hold in statics.
    fn index_of(hosts: &[String]) -> OriginIndex {
        let keys: Vec<&[u8]> = hosts.iter().map(|h| h.as_bytes()).collect();
        let state = phf_generator::generate_hash(&keys);
        let entries: &'static [OriginEntry] = &[];
        let slots: Vec<(&'static [u8], &'static [OriginEntry])> = state
            .map
            .iter()
            .map(|&i| (&*Box::leak(keys[i].to_vec().into_boxed_slice()), entries))
            .collect();
        OriginIndex::new(
            state.key,
            Box::leak(state.disps.into_boxed_slice()),
            Box::leak(slots.into_boxed_slice()),
        )
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let hosts: Vec<String> = (0..3000).map(|i| format!("h{i}.example")).collect();
        let index = index_of(&hosts);
        assert!(hosts.iter().all(|h| index.get(h.as_bytes()).is_some()));
        for other in ["h3000.example", "example", "", "h1.example.", "H1.example"] {
            assert!(index.get(other.as_bytes()).is_none(), "{other}");
        }
        let one = index_of(&["a.example".to_owned()]);
        assert!(one.get(b"a.example").is_some());
        assert!(one.get(b"b.example").is_none());
    }

    #[test]
    fn empty_index_finds_nothing() {
        assert!(OriginIndex::EMPTY.get(b"example.com").is_none());
        assert!(OriginIndex::EMPTY.get(b"").is_none());
    }
}
