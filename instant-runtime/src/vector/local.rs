//! The deterministic local engine: feature hashing of words and character trigrams, so tests,
//! demos and offline applications get vectors with no network, no model file and no key.
//!
//! It knows nothing of meaning ("car" and "automobile" are unrelated) but texts that share
//! words or parts of words are close, which is enough to see `search`, `similarity` and
//! `classify` order rows sensibly. The vectors are a pure function of the text and the
//! dimension count: a fixed hash (FNV-1a 64 with a fixed finalizer, not std's seeded hasher)
//! and a fixed summation order make them the same on every run and every platform, so
//! expected orderings can be written into tests.

use super::Engine;
use crate::error::{Error, Result};

/// A deterministic engine with no network: lexically similar texts get similar vectors.
///
/// Each text is lowercased and split into words (runs of letters and digits); every word and
/// every character trigram of the word (with its boundaries, `" ca"`, `"cat"`, `"at "`) is
/// hashed into one of `dimensions` components with a hashed sign (the "hashing trick"). Words
/// weigh 1, trigrams ½, so a shared word counts more than a shared spelling. The vector is
/// L2-normalised: its dot product with another is their cosine similarity, so `search` and
/// `similarity` order rows alike.
///
/// The dimension count must match the `vector(N)` column the vectors are stored in.
///
/// ```
/// use instant_runtime::vector::{Engine, LocalEngine};
///
/// let engine = LocalEngine::new(64);
/// let texts = ["the cat sat".to_owned(), "a cat sat down".to_owned(), "tax returns".to_owned()];
/// let vectors = engine.embed(&texts).unwrap();
/// let cosine = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
/// assert!(cosine(&vectors[0], &vectors[1]) > cosine(&vectors[0], &vectors[2]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalEngine {
    dimensions: usize,
}

impl LocalEngine {
    /// The dimension count of [`LocalEngine::default`]: the size of small sentence-embedding
    /// models (all-MiniLM-L6-v2), enough to keep hash collisions rare in short texts while
    /// keeping rows and indexes small.
    pub const DEFAULT_DIMENSIONS: usize = 384;

    /// An engine giving vectors of `dimensions` components (the column's `vector(N)`).
    pub fn new(dimensions: usize) -> Self {
        LocalEngine { dimensions }
    }

    /// How many components each vector has.
    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    /// The vector of one text.
    ///
    /// A text with no letters or digits (`"!!!"`) is taken whole as one word, and the empty
    /// text hashes an empty feature, so every vector is a valid unit vector (a zero vector
    /// would make pgvector's cosine distance NaN).
    pub fn vector(&self, text: &str) -> Result<Vec<f32>> {
        if self.dimensions == 0 {
            return Err(Error::Vector {
                message: "Could not vectorize: the local vector engine has 0 dimensions".to_owned(),
            });
        }
        let lowercase = text.to_lowercase();
        let mut components = vec![0.0_f64; self.dimensions];
        let mut words = lowercase
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .peekable();
        if words.peek().is_none() {
            self.add_word(&mut components, lowercase.trim());
        }
        for word in words {
            self.add_word(&mut components, word);
        }
        let norm = components.iter().map(|c| c * c).sum::<f64>().sqrt();
        if norm == 0.0 {
            // Features that cancelled out exactly: fall back to the empty feature.
            self.add(&mut components, WORD, "", 1.0);
            return Ok(components.into_iter().map(|c| c as f32).collect());
        }
        Ok(components.into_iter().map(|c| (c / norm) as f32).collect())
    }

    /// Adds a word and its character trigrams (the word padded with a space at each end).
    fn add_word(&self, components: &mut [f64], word: &str) {
        self.add(components, WORD, word, WORD_WEIGHT);
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        let mut trigram = String::with_capacity(12);
        for window in padded.windows(3) {
            trigram.clear();
            trigram.extend(window);
            self.add(components, TRIGRAM, &trigram, TRIGRAM_WEIGHT);
        }
    }

    /// Adds one feature: its hash picks the component and the sign.
    fn add(&self, components: &mut [f64], kind: u8, feature: &str, weight: f64) {
        let hash = feature_hash(kind, feature);
        // Lossless: the remainder is below `dimensions`, itself a usize.
        let index = (hash % self.dimensions as u64) as usize;
        let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
        components[index] += sign * weight;
    }
}

impl Default for LocalEngine {
    /// [`DEFAULT_DIMENSIONS`](LocalEngine::DEFAULT_DIMENSIONS) components.
    fn default() -> Self {
        LocalEngine::new(LocalEngine::DEFAULT_DIMENSIONS)
    }
}

impl Engine for LocalEngine {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        texts.iter().map(|text| self.vector(text)).collect()
    }
}

/// Feature kinds, hashed first so a one- or two-letter word and a trigram never collide.
const WORD: u8 = b'w';
const TRIGRAM: u8 = b't';

const WORD_WEIGHT: f64 = 1.0;
const TRIGRAM_WEIGHT: f64 = 0.5;

/// FNV-1a 64 of the kind and the feature's UTF-8, then MurmurHash3's 64-bit finalizer: FNV's
/// low bits mix poorly, and the component index comes from them.
fn feature_hash(kind: u8, feature: &str) -> u64 {
    finalize(fnv1a(std::iter::once(kind).chain(feature.bytes())))
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.into_iter().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// MurmurHash3's `fmix64`: every input bit reaches every output bit.
fn finalize(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }

    fn norm(vector: &[f32]) -> f32 {
        cosine(vector, vector).sqrt()
    }

    #[test]
    fn the_same_text_gives_the_same_vector() {
        let engine = LocalEngine::default();
        let first = engine.vector("Hello, world").unwrap();
        let again = LocalEngine::default().vector("Hello, world").unwrap();
        assert_eq!(first, again);
        assert_eq!(first.len(), 384);
    }

    #[test]
    fn case_and_punctuation_do_not_matter() {
        let engine = LocalEngine::new(128);
        assert_eq!(
            engine.vector("Hello, World!").unwrap(),
            engine.vector("hello world").unwrap()
        );
    }

    #[test]
    fn vectors_are_unit_length() {
        let engine = LocalEngine::new(1536);
        for text in [
            "a",
            "the quick brown fox",
            "Ünïcödé façade",
            "!!!",
            "",
            "   ",
        ] {
            let vector = engine.vector(text).unwrap();
            assert_eq!(vector.len(), 1536);
            assert!(vector.iter().all(|c| c.is_finite()), "{text:?}");
            assert!((norm(&vector) - 1.0).abs() < 1e-5, "{text:?}");
        }
    }

    #[test]
    fn punctuation_only_texts_still_differ() {
        let engine = LocalEngine::new(384);
        assert_ne!(engine.vector("!!!").unwrap(), engine.vector("???").unwrap());
    }

    #[test]
    fn similar_texts_are_closer_than_unrelated_ones() {
        let engine = LocalEngine::default();
        let texts = [
            "I am a banana",
            "I am an apple and a banana",
            "The stock market fell sharply today",
        ]
        .map(String::from);
        let vectors = engine.embed(&texts).unwrap();
        assert!(cosine(&vectors[0], &vectors[1]) > 0.4);
        assert!(cosine(&vectors[0], &vectors[1]) > cosine(&vectors[0], &vectors[2]) + 0.3);
        // Shared spelling counts too: plural and singular are close.
        let plural = engine.vector("bananas").unwrap();
        let singular = engine.vector("banana").unwrap();
        let other = engine.vector("keyboard").unwrap();
        assert!(cosine(&plural, &singular) > cosine(&plural, &other) + 0.3);
    }

    #[test]
    fn zero_dimensions_is_an_error_not_a_panic() {
        let error = LocalEngine::new(0).vector("text").unwrap_err();
        assert!(error.to_string().contains("0 dimensions"), "{error}");
    }

    #[test]
    fn fnv1a_is_the_published_one() {
        assert_eq!(fnv1a(*b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(*b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(*b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_hash_is_fixed() {
        assert_eq!(feature_hash(WORD, "cat"), GOLDEN_CAT_HASH);
    }

    #[test]
    fn golden_components() {
        // Changing the hash, the features or the weights changes every stored vector: this
        // must then be a deliberate change.
        let vector = LocalEngine::new(16).vector("cat").unwrap();
        let rounded: Vec<i32> = vector
            .iter()
            .map(|c| (c * 10_000.0).round() as i32)
            .collect();
        assert_eq!(rounded, GOLDEN_CAT_16);
    }

    const GOLDEN_CAT_HASH: u64 = 0x86d3_f4b7_74c9_cfd7;
    // The word (1) and one of its trigrams (½) share a component: (-½, ½, -1½) / √2.75.
    const GOLDEN_CAT_16: [i32; 16] = [0, 0, -3015, 0, 0, 3015, 0, -9045, 0, 0, 0, 0, 0, 0, 0, 0];
}
