//! The schema a database really has (instant.dev's `PostgresAdapter#introspect`), so that
//! `initialize` can record an existing database and a migrated database can be checked
//! against its migrations.
//!
//! It covers the tables of `public` except `_instant_migrations`: columns in table order, types
//! mapped back to instant.dev's aliases, `serial` recognized, `nullable: false`, `unique`,
//! `primary_key`, `auto_increment`, single-column foreign keys and non-unique single-column
//! indices with their method, pgvector's `hnsw`/`ivfflat` with their distance (`hnsw:ip`, read
//! from the operator class; our extension). Unlike instant.dev it also keeps what the catalog knows and the
//! schema can say: `vector` and `varchar` lengths, `array: true`, constant defaults as
//! `defaultValue`, `ON DELETE CASCADE` as `behavior.cascade`, and `integer`/`smallint`/
//! `real`/`timestamp with time zone` as themselves (instant.dev folds them into `int`, `float`
//! and `datetime`). See `docs/differences.md`.
//!
//! A replayed schema can say things a database cannot tell (`bigint` written instead of `int`,
//! `"nullable": true` spelled out, `mock` foreign keys, relationship aliases). [`comparable`]
//! brings a schema to the form introspection gives, so `introspect(db) == comparable(replayed)`
//! is the round trip.

use instant_pg::Client;
use instant_schema::index_type::{IndexType, VectorDistance, VectorIndex, VectorMethod};
use instant_schema::{Column, ColumnProperties, ForeignKey, ForeignKeyBehavior, Index, Schema};
use instant_schema::{Table, column_type};
use serde_json::Value;

use super::history;
use crate::error::Result;

/// The schema of the database's `public` tables; `migration_id` is `None`.
pub fn introspect(client: &mut Client) -> Result<Schema> {
    let mut schema = Schema::empty();
    let columns = client.query(
        "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), \
                a.attnotnull, pg_get_expr(d.adbin, d.adrelid), \
                pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
                                       a.attname) IS NOT NULL \
         FROM pg_catalog.pg_class c \
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 \
                                         AND NOT a.attisdropped \
         LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 \
         ORDER BY c.relname COLLATE \"C\", a.attnum",
        &[&history::TABLE],
    )?;
    let mut facts = Vec::new();
    for row in &columns {
        let table: String = row.try_get(0)?;
        let default: Option<String> = row.try_get(4)?;
        let sequence: bool = row.try_get(5)?;
        let default_value = match default {
            Some(expression) if !sequence && is_constant(&expression) => {
                constant_value(client, &expression)?
            }
            _ => None,
        };
        facts.push((
            table,
            ColumnFacts {
                name: row.try_get(1)?,
                format_type: row.try_get(2)?,
                not_null: row.try_get(3)?,
                auto_increment: sequence,
                default_value,
                primary_key: false,
                unique: false,
            },
        ));
    }

    let constraints = client.query(
        "SELECT cl.relname::text, con.contype::text, a.attname::text, pcl.relname::text, \
                pa.attname::text, con.confdeltype::text \
         FROM pg_catalog.pg_constraint con \
         JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1] \
         LEFT JOIN pg_catalog.pg_class pcl ON pcl.oid = con.confrelid \
         LEFT JOIN pg_catalog.pg_attribute pa ON pa.attrelid = con.confrelid \
                                              AND pa.attnum = con.confkey[1] \
         WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f') \
           AND cardinality(con.conkey) = 1 AND cl.relname <> $1",
        &[&history::TABLE],
    )?;
    for row in &constraints {
        let table: String = row.try_get(0)?;
        let kind: String = row.try_get(1)?;
        let column: String = row.try_get(2)?;
        match kind.as_str() {
            "p" | "u" => {
                if let Some((_, facts)) = facts
                    .iter_mut()
                    .find(|(t, c)| *t == table && c.name == column)
                {
                    if kind == "p" {
                        facts.primary_key = true;
                    } else {
                        facts.unique = true;
                    }
                }
            }
            _ => {
                let (Some(parent_table), Some(parent_column)) = (row.try_get(3)?, row.try_get(4)?)
                else {
                    continue;
                };
                let on_delete: String = row.try_get(5)?;
                schema.foreign_keys.push(ForeignKey {
                    table,
                    column,
                    parent_table,
                    parent_column,
                    behavior: ForeignKeyBehavior {
                        cascade: (on_delete == "c").then_some(true),
                        ..ForeignKeyBehavior::default()
                    },
                });
            }
        }
    }

    for (table, facts) in facts {
        let column = facts.into_column();
        schema
            .tables
            .entry(table.clone())
            .or_insert_with(|| Table {
                name: table,
                columns: Vec::new(),
            })
            .columns
            .push(column);
    }

    let indices = client.query(
        "SELECT t.relname::text, a.attname::text, am.amname::text, \
                pg_get_indexdef(ix.indexrelid), quote_ident(a.attname), opc.opcname::text \
         FROM pg_catalog.pg_index ix \
         JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid \
         JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace \
         JOIN pg_catalog.pg_am am ON am.oid = i.relam \
         JOIN pg_catalog.pg_opclass opc ON opc.oid = ix.indclass[0] \
         JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = ix.indkey[0] \
         WHERE n.nspname = 'public' AND NOT ix.indisunique AND ix.indnatts = 1 \
           AND ix.indexprs IS NULL AND ix.indpred IS NULL AND t.relname <> $1",
        &[&history::TABLE],
    )?;
    for row in &indices {
        let access_method: String = row.try_get(2)?;
        let definition: String = row.try_get(3)?;
        let quoted: String = row.try_get(4)?;
        let operator_class: String = row.try_get(5)?;
        let index_type = match vector_index(&access_method, &operator_class) {
            Some(vector) => Some(vector.to_string()),
            // Like instant.dev: only plain indices (no operator class, collation or options).
            None if definition.ends_with(&format!(" USING {access_method} ({quoted})"))
                && column_type::INDEX_TYPES.contains(&access_method.as_str()) =>
            {
                Some(access_method)
            }
            None => None,
        };
        if let Some(index_type) = index_type {
            schema.indices.push(Index {
                table: row.try_get(0)?,
                column: row.try_get(1)?,
                index_type,
            });
        }
    }
    schema.sort();
    Ok(schema)
}

/// A pgvector index in the schema's terms (`hnsw:cosine`), from its access method and the
/// operator class of its column. Storage parameters (`lists`, `m`, `ef_construction`) have no
/// schema form and are not read; other operator classes (`vector_l1_ops`, `halfvec_*`) have
/// none either, so such an index is left out like any index the schema cannot express.
fn vector_index(access_method: &str, operator_class: &str) -> Option<VectorIndex> {
    let method = VectorMethod::ALL
        .into_iter()
        .find(|method| method.name() == access_method)?;
    let distance = VectorDistance::from_operator_class(operator_class)?;
    Some(VectorIndex { method, distance })
}

/// What the catalog says about one column.
struct ColumnFacts {
    name: String,
    /// `character varying(255)[]`, `vector(3)`, `bigint`.
    format_type: String,
    not_null: bool,
    auto_increment: bool,
    default_value: Option<Value>,
    primary_key: bool,
    unique: bool,
}

impl ColumnFacts {
    fn into_column(self) -> Column {
        let (base, length, array) = parse_format_type(&self.format_type);
        let (column_type, serial_like) = canonical_type(&base);
        let properties = ColumnProperties {
            nullable: (self.not_null && !serial_like).then_some(false),
            unique: self.unique.then_some(true),
            primary_key: self.primary_key.then_some(true),
            auto_increment: (self.auto_increment && !serial_like).then_some(true),
            array: array.then_some(true),
            length: length.map(Some),
            default_value: self.default_value,
        };
        canonical_column(self.name, column_type, properties)
    }
}

/// `character varying(255)[]` → (`character varying`, 255, array);
/// `timestamp(3) without time zone` → (`timestamp without time zone`, 3, not array).
fn parse_format_type(format_type: &str) -> (String, Option<i64>, bool) {
    let mut text = format_type.trim();
    let mut array = false;
    while let Some(rest) = text.strip_suffix("[]") {
        array = true;
        text = rest;
    }
    let mut length = None;
    let mut base = text.to_string();
    if let (Some(open), Some(close)) = (text.find('('), text.find(')'))
        && open < close
    {
        let inside = &text[open + 1..close];
        length = inside.trim().parse::<i64>().ok();
        base = format!("{}{}", &text[..open], &text[close + 1..]);
    }
    (base.trim().to_string(), length, array)
}

/// The alias (or type) a database type comes back as, and whether the type itself brings a
/// sequence and NOT NULL (`serial4`, `bigserial`): those properties are then implied.
fn canonical_type(db_type: &str) -> (String, bool) {
    let (name, serial_like) = match db_type {
        "bigint" | "int8" => ("int", false),
        "bigserial" | "serial8" => ("int", true),
        "integer" | "int" | "int4" => ("integer", false),
        "serial" | "serial4" => ("integer", true),
        "smallint" | "int2" => ("smallint", false),
        "smallserial" | "serial2" => ("smallint", true),
        "float" | "double precision" | "float8" => ("float", false),
        "real" | "float4" => ("real", false),
        "varchar" | "character varying" => ("string", false),
        "char" | "character" | "bpchar" => ("character", false),
        "timestamp" | "timestamp without time zone" => ("datetime", false),
        "timestamptz" | "timestamp with time zone" => ("timestamp with time zone", false),
        "time" | "time without time zone" => ("time", false),
        "timetz" | "time with time zone" => ("time with time zone", false),
        "bool" | "boolean" => ("boolean", false),
        "json" | "jsonb" => ("json", false),
        "varbit" | "bit varying" => ("bit varying", false),
        other => (other, false),
    };
    (name.to_string(), serial_like)
}

/// Types whose length modifier PostgreSQL keeps (`varchar(9)`, `vector(3)`); for others a
/// schema's `length` is not in the database.
fn keeps_length(canonical: &str) -> bool {
    matches!(
        canonical,
        "string" | "character" | "vector" | "bit" | "bit varying" | "numeric"
    )
}

/// A column in introspection's form: only what differs from the defaults, `serial` for an
/// auto-incrementing NOT NULL `bigint` primary key.
fn canonical_column(name: String, column_type: String, p: ColumnProperties) -> Column {
    let primary_key = p.primary_key == Some(true);
    let auto_increment = p.auto_increment == Some(true);
    let not_null = p.nullable == Some(false) || primary_key;
    let serial = column_type == "int" && primary_key && not_null && auto_increment;
    let properties = ColumnProperties {
        nullable: (not_null && !serial).then_some(false),
        unique: (p.unique == Some(true) && !primary_key).then_some(true),
        primary_key: (primary_key && !serial).then_some(true),
        auto_increment: (auto_increment && !serial).then_some(true),
        array: (p.array == Some(true)).then_some(true),
        length: p
            .length
            .flatten()
            .filter(|_| keeps_length(&column_type))
            .map(Some),
        default_value: p
            .default_value
            .filter(|value| !value.is_null() && !auto_increment),
    };
    Column {
        name,
        column_type: if serial {
            "serial".to_string()
        } else {
            column_type
        },
        properties,
    }
}

/// `schema` as introspection would give it for the database it describes: types mapped to the
/// aliases introspection returns, properties reduced to what differs from the defaults (a
/// primary key is NOT NULL; a primary key is not also unique), vector index types made explicit
/// (`hnsw:cosine`), `mock` foreign keys left out (they exist in the schema only) and
/// relationship names (`alias`, `parentAlias`) and a false `cascade` dropped, `migration_id`
/// kept.
pub fn comparable(schema: &Schema) -> Schema {
    let mut result = Schema::empty();
    result.migration_id = schema.migration_id;
    for (key, table) in &schema.tables {
        let columns = table
            .columns
            .iter()
            .map(|column| {
                let effective = column.effective();
                let db_type = column_type::db_name(&column.column_type);
                let (column_type, serial_like) = canonical_type(db_type);
                let properties = ColumnProperties {
                    nullable: (!effective.nullable || serial_like).then_some(false),
                    unique: effective.unique.then_some(true),
                    primary_key: effective.primary_key.then_some(true),
                    auto_increment: (effective.auto_increment || serial_like).then_some(true),
                    array: effective.array.then_some(true),
                    length: effective.length.map(Some),
                    default_value: effective.default_value,
                };
                let mut canonical = canonical_column(column.name.clone(), column_type, properties);
                if serial_like {
                    // The type implies the sequence and NOT NULL, as introspection reports it.
                    canonical.properties.nullable = None;
                    canonical.properties.auto_increment = None;
                }
                canonical
            })
            .collect();
        result.tables.insert(
            key.clone(),
            Table {
                name: table.name.clone(),
                columns,
            },
        );
    }
    // A vector index in its explicit form (`hnsw` → `hnsw:cosine`), as the catalog gives it.
    result.indices = schema
        .indices
        .iter()
        .map(|index| Index {
            index_type: IndexType::parse(&index.index_type)
                .map_or_else(|_| index.index_type.clone(), |kind| kind.to_string()),
            ..index.clone()
        })
        .collect();
    result.foreign_keys = schema
        .foreign_keys
        .iter()
        .filter(|fk| fk.behavior.mock != Some(true))
        .map(|fk| ForeignKey {
            behavior: ForeignKeyBehavior {
                cascade: (fk.behavior.cascade == Some(true)).then_some(true),
                ..ForeignKeyBehavior::default()
            },
            ..fk.clone()
        })
        .collect();
    result.sort();
    result
}

/// Whether a column default is a constant (`'draft'::character varying`, `false`, `42`,
/// `'{a,b}'::text[]`): no function call outside quoted text. Defaults such as `now()` or
/// `gen_random_uuid()` have no `defaultValue` form and are left out.
fn is_constant(expression: &str) -> bool {
    let mut in_quote = false;
    for character in expression.chars() {
        match character {
            '\'' => in_quote = !in_quote,
            '(' | ')' | ';' if !in_quote => return false,
            _ => {}
        }
    }
    !in_quote
}

/// The JSON value of a constant default, as the server converts it (`to_jsonb`).
fn constant_value(client: &mut Client, expression: &str) -> Result<Option<Value>> {
    let row = client.query_one(&format!("SELECT to_jsonb({expression})"), &[])?;
    Ok(row.try_get::<_, Option<Value>>(0)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_types_split_into_base_length_and_array() {
        assert_eq!(
            parse_format_type("character varying(255)[]"),
            ("character varying".into(), Some(255), true)
        );
        assert_eq!(
            parse_format_type("timestamp(3) without time zone"),
            ("timestamp without time zone".into(), Some(3), false)
        );
        assert_eq!(
            parse_format_type("vector(3)"),
            ("vector".into(), Some(3), false)
        );
        assert_eq!(parse_format_type("bigint"), ("bigint".into(), None, false));
    }

    #[test]
    fn constants_are_told_from_expressions() {
        assert!(is_constant("'draft'::character varying"));
        assert!(is_constant("false"));
        assert!(is_constant("'it''s (not) a call'::text"));
        assert!(!is_constant("now()"));
        assert!(!is_constant("nextval('\"t_id_seq\"'::regclass)"));
    }
}
