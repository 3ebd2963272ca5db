//! What instant.dev knows about column types: its aliases (`serial`, `string`, …) and the
//! properties they imply, the extension type `vector`, and the raw PostgreSQL types it accepts.

/// One of instant.dev's type aliases, with the PostgreSQL type it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alias {
    pub name: &'static str,
    /// The type written in DDL.
    pub db_name: &'static str,
    /// Properties the alias implies: `serial` is a non-null, auto-incrementing primary key.
    pub implied: ImpliedProperties,
}

/// Properties implied by a type alias (only `serial` implies any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImpliedProperties {
    pub primary_key: bool,
    pub nullable_false: bool,
    pub auto_increment: bool,
}

const NONE: ImpliedProperties = ImpliedProperties {
    primary_key: false,
    nullable_false: false,
    auto_increment: false,
};

/// instant.dev's aliases, in its own order (`Database#listTypes` lists them first).
pub const ALIASES: &[Alias] = &[
    Alias {
        name: "serial",
        db_name: "bigint",
        implied: ImpliedProperties {
            primary_key: true,
            nullable_false: true,
            auto_increment: true,
        },
    },
    Alias {
        name: "int",
        db_name: "bigint",
        implied: NONE,
    },
    Alias {
        name: "float",
        db_name: "float",
        implied: NONE,
    },
    Alias {
        name: "string",
        db_name: "varchar",
        implied: NONE,
    },
    Alias {
        name: "text",
        db_name: "text",
        implied: NONE,
    },
    Alias {
        name: "datetime",
        db_name: "timestamp",
        implied: NONE,
    },
    Alias {
        name: "boolean",
        db_name: "boolean",
        implied: NONE,
    },
    Alias {
        name: "json",
        db_name: "jsonb",
        implied: NONE,
    },
];

/// Types provided by PostgreSQL extensions. `vector` (pgvector) requires `properties.length`.
pub const EXTENSION_TYPES: &[&str] = &["vector"];

/// Raw PostgreSQL types accepted verbatim (aliases win on a clash: `int`, `serial`, `text`, …).
pub const RAW_TYPES: &[&str] = &[
    "bigint",
    "int8",
    "bigserial",
    "serial8",
    "bit",
    "bit varying",
    "varbit",
    "boolean",
    "bool",
    "box",
    "bytea",
    "character",
    "char",
    "character varying",
    "varchar",
    "cidr",
    "circle",
    "date",
    "double precision",
    "float8",
    "inet",
    "integer",
    "int",
    "int4",
    "interval",
    "json",
    "jsonb",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "numeric",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "real",
    "float4",
    "smallint",
    "int2",
    "smallserial",
    "serial2",
    "serial",
    "serial4",
    "text",
    "time",
    "time without time zone",
    "time with time zone",
    "timestamp",
    "timestamp without time zone",
    "timestamp with time zone",
    "tsquery",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "xml",
];

/// instant.dev's index methods. A migration may also name pgvector's `hnsw` and `ivfflat`
/// (our extension, see [`crate::index_type`]).
pub const INDEX_TYPES: &[&str] = &["btree", "hash", "gist", "gin"];

/// The alias called `name`, if it is one.
pub fn alias(name: &str) -> Option<&'static Alias> {
    ALIASES.iter().find(|alias| alias.name == name)
}

/// True when instant.dev accepts `name` as a column type.
pub fn is_known(name: &str) -> bool {
    alias(name).is_some() || EXTENSION_TYPES.contains(&name) || RAW_TYPES.contains(&name)
}

/// The type written in DDL for a column type: the alias's target, else the type itself.
pub fn db_name(name: &str) -> &str {
    alias(name).map_or(name, |alias| alias.db_name)
}

/// Every accepted type in instant.dev's `listTypes` order: aliases, extension types, raw types.
pub fn all_types() -> impl Iterator<Item = &'static str> {
    ALIASES
        .iter()
        .map(|alias| alias.name)
        .chain(EXTENSION_TYPES.iter().copied())
        .chain(
            RAW_TYPES
                .iter()
                .copied()
                .filter(|name| alias(name).is_none()),
        )
}
