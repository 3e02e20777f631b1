//! The hash of the origin index: the perfect hash that `cors-config` solves
//! (with `phf_generator`'s displacement algorithm) when a policy is built,
//! and that `cors-runtime` evaluates for every request's host.
//!
//! Not SipHash: the index is a perfect hash over a fixed set of hosts, so a
//! lookup is one hash, one slot and one comparison whatever the request
//! sends; no input can make it chain or probe, and a keyed cryptographic
//! hash buys nothing but cost (about 200 instructions for a 15-byte host,
//! against about 40 here). What the generator needs is that distinct hosts
//! get independent-looking outputs for each key it tries: every byte goes
//! through a 64x64->128-bit folded multiply seeded with the key and the
//! length. Portable: the same bytes and key give the same hashes on every
//! target, so a compile-time index works on the machine that runs it.

/// The three values the displacement algorithm needs for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexHashes {
    /// Chooses the displacement bucket.
    pub g: u32,
    /// First hash of the slot formula.
    pub f1: u32,
    /// Second hash of the slot formula.
    pub f2: u32,
}

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;
const MIXER: u64 = 0x2d35_8dcc_aa6c_78a5;

/// The 128-bit product of `a` and `b`, its halves folded with XOR.
#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hashes of `bytes` under `key`.
#[inline]
pub fn index_hash(bytes: &[u8], key: u64) -> IndexHashes {
    let mut state = key ^ (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        state = folded_multiply(state ^ u64::from_le_bytes(word), MIXER);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        state = folded_multiply(state ^ u64::from_le_bytes(word), MIXER);
    }
    let high = folded_multiply(state ^ key.rotate_left(32), MULTIPLIER);
    let low = folded_multiply(high ^ MIXER, key | 1);
    IndexHashes {
        g: (high >> 32) as u32,
        f1: high as u32,
        f2: (low >> 32) as u32,
    }
}

/// The slot of `hashes` in an index of `len` slots with these displacements
/// (the formula `phf_generator` solves for); `None` for an empty index.
#[inline]
pub fn index_slot(hashes: IndexHashes, disps: &[(u32, u32)], len: usize) -> Option<usize> {
    let buckets = u32::try_from(disps.len()).ok().filter(|n| *n > 0)?;
    let slots = u32::try_from(len).ok().filter(|n| *n > 0)?;
    let (d1, d2) = *disps.get((hashes.g % buckets) as usize)?;
    let displaced = d2
        .wrapping_add(hashes.f1.wrapping_mul(d1))
        .wrapping_add(hashes.f2);
    usize::try_from(displaced % slots).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_and_the_length_and_the_key_count() {
        let base = index_hash(b"app.example.com", 7);
        assert_eq!(base, index_hash(b"app.example.com", 7), "deterministic");
        assert_ne!(base, index_hash(b"app.example.con", 7));
        assert_ne!(base, index_hash(b"bpp.example.com", 7));
        assert_ne!(base, index_hash(b"app.example.com", 8));
        assert_ne!(index_hash(b"ab", 1), index_hash(b"ab\0", 1));
        assert_ne!(index_hash(b"", 1), index_hash(b"\0", 1));
    }

    #[test]
    fn slots_stay_in_range() {
        let disps = [(1, 2), (3, 4), (5, 6)];
        for n in 0..1000u32 {
            let hashes = index_hash(&n.to_le_bytes(), 42);
            let slot = index_slot(hashes, &disps, 10);
            assert!(slot.is_some_and(|s| s < 10));
        }
        assert_eq!(index_slot(index_hash(b"a", 1), &[], 10), None);
        assert_eq!(index_slot(index_hash(b"a", 1), &disps, 0), None);
    }
}
