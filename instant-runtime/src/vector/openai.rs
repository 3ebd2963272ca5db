//! The OpenAI-compatible HTTP engine: `POST {base_url}/embeddings`, the API instant.dev's
//! tests and kit use, also served by Azure OpenAI, Ollama, vLLM, LiteLLM and most hosted
//! embedding services.
//!
//! It is synchronous like the rest of the runtime (the batching layer runs up to ten requests
//! on threads), retries what a later attempt can fix (429 rate limits, 5xx, lost connections
//! and timeouts) with exponential backoff or the server's `Retry-After`, and never retries
//! what it cannot (other 4xx: a bad key, an unknown model, an input too long). The API key
//! appears in the `Authorization` header only: never in `Debug` output or error messages.

use std::fmt;
use std::thread;
use std::time::Duration;

use serde::Deserialize;
use ureq::http::header::{AUTHORIZATION, RETRY_AFTER};
use ureq::http::{HeaderValue, Response, StatusCode};
use ureq::{Agent, Body};

use super::Engine;
use crate::error::{Error, Result};

/// How to reach an OpenAI-compatible embeddings endpoint: where, with which key and model,
/// and how patiently.
///
/// ```
/// use std::time::Duration;
/// use instant_runtime::vector::{OpenAiConfig, OpenAiEngine, Vectors};
///
/// let config = OpenAiConfig::new("sk-secret")
///     .model("text-embedding-3-large")
///     .dimensions(1024)
///     .timeout(Duration::from_secs(20));
/// assert!(!format!("{config:?}").contains("sk-secret"));
///
/// let vectors = Vectors::new();
/// vectors.set_engine(OpenAiEngine::new(config));
/// ```
#[derive(Clone)]
pub struct OpenAiConfig {
    base_url: String,
    api_key: String,
    model: String,
    dimensions: Option<usize>,
    timeout: Duration,
    max_retries: u32,
    backoff: Duration,
}

impl OpenAiConfig {
    /// OpenAI's own API.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.openai.com/v1";

    /// The model instant.dev's generators size vector columns for (1536 dimensions).
    pub const DEFAULT_MODEL: &'static str = "text-embedding-3-small";

    /// Long enough for a full batch on a busy API, short enough that a save does not hang.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// Retries after the first attempt: enough to ride out a brief rate limit.
    pub const DEFAULT_MAX_RETRIES: u32 = 3;

    /// The first wait before a retry; each later wait doubles, up to
    /// [`MAX_BACKOFF`](Self::MAX_BACKOFF).
    pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);

    /// The longest wait between two attempts, whether from backoff or from `Retry-After`: a
    /// server asking for minutes is better reported than waited for inside a save.
    pub const MAX_BACKOFF: Duration = Duration::from_secs(60);

    /// A config for OpenAI's API with `api_key` and the defaults.
    pub fn new(api_key: impl Into<String>) -> Self {
        OpenAiConfig {
            base_url: Self::DEFAULT_BASE_URL.to_owned(),
            api_key: api_key.into(),
            model: Self::DEFAULT_MODEL.to_owned(),
            dimensions: None,
            timeout: Self::DEFAULT_TIMEOUT,
            max_retries: Self::DEFAULT_MAX_RETRIES,
            backoff: Self::DEFAULT_BACKOFF,
        }
    }

    /// The config the environment describes, so keys stay out of code: `OPENAI_API_KEY`
    /// (required), `OPENAI_BASE_URL` (default [`DEFAULT_BASE_URL`](Self::DEFAULT_BASE_URL)),
    /// `INSTANT_EMBEDDING_MODEL` (default [`DEFAULT_MODEL`](Self::DEFAULT_MODEL)) and
    /// `INSTANT_EMBEDDING_DIMENSIONS` (optional: the model's own size when unset). Empty
    /// variables count as unset.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let Some(api_key) = get("OPENAI_API_KEY") else {
            return Err(Error::Vector {
                message: "Could not vectorize: OPENAI_API_KEY is not set; the OpenAI \
                          embedding engine needs an API key"
                    .to_owned(),
            });
        };
        let mut config = OpenAiConfig::new(api_key.trim());
        if let Some(base_url) = get("OPENAI_BASE_URL") {
            config = config.base_url(base_url.trim());
        }
        if let Some(model) = get("INSTANT_EMBEDDING_MODEL") {
            config = config.model(model.trim());
        }
        if let Some(dimensions) = get("INSTANT_EMBEDDING_DIMENSIONS") {
            match dimensions.trim().parse::<usize>() {
                Ok(count) if count > 0 => config = config.dimensions(count),
                _ => {
                    return Err(Error::Vector {
                        message: format!(
                            "Could not vectorize: INSTANT_EMBEDDING_DIMENSIONS must be a \
                             positive whole number, got {dimensions:?}"
                        ),
                    });
                }
            }
        }
        Ok(config)
    }

    /// The API root, such as `http://localhost:11434/v1`; `/embeddings` is appended.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// The key sent as `Authorization: Bearer <key>`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// The embedding model.
    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// Asks for vectors of `dimensions` components (models that can shorten their vectors,
    /// like `text-embedding-3-*`), to match a `vector(N)` column.
    pub fn dimensions(mut self, dimensions: usize) -> Self {
        self.dimensions = Some(dimensions);
        self
    }

    /// The longest one attempt may take, from connecting to reading the whole answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed attempt is retried (0: never).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first wait before a retry when the server does not say (`Retry-After`); each
    /// later wait doubles.
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    fn endpoint(&self) -> String {
        format!("{}/embeddings", self.base_url)
    }
}

impl fmt::Debug for OpenAiConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("model", &self.model)
            .field("dimensions", &self.dimensions)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// The largest answer read: a full batch of 1536-dimension vectors is a few MiB.
const MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// The most of an error answer read for its message.
const MAX_ERROR_BYTES: u64 = 64 * 1024;

/// An OpenAI-compatible embeddings engine: one `POST /embeddings` per batch.
///
/// ```no_run
/// use instant_runtime::vector::{OpenAiEngine, Vectors};
///
/// let vectors = Vectors::new();
/// vectors.set_engine(OpenAiEngine::from_env()?);
/// let vector = vectors.create("I am a banana")?;
/// # Ok::<_, instant_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct OpenAiEngine {
    config: OpenAiConfig,
    endpoint: String,
    agent: Agent,
}

impl OpenAiEngine {
    /// An engine for `config`; nothing is sent until the first texts.
    pub fn new(config: OpenAiConfig) -> Self {
        let agent = Agent::config_builder()
            .timeout_global(Some(config.timeout))
            // Statuses are answers to read (the API's message, Retry-After), not errors.
            .http_status_as_error(false)
            // A redirected POST would lose its body or its key: report it instead.
            .max_redirects(0)
            .build()
            .into();
        OpenAiEngine {
            endpoint: config.endpoint(),
            config,
            agent,
        }
    }

    /// An engine configured by the environment ([`OpenAiConfig::from_env`]).
    pub fn from_env() -> Result<Self> {
        OpenAiConfig::from_env().map(OpenAiEngine::new)
    }

    /// The config this engine sends with.
    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// One request, classified: vectors, a final error, or an error worth retrying.
    fn attempt(&self, body: &str, inputs: usize) -> Attempt {
        let bearer = format!("Bearer {}", self.config.api_key);
        let Ok(mut authorization) = HeaderValue::try_from(bearer) else {
            // Not the header's own error: it could quote the key.
            return Attempt::Failed(self.error(
                "the API key cannot be sent: it has characters not allowed in an HTTP header",
            ));
        };
        authorization.set_sensitive(true);
        let sent = self
            .agent
            .post(&self.endpoint)
            .header(AUTHORIZATION, authorization)
            .content_type("application/json")
            .send(body);
        match sent {
            Ok(response) if response.status().is_success() => self.read_vectors(response, inputs),
            Ok(response) => self.status_failure(response),
            Err(ureq::Error::Timeout(_)) => Attempt::Retry {
                error: self.error(&format!("no answer within {:?}", self.config.timeout)),
                after: None,
            },
            Err(error @ (ureq::Error::Io(_) | ureq::Error::ConnectionFailed)) => Attempt::Retry {
                error: self.error(&format!("the connection failed: {error}")),
                after: None,
            },
            Err(error) => Attempt::Failed(self.error(&format!("the request failed: {error}"))),
        }
    }

    /// The vectors of a 2xx answer, placed by their `index`. An input the answer skips gets
    /// an empty vector, which the batching layer reports as instant.dev's invalid vector.
    fn read_vectors(&self, mut response: Response<Body>, inputs: usize) -> Attempt {
        let text = match response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_string()
        {
            Ok(text) => text,
            Err(ureq::Error::Timeout(_)) => {
                return Attempt::Retry {
                    error: self.error(&format!("no full answer within {:?}", self.config.timeout)),
                    after: None,
                };
            }
            Err(error) => {
                return Attempt::Failed(self.error(&format!("unreadable answer: {error}")));
            }
        };
        let answer: EmbeddingsAnswer = match serde_json::from_str(&text) {
            Ok(answer) => answer,
            Err(error) => {
                return Attempt::Failed(self.error(&format!("unexpected answer: {error}")));
            }
        };
        let mut vectors = vec![Vec::new(); inputs];
        for item in answer.data {
            match vectors.get_mut(item.index) {
                Some(slot) if slot.is_empty() => *slot = item.embedding,
                _ => {
                    return Attempt::Failed(self.error(&format!(
                        "the answer has a repeated or out-of-range index {} for {inputs} inputs",
                        item.index
                    )));
                }
            }
        }
        Attempt::Done(vectors)
    }

    /// A non-2xx answer: its status and the API's own message; 429 and 5xx are retried.
    fn status_failure(&self, mut response: Response<Body>) -> Attempt {
        let status = response.status();
        let after = retry_after(&response);
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ERROR_BYTES)
            .lossy_utf8(true)
            .read_to_string()
            .unwrap_or_default();
        let mut description = format!("HTTP {}", status.as_u16());
        if let Some(reason) = status.canonical_reason() {
            description.push(' ');
            description.push_str(reason);
        }
        if let Some(message) = api_message(&text) {
            description.push_str(": ");
            description.push_str(&message);
        }
        let error = self.error(&description);
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Attempt::Retry { error, after }
        } else {
            Attempt::Failed(error)
        }
    }

    /// The wait before retry number `retry` (0 for the first) when the server names none.
    fn backoff(&self, retry: u32) -> Duration {
        self.config
            .backoff
            .saturating_mul(2_u32.saturating_pow(retry))
            .min(OpenAiConfig::MAX_BACKOFF)
    }

    fn error(&self, problem: &str) -> String {
        format!("Could not vectorize: {}: {problem}", self.endpoint)
    }
}

impl Engine for OpenAiEngine {
    fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let mut body = serde_json::json!({ "model": self.config.model, "input": texts });
        if let Some(dimensions) = self.config.dimensions {
            body["dimensions"] = dimensions.into();
        }
        let body = body.to_string();
        let mut retries = 0;
        loop {
            match self.attempt(&body, texts.len()) {
                Attempt::Done(vectors) => return Ok(vectors),
                Attempt::Failed(message) => return Err(Error::Vector { message }),
                Attempt::Retry { error, after } => {
                    if retries >= self.config.max_retries {
                        let message = if retries == 0 {
                            error
                        } else {
                            let plural = if retries == 1 { "retry" } else { "retries" };
                            format!("{error} (gave up after {retries} {plural})")
                        };
                        return Err(Error::Vector { message });
                    }
                    thread::sleep(after.unwrap_or_else(|| self.backoff(retries)));
                    retries += 1;
                }
            }
        }
    }
}

impl fmt::Debug for OpenAiEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiEngine")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What one request came to.
enum Attempt {
    Done(Vec<Vec<f32>>),
    Failed(String),
    /// `after`: the wait the server asked for.
    Retry {
        error: String,
        after: Option<Duration>,
    },
}

#[derive(Deserialize)]
struct EmbeddingsAnswer {
    data: Vec<Embedding>,
}

#[derive(Deserialize)]
struct Embedding {
    index: usize,
    embedding: Vec<f32>,
}

/// `Retry-After` in seconds (the HTTP-date form is ignored: backoff applies), capped at
/// [`OpenAiConfig::MAX_BACKOFF`].
fn retry_after(response: &Response<Body>) -> Option<Duration> {
    let seconds: u64 = response
        .headers()
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds).min(OpenAiConfig::MAX_BACKOFF))
}

/// The API's explanation in an error answer: OpenAI's `{"error": {"message"}}`, the
/// `{"error": "…"}`, `{"message"}` or `{"detail"}` of compatible servers, else the start of
/// the body itself.
fn api_message(body: &str) -> Option<String> {
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        let found = [
            json.pointer("/error/message"),
            json.get("error"),
            json.get("message"),
            json.get("detail"),
        ]
        .into_iter()
        .flatten()
        .find_map(serde_json::Value::as_str);
        if let Some(message) = found {
            return Some(message.to_owned());
        }
    }
    const MAX_CHARS: usize = 500;
    Some(match body.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &body[..end]),
        None => body.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn the_environment_needs_only_a_key() {
        let config = OpenAiConfig::from_lookup(lookup(&[("OPENAI_API_KEY", "sk-1")])).unwrap();
        assert_eq!(config.api_key, "sk-1");
        assert_eq!(config.base_url, "https://api.openai.com/v1");
        assert_eq!(config.model, "text-embedding-3-small");
        assert_eq!(config.dimensions, None);
        assert_eq!(config.endpoint(), "https://api.openai.com/v1/embeddings");
    }

    #[test]
    fn the_environment_overrides_the_defaults() {
        let config = OpenAiConfig::from_lookup(lookup(&[
            ("OPENAI_API_KEY", "sk-1"),
            ("OPENAI_BASE_URL", "http://localhost:11434/v1/"),
            ("INSTANT_EMBEDDING_MODEL", "nomic-embed-text"),
            ("INSTANT_EMBEDDING_DIMENSIONS", "768"),
        ]))
        .unwrap();
        assert_eq!(config.endpoint(), "http://localhost:11434/v1/embeddings");
        assert_eq!(config.model, "nomic-embed-text");
        assert_eq!(config.dimensions, Some(768));
    }

    #[test]
    fn a_missing_or_empty_key_is_an_error() {
        for pairs in [&[][..], &[("OPENAI_API_KEY", "  ")][..]] {
            let error = OpenAiConfig::from_lookup(lookup(pairs)).unwrap_err();
            assert!(
                error.to_string().contains("OPENAI_API_KEY is not set"),
                "{error}"
            );
        }
    }

    #[test]
    fn bad_dimensions_are_an_error() {
        for value in ["0", "many", "-3"] {
            let pairs = [
                ("OPENAI_API_KEY", "k"),
                ("INSTANT_EMBEDDING_DIMENSIONS", value),
            ];
            let error = OpenAiConfig::from_lookup(lookup(&pairs)).unwrap_err();
            assert!(
                error.to_string().contains("INSTANT_EMBEDDING_DIMENSIONS"),
                "{error}"
            );
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let engine = OpenAiEngine::new(OpenAiConfig::new("sk-very-secret"));
        let shown = format!("{engine:?} {:?}", engine.config());
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn a_key_that_cannot_be_a_header_fails_without_showing_it() {
        let engine = OpenAiEngine::new(OpenAiConfig::new("sk-bad\nkey").max_retries(0));
        let error = engine.embed(&["text".to_owned()]).unwrap_err().to_string();
        assert!(error.contains("the API key cannot be sent"), "{error}");
        assert!(!error.contains("sk-bad"), "{error}");
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let engine = OpenAiEngine::new(OpenAiConfig::new("k").backoff(Duration::from_millis(500)));
        assert_eq!(engine.backoff(0), Duration::from_millis(500));
        assert_eq!(engine.backoff(1), Duration::from_secs(1));
        assert_eq!(engine.backoff(3), Duration::from_secs(4));
        assert_eq!(engine.backoff(40), OpenAiConfig::MAX_BACKOFF);
    }

    #[test]
    fn api_messages_in_the_usual_shapes() {
        let openai = r#"{"error": {"message": "Invalid model", "type": "invalid_request_error"}}"#;
        assert_eq!(api_message(openai).as_deref(), Some("Invalid model"));
        assert_eq!(
            api_message(r#"{"error": "model not found"}"#).as_deref(),
            Some("model not found")
        );
        assert_eq!(
            api_message(r#"{"detail": "Not Found"}"#).as_deref(),
            Some("Not Found")
        );
        assert_eq!(api_message("Bad Gateway\n").as_deref(), Some("Bad Gateway"));
        assert_eq!(api_message(" "), None);
        let long = "x".repeat(600);
        assert_eq!(api_message(&long).map(|m| m.chars().count()), Some(501));
    }
}
