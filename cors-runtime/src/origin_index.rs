//! [`OriginIndex`]: the perfect-hash index from a host (or a `*.` base
//! domain) to the origin patterns keyed there.
//!
//! The hash state (`key`, `disps`) is computed by `phf_generator` when
//! `cors_policy!` expands (or when a run-time policy is loaded), and hashed
//! here with `phf_shared`, the hash the generator solved for. The type is
//! ours, not `phf::Map`: generated code only calls [`OriginIndex::new`], so
//! a feature that changes `phf::Map`'s layout elsewhere in a user's
//! dependency graph (such as `phf/ptrhash`) cannot break the expansion.
//!
//! The layout is flat: every host's bytes in one byte string, every entry
//! in one array, and per slot the ranges into both. The arrays hold plain
//! `Copy` data, so a static index of 10,000 origins costs the compiler
//! little, and a run-time index is a handful of allocations.

use std::borrow::Cow;

use crate::origin::OriginEntry;

/// One slot of the index: where its key (a host or `*.` base) lies in the
/// host bytes, and where its entries lie in the entry array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// `hosts[host.0..host.1]` is the key.
    pub(crate) host: (u32, u32),
    /// `entries[entries.0..entries.1]` are the patterns keyed there.
    pub(crate) entries: (u32, u32),
}

/// A perfect-hash map from host bytes to origin entries: static (borrowed)
/// for `cors_policy!`, owned for a policy loaded at run time.
#[derive(Debug, Clone)]
pub struct OriginIndex {
    key: u64,
    disps: Cow<'static, [(u32, u32)]>,
    slots: Cow<'static, [Slot]>,
    hosts: Cow<'static, [u8]>,
    entries: Cow<'static, [OriginEntry]>,
    schemes: Cow<'static, [Cow<'static, str>]>,
}

impl OriginIndex {
    /// The index of a policy without exact or `*.` origin patterns.
    pub const EMPTY: OriginIndex = OriginIndex {
        key: 0,
        disps: Cow::Borrowed(&[]),
        slots: Cow::Borrowed(&[]),
        hosts: Cow::Borrowed(&[]),
        entries: Cow::Borrowed(&[]),
        schemes: Cow::Borrowed(&[]),
    };

    /// An index from `phf_generator`'s hash state: the hash `key`, the
    /// displacements, the slots in the generator's order, the host bytes
    /// and entries they point into, and the schemes entries name by index.
    /// Not public API: called by the code `cors_policy!` generates and by
    /// the run-time loaders.
    #[doc(hidden)]
    pub const fn new(
        key: u64,
        disps: Cow<'static, [(u32, u32)]>,
        slots: Cow<'static, [Slot]>,
        hosts: Cow<'static, [u8]>,
        entries: Cow<'static, [OriginEntry]>,
        schemes: Cow<'static, [Cow<'static, str>]>,
    ) -> Self {
        OriginIndex {
            key,
            disps,
            slots,
            hosts,
            entries,
            schemes,
        }
    }

    /// The entries keyed by `host`, if any. One SipHash of `host` and one
    /// comparison; never panics, whatever the index holds.
    pub(crate) fn get(&self, host: &[u8]) -> Option<&[OriginEntry]> {
        if self.disps.is_empty() || self.slots.is_empty() {
            return None;
        }
        let hashes = phf_shared::hash(host, &self.key);
        let slot = phf_shared::get_index(&hashes, &self.disps, self.slots.len());
        let slot = self.slots.get(usize::try_from(slot).ok()?)?;
        let key = self.hosts.get(range(slot.host)?)?;
        if key != host {
            return None;
        }
        self.entries.get(range(slot.entries)?)
    }

    /// The scheme an entry names.
    pub(crate) fn scheme(&self, entry: &OriginEntry) -> &str {
        self.schemes
            .get(usize::from(entry.scheme))
            .map_or("", |scheme| scheme)
    }
}

fn range((start, end): (u32, u32)) -> Option<std::ops::Range<usize>> {
    Some(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::PortPattern;

    /// Builds an owned index the way the run-time loaders do.
    fn index_of(hosts: &[String]) -> OriginIndex {
        let keys: Vec<&[u8]> = hosts.iter().map(|h| h.as_bytes()).collect();
        let state = phf_generator::generate_hash(&keys);
        let mut bytes = Vec::new();
        let mut slots = Vec::new();
        let mut entries = Vec::new();
        for &i in &state.map {
            let start = bytes.len() as u32;
            bytes.extend_from_slice(keys[i]);
            let first = entries.len() as u32;
            entries.push(OriginEntry {
                scheme: 0,
                port: PortPattern::Absent,
                subdomains: false,
                rule: i as u16,
            });
            slots.push(Slot {
                host: (start, bytes.len() as u32),
                entries: (first, entries.len() as u32),
            });
        }
        OriginIndex::new(
            state.key,
            Cow::Owned(state.disps),
            Cow::Owned(slots),
            Cow::Owned(bytes),
            Cow::Owned(entries),
            Cow::Owned(vec![Cow::Borrowed("https")]),
        )
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let hosts: Vec<String> = (0..3000).map(|i| format!("h{i}.example")).collect();
        let index = index_of(&hosts);
        for (i, host) in hosts.iter().enumerate() {
            let entries = index.get(host.as_bytes()).expect("found");
            assert_eq!(entries[0].rule as usize, i);
            assert_eq!(index.scheme(&entries[0]), "https");
        }
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
