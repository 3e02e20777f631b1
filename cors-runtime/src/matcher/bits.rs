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
/// [`SetBits`] that never reads the words past the limit (and borrows them:
/// a key length is almost always below 64, and the walk then reads one word).
#[derive(Debug)]
pub(crate) struct SetBitsBelow<'a> {
    words: &'a [u64],
    /// The bits of word `word` below the limit not returned yet.
    bits: u64,
    word: usize,
    limit: usize,
}

impl<'a> SetBitsBelow<'a> {
    /// The set bits of `words` at positions below `limit`.
    #[inline]
    pub(crate) fn new(words: &'a [u64], limit: usize) -> Self {
        SetBitsBelow {
            words,
            bits: word_below(words, 0, limit),
            word: 0,
            limit,
        }
    }
}

/// Word `word` of `words` with only its bits below `limit` (0 past either).
#[inline]
fn word_below(words: &[u64], word: usize, limit: usize) -> u64 {
    let bits = words.get(word).copied().unwrap_or(0);
    match limit.checked_sub(word * 64) {
        None | Some(0) => 0,
        Some(left) if left < 64 => bits & ((1u64 << left) - 1),
        Some(_) => bits,
    }
}

impl Iterator for SetBitsBelow<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.bits != 0 {
                let bit = self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                return Some(self.word * 64 + bit);
            }
            self.word += 1;
            if self.word >= self.words.len() || self.word * 64 >= self.limit {
                return None;
            }
            self.bits = word_below(self.words, self.word, self.limit);
        }
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
        let below = |limit| SetBitsBelow::new(&words, limit).collect::<Vec<_>>();
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

    #[test]
    fn set_bits_below_are_the_set_bits_filtered_by_the_limit() {
        // Word patterns with bits at the edges, in the middle, none and all.
        let patterns = [
            0,
            1,
            1 << 63,
            u64::MAX,
            0x8000_0000_0000_0001,
            0x0f0f_00ff_1234_5678,
        ];
        for a in patterns {
            for b in patterns {
                let words = [a, 0, b, a];
                let all: Vec<usize> = SetBits::new(words).collect();
                for limit in (0..=300).chain([usize::MAX]) {
                    let below: Vec<usize> = SetBitsBelow::new(&words, limit).collect();
                    let expected: Vec<usize> = all.iter().copied().filter(|&p| p < limit).collect();
                    assert_eq!(below, expected, "{words:x?} below {limit}");
                }
            }
        }
    }
}
