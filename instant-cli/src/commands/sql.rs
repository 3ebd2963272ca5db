//! `instant sql`: opens `psql` on the project's database (`DATABASE_URL`, else `db.json`),
//! passing the password through `PGPASSWORD` rather than the command line.

use std::process::Command;

use instant_runtime::connect::{self, TrustedRoots};
use postgres::config::Host;

use crate::DatabaseArgs;

pub fn run(args: &DatabaseArgs, extra: &[String]) -> Result<(), String> {
    let connector = connect::connector(
        &args.project.dir,
        args.env.as_deref(),
        connect::MAIN_DATABASE,
    )
    .map_err(|e| e.to_string())?;
    let config = connector.config();
    let mut command = Command::new("psql");
    let mut conninfo = Vec::new();
    if let Some(host) = config.get_hosts().first() {
        let host = match host {
            Host::Tcp(host) => host.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string(),
        };
        conninfo.push(format!("host={}", quote(&host)));
    }
    if let Some(port) = config.get_ports().first() {
        conninfo.push(format!("port={port}"));
    }
    if let Some(user) = config.get_user() {
        conninfo.push(format!("user={}", quote(user)));
    }
    if let Some(dbname) = config.get_dbname() {
        conninfo.push(format!("dbname={}", quote(dbname)));
    }
    conninfo.push(format!("sslmode={}", connector.ssl_mode().as_str()));
    match connector.trusted_roots() {
        TrustedRoots::File(path) => conninfo.push(format!(
            "sslrootcert={}",
            quote(&path.display().to_string())
        )),
        TrustedRoots::System => conninfo.push("sslrootcert=system".to_string()),
        // libpq has no bundled roots: it falls back to ~/.postgresql/root.crt.
        TrustedRoots::Mozilla => {}
    }
    if let Some(password) = config.get_password() {
        command.env("PGPASSWORD", String::from_utf8_lossy(password).into_owned());
    }
    command.arg(conninfo.join(" ")).args(extra);
    exec(command)
}

/// A libpq conninfo value: single-quoted, `\` and `'` escaped.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(unix)]
fn exec(mut command: Command) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    // Only returns on failure.
    let error = command.exec();
    Err(format!("could not run psql: {error}"))
}

#[cfg(not(unix))]
fn exec(mut command: Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|error| format!("could not run psql: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("psql exited with {status}"))
    }
}
