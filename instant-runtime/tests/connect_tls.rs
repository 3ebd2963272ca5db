//! TLS against a real server: a private PostgreSQL cluster with `ssl=on`, its certificate
//! (for `localhost` only) signed by a throwaway CA made with the `openssl` command, reached in
//! every way a URL or `db.json` can ask for TLS.
//!
//! One test only: it changes process environment variables (`PGSSLROOTCERT`, `DATABASE_URL`),
//! which every test of a binary shares.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use instant_runtime::connect::{self, Connector, Source, SslMode, TrustedRoots};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

#[test]
fn tls_modes_connect_as_libpq_and_instant_dev_define_them() {
    let cluster = TlsCluster::start();
    let port = cluster.port;
    let ca = cluster.ca();
    let ca_param = ca.display().to_string().replace(' ', "%20");
    let saved: Vec<(&str, Option<String>)> = ["PGSSLROOTCERT", "DATABASE_URL", "INSTANT_ENV"]
        .into_iter()
        .map(|name| (name, std::env::var(name).ok()))
        .collect();
    // SAFETY: this binary has a single test, so no other thread reads the environment.
    unsafe {
        std::env::remove_var("PGSSLROOTCERT");
        std::env::remove_var("DATABASE_URL");
        std::env::remove_var("INSTANT_ENV");
    }

    // require: encrypted, certificate not checked (it is signed by an unknown CA).
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=require");
    assert!(uses_tls(&Connector::from_url(&url).unwrap()));

    // prefer (libpq's default) takes TLS when the server offers it; disable does not.
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    assert!(uses_tls(&Connector::from_url(&url).unwrap()));
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable");
    assert!(!uses_tls(&Connector::from_url(&url).unwrap()));

    // verify-full, the CA from sslrootcert, the host the certificate names.
    let url = format!(
        "postgres://postgres@localhost:{port}/postgres?sslmode=verify-full&sslrootcert={ca_param}"
    );
    let connector = Connector::from_url(&url).unwrap();
    assert_eq!(connector.ssl_mode(), SslMode::VerifyFull);
    assert_eq!(connector.trusted_roots(), &TrustedRoots::File(ca.clone()));
    assert!(uses_tls(&connector));

    // The key/value form reads the same parameters.
    let conninfo = format!(
        "host=localhost port={port} user=postgres sslmode=verify-full sslrootcert='{}'",
        ca.display()
    );
    assert!(uses_tls(&Connector::from_url(&conninfo).unwrap()));

    // verify-full against an address the certificate does not name fails; verify-ca, which
    // checks the signer only, connects.
    let url = format!(
        "postgres://postgres@127.0.0.1:{port}/postgres?sslmode=verify-full&sslrootcert={ca_param}"
    );
    let error = connect_error(&Connector::from_url(&url).unwrap());
    assert!(error.contains("certificate"), "{error}");
    assert!(error.contains("verify-ca"), "{error}");
    let url = url.replace("verify-full", "verify-ca");
    assert!(uses_tls(&Connector::from_url(&url).unwrap()));

    // verify-full without the CA: Mozilla's roots do not know it.
    let url = format!("postgres://postgres@localhost:{port}/postgres?sslmode=verify-full");
    let connector = Connector::from_url(&url).unwrap();
    assert_eq!(connector.trusted_roots(), &TrustedRoots::Mozilla);
    let error = connect_error(&connector);
    assert!(error.contains("the connection URL"), "{error}");
    assert!(error.contains("certificate"), "{error}");
    assert!(error.contains("PGSSLROOTCERT"), "{error}");

    // ... and with it from PGSSLROOTCERT.
    unsafe { std::env::set_var("PGSSLROOTCERT", &ca) };
    assert!(uses_tls(&Connector::from_url(&url).unwrap()));
    unsafe { std::env::remove_var("PGSSLROOTCERT") };

    // A root file that is not there is reported when the connector is made, naming the source.
    let url = format!(
        "postgres://postgres@localhost:{port}/postgres?sslmode=verify-full&sslrootcert=/nonexistent.pem"
    );
    let error = Connector::from_url(&url).unwrap_err().to_string();
    assert!(error.contains("/nonexistent.pem"), "{error}");

    // A driver configuration: plain unless it says Require.
    let mut config = postgres::Config::new();
    config.host("127.0.0.1").port(port).user("postgres");
    assert!(!uses_tls(&Connector::from_config(config.clone())));
    config.ssl_mode(postgres::config::SslMode::Require);
    assert!(uses_tls(&Connector::from_config(config)));

    // db.json, instant.dev's spellings.
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("_instant")).unwrap();
    let entry = |ssl: serde_json::Value| {
        serde_json::json!({"host": "localhost", "port": port, "user": "postgres",
                           "database": "postgres", "ssl": ssl})
    };
    std::fs::write(
        project.path().join("_instant/db.json"),
        serde_json::json!({"test": {
            "main": entry(serde_json::json!("unauthorized")),
            "lenient": entry(serde_json::json!({"rejectUnauthorized": false})),
            "verified": entry(serde_json::json!(true)),
            "readonly": {"connectionString": format!(
                "postgres://postgres@127.0.0.1:{port}/postgres?sslmode=verify-ca&sslrootcert={ca_param}")},
            "tunneled": {"host": "db.internal", "port": 5432, "user": "postgres",
                         "database": "postgres", "tunnel": {"user": "ec2-user", "host": "bastion"}}
        }})
        .to_string(),
    )
    .unwrap();
    let from_db_json = |database: &str| connect::connector(project.path(), Some("test"), database);

    let main = from_db_json("main").unwrap();
    assert_eq!(main.ssl_mode(), SslMode::Require);
    assert!(uses_tls(&main));
    let mut client = connect::connect(project.path(), Some("test")).unwrap();
    assert!(client_uses_tls(&mut client));
    assert!(uses_tls(&from_db_json("lenient").unwrap()));

    let readonly = from_db_json("readonly").unwrap();
    assert_eq!(
        readonly.source(),
        &Source::DbJson {
            env: "test".into(),
            database: "readonly".into()
        }
    );
    assert_eq!(readonly.ssl_mode(), SslMode::VerifyCa);
    assert!(uses_tls(&readonly));

    // `"ssl": true` checks the certificate: unknown without the CA, accepted with it.
    let error = connect_error(&from_db_json("verified").unwrap());
    assert!(
        error.contains("_instant/db.json [test.verified]"),
        "{error}"
    );
    assert!(error.contains("certificate"), "{error}");
    unsafe { std::env::set_var("PGSSLROOTCERT", &ca) };
    assert!(uses_tls(&from_db_json("verified").unwrap()));
    unsafe { std::env::remove_var("PGSSLROOTCERT") };

    let error = from_db_json("tunneled").unwrap_err().to_string();
    assert!(error.contains("[test.tunneled]"), "{error}");
    assert!(error.contains("SSH tunnel"), "{error}");
    assert!(error.contains("DATABASE_URL_TUNNELED"), "{error}");

    unsafe {
        for (name, value) in saved {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

fn uses_tls(connector: &Connector) -> bool {
    let mut client = connector
        .connect()
        .unwrap_or_else(|error| panic!("{connector:?}: {error}"));
    client_uses_tls(&mut client)
}

fn connect_error(connector: &Connector) -> String {
    match connector.connect() {
        Ok(_) => panic!("{connector:?} connected"),
        Err(error) => error.to_string(),
    }
}

fn client_uses_tls(client: &mut instant_runtime::pg::Client) -> bool {
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

/// A PostgreSQL cluster with `ssl=on`, stopped and removed when dropped, and by a watchdog if
/// this process is killed first.
struct TlsCluster {
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

impl TlsCluster {
    fn start() -> TlsCluster {
        let dir = tempfile::Builder::new()
            .prefix("instant-tls-")
            .tempdir()
            .unwrap();
        let path = dir.path();
        let as_postgres = is_root();
        spawn_watchdog(path, as_postgres);
        make_certificates(path);
        if as_postgres {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path));
        }
        let data = path.join("data");
        run(pg("initdb", as_postgres).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]));
        let port = free_port();
        let options = format!(
            "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on \
             -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
            dir = path.display()
        );
        run(pg("pg_ctl", as_postgres)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(path.join("server.log"))
            .args(["-w", "-o", &options, "start"]));
        TlsCluster {
            dir,
            port,
            as_postgres,
        }
    }

    /// The CA certificate that signed the server's.
    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        let _ = pg("pg_ctl", self.as_postgres)
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// A CA, and a server certificate it signed for `localhost` (not for `127.0.0.1`).
fn make_certificates(dir: &Path) {
    let openssl = |args: &str| {
        run(Command::new("openssl")
            .current_dir(dir)
            .args(args.split_whitespace()))
    };
    openssl(
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
         -out ca.crt -days 2 -subj /CN=instant-test-CA \
         -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
    );
    openssl(
        "req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
         -out server.csr -subj /CN=localhost",
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt \
         -days 2 -extfile server.ext",
    );
    // The server refuses a key others can read.
    run(Command::new("chmod").arg("600").arg(dir.join("server.key")));
}

/// Stops the cluster once this process is gone, however it ended.
#[expect(
    clippy::zombie_processes,
    reason = "the watchdog must outlive this process"
)]
fn spawn_watchdog(dir: &Path, as_postgres: bool) {
    let stop = if as_postgres {
        "runuser -u postgres -- \"$2\" -D \"$3/data\" -m immediate -w stop"
    } else {
        "\"$2\" -D \"$3/data\" -m immediate -w stop"
    };
    let script = format!(
        "while kill -0 \"$1\" 2>/dev/null; do sleep 0.2; done; \
         if [ -f \"$3/data/postmaster.pid\" ]; then {stop} >/dev/null 2>&1; fi; rm -rf \"$3\""
    );
    Command::new("setsid")
        .args(["sh", "-c", &script, "instant-tls-watchdog"])
        .arg(std::process::id().to_string())
        .arg(Path::new(PG_BIN).join("pg_ctl"))
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
}

fn pg(program: &str, as_postgres: bool) -> Command {
    let program = Path::new(PG_BIN).join(program);
    if as_postgres {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command) {
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn is_root() -> bool {
    let output = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}
