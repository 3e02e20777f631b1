//! A fixed-size set of rule indices, so that matching needs no allocation.

/// The most rules one policy may have. Amazon S3 allows 100; the macro refuses
/// more than this with a compile error.
pub const MAX_RULES: usize = cors_grammar::MAX_RULES;

use crate::matcher::bits::SetBits;

const WORDS: usize = cors_grammar::RULE_SET_WORDS;

/// A set of rule indices below [`MAX_RULES`], iterated in ascending order
/// (which is rule order: the first rule wins).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RuleSet(pub(crate) [u64; WORDS]);

impl RuleSet {
    /// The empty set.
    pub(crate) const EMPTY: RuleSet = RuleSet([0; WORDS]);

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

    /// Keeps only the rules also in `other`.
    #[inline]
    pub(crate) fn intersect(&mut self, other: &RuleSet) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word &= other;
        }
    }

    /// The rules of this set that are not in `other`.
    #[inline]
    pub(crate) fn without(mut self, other: &RuleSet) -> RuleSet {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word &= !other;
        }
        self
    }

    /// Whether `rule` is in the set.
    #[inline]
    pub(crate) fn contains(&self, rule: usize) -> bool {
        self.0
            .get(rule / 64)
            .is_some_and(|word| word & (1 << (rule % 64)) != 0)
    }

    /// Whether the set holds more than one rule.
    #[inline]
    pub(crate) fn has_several(&self) -> bool {
        // Without counting bits: the lowest set bit cleared, is any left?
        let mut seen = false;
        for word in self.0 {
            if word == 0 {
                continue;
            }
            if seen || word & (word - 1) != 0 {
                return true;
            }
            seen = true;
        }
        false
    }

    /// Whether no rule is in the set.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|word| *word == 0)
    }

    /// The lowest rule index in the set.
    #[inline]
    pub(crate) fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// The rule indices in ascending order.
    #[inline]
    pub(crate) fn iter(self) -> SetBits<WORDS> {
        SetBits::new(self.0)
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
        assert_eq!(set.first(), Some(0));
        assert!(set.has_several());
        for rule in [0, 3, 63, 64, 200, 255] {
            assert!(set.contains(rule));
        }
        for rule in [1, 62, 65, 254, 256, 100_000] {
            assert!(!set.contains(rule));
        }
        let mut some = RuleSet::EMPTY;
        some.insert(3);
        some.insert(64);
        some.insert(7);
        let mut both = set;
        both.intersect(&some);
        assert_eq!(both.iter().collect::<Vec<_>>(), [3, 64]);
        assert_eq!(some.without(&set).iter().collect::<Vec<_>>(), [7]);
        let mut one = RuleSet::EMPTY;
        one.insert(200);
        assert!(!one.has_several());
        assert_eq!(RuleSet::EMPTY.first(), None);
    }
}
