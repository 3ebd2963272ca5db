//! The plain `instant` binary: no compiled models, so `query` and `seed` work from the schema
//! alone (an application builds its own with [`instant_cli::App`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    instant_cli::main_with(instant_cli::App::new())
}
