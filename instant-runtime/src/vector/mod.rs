//! Vectors: text turned into pgvector embeddings by an [`Engine`], on save (`vectorizes`)
//! and at query time (`search`, `similarity`, `classify`).
//!
//! A [`Vectors`] holds the engine a [`Db`](crate::Db) uses (instant.dev's `Instant.Vectors`).
//! Texts go to the engine in batches, as instant.dev sends them: each text truncated to
//! [`MAX_TEXT_CHARS`], batches of at most that many characters in total, at most
//! [`MAX_PARALLEL_BATCHES`] in flight.

mod batch;
mod local;
mod openai;

use std::fmt;
use std::sync::{Arc, RwLock};

pub use batch::{MAX_PARALLEL_BATCHES, MAX_TEXT_CHARS};
pub use local::LocalEngine;
pub use openai::{OpenAiConfig, OpenAiEngine};
pub use pgvector::Vector;

use crate::error::{Error, Result};

/// Turns texts into vectors: one per text, in the texts' order.
///
/// Closures `Fn(&[String]) -> Result<Vec<Vec<f32>>>` are engines too, which is how tests
/// and applications plug in anything else.
pub trait Engine: Send + Sync {
    /// The vectors for `texts`, one per text in the same order. An error fails every text
    /// of the call.
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>>;
}

impl<F> Engine for F
where
    F: Fn(&[String]) -> Result<Vec<Vec<f32>>> + Send + Sync,
{
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        self(texts)
    }
}

/// The engine slot of a database: empty until [`set_engine`](Vectors::set_engine). Clones
/// share the slot, so setting the engine on a `Db` reaches every connection of its pool.
#[derive(Clone, Default)]
pub struct Vectors {
    engine: Arc<RwLock<Option<Arc<dyn Engine>>>>,
}

impl fmt::Debug for Vectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vectors")
            .field("engine", &self.engine().is_some())
            .finish()
    }
}

impl Vectors {
    /// A slot with no engine.
    pub fn new() -> Self {
        Vectors::default()
    }

    /// Uses `engine` from now on (replacing any engine set before).
    pub fn set_engine(&self, engine: impl Engine + 'static) {
        self.set_shared_engine(Arc::new(engine));
    }

    /// Uses an engine shared with other slots.
    pub fn set_shared_engine(&self, engine: Arc<dyn Engine>) {
        *self
            .engine
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(engine);
    }

    /// Removes the engine: vectorizing fails until one is set again.
    pub fn clear_engine(&self) {
        *self
            .engine
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }

    /// The engine, when one is set.
    pub fn engine(&self) -> Option<Arc<dyn Engine>> {
        self.engine
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The vector of one text.
    pub fn create(&self, text: &str) -> Result<Vector> {
        self.batch_create(&[text.to_owned()])
            .pop()
            .unwrap_or_else(|| Err(no_engine()))
    }

    /// The vectors of `texts`, batched; each text gets its own result (a failed batch fails
    /// its texts with the engine's error).
    pub fn batch_create(&self, texts: &[String]) -> Vec<Result<Vector>> {
        let Some(engine) = self.engine() else {
            return texts.iter().map(|_| Err(no_engine())).collect();
        };
        batch::embed_all(&*engine, texts)
            .into_iter()
            .map(|result| result.map(Vector::from))
            .collect()
    }
}

/// instant.dev's message when nothing can vectorize.
pub(crate) fn no_engine() -> Error {
    Error::Vector {
        message: "Could not vectorize: no vector engine has been set.\n\
                  Use Db::vectors().set_engine(engine) to enable."
            .to_owned(),
    }
}
