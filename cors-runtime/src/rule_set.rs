//! A fixed-size set of rule indices, so that matching needs no allocation.

/// The most rules one policy may have. Amazon S3 allows 100; the macro refuses
/// more than this with a compile error.
pub const MAX_RULES: usize = cors_grammar::MAX_RULES;

use crate::bits::SetBits;

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
    }
}
