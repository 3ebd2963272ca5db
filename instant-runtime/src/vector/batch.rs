//! Batching texts for an engine, as `@instant.dev/vectors` does it: each text truncated to
//! [`MAX_TEXT_CHARS`], texts packed in order into batches of at most that many characters in
//! total (one embeddings request stays under the model's token limit), and at most
//! [`MAX_PARALLEL_BATCHES`] batches in flight so a large save does not flood the API.
//!
//! Unlike instant.dev, which sends its batches in waves of ten, a pool of at most ten threads
//! takes the next batch as soon as one finishes: the same cap, no idle slots.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::Engine;
use crate::error::{Error, Result};

/// The longest text sent to an engine, in characters (instant.dev's 7168 tokens × 4
/// characters); longer texts are truncated. Also the most characters in one batch.
pub const MAX_TEXT_CHARS: usize = 28_672;

/// How many batches are sent to the engine at the same time (instant.dev's
/// `maximumParallelRequests`).
pub const MAX_PARALLEL_BATCHES: usize = 10;

/// One vector per text, in order.
///
/// A batch the engine fails fails each of its texts with the engine's message; a text the
/// engine returns no valid vector for (empty, NaN or infinite components, or a batch whose
/// vector count differs from its text count) gets instant.dev's "did not return a valid
/// vector" message.
pub(crate) fn embed_all(engine: &dyn Engine, texts: &[String]) -> Vec<Result<Vec<f32>>> {
    let prepared = truncated(texts);
    let batches = pack(&prepared);
    let outcomes = run(engine, &prepared, &batches);
    let mut results = Vec::with_capacity(texts.len());
    for (range, outcome) in batches.into_iter().zip(outcomes) {
        let originals = &texts[range];
        match outcome {
            Ok(vectors) if vectors.len() == originals.len() => {
                results.extend(originals.iter().zip(vectors).map(|(text, vector)| {
                    if is_valid(&vector) {
                        Ok(vector)
                    } else {
                        Err(invalid_vector(text))
                    }
                }));
            }
            // The vectors cannot be matched with their texts: none of them is trusted.
            Ok(_) => results.extend(originals.iter().map(|text| Err(invalid_vector(text)))),
            Err(error) => {
                let message = engine_message(&error);
                results.extend(originals.iter().map(|_| {
                    Err(Error::Vector {
                        message: message.clone(),
                    })
                }));
            }
        }
    }
    results
}

/// The texts as the engine sees them: borrowed when none is too long.
fn truncated(texts: &[String]) -> Cow<'_, [String]> {
    if texts.iter().all(|text| truncate(text).len() == text.len()) {
        Cow::Borrowed(texts)
    } else {
        Cow::Owned(texts.iter().map(|text| truncate(text).to_owned()).collect())
    }
}

/// The first [`MAX_TEXT_CHARS`] characters of `text`, never splitting a character.
fn truncate(text: &str) -> &str {
    // A text of at most MAX_TEXT_CHARS bytes has at most as many characters.
    if text.len() <= MAX_TEXT_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Consecutive ranges of `texts`, each of at most [`MAX_TEXT_CHARS`] characters in total
/// (every text already fits alone), in order.
fn pack(texts: &[String]) -> Vec<Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut chars = 0;
    for (index, text) in texts.iter().enumerate() {
        let length = text.chars().count();
        if index > start && chars + length > MAX_TEXT_CHARS {
            batches.push(start..index);
            start = index;
            chars = 0;
        }
        chars += length;
    }
    if start < texts.len() {
        batches.push(start..texts.len());
    }
    batches
}

/// The engine's answer for each batch, in batch order. One batch runs on the calling thread;
/// more run on at most [`MAX_PARALLEL_BATCHES`] scoped threads that each take the next
/// batch not yet started.
fn run(
    engine: &dyn Engine,
    texts: &[String],
    batches: &[Range<usize>],
) -> Vec<Result<Vec<Vec<f32>>>> {
    if batches.len() <= 1 {
        return batches
            .iter()
            .map(|range| engine.embed(&texts[range.clone()]))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let workers = batches.len().min(MAX_PARALLEL_BATCHES);
    let mut outcomes: Vec<Option<Result<Vec<Vec<f32>>>>> = batches.iter().map(|_| None).collect();
    thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(range) = batches.get(index) else {
                            return done;
                        };
                        done.push((index, engine.embed(&texts[range.clone()])));
                    }
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (index, outcome) in done {
                        outcomes[index] = Some(outcome);
                    }
                }
                // The engine panicked: panic here too, as it would on the calling thread.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.unwrap_or_else(|| {
                Err(Error::Vector {
                    message: "Could not vectorize: a batch was never sent to the vector engine"
                        .to_owned(),
                })
            })
        })
        .collect()
}

/// A vector a pgvector column and the distance operators can use.
fn is_valid(vector: &[f32]) -> bool {
    !vector.is_empty() && vector.iter().all(|component| component.is_finite())
}

/// The engine's own message: what instant.dev gives each text of a rejected batch.
fn engine_message(error: &Error) -> String {
    match error {
        Error::Vector { message } => message.clone(),
        other => other.to_string(),
    }
}

/// instant.dev's message for a text the engine returned nothing usable for.
fn invalid_vector(text: &str) -> Error {
    Error::Vector {
        message: format!(
            "Could not vectorize: vector engine did not return a valid vector for input \"{text}\""
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    /// An engine that answers `[characters, batch size]` for each text and records its calls.
    #[derive(Default)]
    struct Recorder {
        calls: Mutex<Vec<Vec<String>>>,
    }

    impl Engine for Recorder {
        fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
            self.calls.lock().unwrap().push(texts.to_vec());
            Ok(texts
                .iter()
                .map(|text| vec![text.chars().count() as f32, texts.len() as f32])
                .collect())
        }
    }

    fn text(chars: usize) -> String {
        "a".repeat(chars)
    }

    fn message(result: &Result<Vec<f32>>) -> String {
        match result {
            Err(Error::Vector { message }) => message.clone(),
            other => panic!("expected a vector error, got {other:?}"),
        }
    }

    #[test]
    fn no_texts_make_no_call() {
        let engine = Recorder::default();
        assert!(embed_all(&engine, &[]).is_empty());
        assert!(engine.calls.lock().unwrap().is_empty());
    }

    #[test]
    fn truncates_to_the_limit_in_characters() {
        let engine = Recorder::default();
        let texts = vec![
            text(MAX_TEXT_CHARS + 5),
            "é".repeat(MAX_TEXT_CHARS + 1),
            "short".to_owned(),
        ];
        let results = embed_all(&engine, &texts);
        let calls = engine.calls.lock().unwrap();
        // The three batches run on threads: the calls come in any order.
        let mut sent: Vec<&String> = calls.iter().flatten().collect();
        sent.sort();
        let cut = text(MAX_TEXT_CHARS);
        // Two bytes a character: cut on a character boundary, never inside one.
        let accented = "é".repeat(MAX_TEXT_CHARS);
        let mut expected = vec![&cut, &accented, &"short".to_owned()]
            .into_iter()
            .cloned()
            .collect::<Vec<String>>();
        expected.sort();
        assert_eq!(sent, expected.iter().collect::<Vec<_>>());
        assert_eq!(results[1].as_ref().unwrap()[0], MAX_TEXT_CHARS as f32);
    }

    #[test]
    fn texts_at_the_limit_are_sent_unchanged() {
        let limit = "ü".repeat(MAX_TEXT_CHARS);
        assert_eq!(truncate(&limit), limit);
        assert_eq!(truncate(""), "");
    }

    #[test]
    fn packs_in_order_up_to_the_limit() {
        let engine = Recorder::default();
        let half = MAX_TEXT_CHARS / 2;
        let texts = vec![
            text(half),
            text(half),
            text(1),
            text(MAX_TEXT_CHARS - 1),
            text(1),
            text(0),
        ];
        let results = embed_all(&engine, &texts);
        let calls = engine.calls.lock().unwrap();
        let mut sizes: Vec<Vec<usize>> = calls
            .iter()
            .map(|batch| batch.iter().map(String::len).collect())
            .collect();
        sizes.sort();
        // Exactly full; one over starts a new batch; the rest fills up to the limit again,
        // an empty text still fitting.
        assert_eq!(
            sizes,
            vec![vec![1, 0], vec![1, MAX_TEXT_CHARS - 1], vec![half, half]]
        );
        let batch_sizes: Vec<f32> = results
            .iter()
            .map(|result| result.as_ref().unwrap()[1])
            .collect();
        assert_eq!(batch_sizes, [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
    }

    #[test]
    fn a_single_batch_runs_on_the_calling_thread() {
        let caller = thread::current().id();
        let engine = move |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            assert_eq!(thread::current().id(), caller);
            Ok(texts.iter().map(|_| vec![1.0]).collect())
        };
        let results = embed_all(&engine, &["a".to_owned(), "b".to_owned()]);
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(Result::is_ok));
    }

    #[test]
    fn results_keep_the_input_order_over_many_batches() {
        // Every text fills a batch: 45 batches over 10 threads, answered out of order.
        let engine = |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            let number: u64 = texts[0].trim_start_matches('x').parse().unwrap();
            thread::sleep(Duration::from_millis((45 - number) % 7));
            Ok(vec![vec![number as f32]])
        };
        let texts: Vec<String> = (0..45)
            .map(|number| {
                let digits = number.to_string();
                format!("{}{digits}", "x".repeat(MAX_TEXT_CHARS - digits.len()))
            })
            .collect();
        let results = embed_all(&engine, &texts);
        let numbers: Vec<f32> = results
            .into_iter()
            .map(|result| result.unwrap()[0])
            .collect();
        let expected: Vec<f32> = (0..45).map(|number| number as f32).collect();
        assert_eq!(numbers, expected);
    }

    #[test]
    fn at_most_ten_batches_in_flight() {
        let current = AtomicUsize::new(0);
        let highest = AtomicUsize::new(0);
        let engine = |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            let now = current.fetch_add(1, Ordering::SeqCst) + 1;
            highest.fetch_max(now, Ordering::SeqCst);
            thread::sleep(Duration::from_millis(20));
            current.fetch_sub(1, Ordering::SeqCst);
            Ok(texts.iter().map(|_| vec![1.0]).collect())
        };
        let texts = vec![text(MAX_TEXT_CHARS); 30];
        let results = embed_all(&engine, &texts);
        assert!(results.iter().all(Result::is_ok));
        let highest = highest.load(Ordering::SeqCst);
        assert!(
            highest <= MAX_PARALLEL_BATCHES,
            "{highest} batches in flight"
        );
        assert!(highest > 1, "batches never ran in parallel");
    }

    #[test]
    fn a_failed_batch_fails_only_its_texts_with_the_engine_message() {
        let engine = |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            if texts.iter().any(|text| text.starts_with('b')) {
                Err(Error::Vector {
                    message: "quota exceeded".to_owned(),
                })
            } else {
                Ok(texts.iter().map(|_| vec![0.5]).collect())
            }
        };
        // `bad` and "c" fill one batch exactly.
        let mut bad = text(MAX_TEXT_CHARS - 2);
        bad.insert(0, 'b');
        let texts = vec![
            text(MAX_TEXT_CHARS),
            bad,
            "c".to_owned(),
            text(MAX_TEXT_CHARS),
        ];
        let results = embed_all(&engine, &texts);
        assert_eq!(results[0].as_ref().unwrap(), &vec![0.5]);
        assert_eq!(message(&results[1]), "quota exceeded");
        assert_eq!(message(&results[2]), "quota exceeded");
        assert_eq!(results[3].as_ref().unwrap(), &vec![0.5]);
    }

    #[test]
    fn other_engine_errors_keep_their_display() {
        let engine = |_: &[String]| -> Result<Vec<Vec<f32>>> {
            Err(Error::Config {
                message: "no key".to_owned(),
            })
        };
        let results = embed_all(&engine, &["a".to_owned()]);
        assert_eq!(message(&results[0]), "database configuration: no key");
    }

    #[test]
    fn invalid_vectors_fail_their_own_input() {
        let engine = |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            Ok(texts
                .iter()
                .map(|text| match text.as_str() {
                    "empty" => vec![],
                    "nan" => vec![1.0, f32::NAN],
                    "infinite" => vec![f32::INFINITY],
                    _ => vec![1.0],
                })
                .collect())
        };
        let texts: Vec<String> = ["fine", "empty", "nan", "infinite"]
            .map(String::from)
            .into();
        let results = embed_all(&engine, &texts);
        assert_eq!(results[0].as_ref().unwrap(), &vec![1.0]);
        assert_eq!(
            message(&results[1]),
            "Could not vectorize: vector engine did not return a valid vector for input \"empty\""
        );
        assert!(message(&results[2]).ends_with("for input \"nan\""));
        assert!(message(&results[3]).ends_with("for input \"infinite\""));
    }

    #[test]
    fn a_wrong_vector_count_fails_every_text_of_the_batch() {
        let engine = |texts: &[String]| -> Result<Vec<Vec<f32>>> {
            Ok(texts.iter().skip(1).map(|_| vec![1.0]).collect())
        };
        let texts: Vec<String> = ["one", "two"].map(String::from).into();
        let results = embed_all(&engine, &texts);
        assert!(message(&results[0]).ends_with("for input \"one\""));
        assert!(message(&results[1]).ends_with("for input \"two\""));
    }

    #[test]
    fn the_message_names_the_whole_input() {
        let engine = |_: &[String]| -> Result<Vec<Vec<f32>>> { Ok(vec![vec![]]) };
        let long = text(MAX_TEXT_CHARS + 3);
        let results = embed_all(&engine, std::slice::from_ref(&long));
        assert!(message(&results[0]).ends_with(&format!("\"{long}\"")));
    }
}
