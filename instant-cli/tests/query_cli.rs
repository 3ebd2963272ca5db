//! `instant query` and `instant seed` run as a user runs them, against a temporary database
//! holding the `family` fixture and its seed: every comparator, OR groups, relationship
//! filters, nested joins, order and paging, the output options, `--explain`, the inputs,
//! seeding in one transaction, and the errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use instant_runtime::seed::{self, Models};
use instant_runtime::testing::TempDb;
use instant_schema::Project;
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures")).join(name)
}

/// A temporary database with `fixtures/<name>` migrated and its seed loaded from the schema
/// (as the plain binary seeds), plus a few changes to the family's pets so filters on them
/// tell rows apart.
fn database(name: &str) -> TempDb {
    let temp = TempDb::new().unwrap();
    temp.migrate_fixture(fixture(name)).unwrap();
    let db = temp.db().unwrap();
    let project = Project::load(fixture(name)).unwrap();
    seed::seed_project(&db, &project, &Models::new()).unwrap();
    if name == "family" {
        db.execute(
            "UPDATE pets SET animal = 'Fish', is_alive = false, \
             details = '{\"language\": true, \"colour\": \"gold\"}' WHERE id IN (4, 8, 20)",
            &[],
        )
        .unwrap();
    }
    temp
}

/// The `instant` binary on `fixtures/<fixture>`, connected to `temp`.
fn instant(temp: &TempDb, fixture_name: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_instant"));
    command
        .args(args)
        .arg("--dir")
        .arg(fixture(fixture_name))
        .env("DATABASE_URL", temp.url())
        .env_remove("DATABASE_URL_READONLY");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// The JSON printed by a command that must succeed.
fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_str(&stdout(output)).unwrap()
}

/// The one `error: …` line of a command that must fail, having printed nothing else.
fn error_of(output: &Output) -> String {
    assert!(!output.status.success(), "succeeded: {}", stdout(output));
    assert_eq!(stdout(output), "");
    let message = stderr(output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("error: "), "{message}");
    message.trim_end().to_string()
}

fn query(temp: &TempDb, fixture_name: &str, query: &Value) -> Value {
    json_of(&run(&mut instant(
        temp,
        fixture_name,
        &["query", &query.to_string()],
    )))
}

fn ids(rows: &Value) -> Vec<i64> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_i64().unwrap())
        .collect()
}

/// The ids of `table`'s rows matching the SQL condition `sql`, in id order.
fn sql_ids(temp: &TempDb, table: &str, sql: &str) -> Vec<i64> {
    let mut client = temp.connect().unwrap();
    client
        .query(
            &format!("SELECT id FROM {table} t WHERE {sql} ORDER BY id"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect()
}

fn count(temp: &TempDb, table: &str) -> i64 {
    let mut client = temp.connect().unwrap();
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .unwrap()
        .get(0)
}

/// Each where-object gives the rows its SQL condition gives.
fn check_conditions(temp: &TempDb, fixture_name: &str, cases: &[(&str, Value, &str)]) {
    for (table, conditions, sql) in cases {
        let result = query(
            temp,
            fixture_name,
            &json!({*table: {"$": {"where": conditions, "order": "id"}}}),
        );
        let expected = sql_ids(temp, table, sql);
        assert_eq!(ids(&result[*table]), expected, "{table} {conditions}");
        let all = count(temp, table) as usize;
        assert!(
            !expected.is_empty() && expected.len() < all || sql.contains("'%\\%%'"),
            "{table} {conditions} should tell rows apart: {expected:?}"
        );
    }
}

#[test]
fn every_comparator_selects_the_rows_its_sql_does() {
    let temp = database("family");
    let cases = [
        ("parents", json!({"name": "Albert"}), "name = 'Albert'"),
        ("parents", json!({"name__is": "Derek"}), "name = 'Derek'"),
        (
            "parents",
            json!({"name__not": "Albert"}),
            "name <> 'Albert'",
        ),
        ("children", json!({"age__gt": 20}), "age > 20"),
        ("children", json!({"age__gte": 20}), "age >= 20"),
        ("children", json!({"age__lt": 5}), "age < 5"),
        ("children", json!({"age__lte": 5}), "age <= 5"),
        (
            "parents",
            json!({"name__contains": "am"}),
            "name LIKE '%am%'",
        ),
        (
            "parents",
            json!({"name__icontains": "AM"}),
            "name ILIKE '%am%'",
        ),
        (
            "parents",
            json!({"name__not_contains": "a"}),
            "name NOT LIKE '%a%'",
        ),
        (
            "parents",
            json!({"name__not_icontains": "A"}),
            "name NOT ILIKE '%a%'",
        ),
        (
            "parents",
            json!({"name__startswith": "Sa"}),
            "name LIKE 'Sa%'",
        ),
        (
            "parents",
            json!({"name__istartswith": "sa"}),
            "name ILIKE 'sa%'",
        ),
        (
            "parents",
            json!({"name__not_startswith": "S"}),
            "name NOT LIKE 'S%'",
        ),
        (
            "parents",
            json!({"name__not_istartswith": "s"}),
            "name NOT ILIKE 's%'",
        ),
        (
            "parents",
            json!({"name__endswith": "er"}),
            "name LIKE '%er'",
        ),
        (
            "parents",
            json!({"name__iendswith": "ER"}),
            "name ILIKE '%er'",
        ),
        (
            "parents",
            json!({"name__not_endswith": "y"}),
            "name NOT LIKE '%y'",
        ),
        (
            "parents",
            json!({"name__not_iendswith": "Y"}),
            "name NOT ILIKE '%y'",
        ),
        ("parents", json!({"name__like": "S%y"}), "name LIKE 'S%y'"),
        ("parents", json!({"name__ilike": "s%Y"}), "name ILIKE 's%y'"),
        (
            "parents",
            json!({"name__not_like": "S%"}),
            "name NOT LIKE 'S%'",
        ),
        (
            "parents",
            json!({"name__not_ilike": "s%"}),
            "name NOT ILIKE 's%'",
        ),
        // `%` is a literal in contains: no name has one.
        (
            "parents",
            json!({"name__contains": "%"}),
            "name LIKE '%\\%%'",
        ),
        (
            "children",
            json!({"license__is_null": true}),
            "license IS NULL",
        ),
        (
            "children",
            json!({"license__not_null": true}),
            "license IS NOT NULL",
        ),
        ("children", json!({"license": null}), "license IS NULL"),
        (
            "children",
            json!({"license__not": null}),
            "license IS NOT NULL",
        ),
        ("children", json!({"is_favorite": true}), "is_favorite"),
        (
            "children",
            json!({"is_favorite__is_true": true}),
            "is_favorite",
        ),
        (
            "children",
            json!({"is_favorite__is_false": true}),
            "NOT is_favorite",
        ),
        ("pets", json!({"is_alive__not_true": true}), "NOT is_alive"),
        ("pets", json!({"is_alive__not_false": true}), "is_alive"),
        (
            "children",
            json!({"age__in": [0, 5, 10]}),
            "age IN (0, 5, 10)",
        ),
        (
            "children",
            json!({"age__not_in": [0, 5, 10]}),
            "age NOT IN (0, 5, 10)",
        ),
        // An array with a one-value comparator: every element must hold.
        (
            "parents",
            json!({"name__icontains": ["a", "e"]}),
            "name ILIKE '%a%' AND name ILIKE '%e%'",
        ),
        (
            "pets",
            json!({"added_at__gte": "2020-02-02T00:00:00"}),
            "added_at >= '2020-02-02'",
        ),
        (
            "pets",
            json!({"details__json": {"colour": "gold"}}),
            "details->>'colour' = 'gold'",
        ),
        (
            "pets",
            json!({"details__jsoncontains": "colour"}),
            "details ? 'colour'",
        ),
    ];
    check_conditions(&temp, "family", &cases);
}

#[test]
fn array_comparators_select_the_rows_their_sql_does() {
    let temp = database("blog");
    let cases = [
        (
            "posts",
            json!({"tags__array_contains": ["history"]}),
            "tags @> ARRAY['history']::varchar[]",
        ),
        (
            "posts",
            json!({"tags__not_array_contains": ["history"]}),
            "NOT tags @> ARRAY['history']::varchar[]",
        ),
        (
            "posts",
            json!({"tags__array_intersects": ["compilers", "history"]}),
            "tags && ARRAY['compilers', 'history']::varchar[]",
        ),
        (
            "posts",
            json!({"tags__not_array_intersects": ["compilers"]}),
            "NOT tags && ARRAY['compilers']::varchar[]",
        ),
    ];
    check_conditions(&temp, "blog", &cases);
}

#[test]
fn or_groups_and_relationship_paths_filter_as_exists() {
    let temp = database("family");
    let cases = [
        (
            "parents",
            json!([{"name": "Albert"}, {"shirt": "blue", "pantaloons": "jeans"}]),
            "name = 'Albert' OR (shirt = 'blue' AND pantaloons = 'jeans')",
        ),
        (
            "parents",
            json!({"pets__animal": "Fish"}),
            "EXISTS (SELECT 1 FROM pets p WHERE p.parent_id = t.id AND p.animal = 'Fish')",
        ),
        // Both conditions hold for the same pet.
        (
            "parents",
            json!({"pets__animal": "Fish", "pets__name": "Oliver"}),
            "EXISTS (SELECT 1 FROM pets p WHERE p.parent_id = t.id AND p.animal = 'Fish' \
             AND p.name = 'Oliver')",
        ),
        (
            "parents",
            json!({"children__age__gte": 28, "name__not": "Derek"}),
            "name <> 'Derek' AND EXISTS (SELECT 1 FROM children c WHERE c.parent_id = t.id \
             AND c.age >= 28)",
        ),
        (
            "parents",
            json!({"partner__job": "Plumber"}),
            "EXISTS (SELECT 1 FROM partners p WHERE p.parent_id = t.id AND p.job = 'Plumber')",
        ),
        (
            "children",
            json!({"parent__pets__animal": "Fish", "age__lt": 10}),
            "age < 10 AND EXISTS (SELECT 1 FROM parents p JOIN pets q ON q.parent_id = p.id \
             WHERE p.id = t.parent_id AND q.animal = 'Fish')",
        ),
        (
            "parents",
            json!({"outgoingFriendships__toParent__name": "Albert"}),
            "EXISTS (SELECT 1 FROM friendships f JOIN parents p ON p.id = f.to_parent_id \
             WHERE f.from_parent_id = t.id AND p.name = 'Albert')",
        ),
        (
            "parents",
            json!([{"pets__animal": "Fish"}, {"name__startswith": "Z"}]),
            "name LIKE 'Z%' OR EXISTS (SELECT 1 FROM pets p WHERE p.parent_id = t.id \
             AND p.animal = 'Fish')",
        ),
    ];
    check_conditions(&temp, "family", &cases);
}

#[test]
fn relationships_nest_with_their_own_filters_and_order() {
    let temp = database("family");
    // A parent without a partner, children or pets.
    temp.db()
        .unwrap()
        .execute("INSERT INTO parents (name) VALUES ('Loner')", &[])
        .unwrap();
    let result = query(
        &temp,
        "family",
        &json!({"parents": {
            "$": {"where": {"id__in": [1, 2, 11]}, "order": "id"},
            "children": {"$": {"where": {"age__gte": 20}, "order": "age DESC"}, "parent": {}},
            "pets": {"$": {"where": {"animal": "Fish"}}},
            "partner": {}
        }}),
    );
    let parents = result["parents"].as_array().unwrap();
    assert_eq!(ids(&result["parents"]), [1, 2, 11]);
    for parent in parents {
        let id = parent["id"].as_i64().unwrap();
        let children = &parent["children"];
        let mut client = temp.connect().unwrap();
        let expected: Vec<i64> = client
            .query(
                "SELECT id FROM children WHERE parent_id = $1 AND age >= 20 ORDER BY age DESC",
                &[&id],
            )
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert_eq!(ids(children), expected, "children of {id}");
        for child in children.as_array().unwrap() {
            assert_eq!(child["parent"]["id"], json!(id));
            assert_eq!(child["parent"]["name"], parent["name"]);
        }
        assert_eq!(
            ids(&parent["pets"]),
            sql_ids(
                &temp,
                "pets",
                &format!("parent_id = {id} AND animal = 'Fish'")
            ),
        );
        if id == 11 {
            assert_eq!(parent["partner"], Value::Null);
            assert_eq!(parent["children"], json!([]));
        } else {
            assert_eq!(parent["partner"]["parent_id"], json!(id));
        }
    }
    // Columns in the table's order, then the relationships in the query's.
    let keys: Vec<&String> = parents[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "shirt",
            "hidden",
            "pantaloons",
            "created_at",
            "updated_at",
            "children",
            "pets",
            "partner"
        ]
    );
}

#[test]
fn order_limit_and_offset_page_the_rows() {
    let temp = database("family");
    let page = |order: Value, limit: u64, offset: u64| {
        ids(&query(
            &temp,
            "family",
            &json!({"parents": {"$": {"order": order, "limit": limit, "offset": offset}}}),
        )["parents"])
    };
    let by_name_desc = sql_ids(&temp, "parents", "true");
    assert_eq!(by_name_desc.len(), 10);
    let mut client = temp.connect().unwrap();
    let ordered: Vec<i64> = client
        .query(
            "SELECT id FROM parents ORDER BY shirt, name DESC LIMIT 4 OFFSET 2",
            &[],
        )
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(page(json!(["shirt", "name DESC"]), 4, 2), ordered);
    assert_eq!(page(json!("id DESC"), 3, 0), [10, 9, 8]);
    assert_eq!(page(json!("id"), 3, 9), [10]);
    // `__order` inside the where-object orders too.
    let result = query(
        &temp,
        "family",
        &json!({"children": {"$": {"where": {"parent_id": 1, "__order": "age DESC"}}}}),
    );
    let ages: Vec<i64> = result["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|child| child["age"].as_i64().unwrap())
        .collect();
    let mut sorted = ages.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ages, sorted);
    assert_eq!(ages.len(), 10);
}

#[test]
fn output_is_compact_or_pretty_and_input_comes_from_an_argument_a_file_or_stdin() {
    let temp = database("family");
    let text = r#"{"parents": {"$": {"where": {"id__lte": 2}, "order": "id"}, "partner": {}}}"#;
    let compact = run(&mut instant(&temp, "family", &["query", text]));
    let printed = stdout(&compact);
    assert_eq!(printed.lines().count(), 1, "{printed}");
    let value = json_of(&compact);
    assert_eq!(ids(&value["parents"]), [1, 2]);

    let pretty = run(&mut instant(&temp, "family", &["query", "--pretty", text]));
    assert_eq!(
        stdout(&pretty),
        format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
    );

    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    let from_file = run(&mut instant(
        &temp,
        "family",
        &["query", "--file", file.path().to_str().unwrap()],
    ));
    assert_eq!(json_of(&from_file), value);

    let mut command = instant(&temp, "family", &["query"]);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    assert_eq!(json_of(&child.wait_with_output().unwrap()), value);

    // The readonly database reads.
    let readonly = run(
        instant(&temp, "family", &["query", "--db", "readonly", text])
            .env("DATABASE_URL_READONLY", temp.url()),
    );
    assert_eq!(json_of(&readonly), value);
}

#[test]
fn explain_prints_the_statements_without_a_database() {
    let output = Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(["query", "--explain", "--dir"])
        .arg(fixture("family"))
        .arg(
            json!({"parents": {
                "$": {"where": [{"name__istartswith": "s", "pets__animal": "Cat"}, {"id": 1}],
                      "order": "id DESC", "limit": 2, "offset": 1},
                "children": {"$": {"where": {"age__gte": 30}}, "parent": {}}
            }})
            .to_string(),
        )
        .env_remove("DATABASE_URL")
        .env_remove("INSTANT_ENV")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        r#"-- parents
SELECT "parents"."id", "parents"."name", "parents"."shirt", "parents"."hidden", "parents"."pantaloons", to_json("parents"."created_at"), to_json("parents"."updated_at") FROM "parents" WHERE (("parents"."name" ILIKE $1) AND EXISTS(SELECT 1 FROM "pets" WHERE "pets"."parent_id" = "parents"."id" AND "pets"."animal" = $2)) OR "parents"."id" = $3 ORDER BY "parents"."id" DESC NULLS LAST LIMIT $4 OFFSET $5;
-- $1 = "s%"
-- $2 = "Cat"
-- $3 = 1
-- $4 = 2
-- $5 = 1

-- parents.children
SELECT "children"."id", "children"."parent_id", "children"."name", "children"."age", "children"."is_favorite", "children"."license", to_json("children"."created_at"), to_json("children"."updated_at") FROM "children" WHERE "children"."age" >= $1 AND "children"."parent_id" = ANY(CAST($2 AS bigint[]));
-- $1 = 30
-- $2 = the id of each parents row

-- parents.children.parent
SELECT "parents"."id", "parents"."name", "parents"."shirt", "parents"."hidden", "parents"."pantaloons", to_json("parents"."created_at"), to_json("parents"."updated_at") FROM "parents" WHERE "parents"."id" = ANY(CAST($1 AS bigint[]));
-- $1 = the parent_id of each parents.children row
"#
    );
}

#[test]
fn mistakes_are_one_error_line_naming_what_is_valid() {
    let temp = database("family");
    let cases = [
        (
            "{\"parents\": ",
            "error: the query is not valid JSON: EOF while parsing a value at line 1 column 12",
        ),
        (
            r#"["parents"]"#,
            "error: query: must be an object with a key per table, found [\"parents\"]",
        ),
        (
            r#"{"parnets": {}}"#,
            "error: parnets: no such table; tables: parents, careers, children, partners, pets, friendships",
        ),
        (
            r#"{"parents": {"$": {"where": {"nam": "x"}}}}"#,
            "error: parents.$.where.nam: \"nam\" is not a column or relationship of `parents`; \
             columns: id, name, shirt, hidden, pantaloons, created_at, updated_at; relationships: \
             careers, children, outgoingFriendships, incomingFriendships, partner, pets",
        ),
        (
            r#"{"parents": {"$": {"where": {"name__sounds_like": "x"}}}}"#,
            "error: parents.$.where.name__sounds_like: unknown comparator `sounds_like`; \
             comparators: is, not, lt",
        ),
        (
            r#"{"parents": {"kids": {}}}"#,
            "error: parents.kids: `parents` has no relationship \"kids\"; relationships: \
             careers, children, outgoingFriendships, incomingFriendships, partner, pets",
        ),
        (
            r#"{"parents": {"$": {"order": "age"}}}"#,
            "error: parents.$.order: \"age\" is not a column or relationship of `parents`",
        ),
        (
            r#"{"parents": {"children": {"$": {"limit": 1}}}}"#,
            "error: parents.children: a relationship loads every related row: limit and offset \
             apply to the top level only",
        ),
        (
            r#"{"children": {"$": {"where": {"age": "old"}}}}"#,
            "error: children.$.where.age: must be an integer (i64)",
        ),
    ];
    for (text, expected) in cases {
        for explain in [false, true] {
            let mut args = vec!["query", text];
            if explain {
                args.push("--explain");
            }
            let message = error_of(&run(&mut instant(&temp, "family", &args)));
            assert!(message.starts_with(expected), "{text}: {message}");
        }
    }
    let missing = error_of(&run(&mut instant(
        &temp,
        "family",
        &["query", "--file", "/nonexistent/query.json"],
    )));
    assert!(
        missing.starts_with("error: cannot read /nonexistent/query.json: "),
        "{missing}"
    );
    let empty = error_of(&run(
        instant(&temp, "family", &["query"]).stdin(Stdio::null())
    ));
    assert_eq!(
        empty,
        "error: the query on standard input is empty: give it as an argument, with --file, or \
         on standard input"
    );
}

#[test]
fn seed_inserts_in_one_transaction_and_prints_the_ids() {
    let temp = database("family");
    let output = run(&mut instant(
        &temp,
        "family",
        &[
            "seed",
            r#"[{"parents": [{"name": "Xavier", "shirt": "plaid"}, {"name": "Yolanda"}]},
                {"pets": [{"parent_id": 11, "name": "Rex", "animal": "Dog", "details": {"good": true}}]}]"#,
        ],
    ));
    assert_eq!(json_of(&output), json!({"parents": [11, 12], "pets": [31]}));
    let pets = query(
        &temp,
        "family",
        &json!({"pets": {"$": {"where": {"id": 31}}, "parent": {}}}),
    );
    assert_eq!(pets["pets"][0]["details"], json!({"good": true}));
    assert_eq!(pets["pets"][0]["parent"]["name"], json!("Xavier"));
    assert!(pets["pets"][0]["created_at"].is_string());

    // One batch may be given as an object; the ids print pretty too.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        file.path(),
        r#"{"careers": [{"parent_id": 12, "title": "Pilot"}]}"#,
    )
    .unwrap();
    let pretty = run(&mut instant(
        &temp,
        "family",
        &["seed", "--pretty", "--file", file.path().to_str().unwrap()],
    ));
    assert_eq!(stdout(&pretty), "{\n  \"careers\": [\n    21\n  ]\n}\n");
}

#[test]
fn a_failed_seed_writes_nothing() {
    let temp = database("family");
    let before = (count(&temp, "parents"), count(&temp, "pets"));
    let cases = [
        (
            // The second batch breaks a foreign key: the first is rolled back too.
            r#"[{"parents": [{"name": "Xavier"}]}, {"pets": [{"parent_id": 999, "name": "Ghost"}]}]"#,
            "error: seed[1][\"pets\"]: database error: insert or update on table \"pets\" violates foreign key constraint",
        ),
        (
            r#"{"parents": [{"name": "Xavier"}, {"name": "Albert"}]}"#,
            "error: seed[0][\"parents\"]: database error: duplicate key value violates unique constraint",
        ),
        (
            r#"{"parnets": [{"name": "Xavier"}]}"#,
            "error: at [0].parnets: No such table: \"parnets\"",
        ),
        (
            r#"{"parents": [{"nam": "Xavier"}]}"#,
            "error: at [0].parents[0].nam: No such column: \"nam\" in table \"parents\"",
        ),
        (
            r#"[1]"#,
            "error: at [0]: must be an Object mapping table names",
        ),
        ("[{", "error: the seed is not valid JSON: "),
    ];
    for (text, expected) in cases {
        let message = error_of(&run(&mut instant(&temp, "family", &["seed", text])));
        assert!(message.starts_with(expected), "{text}: {message}");
        assert_eq!((count(&temp, "parents"), count(&temp, "pets")), before);
    }
}

#[test]
fn the_readonly_database_refuses_to_seed() {
    let temp = database("family");
    let seed = r#"{"parents": [{"name": "Xavier"}]}"#;
    // DATABASE_URL_READONLY names it.
    let by_url = run(
        instant(&temp, "family", &["seed", "--db", "readonly", seed])
            .env("DATABASE_URL_READONLY", temp.url()),
    );
    assert_eq!(
        error_of(&by_url),
        "error: the readonly database refuses writes"
    );

    // db.json names it, for the environment asked for.
    let config: postgres::Config = temp.url().parse().unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(host) => host.clone(),
        #[cfg(unix)]
        postgres::config::Host::Unix(path) => path.display().to_string(),
    };
    let project = tempfile::tempdir().unwrap();
    let instant_dir = project.path().join("_instant");
    std::fs::create_dir_all(instant_dir.join("migrations")).unwrap();
    for entry in std::fs::read_dir(fixture("family").join("_instant/migrations")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            instant_dir.join("migrations").join(entry.file_name()),
        )
        .unwrap();
    }
    let entry = json!({
        "host": host,
        "port": config.get_ports()[0],
        "user": config.get_user().unwrap(),
        "password": "",
        "database": config.get_dbname().unwrap(),
    });
    std::fs::write(
        instant_dir.join("db.json"),
        json!({"staging": {"main": entry, "readonly": entry}}).to_string(),
    )
    .unwrap();
    let by_db_json = Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(["seed", "--env", "staging", "--db", "readonly", "--dir"])
        .arg(project.path())
        .arg(seed)
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_URL_READONLY")
        .output()
        .unwrap();
    assert_eq!(
        error_of(&by_db_json),
        "error: the readonly database refuses writes"
    );
    assert_eq!(
        sql_ids(&temp, "parents", "name = 'Xavier'"),
        Vec::<i64>::new()
    );

    // The same seed on `main` through db.json works.
    let on_main = Command::new(env!("CARGO_BIN_EXE_instant"))
        .args(["seed", "--env", "staging", "--dir"])
        .arg(project.path())
        .arg(seed)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert_eq!(json_of(&on_main), json!({"parents": [11]}));
}

/// The README's examples of `query` and `seed`, run in order on a fresh `fixtures/blog`
/// database, print what the README shows (timestamps aside: they are the time of the run).
#[test]
fn the_readme_examples_print_what_the_readme_shows() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("### `instant query` and `instant seed`")
        .nth(1)
        .unwrap();
    let block = section
        .split("```text\n")
        .nth(1)
        .unwrap()
        .split("\n```")
        .next()
        .unwrap();
    let temp = database("blog");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut examples = 0;
    for example in block.split("\n\n$ ") {
        let example = example.strip_prefix("$ ").unwrap_or(example);
        let (line, shown) = example.split_once('\n').unwrap();
        let mut words = shell_words(line);
        let mut command = Command::new(env!("CARGO_BIN_EXE_instant"));
        command
            .current_dir(&root)
            .env("DATABASE_URL", temp.url())
            .env_remove("DATABASE_URL_READONLY");
        if words[0] == "DATABASE_URL_READONLY=$DATABASE_URL" {
            command.env("DATABASE_URL_READONLY", temp.url());
            words.remove(0);
        }
        assert_eq!(words[0], "instant", "{line}");
        let output = command.args(&words[1..]).output().unwrap();
        let printed = format!("{}{}", stdout(&output), stderr(&output));
        assert_eq!(
            output.status.success(),
            !shown.starts_with("error: "),
            "{line}: {printed}"
        );
        match serde_json::from_str::<Value>(shown) {
            Ok(json) => assert_eq!(
                without_timestamps(serde_json::from_str(&printed).unwrap()),
                without_timestamps(json),
                "{line}"
            ),
            Err(_) => assert_eq!(printed.trim_end(), shown, "{line}"),
        }
        examples += 1;
    }
    assert_eq!(examples, 8);
}

/// A command line's words: split at spaces, except inside single quotes.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for character in line.chars() {
        match character {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            other => word.push(other),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn without_timestamps(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(key, _)| key != "created_at" && key != "updated_at")
                .map(|(key, value)| (key, without_timestamps(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_timestamps).collect()),
        other => other,
    }
}
