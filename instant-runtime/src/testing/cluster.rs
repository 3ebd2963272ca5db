//! A private PostgreSQL cluster for processes that have no `DATABASE_URL`, and for tests
//! that must restart their server.
//!
//! Started once per process from the machine's PostgreSQL binaries (`initdb`, `pg_ctl`), on a
//! free port, with durability switched off (a throwaway cluster needs no fsync). A watchdog in
//! its own session stops the cluster and removes its directory as soon as this process is gone,
//! however it ends (normal exit, panic, kill), so no server is ever left running.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Where the PostgreSQL binaries are; `INSTANT_PG_BIN` overrides it.
const DEFAULT_PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL cluster of its own: a directory, a free port, durability off.
///
/// The process-wide one behind [`TempDb`](super::TempDb) is kept in a static and lives as
/// long as the process; a test that must stop or restart its server (fault tests) starts one
/// of its own with [`PrivateCluster::start`], which is stopped and removed when dropped. Either
/// way a watchdog in its own session stops the server and removes the directory once this
/// process is gone, however it ends.
#[derive(Debug)]
pub struct PrivateCluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

static CLUSTER: OnceLock<std::result::Result<PrivateCluster, String>> = OnceLock::new();

/// The admin URL of this process's private cluster, starting it on first use.
pub(crate) fn url() -> Result<String> {
    match CLUSTER.get_or_init(|| PrivateCluster::start().map_err(|error| error.to_string())) {
        Ok(cluster) => Ok(cluster.url()),
        Err(message) => Err(Error::TempDb {
            message: format!("could not start a private PostgreSQL cluster: {message}"),
        }),
    }
}

impl PrivateCluster {
    /// Starts a cluster from the machine's PostgreSQL binaries (`INSTANT_PG_BIN`, default
    /// `/usr/lib/postgresql/15/bin`), as the `postgres` user when this process is root.
    pub fn start() -> Result<PrivateCluster> {
        let bin = PathBuf::from(std::env::var("INSTANT_PG_BIN").unwrap_or(DEFAULT_PG_BIN.into()));
        if !bin.join("pg_ctl").exists() {
            return Err(failure(format!(
                "no PostgreSQL binaries at {} (set DATABASE_URL, or INSTANT_PG_BIN to the \
                 directory holding initdb and pg_ctl)",
                bin.display()
            )));
        }
        let dir = std::env::temp_dir().join(format!(
            "instant-pg-{}-{}",
            std::process::id(),
            super::random_suffix()
        ));
        std::fs::create_dir_all(&dir).map_err(|source| Error::io(&dir, source))?;
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let mut cluster = PrivateCluster {
            bin,
            dir,
            port: 0,
            as_postgres,
        };
        // The watchdog goes first, so even a failed start leaves nothing behind.
        spawn_watchdog(&cluster.bin, &cluster.dir, &cluster.data(), as_postgres)?;
        run(cluster.pg("initdb").arg("-D").arg(cluster.data()).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ]))?;
        let mut last_error = None;
        // A free port can be taken between probing and binding; try a few.
        for _ in 0..3 {
            cluster.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                cluster.port,
                cluster.dir.display()
            );
            match run(cluster.pg_ctl().args(["-w", "-o", &options, "start"])) {
                Ok(()) => return Ok(cluster),
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.unwrap_or_else(|| failure("pg_ctl start failed")))
    }

    /// The admin URL (`postgres://postgres@127.0.0.1:PORT/postgres`).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl restart -m fast`: every session is ended, and the call returns once the server
    /// accepts connections again.
    pub fn restart(&self) -> Result<()> {
        run(self.pg_ctl().args(["-w", "-m", "fast", "restart"]))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// `pg_ctl` on this cluster's data directory, logging to its `server.log`.
    fn pg_ctl(&self) -> Command {
        let mut command = self.pg("pg_ctl");
        command
            .arg("-D")
            .arg(self.data())
            .arg("-l")
            .arg(self.dir.join("server.log"));
        command
    }

    fn pg(&self, program: &str) -> Command {
        pg(&self.bin, program, self.as_postgres)
    }
}

/// A cluster a test started is stopped and removed with it; the process-wide one is in a
/// static, which is never dropped, and goes with its watchdog.
impl Drop for PrivateCluster {
    fn drop(&mut self) {
        if self.data().join("postmaster.pid").exists() {
            let _ = self
                .pg("pg_ctl")
                .arg("-D")
                .arg(self.data())
                .args(["-m", "immediate", "-w", "stop"])
                .stdin(Stdio::null())
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A child in its own session that waits for this process to end, then stops the cluster and
/// removes its directory. Being in its own session, it survives the process group being killed.
fn spawn_watchdog(bin: &Path, dir: &Path, data: &Path, as_postgres: bool) -> Result<()> {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if as_postgres {
        "runuser -u postgres -- \"$2\" -D \"$3\" -m fast -w stop"
    } else {
        "\"$2\" -D \"$3\" -m fast -w stop"
    };
    let script = format!(
        "while kill -0 \"$1\" 2>/dev/null; do sleep 0.2; done; \
         if [ -f \"$3/postmaster.pid\" ]; then {stop} >/dev/null 2>&1; fi; rm -rf \"$4\""
    );
    Command::new("setsid")
        .args(["sh", "-c", &script, "instant-pg-watchdog"])
        .arg(std::process::id().to_string())
        .arg(pg_ctl)
        .arg(data)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| failure(format!("could not start the cluster watchdog: {source}")))?;
    Ok(())
}

fn pg(bin: &Path, program: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn run(command: &mut Command) -> Result<()> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|source| failure(format!("could not run {command:?}: {source}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(failure(format!(
            "{command:?} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|source| failure(format!("no free port: {source}")))?;
    let port = listener
        .local_addr()
        .map_err(|source| failure(format!("no free port: {source}")))?
        .port();
    Ok(port)
}

/// `initdb` and `postgres` refuse to run as root; then they run as the `postgres` user.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}

fn failure(message: impl Into<String>) -> Error {
    Error::TempDb {
        message: message.into(),
    }
}
