//! A fixed-size set of rule indices, so that matching needs no allocation.

/// The most rules one policy may have. Amazon S3 allows 100; the macro refuses
/// more than this with a compile error.
pub const MAX_RULES: usize = cors_grammar::MAX_RULES;

const WORDS: usize = cors_grammar::RULE_SET_WORDS;

/// A set of rule indices below [`MAX_RULES`], iterated in ascending order
/// (which is rule order: the first rule wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleSet(pub(crate) [u64; WORDS]);

impl RuleSet {
    /// The empty set.
    pub const EMPTY: RuleSet = RuleSet([0; WORDS]);

    /// Adds `rule`; indices out of range are ignored (the macro never emits them).
    pub(crate) fn insert(&mut self, rule: u16) {
        cors_grammar::insert_rule(&mut self.0, usize::from(rule));
    }

    /// Adds every rule of `other`.
    pub(crate) fn union(&mut self, other: &RuleSet) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
    }

    /// Whether no rule is in the set.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|word| *word == 0)
    }

    /// The rule indices in ascending order.
    #[inline]
    pub(crate) fn iter(self) -> Rules {
        Rules {
            words: self.0,
            word: 0,
        }
    }
}

/// The iterator of [`RuleSet::iter`]: one word at a time, lowest bit first.
#[derive(Debug)]
pub(crate) struct Rules {
    words: [u64; WORDS],
    word: usize,
}

impl Iterator for Rules {
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
    fn iterates_in_order() {
        let mut set = RuleSet::EMPTY;
        assert!(set.is_empty());
        for rule in [200, 3, 64, 0, 63, 255, 999] {
            set.insert(rule);
        }
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 3, 63, 64, 200, 255]);
    }
}
