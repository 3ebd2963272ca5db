//! Where the connection comes from: `DATABASE_URL` (or `DATABASE_URL_<NAME>` for a database
//! other than `main`), else `_instant/db.json` with its `{{ ENV }}` placeholders, for the
//! environment and the database asked for.
//!
//! One test only: it changes process environment variables, which every test of a binary
//! shares.

use instant_runtime::connect;
use instant_runtime::testing::TempDb;

fn current_database(client: &mut instant_runtime::pg::Client) -> String {
    client
        .query_one("SELECT current_database()::text", &[])
        .unwrap()
        .get(0)
}

#[test]
fn database_urls_win_over_db_json_which_follows_the_environment_and_database() {
    let db = TempDb::new().unwrap();
    let config: postgres::Config = db.url().parse().unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(host) => host.clone(),
        other => panic!("unexpected host {other:?}"),
    };
    let port = config.get_ports()[0];
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("_instant")).unwrap();
    std::fs::write(
        project.path().join("_instant/db.json"),
        serde_json::json!({
            "development": {"main": {"host": "nowhere.invalid", "port": 1, "user": "postgres",
                                      "database": "postgres"}},
            "test": {"main": {"host": "{{ H5_TEST_HOST }}", "port": "{{ H5_TEST_PORT }}",
                              "user": "postgres", "password": "", "database": "{{ H5_TEST_DB }}"},
                     "readonly": {"host": "{{ H5_TEST_HOST }}", "port": "{{ H5_TEST_PORT }}",
                                  "user": "postgres", "database": "postgres"}}
        })
        .to_string(),
    )
    .unwrap();
    let saved_url = std::env::var("DATABASE_URL").ok();
    // SAFETY: this binary has a single test, so no other thread reads the environment.
    unsafe {
        std::env::set_var("H5_TEST_HOST", &host);
        std::env::set_var("H5_TEST_PORT", port.to_string());
        std::env::set_var("H5_TEST_DB", db.name());
        std::env::remove_var("DATABASE_URL");
        std::env::remove_var("INSTANT_ENV");
        std::env::remove_var("NODE_ENV");
    }

    // db.json, environment named explicitly.
    let mut client = connect::connect(project.path(), Some("test")).unwrap();
    assert_eq!(current_database(&mut client), db.name());

    // db.json, environment from INSTANT_ENV.
    unsafe { std::env::set_var("INSTANT_ENV", "test") };
    let (_, source) = connect::config(project.path(), None).unwrap();
    assert_eq!(source.to_string(), "_instant/db.json [test.main]");
    unsafe { std::env::remove_var("INSTANT_ENV") };

    // An environment db.json lacks.
    let error = connect::config(project.path(), Some("staging")).unwrap_err();
    assert!(error.to_string().contains("staging"), "{error}");

    // A missing placeholder variable.
    unsafe { std::env::remove_var("H5_TEST_DB") };
    let error = connect::config(project.path(), Some("test")).unwrap_err();
    assert!(error.to_string().contains("H5_TEST_DB"), "{error}");

    // A named database other than main: its own entry of the environment.
    let readonly = connect::connector(project.path(), Some("test"), "readonly").unwrap();
    assert_eq!(
        readonly.source().to_string(),
        "_instant/db.json [test.readonly]"
    );
    assert_eq!(
        current_database(&mut readonly.connect().unwrap()),
        "postgres"
    );
    let error = connect::connector(project.path(), Some("test"), "replica").unwrap_err();
    assert!(
        error.to_string().contains("\"replica\" not found"),
        "{error}"
    );

    // DATABASE_URL wins, whatever db.json says.
    unsafe { std::env::set_var("DATABASE_URL", db.url()) };
    let mut client = connect::connect(project.path(), Some("development")).unwrap();
    assert_eq!(current_database(&mut client), db.name());
    let (_, source) = connect::config(project.path(), None).unwrap();
    assert_eq!(source, connect::Source::DatabaseUrl);

    // ... for main only: readonly still comes from db.json, unless DATABASE_URL_READONLY is set.
    let readonly = connect::connector(project.path(), Some("test"), "readonly").unwrap();
    assert_eq!(
        readonly.source().to_string(),
        "_instant/db.json [test.readonly]"
    );
    unsafe { std::env::set_var("DATABASE_URL_READONLY", db.url()) };
    let readonly = connect::connector(project.path(), Some("test"), "readonly").unwrap();
    assert_eq!(readonly.source().to_string(), "DATABASE_URL_READONLY");
    assert_eq!(
        current_database(&mut readonly.connect().unwrap()),
        db.name()
    );
    unsafe { std::env::remove_var("DATABASE_URL_READONLY") };

    // A bad URL is reported with the variable it came from.
    unsafe { std::env::set_var("DATABASE_URL", "postgres://db/app?sslmode=strict") };
    let error = connect::connector(project.path(), None, connect::MAIN_DATABASE)
        .unwrap_err()
        .to_string();
    assert!(error.contains("DATABASE_URL"), "{error}");
    assert!(error.contains("sslmode=strict"), "{error}");

    unsafe {
        match saved_url {
            Some(url) => std::env::set_var("DATABASE_URL", url),
            None => std::env::remove_var("DATABASE_URL"),
        }
    }
}
