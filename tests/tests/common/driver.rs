//! What the driver tests (`driver.rs`, `driver_faults.rs`) share: a fresh database with a
//! connection, and the check that a connection is still in step after an error.

use std::error::Error as StdError;

use instant_runtime::pg::Client;
use instant_runtime::testing::TempDb;

pub type TestResult = Result<(), Box<dyn StdError>>;

/// A fresh database and a connection to it. Bind both (`let (_temp, mut client)`): the
/// database is dropped with its handle.
pub fn fresh() -> Result<(TempDb, Client), Box<dyn StdError>> {
    let temp = TempDb::new()?;
    let client = temp.connect()?;
    Ok((temp, client))
}

/// The connection does not call itself closed and answers the next queries with their own
/// answers, not an earlier one's: several in a row (an answer left over from a failed call
/// would shift them all), then a simple-protocol batch.
#[track_caller]
pub fn assert_in_step(client: &mut Client) {
    assert!(!client.is_closed(), "the client calls itself closed");
    for n in 1..=3_i32 {
        let row = client
            .query_one("SELECT $1::int4 * 10", &[&n])
            .expect("the connection answers after the error");
        assert_eq!(row.get::<_, i32>(0), n * 10);
    }
    client
        .batch_execute("SELECT 1")
        .expect("batch after the error");
}
