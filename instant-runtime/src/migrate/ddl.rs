//! Each migration command as the SQL statements that apply it.
//!
//! Object names are instant.dev's, so a database migrated by either tool has the same
//! constraints, indexes and sequences: `{table}_{col}_pk`, `{table}_{col}_unique`,
//! `{table}_{col}_seq`, `{table}_{col}_index` and `{table}_{col}__fk` (double underscore).
//! Statements are sea-query builders where sea-query says exactly what instant.dev says; the
//! sequence, column-type and constraint-rename statements are written out by hand.
//!
//! Where instant.dev has a documented quirk we fix it (see `docs/differences.md`):
//! `defaultValue` becomes a SQL `DEFAULT` (a literal, quoted by sea-query), `addColumn` honours
//! `unique`, `primary_key` and `auto_increment`, identifiers are always quoted and escaped, and
//! `executeSql` parameters are bound, never inlined.

use instant_schema::column_type;
use instant_schema::index_path::JsonIndexPath;
use instant_schema::index_type::{IndexType as IndexKind, VectorIndex};
use instant_schema::sql_script;
use instant_schema::{Column, ColumnProperties, Command, ForeignKeyBehavior, Schema, apply};
use sea_query::{
    Alias, ColumnDef, ColumnType, ForeignKey, ForeignKeyAction, Index, IndexType,
    PostgresQueryBuilder, QueryBuilder, Table, Value,
};
use serde_json::Value as Json;

use super::params::array_literal;

/// One SQL statement; `params` are bound (only `executeSql` has any).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Json>,
}

impl Statement {
    fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            params: Vec::new(),
        }
    }
}

/// The statements that apply `command` to a database whose schema is `before`.
///
/// `before` is only read for what the command itself does not say: the columns of a renamed
/// table (their constraints and sequences follow it) and the current `defaultValue` of an
/// altered column.
pub fn statements(before: &Schema, command: &Command) -> Vec<Statement> {
    match command {
        Command::SetSchema(schema) => set_schema(schema),
        Command::CreateTable { table, columns } => {
            create_table(table, &with_implicit_columns(columns))
        }
        Command::DropTable { table } => vec![Statement::new(
            Table::drop()
                .table(Alias::new(table))
                .to_string(PostgresQueryBuilder),
        )],
        Command::RenameTable { table, new_table } => rename_table(before, table, new_table),
        Command::AlterColumn {
            table,
            column,
            column_type,
            properties,
        } => alter_column(
            &column_after(before, command, table, column),
            table,
            column_type.is_some(),
            properties.as_ref(),
        ),
        Command::AddColumn {
            table,
            column,
            column_type,
            properties,
        } => {
            let column = Column {
                name: column.clone(),
                column_type: column_type.clone(),
                properties: properties.clone().unwrap_or_default(),
            };
            add_column(table, &column)
        }
        Command::DropColumn { table, column } => vec![Statement::new(
            Table::alter()
                .table(Alias::new(table))
                .drop_column_if_exists(Alias::new(column))
                .to_string(PostgresQueryBuilder),
        )],
        Command::RenameColumn {
            table,
            column,
            new_column,
        } => vec![Statement::new(
            Table::alter()
                .table(Alias::new(table))
                .rename_column(Alias::new(column), Alias::new(new_column))
                .to_string(PostgresQueryBuilder),
        )],
        Command::CreateIndex {
            table,
            column,
            index_type,
        } => vec![create_index(
            table,
            column,
            index_type.as_deref().unwrap_or("btree"),
        )],
        Command::DropIndex { table, column } => vec![Statement::new(
            Index::drop()
                .name(sea_name(&index_name(table, column)))
                .to_string(PostgresQueryBuilder),
        )],
        Command::CreateForeignKey {
            table,
            column,
            parent_table,
            parent_column,
            behavior,
        } => create_foreign_key(
            table,
            column,
            parent_table,
            parent_column,
            behavior.as_ref(),
        ),
        Command::DropForeignKey { table, column } => vec![Statement::new(format!(
            "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
            quote(table),
            quote(&constraint(table, column, "_fk"))
        ))],
        Command::ExecuteSql { sql, params } => execute_sql(sql, params.as_deref()),
    }
}

/// `executeSql`: with parameters, the SQL as one bound statement; without, each statement of
/// the SQL on its own ([`sql_script::statements`]), so each runs through the extended
/// protocol inside the migration's transaction (the simple protocol would run a `COMMIT`
/// hidden in the text). Comments alone are no statement: an auto-inverted `executeSql`
/// (every line `-- invert: `) runs nothing.
fn execute_sql(sql: &str, params: Option<&[Json]>) -> Vec<Statement> {
    match params {
        Some(params) if !params.is_empty() => vec![Statement {
            sql: sql.to_string(),
            params: params.to_vec(),
        }],
        _ => sql_script::statements(sql)
            .into_iter()
            .map(Statement::new)
            .collect(),
    }
}

/// The `_instant_migrations` table, as instant.dev's `prepare` creates it.
pub fn create_history_table(table: &str) -> Statement {
    let columns = [
        column("id", "int", nullable_primary_key()),
        column("name", "string", ColumnProperties::default()),
        column("schema", "json", ColumnProperties::default()),
        column("commands", "json", ColumnProperties::default()),
        column("created_at", "datetime", ColumnProperties::default()),
    ];
    create_table(table, &columns).remove(0)
}

fn column(name: &str, column_type: &str, properties: ColumnProperties) -> Column {
    Column {
        name: name.into(),
        column_type: column_type.into(),
        properties,
    }
}

fn nullable_primary_key() -> ColumnProperties {
    ColumnProperties {
        nullable: Some(false),
        primary_key: Some(true),
        ..ColumnProperties::default()
    }
}

/// Every table, then every index; foreign keys are schema-only here, as in instant.dev.
fn set_schema(schema: &Schema) -> Vec<Statement> {
    let tables = schema
        .tables
        .values()
        .flat_map(|table| create_table(&table.name, &table.columns));
    let indices = schema
        .indices
        .iter()
        .map(|index| create_index(&index.table, &index.column, &index.index_type));
    tables.chain(indices).collect()
}

/// The columns `createTable` really creates: `id` first and `created_at`/`updated_at` last
/// unless the user named them.
fn with_implicit_columns(columns: &[Column]) -> Vec<Column> {
    let named = |name: &str| columns.iter().any(|column| column.name == name);
    let mut all = Vec::with_capacity(columns.len() + 3);
    if !named("id") {
        all.push(Column::new("id", "serial"));
    }
    all.extend(columns.iter().cloned());
    for implicit in ["created_at", "updated_at"] {
        if !named(implicit) {
            all.push(Column::new(implicit, "datetime"));
        }
    }
    all
}

/// `CREATE TABLE` with the primary-key constraints, then the unique ones (skipped on primary
/// keys), then each auto-increment column's sequence.
fn create_table(table: &str, columns: &[Column]) -> Vec<Statement> {
    let mut create = Table::create();
    create.table(Alias::new(table));
    for column in columns {
        create.col(column_def(column));
    }
    for column in columns.iter().filter(|c| c.effective().primary_key) {
        create.primary_key(
            Index::create()
                .name(sea_name(&constraint(table, &column.name, "pk")))
                .col(Alias::new(&column.name)),
        );
    }
    for column in columns.iter().filter(|c| is_unique_key(c)) {
        create.index(
            Index::create()
                .unique()
                .name(sea_name(&constraint(table, &column.name, "unique")))
                .col(Alias::new(&column.name)),
        );
    }
    let mut statements = vec![Statement::new(create.to_string(PostgresQueryBuilder))];
    for column in columns.iter().filter(|c| c.effective().auto_increment) {
        statements.extend(create_sequence(table, &column.name));
    }
    statements
}

fn is_unique_key(column: &Column) -> bool {
    let effective = column.effective();
    effective.unique && !effective.primary_key
}

/// `"name" type[(length)][[]] [NOT NULL] [DEFAULT literal]`.
fn column_def(column: &Column) -> ColumnDef {
    let effective = column.effective();
    let mut def = ColumnDef::new_with_type(
        Alias::new(&column.name),
        column_type_of(&column.column_type, effective.length, effective.array),
    );
    if effective.primary_key || !effective.nullable {
        def.not_null();
    }
    if !effective.auto_increment
        && let Some(value) = &effective.default_value
    {
        def.default(default_literal(&column.column_type, effective.array, value));
    }
    def
}

/// The DDL type: the alias's target (`string` → `varchar`), the length modifier, and `[]` for
/// `array: true` (instant.dev writes the equivalent `varchar ARRAY`).
fn column_type_of(column_type: &str, length: Option<i64>, array: bool) -> ColumnType {
    let mut name = db_type(column_type);
    if let Some(length) = length.filter(|_| takes_length(column_type)) {
        name = format!("{name}({length})");
    }
    let base = ColumnType::Custom(Alias::new(name).into());
    if array {
        ColumnType::Array(base.into())
    } else {
        base
    }
}

/// Whether the type takes a length modifier (`varchar(255)`, `vector(3)`). The schema keeps a
/// `length` through a change of type (`string(80)` altered to `text`), where PostgreSQL would
/// reject `text(80)`; there it is left out.
fn takes_length(column_type: &str) -> bool {
    matches!(
        column_type::db_name(column_type),
        "varchar"
            | "character varying"
            | "char"
            | "character"
            | "bit"
            | "bit varying"
            | "varbit"
            | "vector"
            | "numeric"
            | "float"
            | "time"
            | "time without time zone"
            | "time with time zone"
            | "timestamp"
            | "timestamp without time zone"
            | "timestamp with time zone"
            | "interval"
    )
}

/// The database type name for a column type. Types instant-schema does not know are quoted as
/// identifiers, so a type can never smuggle SQL in.
fn db_type(column_type: &str) -> String {
    if column_type::is_known(column_type) {
        column_type::db_name(column_type).to_string()
    } else {
        quote(column_type)
    }
}

/// A `defaultValue` as a SQL literal of the column's type. JSON columns take the JSON text,
/// array columns a PostgreSQL array literal, everything else its scalar value; sea-query
/// quotes and escapes it.
fn default_literal(column_type: &str, array: bool, value: &Json) -> Value {
    let db_name = column_type::db_name(column_type);
    if array {
        return match value {
            Json::Array(items) => Value::from(array_literal(items)),
            other => scalar(other),
        };
    }
    if db_name == "jsonb" || db_name == "json" {
        return Value::Json(Some(Box::new(value.clone())));
    }
    scalar(value)
}

fn scalar(value: &Json) -> Value {
    match value {
        Json::Null => Value::String(None),
        Json::Bool(flag) => Value::from(*flag),
        Json::Number(number) => {
            if let Some(int) = number.as_i64() {
                Value::from(int)
            } else if let Some(int) = number.as_u64() {
                Value::from(int)
            } else {
                Value::from(number.as_f64().unwrap_or_default())
            }
        }
        Json::String(text) => Value::from(text.clone()),
        other => Value::from(other.to_string()),
    }
}

/// `CREATE SEQUENCE … OWNED BY`, `setval` past the column's current maximum, and the column's
/// `DEFAULT nextval(…)`, exactly as instant.dev writes them.
fn create_sequence(table: &str, column: &str) -> Vec<Statement> {
    let sequence = quote(&constraint(table, column, "seq"));
    vec![
        Statement::new(format!(
            "CREATE SEQUENCE {sequence} START 1 OWNED BY {}.{}",
            quote(table),
            quote(column)
        )),
        Statement::new(format!(
            "SELECT setval({}, GREATEST(COALESCE(MAX({}), 0), 0) + 1, false) FROM {}",
            literal(&sequence),
            quote(column),
            quote(table)
        )),
        Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT nextval({})",
            quote(table),
            quote(column),
            literal(&sequence)
        )),
    ]
}

/// Renames the table, then its primary-key, unique and sequence objects, which carry the table
/// name. Indexes and foreign keys keep their names, as in instant.dev.
fn rename_table(before: &Schema, table: &str, new_table: &str) -> Vec<Statement> {
    let mut statements = vec![Statement::new(
        Table::rename()
            .table(Alias::new(table), Alias::new(new_table))
            .to_string(PostgresQueryBuilder),
    )];
    let columns = before
        .table(table)
        .map(|t| t.columns.as_slice())
        .unwrap_or_default();
    let rename_constraint = |column: &Column, suffix: &str| {
        Statement::new(format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            quote(new_table),
            quote(&constraint(table, &column.name, suffix)),
            quote(&constraint(new_table, &column.name, suffix))
        ))
    };
    statements.extend(
        columns
            .iter()
            .filter(|c| c.effective().primary_key)
            .map(|c| rename_constraint(c, "pk")),
    );
    statements.extend(
        columns
            .iter()
            .filter(|c| is_unique_key(c))
            .map(|c| rename_constraint(c, "unique")),
    );
    statements.extend(
        columns
            .iter()
            .filter(|c| c.effective().auto_increment)
            .map(|c| {
                Statement::new(format!(
                    "ALTER SEQUENCE {} RENAME TO {}",
                    quote(&constraint(table, &c.name, "seq")),
                    quote(&constraint(new_table, &c.name, "seq"))
                ))
            }),
    );
    statements
}

/// `alterColumn`: makes the database column what the schema says it is afterwards.
///
/// instant.dev re-types the column only when a type is given, computes NOT NULL from the
/// *given* properties alone, writes the type without its length and ignores a `nullable` change
/// that comes without a type. We fix those (see `docs/differences.md`): the column after the
/// command (given properties merged over the old ones, as the schema merges them) decides the
/// type, length, array-ness, NOT NULL and default. The primary key (or else the unique
/// constraint) is added or dropped when the given properties mention it, as in instant.dev.
fn alter_column(
    merged: &Column,
    table: &str,
    new_type: bool,
    properties: Option<&ColumnProperties>,
) -> Vec<Statement> {
    let column = merged.name.as_str();
    let given = properties.cloned().unwrap_or_default();
    let alter = |action: String| {
        Statement::new(format!(
            "ALTER TABLE {} ALTER COLUMN {} {action}",
            quote(table),
            quote(column)
        ))
    };
    let mut statements = Vec::new();
    let target = merged.effective();

    let retype = new_type || given.length.is_some() || given.array.is_some();
    if retype {
        let length = target
            .length
            .filter(|_| takes_length(&merged.column_type))
            .map(|n| format!("({n})"))
            .unwrap_or_default();
        let array = if target.array { "[]" } else { "" };
        statements.push(alter(format!(
            "TYPE {}{length}{array}",
            db_type(&merged.column_type)
        )));
    }
    if retype || given.nullable.is_some() || given.primary_key.is_some() {
        let not_null = target.primary_key || !target.nullable;
        statements.push(alter(
            if not_null {
                "SET NOT NULL"
            } else {
                "DROP NOT NULL"
            }
            .to_string(),
        ));
    }
    if new_type || given.auto_increment.is_some() {
        statements.push(alter("DROP DEFAULT".to_string()));
        statements.push(Statement::new(format!(
            "DROP SEQUENCE IF EXISTS {}",
            quote(&constraint(table, column, "seq"))
        )));
        if target.auto_increment {
            statements.extend(create_sequence(table, column));
        } else if let Some(value) = &target.default_value {
            statements.push(set_default(table, merged, value));
        }
    } else if let Some(value) = &given.default_value
        && !target.auto_increment
    {
        statements.push(match value {
            Json::Null => alter("DROP DEFAULT".to_string()),
            value => set_default(table, merged, value),
        });
    }
    if let Some(primary_key) = given.primary_key {
        statements.push(if primary_key {
            add_missing_constraint(table, column, "pk", "PRIMARY KEY")
        } else {
            drop_constraint(table, column, "pk")
        });
    } else if let Some(unique) = given.unique {
        statements.push(if unique {
            add_missing_constraint(table, column, "unique", "UNIQUE")
        } else {
            drop_constraint(table, column, "unique")
        });
    }
    statements
}

/// The column as the schema has it after `command` (an `alterColumn`), so that the DDL and the
/// replayed schema cannot disagree. A command the schema refuses never reaches the database
/// (replay runs first), so the fallback is only the column as it was.
fn column_after(before: &Schema, command: &Command, table: &str, column: &str) -> Column {
    let mut scratch = Schema::empty();
    if let Some(t) = before.table(table) {
        scratch.tables.insert(table.to_string(), t.clone());
    }
    let unchanged = || {
        before
            .table(table)
            .and_then(|t| t.column(column))
            .cloned()
            .unwrap_or_else(|| Column::new(column, ""))
    };
    if apply(&mut scratch, command).is_err() {
        return unchanged();
    }
    scratch
        .table(table)
        .and_then(|t| t.column(column))
        .cloned()
        .unwrap_or_else(unchanged)
}

fn set_default(table: &str, column: &Column, value: &Json) -> Statement {
    let literal = default_literal(&column.column_type, column.effective().array, value);
    Statement::new(format!(
        "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}",
        quote(table),
        quote(&column.name),
        PostgresQueryBuilder.value_to_string(&literal)
    ))
}

/// `ADD COLUMN` with NOT NULL, length, array and (our fix) DEFAULT, followed by (our fix) the
/// primary key, else the unique constraint, and the sequence the properties ask for.
fn add_column(table: &str, column: &Column) -> Vec<Statement> {
    let mut statements = vec![Statement::new(
        Table::alter()
            .table(Alias::new(table))
            .add_column(column_def(column))
            .to_string(PostgresQueryBuilder),
    )];
    let effective = column.effective();
    if effective.primary_key {
        statements.push(add_constraint(table, &column.name, "pk", "PRIMARY KEY"));
    } else if effective.unique {
        statements.push(add_constraint(table, &column.name, "unique", "UNIQUE"));
    }
    if effective.auto_increment {
        statements.extend(create_sequence(table, &column.name));
    }
    statements
}

fn add_constraint(table: &str, column: &str, suffix: &str, kind: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {kind} ({})",
        quote(table),
        quote(&constraint(table, column, suffix)),
        quote(column)
    ))
}

/// `alterColumn`'s ADD CONSTRAINT, skipped when the constraint exists. With instant.dev the
/// pattern `addColumn {unique: true}` then `alterColumn {unique: true}` is how a unique column
/// is really made unique; our `addColumn` already created the constraint, and the same
/// migrations must still run.
fn add_missing_constraint(table: &str, column: &str, suffix: &str, kind: &str) -> Statement {
    let add = add_constraint(table, column, suffix, kind).sql;
    Statement::new(format!(
        "DO $instant$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint \
         WHERE conrelid = {}::regclass AND conname = {}) THEN {add}; END IF; END $instant$",
        literal(&quote(table)),
        literal(truncated(&constraint(table, column, suffix)))
    ))
}

/// A name as PostgreSQL stores it: at most 63 bytes, cut on a character boundary.
fn truncated(name: &str) -> &str {
    const MAX: usize = 63;
    if name.len() <= MAX {
        return name;
    }
    let mut end = MAX;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn drop_constraint(table: &str, column: &str, suffix: &str) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}",
        quote(table),
        quote(&constraint(table, column, suffix))
    ))
}

/// `CREATE INDEX "t_c_index" ON "t" USING type ("c")`. A JSON path column (`data->>'k'`) is
/// indexed as the expression `(("data"->>'k'))`, its first `->` made `_` in the name, as
/// instant.dev does; unlike instant.dev the path is read ([`JsonIndexPath`]) and written back
/// quoted, never pasted. A vector index (our extension) names its operator class:
/// `USING hnsw ("c" vector_cosine_ops)`.
fn create_index(table: &str, column: &str, index_type: &str) -> Statement {
    let name = index_name(table, column);
    // Replay has checked the type; an unparsable one is left for PostgreSQL to reject.
    if let Ok(IndexKind::Vector(vector)) = IndexKind::parse(index_type) {
        return create_vector_index(&name, table, column, vector);
    }
    // Validation has refused a column with `->` that is no path; were one to come here, it
    // goes on as a (quoted) column name, which the server rejects.
    if let Ok(Some(path)) = JsonIndexPath::parse(column) {
        let using = match index_type {
            "btree" | "hash" | "gist" | "gin" => index_type.to_uppercase(),
            other => quote(other),
        };
        return Statement::new(format!(
            "CREATE INDEX {} ON {} USING {using} (({path}))",
            quote(&name),
            quote(table)
        ));
    }
    let using = match index_type {
        "btree" => IndexType::BTree,
        "hash" => IndexType::Hash,
        "gist" | "gin" => IndexType::Custom(Alias::new(index_type.to_uppercase()).into()),
        other => IndexType::Custom(Alias::new(quote(other)).into()),
    };
    Statement::new(
        Index::create()
            .name(sea_name(&name))
            .table(Alias::new(table))
            .index_type(using)
            .col(Alias::new(column))
            .to_string(PostgresQueryBuilder),
    )
}

/// `CREATE INDEX "t_c_index" ON "t" USING hnsw ("c" vector_ip_ops)`; `ivfflat` adds
/// `WITH (lists = 100)` ([`IVFFLAT_LISTS`](instant_schema::index_type::IVFFLAT_LISTS): a
/// migration cannot know the row count pgvector's rows / 1000 advice needs). sea-query's index
/// builder has no operator classes, so the statement is written out.
fn create_vector_index(name: &str, table: &str, column: &str, vector: VectorIndex) -> Statement {
    let mut sql = format!(
        "CREATE INDEX {} ON {} USING {} ({} {})",
        quote(name),
        quote(table),
        vector.method.name(),
        quote(column),
        vector.distance.operator_class()
    );
    if let Some(parameters) = vector.method.storage_parameters() {
        sql.push_str(&format!(" WITH ({parameters})"));
    }
    Statement::new(sql)
}

/// `{table}_{column}_index`, with the first `->` of a JSON path column made `_`. instant.dev's
/// `dropIndex` forgets that replacement (and so cannot drop such an index); ours does not.
fn index_name(table: &str, column: &str) -> String {
    constraint(table, &column.replacen("->", "_", 1), "index")
}

/// `ALTER TABLE … ADD CONSTRAINT "t_c__fk" FOREIGN KEY … [ON DELETE CASCADE]`; a mock foreign
/// key lives in the schema only.
fn create_foreign_key(
    table: &str,
    column: &str,
    parent_table: &str,
    parent_column: &str,
    behavior: Option<&ForeignKeyBehavior>,
) -> Vec<Statement> {
    let behavior = behavior.cloned().unwrap_or_default();
    if behavior.mock == Some(true) {
        return Vec::new();
    }
    let mut foreign_key = ForeignKey::create();
    foreign_key
        .name(sea_name(&constraint(table, column, "_fk")))
        .from(Alias::new(table), Alias::new(column))
        .to(Alias::new(parent_table), Alias::new(parent_column));
    if behavior.cascade == Some(true) {
        foreign_key.on_delete(ForeignKeyAction::Cascade);
    }
    vec![Statement::new(foreign_key.to_string(PostgresQueryBuilder))]
}

/// instant.dev's `generateConstraint`: `{table}_{column}_{suffix}` (PostgreSQL truncates it to
/// 63 bytes, for both tools alike).
fn constraint(table: &str, column: &str, suffix: &str) -> String {
    format!("{table}_{column}_{suffix}")
}

/// A double-quoted identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A single-quoted string literal (for `'"t_id_seq"'` in `setval`/`nextval`).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// sea-query writes index and constraint names between double quotes without escaping them;
/// doubling any `"` here makes the result a correctly quoted identifier.
fn sea_name(name: &str) -> String {
    name.replace('"', "\"\"")
}
