//! The generator writes formatted Rust itself instead of printing a syntax tree with
//! prettyplease; these tests check that what it writes is exactly what prettyplease would print
//! (`prettyplease::unparse(syn::parse_file(code)) == code`, apart from the blank lines the
//! generator puts between items and the header comment), for every fixture, for the `scale`
//! example's synthetic project, and for schemas and runtime paths long enough to make every
//! kind of item break over lines.

use std::path::Path;

use instant_codegen::{Options, generate, generate_project};
use instant_schema::{Column, ColumnProperties, ForeignKey, Project, Schema, Table};

#[allow(dead_code)]
#[path = "../examples/scale/design.rs"]
mod design;
#[allow(dead_code)]
#[path = "../examples/scale/history.rs"]
mod history;

mod fixtures;

use fixtures::{FIXTURES, projects};

/// Asserts that `code` is laid out as prettyplease lays it out.
fn assert_prettyplease_layout(name: &str, code: &str) {
    let file = syn::parse_file(code).unwrap_or_else(|error| panic!("{name}: {error}"));
    let expected = prettyplease::unparse(&file);
    let without_blank_lines = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.is_empty() && !line.starts_with("// @generated"))
            .map(str::to_string)
            .collect()
    };
    let expected = without_blank_lines(&expected);
    let actual = without_blank_lines(code);
    if let Some(index) = (0..expected.len().max(actual.len()))
        .find(|&index| expected.get(index) != actual.get(index))
    {
        let from = index.saturating_sub(5);
        panic!(
            "{name}: the generated code differs from prettyplease's layout at line {index} \
             (blank lines left out)\n--- prettyplease:\n{}\n--- generated:\n{}",
            expected[from..(index + 5).min(expected.len())].join("\n"),
            actual[from..(index + 5).min(actual.len())].join("\n"),
        );
    }
}

/// A runtime path long enough that most lines that name it break.
fn long_runtime() -> Options {
    Options {
        runtime_path:
            "::a_rather_long_crate_name_for_testing::with_a_module::instant_runtime_reexport"
                .to_string(),
        ..Options::default()
    }
}

#[test]
fn every_fixture_is_laid_out_as_prettyplease_would() {
    let mut found = Vec::new();
    projects(Path::new(FIXTURES), &mut found);
    assert!(
        found.len() >= 4,
        "expected the fixture projects, found {found:?}"
    );
    for dir in found {
        let project = Project::load(&dir).unwrap();
        for options in [Options::default(), long_runtime()] {
            let code = generate_project(&project, &options).unwrap();
            assert_prettyplease_layout(&dir.display().to_string(), &code);
        }
    }
}

#[test]
fn the_scale_project_is_laid_out_as_prettyplease_would() {
    let size = design::Size {
        tables: 60,
        columns: 600,
        migrations: 12,
    };
    let tables = design::design(size);
    let (_, schema) = history::history(size, &tables).unwrap();
    for options in [Options::default(), long_runtime()] {
        let code = generate(&schema, &options).unwrap();
        assert_prettyplease_layout("scale", &code);
    }
}

/// Names of every length around the margin, so that each kind of line is written once just
/// fitting and once just not: fields, markers, `ColumnInfo`s, impl headers, `use` lists,
/// relationships and their `match` arms, and a model named like a prelude type.
#[test]
fn names_around_the_margin_are_laid_out_as_prettyplease_would() {
    let mut schema = Schema::empty();
    let types = [
        "timestamptz",
        "datetime",
        "string",
        "money",
        "int",
        "json",
        "uuid",
        "numeric",
    ];
    for length in [1usize, 8, 20, 28, 34, 40, 46, 52, 58, 64] {
        let table = format!("t{}", "x".repeat(length));
        let mut columns = vec![Column::new("id", "serial")];
        for (index, column_type) in types.iter().enumerate() {
            let mut column = Column::new(
                format!("c{index}{}", "y".repeat(length + index)),
                *column_type,
            );
            let properties: &mut ColumnProperties = &mut column.properties;
            properties.nullable = Some(index % 2 == 0);
            properties.unique = Some(index % 3 == 0);
            properties.array = Some(index == 2 || index == 5);
            if index == 2 {
                properties.length = Some(Some(255));
            }
            if index == 4 {
                properties.default_value = Some(serde_json::json!(7));
            }
            columns.push(column);
        }
        columns.push(Column::new(
            format!("parent{}_id", "z".repeat(length)),
            "int",
        ));
        schema.tables.insert(
            table.clone(),
            Table {
                name: table,
                columns,
            },
        );
    }
    let names: Vec<String> = schema.tables.keys().cloned().collect();
    for (child, parent) in names.iter().zip(names.iter().cycle().skip(1)) {
        let column = schema.tables[child].columns.last().unwrap().name.clone();
        schema.foreign_keys.push(ForeignKey {
            table: child.clone(),
            column,
            parent_table: parent.clone(),
            parent_column: "id".to_string(),
            behavior: Default::default(),
        });
    }
    schema.tables.insert(
        "options".to_string(),
        Table {
            name: "options".to_string(),
            columns: vec![Column::new("id", "serial"), Column::new("value", "text")],
        },
    );
    for options in [Options::default(), long_runtime()] {
        let code = generate(&schema, &options).unwrap();
        assert_prettyplease_layout("names around the margin", &code);
    }
}

/// Every length of runtime path from 3 to 102 bytes, so that each line that names the runtime
/// (derives, `use`, impl headers, field types, `join_by_name`'s signature) is written once at
/// every width around the margin.
#[test]
fn every_runtime_path_length_is_laid_out_as_prettyplease_would() {
    let project = Project::load(Path::new(FIXTURES).join("blog")).unwrap();
    for length in 0..100 {
        let options = Options {
            runtime_path: format!("::r{}", "x".repeat(length)),
            ..Options::default()
        };
        let code = generate_project(&project, &options).unwrap();
        assert_prettyplease_layout(&format!("runtime path of {} bytes", length + 3), &code);
    }
}

/// Primary keys, tables and relationships with names of every length around the margin, names
/// that are not ASCII (widths are counted in bytes) or need escaping, and a table whose one
/// column puts its whole `columns` array on one line.
#[test]
fn long_and_unusual_names_are_laid_out_as_prettyplease_would() {
    let mut schema = Schema::empty();
    for length in (1usize..100).step_by(3) {
        let table = format!("p{}", "k".repeat(length));
        let mut key = Column::new(format!("key{}", "é".repeat(length / 2)), "serial");
        key.properties.primary_key = Some(true);
        let mut tagged = Column::new(format!("名{}\"\\\t", "x".repeat(length)), "string");
        tagged.properties.nullable = Some(false);
        tagged.properties.length = Some(Some(64));
        let columns = vec![
            key,
            tagged,
            Column::new(format!("ref{}_id", "r".repeat(length)), "int"),
        ];
        schema.tables.insert(
            table.clone(),
            Table {
                name: table,
                columns,
            },
        );
    }
    schema.tables.insert(
        "lonely".to_string(),
        Table {
            name: "lonely".to_string(),
            columns: vec![Column::new("value", "text")],
        },
    );
    let names: Vec<String> = schema
        .tables
        .keys()
        .filter(|name| name.starts_with('p'))
        .cloned()
        .collect();
    for (child, parent) in names.iter().zip(names.iter().rev()) {
        let column = schema.tables[child].columns[2].name.clone();
        let parent_column = schema.tables[parent].columns[0].name.clone();
        schema.foreign_keys.push(ForeignKey {
            table: child.clone(),
            column,
            parent_table: parent.clone(),
            parent_column,
            behavior: Default::default(),
        });
    }
    for options in [Options::default(), long_runtime()] {
        let code = generate(&schema, &options).unwrap();
        assert!(
            code.contains("columns: &[ColumnInfo::new(\"value\", \"text\", \"Option<String>\")],")
        );
        assert_prettyplease_layout("long and unusual names", &code);
    }
}
