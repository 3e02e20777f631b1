//! Where a problem is and what it is: every check records into
//! [`Problems`] and carries on, so that one pass reports every mistake.

use std::fmt;

/// A place in a policy, by indexes into the [`RawPolicy`](crate::RawPolicy)
/// tree: the macro maps it to a token's span, the run-time loaders to a
/// path such as `rules[1].allow_origins[0]` or `open_paths[1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// The policy as a whole (its list of rules).
    Policy,
    /// A rule as a whole.
    Rule(usize),
    /// The key of a rule's field (`fields[field]`).
    Key {
        /// The rule's index.
        rule: usize,
        /// The field's index in the rule, in the order written.
        field: usize,
    },
    /// The value of a rule's field.
    Value {
        /// The rule's index.
        rule: usize,
        /// The field's index in the rule, in the order written.
        field: usize,
    },
    /// One element of a list value.
    Item {
        /// The rule's index.
        rule: usize,
        /// The field's index in the rule, in the order written.
        field: usize,
        /// The element's index in the list.
        item: usize,
    },
    /// The key of one of the policy's own fields
    /// ([`RawPolicy::policy_fields`](crate::RawPolicy::policy_fields)`[field]`):
    /// `cross_origin_protection`, `open_paths`, or a key misplaced beside
    /// `rules`.
    PolicyKey {
        /// The field's index in the policy's fields, in the order written.
        field: usize,
    },
    /// The value of one of the policy's own fields.
    PolicyValue {
        /// The field's index in the policy's fields, in the order written.
        field: usize,
    },
    /// One element of a list value of the policy's own fields.
    PolicyItem {
        /// The field's index in the policy's fields, in the order written.
        field: usize,
        /// The element's index in the list.
        item: usize,
    },
}

/// Whose fields a check reads: a rule's, or the policy's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// The fields of rule `n`.
    Rule(usize),
    /// [`RawPolicy::policy_fields`](crate::RawPolicy::policy_fields).
    Policy,
}

impl Owner {
    /// The key of field `field`.
    pub(crate) fn key(self, field: usize) -> Location {
        match self {
            Owner::Rule(rule) => Location::Key { rule, field },
            Owner::Policy => Location::PolicyKey { field },
        }
    }

    /// The value of field `field`.
    pub(crate) fn value(self, field: usize) -> Location {
        match self {
            Owner::Rule(rule) => Location::Value { rule, field },
            Owner::Policy => Location::PolicyValue { field },
        }
    }

    /// Element `item` of the list value of field `field`.
    pub(crate) fn item(self, field: usize, item: usize) -> Location {
        match self {
            Owner::Rule(rule) => Location::Item { rule, field, item },
            Owner::Policy => Location::PolicyItem { field, item },
        }
    }
}

/// One mistake: where, and what is wrong with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where it is.
    pub at: Location,
    /// What is wrong and how to fix it, in the words of the compile error.
    pub message: String,
    /// The rule's `dangerously_*` switch that would accept what this
    /// problem refuses, when one would.
    pub opt_in: Option<OptIn>,
}

/// A rule's `dangerously_*` switch: named by a problem that turning it on
/// would accept, so that a tool writing a policy for another format's
/// configuration can turn on exactly the switches the checker asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OptIn {
    /// `dangerously_allow_insecure_origins`: a credentialed rule allows an
    /// origin that is not a secure context (plain `http`).
    InsecureOrigins,
    /// `dangerously_allow_public_suffix_wildcards`: a credentialed rule
    /// allows a `*.` wildcard over a public suffix.
    PublicSuffixWildcards,
}

impl OptIn {
    /// The rule's key that turns the switch on (`true`).
    pub const fn key(self) -> &'static str {
        match self {
            OptIn::InsecureOrigins => "dangerously_allow_insecure_origins",
            OptIn::PublicSuffixWildcards => "dangerously_allow_public_suffix_wildcards",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The most characters of a message: every value in one is quoted short
/// (see [`cors_grammar::quote`]), so this only guards against a message
/// that forgot to.
const MAX_MESSAGE_CHARS: usize = 1024;

/// The problems found so far, in the order found: the first `keep` of them,
/// and how many there were.
#[derive(Debug)]
pub(crate) struct Problems {
    list: Vec<Problem>,
    keep: usize,
    total: usize,
}

impl Problems {
    /// Keeps the first `keep` problems recorded and counts the rest, so
    /// that a hostile document's thousands of mistakes take no memory.
    pub(crate) fn keeping(keep: usize) -> Self {
        Problems {
            list: Vec::new(),
            keep,
            total: 0,
        }
    }

    /// Records a problem at `at`. A message is one line of at most
    /// `MAX_MESSAGE_CHARS` characters, with any control or
    /// bidirectional-formatting character escaped.
    pub(crate) fn at(&mut self, at: Location, message: impl Into<String>) {
        self.push(at, message.into(), None);
    }

    /// Records a problem that the rule's switch `opt_in` would accept.
    pub(crate) fn accepted_by(&mut self, at: Location, message: String, opt_in: OptIn) {
        self.push(at, message, Some(opt_in));
    }

    fn push(&mut self, at: Location, message: String, opt_in: Option<OptIn>) {
        cors_grammar::work::step();
        self.total += 1;
        if self.list.len() >= self.keep {
            return;
        }
        let mut message = message;
        let shown = cors_grammar::quote_to(&message, MAX_MESSAGE_CHARS);
        if !shown.is_verbatim() {
            message = shown.to_string();
        }
        self.list.push(Problem {
            at,
            message,
            opt_in,
        });
    }

    /// Whether any problem was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The problems kept, in the order found, and how many there were.
    pub(crate) fn into_parts(self) -> (Vec<Problem>, usize) {
        (self.list, self.total)
    }
}

/// Records problems about the elements of one list value.
pub(crate) struct ItemSink<'p> {
    pub(crate) problems: &'p mut Problems,
    pub(crate) owner: Owner,
    pub(crate) field: usize,
}

impl ItemSink<'_> {
    /// Records a problem about element `item` of the list.
    pub(crate) fn at(&mut self, item: usize, message: impl Into<String>) {
        let at = self.owner.item(self.field, item);
        self.problems.at(at, message);
    }
}
