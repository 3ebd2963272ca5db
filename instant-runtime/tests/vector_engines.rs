//! The embedding engines through the public API, with no database: the OpenAI-compatible
//! engine against a stub HTTP server on loopback (one scripted answer per connection), the
//! local engine and closures through `Vectors` and its batching.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use instant_runtime::Error;
use instant_runtime::vector::{
    Engine, LocalEngine, MAX_TEXT_CHARS, OpenAiConfig, OpenAiEngine, Vectors,
};
use serde_json::{Value, json};

const KEY: &str = "sk-test-key-never-shown";

/// What the stub does with one connection.
enum Reply {
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Reads the request and says nothing for this long.
    Silence(Duration),
}

fn answer(status: u16, body: Value) -> Reply {
    Reply::Answer {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn embeddings(items: &[(usize, &[f32])]) -> Reply {
    let data: Vec<Value> = items
        .iter()
        .map(|(index, embedding)| json!({"object": "embedding", "index": index, "embedding": embedding}))
        .collect();
    answer(200, json!({"object": "list", "data": data, "model": "m"}))
}

/// One request as the stub received it.
#[derive(Debug, Clone)]
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: String,
    at: Instant,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

/// A loopback HTTP/1.1 server answering its connections with `replies`, in order, then
/// closing.
struct Stub {
    base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Stub {
    fn start(replies: Vec<Reply>) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        thread::spawn(move || {
            for reply in replies {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let mut reader = BufReader::new(stream);
                let request = read_request(&mut reader);
                log.lock().unwrap().push(request);
                let mut stream = reader.into_inner();
                match reply {
                    Reply::Answer {
                        status,
                        headers,
                        body,
                    } => {
                        let mut head = format!(
                            "HTTP/1.1 {status} Stub\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\nConnection: close\r\n",
                            body.len()
                        );
                        for (name, value) in headers {
                            head.push_str(&format!("{name}: {value}\r\n"));
                        }
                        head.push_str("\r\n");
                        // The client may have given up already.
                        let _ = stream.write_all(head.as_bytes());
                        let _ = stream.write_all(body.as_bytes());
                    }
                    // Held open elsewhere, so the next connection is answered meanwhile.
                    Reply::Silence(duration) => {
                        thread::spawn(move || {
                            thread::sleep(duration);
                            drop(stream);
                        });
                    }
                }
            }
        });
        Stub { base_url, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// An engine for this stub: fast retries so the tests stay quick.
    fn config(&self) -> OpenAiConfig {
        OpenAiConfig::new(KEY)
            .base_url(&self.base_url)
            .model("text-embedding-test")
            .backoff(Duration::from_millis(10))
            .timeout(Duration::from_secs(5))
    }
}

fn read_request(reader: &mut BufReader<std::net::TcpStream>) -> Received {
    let at = Instant::now();
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map(|(_, value)| value.parse().unwrap())
        .expect("the client sends a Content-Length");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    Received {
        request_line: request_line.trim_end().to_owned(),
        headers,
        body: String::from_utf8(body).unwrap(),
        at,
    }
}

fn texts(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

fn vector_message(error: Error) -> String {
    match error {
        Error::Vector { message } => message,
        other => panic!("expected a vector error, got {other:?}"),
    }
}

// ---- the OpenAI-compatible engine ----

#[test]
fn vectors_are_placed_by_their_index() {
    let stub = Stub::start(vec![embeddings(&[(1, &[0.0, 1.0]), (0, &[1.0, 0.0])])]);
    let engine = OpenAiEngine::new(stub.config());
    let vectors = engine.embed(&texts(&["first", "second"])).unwrap();
    assert_eq!(vectors, vec![vec![1.0, 0.0], vec![0.0, 1.0]]);
}

#[test]
fn the_request_carries_model_inputs_and_key() {
    let stub = Stub::start(vec![embeddings(&[(0, &[1.0])]), embeddings(&[(0, &[1.0])])]);
    OpenAiEngine::new(stub.config())
        .embed(&texts(&["I am a banana"]))
        .unwrap();
    OpenAiEngine::new(stub.config().dimensions(3))
        .embed(&texts(&["I am a banana"]))
        .unwrap();
    let received = stub.received();
    assert_eq!(received[0].request_line, "POST /v1/embeddings HTTP/1.1");
    assert_eq!(
        received[0].header("authorization"),
        Some(&*format!("Bearer {KEY}"))
    );
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    assert_eq!(
        received[0].json(),
        json!({"model": "text-embedding-test", "input": ["I am a banana"]})
    );
    assert_eq!(
        received[1].json(),
        json!({"model": "text-embedding-test", "input": ["I am a banana"], "dimensions": 3})
    );
}

#[test]
fn a_rate_limit_is_retried_after_the_wait_the_server_asks() {
    let stub = Stub::start(vec![
        Reply::Answer {
            status: 429,
            headers: vec![("Retry-After", "1".to_owned())],
            body: json!({"error": {"message": "Rate limit reached"}}).to_string(),
        },
        embeddings(&[(0, &[0.5])]),
    ]);
    let vectors = OpenAiEngine::new(stub.config())
        .embed(&texts(&["text"]))
        .unwrap();
    assert_eq!(vectors, vec![vec![0.5]]);
    let received = stub.received();
    assert_eq!(received.len(), 2);
    // Retry-After (1 s) wins over the 10 ms backoff.
    assert!(received[1].at - received[0].at >= Duration::from_millis(950));
}

#[test]
fn server_errors_are_retried_with_growing_waits() {
    let unavailable = || answer(503, json!({"error": {"message": "overloaded"}}));
    let stub = Stub::start(vec![
        unavailable(),
        unavailable(),
        embeddings(&[(0, &[0.25])]),
    ]);
    let config = stub.config().backoff(Duration::from_millis(100));
    let vectors = OpenAiEngine::new(config).embed(&texts(&["text"])).unwrap();
    assert_eq!(vectors, vec![vec![0.25]]);
    let received = stub.received();
    assert_eq!(received.len(), 3);
    assert!(received[1].at - received[0].at >= Duration::from_millis(100));
    assert!(received[2].at - received[1].at >= Duration::from_millis(200));
}

#[test]
fn a_client_error_is_not_retried_and_carries_the_api_message() {
    let stub = Stub::start(vec![
        answer(
            400,
            json!({"error": {"message": "Invalid model", "type": "invalid_request_error"}}),
        ),
        embeddings(&[(0, &[1.0])]),
    ]);
    let error = OpenAiEngine::new(stub.config())
        .embed(&texts(&["text"]))
        .unwrap_err();
    let message = vector_message(error);
    assert_eq!(
        message,
        format!(
            "Could not vectorize: {}/embeddings: HTTP 400 Bad Request: Invalid model",
            stub.base_url
        )
    );
    assert!(!message.contains(KEY));
    assert_eq!(stub.received().len(), 1);
}

#[test]
fn gives_up_after_max_retries() {
    let failing = || {
        answer(
            500,
            json!({"error": {"message": "The server had an error"}}),
        )
    };
    let stub = Stub::start(vec![
        failing(),
        failing(),
        failing(),
        embeddings(&[(0, &[1.0])]),
    ]);
    let error = OpenAiEngine::new(stub.config().max_retries(2))
        .embed(&texts(&["text"]))
        .unwrap_err();
    let message = vector_message(error);
    assert!(
        message.ends_with(
            "HTTP 500 Internal Server Error: The server had an error (gave up after 2 retries)"
        ),
        "{message}"
    );
    assert!(!message.contains(KEY));
    assert_eq!(stub.received().len(), 3);
}

#[test]
fn a_silent_server_times_out() {
    let stub = Stub::start(vec![Reply::Silence(Duration::from_secs(3))]);
    let config = stub
        .config()
        .timeout(Duration::from_millis(300))
        .max_retries(0);
    let started = Instant::now();
    let error = OpenAiEngine::new(config)
        .embed(&texts(&["text"]))
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let message = vector_message(error);
    assert!(message.ends_with("no answer within 300ms"), "{message}");
}

#[test]
fn a_timeout_is_retried() {
    let stub = Stub::start(vec![
        Reply::Silence(Duration::from_secs(3)),
        embeddings(&[(0, &[1.0])]),
    ]);
    let config = stub
        .config()
        .timeout(Duration::from_millis(300))
        .max_retries(1);
    let vectors = OpenAiEngine::new(config).embed(&texts(&["text"])).unwrap();
    assert_eq!(vectors, vec![vec![1.0]]);
}

#[test]
fn an_unreachable_server_is_an_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let config = OpenAiConfig::new(KEY)
        .base_url(base_url)
        .max_retries(1)
        .backoff(Duration::from_millis(1));
    let message = vector_message(
        OpenAiEngine::new(config)
            .embed(&texts(&["text"]))
            .unwrap_err(),
    );
    assert!(message.contains("the connection failed"), "{message}");
    assert!(message.ends_with("(gave up after 1 retry)"), "{message}");
}

#[test]
fn a_skipped_input_gets_instant_dev_invalid_vector_message() {
    let stub = Stub::start(vec![embeddings(&[(0, &[1.0, 0.0])])]);
    let vectors = Vectors::new();
    vectors.set_engine(OpenAiEngine::new(stub.config()));
    let results = vectors.batch_create(&texts(&["kept", "skipped"]));
    assert_eq!(results[0].as_ref().unwrap().as_slice(), &[1.0, 0.0]);
    let message = vector_message(results.into_iter().nth(1).unwrap().unwrap_err());
    assert_eq!(
        message,
        "Could not vectorize: vector engine did not return a valid vector for input \"skipped\""
    );
}

#[test]
fn a_bad_index_fails_the_batch() {
    let stub = Stub::start(vec![embeddings(&[(0, &[1.0]), (0, &[2.0])])]);
    let message = vector_message(
        OpenAiEngine::new(stub.config())
            .embed(&texts(&["one", "two"]))
            .unwrap_err(),
    );
    assert!(
        message.contains("repeated or out-of-range index 0 for 2 inputs"),
        "{message}"
    );
}

// ---- Vectors and batching ----

#[test]
fn without_an_engine_every_text_fails_with_instant_dev_message() {
    let vectors = Vectors::new();
    let expected = "Could not vectorize: no vector engine has been set.\n\
                    Use Db::vectors().set_engine(engine) to enable.";
    assert_eq!(
        vector_message(vectors.create("text").unwrap_err()),
        expected
    );
    let results = vectors.batch_create(&texts(&["a", "b"]));
    assert_eq!(results.len(), 2);
    for result in results {
        assert_eq!(vector_message(result.unwrap_err()), expected);
    }
    vectors.set_engine(LocalEngine::new(8));
    vectors.clear_engine();
    assert_eq!(
        vector_message(vectors.create("text").unwrap_err()),
        expected
    );
}

#[test]
fn a_closure_engine_gets_batches_and_answers_in_order() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let vectors = Vectors::new();
    vectors.set_engine(
        move |texts: &[String]| -> instant_runtime::Result<Vec<Vec<f32>>> {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(texts
                .iter()
                .map(|text| vec![text.chars().count() as f32])
                .collect())
        },
    );
    // 25 texts of about a third of the limit (3 a batch: 9 batches), then one truncated to
    // the limit, alone in the tenth.
    let mut inputs: Vec<String> = (0..25)
        .map(|n| "x".repeat(MAX_TEXT_CHARS / 3 - n))
        .collect();
    inputs.push("y".repeat(MAX_TEXT_CHARS * 2));
    let results = vectors.batch_create(&inputs);
    let lengths: Vec<f32> = results
        .into_iter()
        .map(|result| result.unwrap().as_slice()[0])
        .collect();
    let mut expected: Vec<f32> = (0..25).map(|n| (MAX_TEXT_CHARS / 3 - n) as f32).collect();
    expected.push(MAX_TEXT_CHARS as f32);
    assert_eq!(lengths, expected);
    assert_eq!(calls.load(Ordering::SeqCst), 10);
}

#[test]
fn a_failing_engine_fails_each_text_with_its_message() {
    let vectors = Vectors::new();
    vectors.set_engine(|_: &[String]| -> instant_runtime::Result<Vec<Vec<f32>>> {
        Err(Error::Vector {
            message: "Could not vectorize: quota exceeded".to_owned(),
        })
    });
    for result in vectors.batch_create(&texts(&["a", "b", "c"])) {
        assert_eq!(
            vector_message(result.unwrap_err()),
            "Could not vectorize: quota exceeded"
        );
    }
}

#[test]
fn the_local_engine_through_vectors() {
    let vectors = Vectors::new();
    vectors.set_engine(LocalEngine::new(1536));
    let inputs = texts(&[
        "I am a banana",
        "I am an apple and a banana",
        "Taxes are due in April",
    ]);
    let results: Vec<Vec<f32>> = vectors
        .batch_create(&inputs)
        .into_iter()
        .map(|result| result.unwrap().to_vec())
        .collect();
    assert!(results.iter().all(|vector| vector.len() == 1536));
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!(dot(&results[0], &results[1]) > dot(&results[0], &results[2]));
    // One text alone gives the same vector as in a batch.
    assert_eq!(
        vectors.create("I am a banana").unwrap().to_vec(),
        results[0]
    );
}

#[test]
fn the_local_engine_is_the_default_size_shared_by_clones() {
    let vectors = Vectors::new();
    let shared = vectors.clone();
    vectors.set_engine(LocalEngine::default());
    assert_eq!(
        shared.create("shared").unwrap().as_slice().len(),
        LocalEngine::DEFAULT_DIMENSIONS
    );
}
