//! The crate's two hashes: `FastHasher`, for maps and for keys that live
//! only in memory (terms, paths, the memo of `serve`), and `Stable`, FNV-1a,
//! for keys saved to disk (the build's fingerprint, a preview's key), which
//! must not change across runs, platforms or Rust versions.

use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A quick hash for short strings (the multiply-rotate hash of rustc's
/// FxHasher): terms are hashed millions of times in a large build, and
/// nothing here needs protection from chosen collisions.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        // Byte by byte: a copy of a few bytes would be a call to memcpy.
        let mut tail = chunks.remainder().len() as u64;
        for &b in chunks.remainder() {
            tail = (tail << 8) | u64::from(b);
        }
        self.add(tail);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the bucket, weak: mix
        // the high bits down (the last steps of MurmurHash3's fmix64).
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Builds `FastHasher`s.
pub(crate) type Fast = BuildHasherDefault<FastHasher>;

/// A map with `FastHasher`: paths and keys of one site, not chosen by an
/// attacker.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, Fast>;

/// A set with `FastHasher`.
pub(crate) type FastSet<T> = std::collections::HashSet<T, Fast>;

/// The fast hash of `x`: a key that lives only in memory.
pub(crate) fn of(x: impl Hash) -> u64 {
    let mut h = FastHasher::default();
    x.hash(&mut h);
    h.finish()
}

/// The fast hash of the set of `items`, in any order (on every core: the
/// sets hashed are a large site's tens of thousands of paths).
pub(crate) fn of_set<T: Hash + Sync>(items: &[T]) -> u64 {
    use rayon::prelude::*;
    items.par_iter().map(of).reduce(|| 0, u64::wrapping_add)
}

/// FNV-1a, 64 bits: stable across runs, platforms and Rust versions, for
/// keys saved to disk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stable(u64);

impl Stable {
    /// FNV-1a's standard offset basis.
    pub(crate) const BASIS: u64 = 0xcbf2_9ce4_8422_2325;

    /// A hash starting from `seed` (`Stable::BASIS` for plain FNV-1a).
    pub(crate) fn new(seed: u64) -> Self {
        Stable(seed)
    }

    /// Feeds `bytes`.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The hash of what was fed.
    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stable_hash_is_fnv_1a() {
        // FNV-1a 64 of "a", as published with the algorithm.
        let mut h = Stable::new(Stable::BASIS);
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn the_fast_hash_tells_short_strings_apart() {
        assert_ne!(of("ab"), of("ba"));
        assert_ne!(of(("a", "b")), of(("ab", "")));
        assert_eq!(of("same"), of("same"));
    }
}
