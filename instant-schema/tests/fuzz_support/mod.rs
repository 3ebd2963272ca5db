//! What every fuzz target shares: how a campaign runs and reports, and the JSON it feeds in.
//!
//! A campaign is a proptest run whose case count comes from `PROPTEST_CASES` when it is set
//! (`scripts/fuzz-long.sh` sets a million) and from the target's own small default otherwise,
//! so CI spends seconds. A panic inside a case is caught by proptest, shrunk to the smallest
//! input that still panics and reported as the failure; a stack overflow or a hang is not
//! catchable and ends the process, which the long script reports as such.
//!
//! Failures are persisted under the build's temporary folder (`target/tmp/fuzz-regressions/`),
//! out of the tree: the next local run replays them first, and a case worth keeping becomes a
//! named test instead.
//!
//! The tests crate includes this file by path for its dynamic-query targets, so one definition
//! of "hostile JSON" serves both crates.

#![allow(dead_code)] // each target uses a part of it

pub mod documents;
pub mod json;

use std::cell::Cell;
use std::fmt::{Debug, Display};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

/// What one input did: the parser accepted it, or refused it with an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Refused,
}

/// The stack each case runs on: what Rust gives a spawned thread (and the test harness each
/// test), the smallest a library user's thread is likely to have. Nothing may overflow it.
pub const CASE_STACK: usize = 2 << 20;

/// The stack proptest generates and shrinks on: its nested strategies need more than 2 MiB in
/// a debug build, which says nothing about the code under test, so they get room of their own.
const GENERATOR_STACK: usize = 256 << 20;

/// Runs `case` on inputs from the strategy `make` builds and prints the campaign's figures:
/// `fuzz <name>: <inputs> inputs (<accepted> accepted) in <seconds> s, 0 panics`.
///
/// Inputs are generated on a thread with a large stack and each case runs on a worker thread
/// with [`CASE_STACK`], so a stack overflow is the code's, not the generator's.
///
/// # Panics
///
/// When a case fails or panics: the message holds the smallest input found.
pub fn campaign<S, F>(
    name: &'static str,
    default_cases: u32,
    make: impl FnOnce() -> S + Send + 'static,
    case: F,
) where
    S: Strategy,
    S::Value: Debug + Send + 'static,
    F: Fn(S::Value) -> Result<Outcome, TestCaseError> + Send + 'static,
{
    let (inputs_in, inputs_out) = mpsc::channel::<S::Value>();
    let (results_in, results_out) = mpsc::channel::<Result<Outcome, TestCaseError>>();
    let worker = thread::Builder::new()
        .name(format!("{name} case"))
        .stack_size(CASE_STACK)
        .spawn(move || {
            for input in inputs_out {
                let result = panic::catch_unwind(AssertUnwindSafe(|| case(input))).unwrap_or_else(
                    |payload| {
                        let message = payload
                            .downcast_ref::<&str>()
                            .map(|text| text.to_string())
                            .or_else(|| payload.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Err(TestCaseError::fail(format!("panicked: {message}")))
                    },
                );
                if results_in.send(result).is_err() {
                    break;
                }
            }
        })
        .expect("a worker thread for the cases");
    let generator = thread::Builder::new()
        .name(format!("{name} generator"))
        .stack_size(GENERATOR_STACK)
        .spawn(move || run(name, default_cases, make(), inputs_in, results_out))
        .expect("a generator thread");
    let report = generator.join();
    let _ = worker.join();
    match report {
        Ok(Ok(line)) => eprintln!("{line}"),
        Ok(Err(failure)) => panic!("{failure}"),
        Err(_) => panic!("fuzz {name}: the generator panicked"),
    }
}

/// The proptest run of [`campaign`], handing each input to the worker.
fn run<S>(
    name: &str,
    default_cases: u32,
    strategy: S,
    inputs: mpsc::Sender<S::Value>,
    results: mpsc::Receiver<Result<Outcome, TestCaseError>>,
) -> Result<String, String>
where
    S: Strategy,
    S::Value: Debug,
{
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    let regressions = format!(
        "{}/fuzz-regressions/{name}.txt",
        env!("CARGO_TARGET_TMPDIR")
    );
    config.failure_persistence = Some(Box::new(FileFailurePersistence::Direct(Box::leak(
        regressions.into_boxed_str(),
    ))));
    let count = Cell::new(0u64);
    let accepted = Cell::new(0u64);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |input| {
        count.set(count.get() + 1);
        inputs
            .send(input)
            .map_err(|_| TestCaseError::fail("the worker is gone"))?;
        let outcome = results
            .recv()
            .map_err(|_| TestCaseError::fail("the worker is gone"))??;
        if outcome == Outcome::Accepted {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(()) => Ok(format!(
            "fuzz {name}: {} inputs ({} accepted) in {seconds:.1} s, 0 panics",
            count.get(),
            accepted.get()
        )),
        Err(failure) => Err(format!(
            "fuzz {name}: failed after {} inputs in {seconds:.1} s: {failure}",
            count.get()
        )),
    }
}

/// An input's result as an [`Outcome`]: an error must say something.
pub fn outcome<T, E: Display>(result: &Result<T, E>) -> Result<Outcome, TestCaseError> {
    match result {
        Ok(_) => Ok(Outcome::Accepted),
        Err(error) => {
            let message = error.to_string();
            if message.trim().is_empty() {
                Err(TestCaseError::fail("an error with an empty message"))
            } else {
                Ok(Outcome::Refused)
            }
        }
    }
}

/// Fails the case unless `left == right`, showing both.
pub fn same<T: PartialEq + Debug>(left: T, right: T, what: &str) -> Result<(), TestCaseError> {
    if left == right {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "{what}: {left:?} != {right:?}"
        )))
    }
}
