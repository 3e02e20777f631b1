//! [`SetBits`]: the set bits of a fixed array of 64-bit words, in ascending
//! order — how rule sets are walked; [`SetBitsBelow`]: those below a limit
//! — how the origin index's key-length sets are walked.

/// The positions of the set bits of `words` (bit `b` of word `w` is position
/// `w * 64 + b`), lowest first.
#[derive(Debug)]
pub(crate) struct SetBits<const N: usize> {
    words: [u64; N],
    word: usize,
}

impl<const N: usize> SetBits<N> {
    /// Every set bit of `words`.
    #[inline]
    pub(crate) fn new(words: [u64; N]) -> Self {
        SetBits { words, word: 0 }
    }
}

/// The positions of the set bits of `words` below a limit, lowest first:
/// [`SetBits`] that never reads the words past the limit.
#[derive(Debug)]
pub(crate) struct SetBitsBelow<const N: usize> {
    words: [u64; N],
    word: usize,
    /// The first word not read.
    end: usize,
}

impl<const N: usize> SetBitsBelow<N> {
    /// The set bits of `words` at positions below `limit`.
    #[inline]
    pub(crate) fn new(mut words: [u64; N], limit: usize) -> Self {
        // Only the word holding `limit` is masked: the words after it are
        // never read.
        if let Some(word) = words.get_mut(limit / 64) {
            *word &= (1u64 << (limit % 64)) - 1;
        }
        SetBitsBelow {
            words,
            word: 0,
            end: limit.div_ceil(64).min(N),
        }
    }
}

impl<const N: usize> Iterator for SetBitsBelow<N> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.word < self.end {
            let bits = self.words.get_mut(self.word)?;
            if *bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                *bits &= *bits - 1;
                return Some(self.word * 64 + bit);
            }
            self.word += 1;
        }
        None
    }
}

impl<const N: usize> Iterator for SetBits<N> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while let Some(bits) = self.words.get_mut(self.word) {
            if *bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                *bits &= *bits - 1;
                return Some(self.word * 64 + bit);
            }
            self.word += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_bits_come_out_ascending_and_below_the_limit() {
        let mut words = [0u64; 4];
        for position in [0, 9, 63, 64, 200, 255] {
            words[position / 64] |= 1 << (position % 64);
        }
        let all: Vec<usize> = SetBits::new(words).collect();
        assert_eq!(all, [0, 9, 63, 64, 200, 255]);
        let below = |limit| SetBitsBelow::new(words, limit).collect::<Vec<_>>();
        assert_eq!(below(0), [0usize; 0]);
        assert_eq!(below(1), [0]);
        assert_eq!(below(63), [0, 9]);
        assert_eq!(below(64), [0, 9, 63]);
        assert_eq!(below(65), [0, 9, 63, 64]);
        assert_eq!(below(255), [0, 9, 63, 64, 200]);
        assert_eq!(below(256), all);
        assert_eq!(below(usize::MAX), all);
        assert_eq!(SetBits::new([0u64; 4]).count(), 0);
    }
}
