//! Id lookups on the ingest path: a fixed word-at-a-time hash and a
//! compact id -> node table.
//!
//! Every ticket looks up one or two ids. A map of `String` keys verifies a
//! hit against a key on its own heap allocation, and with a thousand
//! nodes those allocations are scattered and cold by the next ticket. Here
//! the ids sit in one buffer and the table in one array, a few contiguous
//! lines that stay cached. Nothing here reaches the ledger's output.

use std::hash::{BuildHasherDefault, Hasher};

use super::sketch::mix64;

const MUL: u64 = 0x9e37_79b9_7f4a_7c15;

/// A fixed hash of a short string, eight bytes a step (a byte-wise FNV-1a
/// is a chain of one multiply per byte). Fixed, so nothing depends on a
/// random seed.
#[inline]
pub(crate) fn id_hash(bytes: &[u8]) -> u64 {
    let mut h = bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        h = (h ^ w).wrapping_mul(MUL).rotate_left(29);
    }
    let mut last = 0u64;
    for (i, &b) in words.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    mix64((h ^ last).wrapping_mul(MUL))
}

/// [`id_hash`] as a [`Hasher`], for the channel map.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

pub(crate) type IdBuild = BuildHasherDefault<IdHasher>;

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = id_hash(bytes) ^ self.0.rotate_left(17);
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.0 ^= u64::from(b);
    }
}

/// Ids -> node indices: open addressing (linear probing, load <= 1/2)
/// over `(hash, node)` slots; a slot's id is checked against the ids
/// buffer. O(1) expected per lookup, 16 bytes a slot plus the ids' bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct IdIndex {
    /// Every id, concatenated.
    text: String,
    /// `(start, end)` of each entry's id in `text`.
    spans: Vec<(u32, u32)>,
    /// `(hash, entry + 1)`; 0 marks an empty slot.
    slots: Vec<(u64, u32)>,
    /// The node of each entry.
    nodes: Vec<usize>,
}

impl IdIndex {
    /// Indexes `ids` (a later duplicate wins, as with a map's insert).
    pub(crate) fn new<'a>(ids: impl Iterator<Item = (&'a str, usize)> + Clone) -> IdIndex {
        let n = ids.clone().count();
        let size = (2 * n).next_power_of_two().max(16);
        let mut index = IdIndex {
            text: String::new(),
            spans: Vec::with_capacity(n),
            slots: vec![(0, 0); size],
            nodes: Vec::with_capacity(n),
        };
        for (id, node) in ids {
            index.insert(id, node);
        }
        index
    }

    fn insert(&mut self, id: &str, node: usize) {
        let hash = id_hash(id.as_bytes());
        let at = self.find(id, hash);
        let slot = &mut self.slots[at];
        if slot.1 != 0 {
            self.nodes[slot.1 as usize - 1] = node;
            return;
        }
        let start = self.text.len() as u32;
        self.text.push_str(id);
        self.spans.push((start, self.text.len() as u32));
        self.nodes.push(node);
        *slot = (hash, self.nodes.len() as u32);
    }

    /// The slot holding `id`, or the empty slot where it would go.
    #[inline]
    fn find(&self, id: &str, hash: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let (h, entry) = self.slots[at];
            if entry == 0 {
                return at;
            }
            if h == hash {
                let (start, end) = self.spans[entry as usize - 1];
                if &self.text[start as usize..end as usize] == id {
                    return at;
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The node of `id`, if indexed.
    #[inline]
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        let entry = self.slots[self.find(id, id_hash(id.as_bytes()))].1;
        (entry != 0).then(|| self.nodes[entry as usize - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_and_nothing_else() {
        let ids: Vec<String> = (0..3000).map(|i| format!("feature-{i}")).collect();
        let index = IdIndex::new(ids.iter().enumerate().map(|(i, s)| (s.as_str(), i)));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i), "{id}");
        }
        for miss in ["", "feature-", "feature-3000", "feature-12 ", "eature-1"] {
            assert_eq!(index.get(miss), None, "{miss:?}");
        }
    }

    #[test]
    fn a_later_duplicate_wins_and_empty_ids_work() {
        let index = IdIndex::new([("a", 1), ("", 2), ("a", 3)].into_iter());
        assert_eq!(index.get("a"), Some(3));
        assert_eq!(index.get(""), Some(2));
        assert_eq!(IdIndex::new(std::iter::empty()).get("a"), None);
    }

    #[test]
    fn hash_sees_every_byte_and_the_length() {
        let base = id_hash(b"customer-123456");
        assert_ne!(base, id_hash(b"customer-123457"));
        assert_ne!(base, id_hash(b"Customer-123456"));
        assert_ne!(id_hash(b"ab"), id_hash(b"ab\0"));
        assert_ne!(id_hash(b""), id_hash(b"\0"));
    }
}
