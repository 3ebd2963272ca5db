//! `db:bootstrap` drops and re-creates `public`: the schema keeps its owner and the grants
//! other roles had, so the roles an application connects as can still use it.

mod common;

use instant_runtime::migrate;
use instant_runtime::pg::Client;
use instant_runtime::testing::TempDb;
use instant_schema::Project;

/// Roles are shared by the whole server: each test run names its own and drops them.
struct Roles {
    admin: Client,
    names: Vec<String>,
}

impl Roles {
    fn create(db: &TempDb, labels: &[&str]) -> Roles {
        let mut admin = db.connect().unwrap();
        let names: Vec<String> = labels
            .iter()
            .map(|label| format!("h3_{label}_{}", db.name()))
            .collect();
        for name in &names {
            admin
                .batch_execute(&format!(
                    "DROP ROLE IF EXISTS \"{name}\"; CREATE ROLE \"{name}\""
                ))
                .unwrap();
        }
        Roles { admin, names }
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        for name in &self.names {
            let _ = self.admin.batch_execute(&format!(
                "DROP OWNED BY \"{name}\" CASCADE; DROP ROLE IF EXISTS \"{name}\""
            ));
        }
    }
}

/// `public`'s owner and its access list, one `grantee privilege grantable` line each, sorted
/// (the grantor is left out: the grants are given back by the bootstrapping role).
fn access(client: &mut Client) -> (String, Vec<String>) {
    let owner: String = client
        .query_one(
            "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    let grants = client
        .query(
            "SELECT format('%s %s %s', CASE WHEN a.grantee = 0 THEN 'PUBLIC' \
                    ELSE a.grantee::regrole::text END, a.privilege_type, a.is_grantable) \
             FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    (owner, grants)
}

#[test]
fn bootstrap_keeps_the_owner_and_grants_of_public() {
    let db = TempDb::new().unwrap();
    let roles = Roles::create(&db, &["owner", "app"]);
    let (owner, app) = (roles.names[0].clone(), roles.names[1].clone());
    let mut client = db.connect().unwrap();
    client
        .batch_execute(&format!(
            "ALTER SCHEMA public OWNER TO \"{owner}\"; \
             GRANT USAGE, CREATE ON SCHEMA public TO \"{app}\"; \
             GRANT USAGE ON SCHEMA public TO \"{app}\" WITH GRANT OPTION"
        ))
        .unwrap();
    let before = access(&mut client);
    assert_eq!(
        before,
        (
            owner.clone(),
            vec![
                "PUBLIC USAGE f".to_string(),
                format!("{app} CREATE f"),
                format!("{app} USAGE t"),
                format!("{owner} CREATE f"),
                format!("{owner} USAGE f"),
            ]
        )
    );
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture("blog").join("_instant"),
        &copy.path().join("_instant"),
    );
    let project = Project::load(copy.path()).unwrap();

    migrate::bootstrap(&mut client, &project, &[]).unwrap();

    assert_eq!(access(&mut client), before);
    // And the grants work: the application's role creates and reads tables in `public`.
    client
        .batch_execute(&format!(
            "SET ROLE \"{app}\"; CREATE TABLE public.made_by_app (x int); \
             SELECT * FROM public.made_by_app; RESET ROLE"
        ))
        .unwrap();
    drop(client);
    drop(roles);
}

#[test]
fn bootstrap_of_a_default_public_keeps_public_usage() {
    let db = TempDb::new().unwrap();
    let mut client = db.connect().unwrap();
    let before = access(&mut client);
    let copy = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::fixture("blog").join("_instant"),
        &copy.path().join("_instant"),
    );
    let project = Project::load(copy.path()).unwrap();

    migrate::bootstrap(&mut client, &project, &[]).unwrap();

    assert_eq!(
        before,
        (
            "pg_database_owner".to_string(),
            vec![
                "PUBLIC USAGE f".to_string(),
                "pg_database_owner CREATE f".to_string(),
                "pg_database_owner USAGE f".to_string(),
            ]
        )
    );
    assert_eq!(access(&mut client), before);
}
