//! [`OriginIndex`]: the perfect-hash index from a host (or a `*.` base
//! domain) to the origin patterns keyed there.
//!
//! The hash state (`seed`, `pilots`, `remap`) is computed by
//! `phf_generator`'s PtrHash when `cors_policy!` expands (or when a run-time
//! policy is loaded), and hashed here with `phf_shared::ptrhash`, the hash
//! the generator solved for: SipHash-1-3 with a 64-bit result, then two
//! multiply-shift reductions (no division). The type is
//! ours, not `phf::Map`: generated code only calls a `const fn` that builds it, so
//! a feature that changes `phf::Map`'s layout elsewhere in a user's
//! dependency graph (such as `phf/ptrhash`) cannot break the expansion.
//!
//! Before hashing, a lookup checks the key's length against the lengths of
//! the keys the index holds ([`KeyLengths`], one set for hosts of exact
//! patterns and one for `*.` bases): most hosts that cannot match, and most
//! label suffixes of a subdomain, then cost no hash at all, so a `*.`
//! pattern matches a subdomain with one hash, as an exact pattern does. An
//! index of at most eight keys is not hashed at all: a lookup compares the
//! host with each key, which is cheaper.
//!
//! The layout is flat: every host's bytes in one byte string, every entry
//! in one array, and per slot the ranges into both. The arrays hold plain
//! `Copy` data, so a static index of 10,000 origins costs the compiler
//! little, and a run-time index is a handful of allocations.

use std::borrow::Cow;

use phf_shared::ptrhash;

use crate::front::origin::OriginEntry;
use crate::matcher::bits::SetBitsBelow;

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
    seed: u64,
    pilots: Cow<'static, [u8]>,
    remap: Cow<'static, [u32]>,
    slots: Cow<'static, [Slot]>,
    hosts: Cow<'static, [u8]>,
    entries: Cow<'static, [OriginEntry]>,
    schemes: Cow<'static, [Cow<'static, str>]>,
    lengths: KeyLengths,
    /// The table sizes the slot computation reads, checked once when the
    /// index is built (`None` when a table is empty or too large: the index
    /// then finds nothing).
    sizes: Option<TableSizes>,
}

/// The sizes of an index's tables, as PtrHash's reductions use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TableSizes {
    /// Slots holding a key.
    keys: u32,
    /// Pilots (one per bucket).
    pilots: u32,
    /// Slots in all, the remapped ones included.
    slots: u32,
}

impl TableSizes {
    /// The sizes of non-empty tables that fit in `u32`.
    const fn of(keys: usize, pilots: usize, remap: usize) -> Option<TableSizes> {
        if keys == 0 || pilots == 0 || keys > u32::MAX as usize || pilots > u32::MAX as usize {
            return None;
        }
        let slots = keys.saturating_add(remap);
        if slots > u32::MAX as usize {
            return None;
        }
        Some(TableSizes {
            keys: keys as u32,
            pilots: pilots as u32,
            slots: slots as u32,
        })
    }
}

/// The lengths of an index's keys, by what is keyed there: hosts of exact
/// patterns, and bases of `*.` patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct KeyLengths {
    exact: LengthSet,
    base: LengthSet,
    /// Whether `base` holds some length.
    has_bases: bool,
}

/// A set of lengths from 0 to 255; longer lengths share the bit of 255 (no
/// key is that long, and a shared bit only costs a lookup, never a match).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LengthSet([u64; 4]);

impl LengthSet {
    const EMPTY: LengthSet = LengthSet([0; 4]);

    const fn bit(len: usize) -> (usize, u64) {
        let len = if len > 255 { 255 } else { len };
        (len / 64, 1 << (len % 64))
    }

    const fn insert(&mut self, len: usize) {
        let (word, bit) = LengthSet::bit(len);
        self.0[word] |= bit;
    }

    #[inline]
    fn holds(&self, len: usize) -> bool {
        let (word, bit) = LengthSet::bit(len);
        self.0[word] & bit != 0
    }

    /// The lengths in the set below `limit`, ascending.
    #[inline]
    fn below(&self, limit: usize) -> SetBitsBelow<'_> {
        SetBitsBelow::new(&self.0, limit)
    }
}

impl KeyLengths {
    const EMPTY: KeyLengths = KeyLengths {
        exact: LengthSet::EMPTY,
        base: LengthSet::EMPTY,
        has_bases: false,
    };

    /// The lengths of the keys of `slots`, by the kinds of their `entries`.
    /// Ranges that point outside the arrays are skipped (never a panic).
    const fn of(slots: &[Slot], entries: &[OriginEntry]) -> KeyLengths {
        let mut lengths = KeyLengths::EMPTY;
        let mut s = 0;
        while s < slots.len() {
            let slot = slots[s];
            let len = slot.host.1.saturating_sub(slot.host.0) as usize;
            let mut e = slot.entries.0 as usize;
            while e < slot.entries.1 as usize && e < entries.len() {
                if entries[e].subdomains {
                    lengths.base.insert(len);
                    lengths.has_bases = true;
                } else {
                    lengths.exact.insert(len);
                }
                e += 1;
            }
            s += 1;
        }
        lengths
    }
}

impl OriginIndex {
    /// The index of a policy without exact or `*.` origin patterns.
    pub(crate) const EMPTY: OriginIndex = OriginIndex {
        seed: 0,
        pilots: Cow::Borrowed(&[]),
        remap: Cow::Borrowed(&[]),
        slots: Cow::Borrowed(&[]),
        hosts: Cow::Borrowed(&[]),
        entries: Cow::Borrowed(&[]),
        schemes: Cow::Borrowed(&[]),
        lengths: KeyLengths::EMPTY,
        sizes: None,
    };

    /// An index in static memory, from `phf_generator`'s PtrHash state: the
    /// `seed`, the `pilots` and the `remap` table, the slots in the generator's order, the
    /// host bytes and entries they point into, and the schemes entries name
    /// by index. Called by the code `cors_policy!` generates.
    pub(crate) const fn from_static(
        seed: u64,
        pilots: &'static [u8],
        remap: &'static [u32],
        slots: &'static [Slot],
        hosts: &'static [u8],
        entries: &'static [OriginEntry],
        schemes: &'static [Cow<'static, str>],
    ) -> Self {
        OriginIndex {
            seed,
            pilots: Cow::Borrowed(pilots),
            remap: Cow::Borrowed(remap),
            slots: Cow::Borrowed(slots),
            hosts: Cow::Borrowed(hosts),
            entries: Cow::Borrowed(entries),
            schemes: Cow::Borrowed(schemes),
            lengths: KeyLengths::of(slots, entries),
            sizes: TableSizes::of(slots.len(), pilots.len(), remap.len()),
        }
    }

    /// The same index, owned: built by the run-time loaders.
    #[cfg(any(
        test,
        feature = "json",
        feature = "toml",
        feature = "env",
        feature = "serde",
        feature = "aws"
    ))]
    pub(crate) fn owned(
        seed: u64,
        pilots: Vec<u8>,
        remap: Vec<u32>,
        slots: Vec<Slot>,
        hosts: Vec<u8>,
        entries: Vec<OriginEntry>,
        schemes: Vec<Cow<'static, str>>,
    ) -> Self {
        let lengths = KeyLengths::of(&slots, &entries);
        let sizes = TableSizes::of(slots.len(), pilots.len(), remap.len());
        OriginIndex {
            seed,
            pilots: Cow::Owned(pilots),
            remap: Cow::Owned(remap),
            slots: Cow::Owned(slots),
            hosts: Cow::Owned(hosts),
            entries: Cow::Owned(entries),
            schemes: Cow::Owned(schemes),
            lengths,
            sizes,
        }
    }

    /// Whether some `*.` pattern is keyed in the index.
    #[inline]
    pub(crate) fn has_bases(&self) -> bool {
        self.lengths.has_bases
    }

    /// The lengths of the `*.` bases shorter than `limit`, ascending.
    #[inline]
    pub(crate) fn base_lengths_below(&self, limit: usize) -> SetBitsBelow<'_> {
        self.lengths.base.below(limit)
    }

    /// The entries keyed by `host` when some exact pattern has a host of its
    /// length (else no hash is computed).
    #[inline]
    pub(crate) fn get_host(&self, host: &[u8]) -> Option<&[OriginEntry]> {
        if !self.lengths.exact.holds(host.len()) {
            return None;
        }
        self.get(host)
    }

    /// The entries keyed by `base` when some `*.` pattern has a base of its
    /// length (else no hash is computed).
    #[inline]
    pub(crate) fn get_base(&self, base: &[u8]) -> Option<&[OriginEntry]> {
        if !self.lengths.base.holds(base.len()) {
            return None;
        }
        self.get(base)
    }

    /// The entries keyed by `host`, if any: an index of at most
    /// [`SCANNED_KEYS`] keys compares `host` with each key (cheaper than the
    /// hash), a larger one computes one SipHash of `host` and compares once.
    /// Both find the same slot, the perfect hash placing each key in its
    /// own. Never panics, whatever the index holds.
    #[inline]
    fn get(&self, host: &[u8]) -> Option<&[OriginEntry]> {
        if self.slots.len() <= SCANNED_KEYS {
            let slot = self.slots.iter().find(|slot| {
                range(slot.host).and_then(|keyed| self.hosts.get(keyed)) == Some(host)
            })?;
            return self.entries.get(range(slot.entries)?);
        }
        self.get_by_hash(host)
    }

    /// [`OriginIndex::get`] through the perfect hash.
    fn get_by_hash(&self, host: &[u8]) -> Option<&[OriginEntry]> {
        let slot = self.slots.get(self.slot_of(host)?)?;
        let key = self.hosts.get(range(slot.host)?)?;
        if key != host {
            return None;
        }
        self.entries.get(range(slot.entries)?)
    }

    /// The slot `host` hashes to: `phf_shared::ptrhash::get_index`, with
    /// every table read checked (an index built by hand cannot panic here).
    #[inline]
    fn slot_of(&self, host: &[u8]) -> Option<usize> {
        let TableSizes {
            keys: len,
            pilots: pilot_count,
            slots: slot_count,
        } = self.sizes?;
        let hash = ptrhash::hash(host, &self.seed);
        let bucket = ptrhash::fast_reduct32(hash as u32, pilot_count);
        let pilot = *self.pilots.get(usize::try_from(bucket).ok()?)?;
        let pilot_hash = ptrhash::hash_pilot(self.seed, pilot);
        let high = |value: u64| (value >> 32) as u32;
        let mixed = high(hash) ^ high(pilot_hash) ^ pilot_hash as u32;
        let index = ptrhash::fast_reduct32(mixed, slot_count);
        let index = if index < len {
            index
        } else {
            *self.remap.get(usize::try_from(index - len).ok()?)?
        };
        usize::try_from(index).ok()
    }

    /// The scheme an entry names.
    pub(crate) fn scheme(&self, entry: &OriginEntry) -> &str {
        self.schemes
            .get(usize::from(entry.scheme))
            .map_or("", |scheme| scheme)
    }
}

/// Up to this many keys, [`OriginIndex::get`] compares the host with each
/// key instead of hashing it (a hash costs about as much as eight
/// comparisons of keys of the host's length).
const SCANNED_KEYS: usize = 8;

fn range((start, end): (u32, u32)) -> Option<std::ops::Range<usize>> {
    Some(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::origin::PortPattern;

    /// Builds an owned index the way the run-time loaders do.
    fn index_of(hosts: &[String]) -> OriginIndex {
        let keys: Vec<&[u8]> = hosts.iter().map(|h| h.as_bytes()).collect();
        let state = phf_generator::ptrhash::generate_hash(&keys);
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
        OriginIndex::owned(
            state.seed,
            state.pilots,
            state.remap,
            slots,
            bytes,
            entries,
            vec![Cow::Borrowed("https")],
        )
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let hosts: Vec<String> = (0..3000).map(|i| format!("h{i}.example")).collect();
        let index = index_of(&hosts);
        // The checked slot computation is phf_shared's.
        for host in hosts
            .iter()
            .map(String::as_bytes)
            .chain([&b"other"[..], b""])
        {
            let hash = ptrhash::hash(host, &index.seed);
            let expected = ptrhash::get_index(
                index.seed,
                hash,
                &index.pilots,
                &index.remap,
                index.slots.len(),
            );
            assert_eq!(index.slot_of(host), Some(expected as usize));
        }
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
    fn lookups_skip_lengths_no_key_of_that_kind_has() {
        // index_of keys exact patterns only.
        let index = index_of(&["a.example".to_owned(), "bb.example".to_owned()]);
        assert!(index.get_host(b"a.example").is_some());
        assert!(index.get_host(b"bb.example").is_some());
        assert!(index.get_host(b"c.example").is_none());
        // No `*.` base at all: a base lookup never hashes, never finds, and
        // the subdomain walk is skipped.
        assert!(index.get_base(b"a.example").is_none());
        assert_eq!(index.base_lengths_below(usize::MAX).count(), 0);
        let mut lengths = LengthSet::EMPTY;
        for len in [0, 9, 63, 64, 200, 255, 4000] {
            lengths.insert(len);
        }
        for len in [0, 9, 63, 64, 200, 255, 256, 4000] {
            assert!(lengths.holds(len), "{len}");
        }
        for len in [1, 8, 10, 62, 65, 199, 254] {
            assert!(!lengths.holds(len), "{len}");
        }
        // The limits themselves are bits::SetBitsBelow's (tested there).
        let below = |limit| lengths.below(limit).collect::<Vec<_>>();
        assert_eq!(below(64), [0, 9, 63]);
        assert_eq!(below(usize::MAX), [0, 9, 63, 64, 200, 255]);
    }

    #[test]
    fn empty_index_finds_nothing() {
        assert!(OriginIndex::EMPTY.get(b"example.com").is_none());
        assert!(OriginIndex::EMPTY.get(b"").is_none());
    }
}
