//! A small fixed hasher (FNV-1a) for short keys.
//!
//! The standard library's SipHash is keyed randomly per process and is slow
//! on the short words this crate hashes millions of times; FNV-1a is fast on
//! short keys and the same on every run, which keeps compiled indexes and
//! ledgers deterministic. HashDoS is not a concern for the keys hashed with
//! it: product words and per-ticket scratch, all bounded by configured limits.

/// FNV-1a's offset basis: where every hash here starts.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, started at `seed` (usually [`FNV_OFFSET`], xored
/// with a tag that keeps separate uses apart).
pub(crate) fn fnv1a(seed: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(seed, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Builds [`Fnv`] hashers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BuildFnv;

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;

    fn build_hasher(&self) -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Keys that are already hashes (n-gram hashes, ids) pass through mixed once.
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x0100_0000_01b3);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}
