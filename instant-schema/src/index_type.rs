//! What an index's `type` may name: instant.dev's access methods (`btree`, `hash`, `gist`,
//! `gin`) and — our extension of the migration format — pgvector's approximate-nearest-neighbour
//! methods `hnsw` and `ivfflat`, with the distance their operator class measures after a colon
//! (`hnsw:cosine`, `hnsw:ip`, `ivfflat:l2`).
//!
//! Without an ANN index a similarity search reads every row; with one it reads a few hundred.
//! The distance must be the one the query orders by (`<=>` cosine, `<#>` inner product, `<->`
//! Euclidean) or PostgreSQL cannot use the index, which is why it is part of the type.
//!
//! A bare `hnsw`/`ivfflat` means `:cosine`. A migration keeps the type as written; a schema
//! stores the explicit form ([`IndexType`]'s `Display`), which is also what introspection reads
//! back from the catalog, so replayed and introspected schemas compare equal.

use std::fmt;

use crate::column_type;
use crate::schema::Column;

/// An index type, parsed from the `type` of a schema index or the third argument of
/// `createIndex`.
///
/// ```
/// use instant_schema::index_type::{IndexType, VectorDistance};
/// let hnsw = IndexType::parse("hnsw").unwrap();
/// assert_eq!(hnsw.to_string(), "hnsw:cosine");
/// assert_eq!(hnsw.vector().unwrap().distance, VectorDistance::Cosine);
/// assert_eq!(IndexType::parse("ivfflat:ip").unwrap().access_method(), "ivfflat");
/// assert_eq!(IndexType::parse("gin").unwrap().to_string(), "gin");
/// assert!(IndexType::parse("hnsw:dot").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexType {
    /// One of instant.dev's methods ([`column_type::INDEX_TYPES`]), on the column's default
    /// operator class.
    Standard(&'static str),
    /// A pgvector approximate-nearest-neighbour index; only on a `vector` column.
    Vector(VectorIndex),
}

/// An `hnsw` or `ivfflat` index and the distance it serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VectorIndex {
    pub method: VectorMethod,
    pub distance: VectorDistance,
}

/// pgvector's two index access methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorMethod {
    /// A navigable small-world graph: better recall and query speed, slower to build; can be
    /// created on an empty table.
    Hnsw,
    /// Inverted lists around k-means centroids: faster to build, and its lists are computed
    /// from the rows present when the index is created.
    Ivfflat,
}

/// The distance a vector index orders by, named as the suffix of the index type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorDistance {
    /// `:cosine`, operator `<=>`, operator class `vector_cosine_ops` (the default).
    Cosine,
    /// `:ip`, operator `<#>` (negative inner product), operator class `vector_ip_ops`; what
    /// `search` orders by.
    InnerProduct,
    /// `:l2`, operator `<->` (Euclidean), operator class `vector_l2_ops`.
    L2,
}

/// The number of lists an `ivfflat` index is built with. pgvector recommends rows / 1000 (up
/// to a million rows), which a migration cannot know; 100 suits tables up to about 100 000
/// rows. Rebuild the index by hand with another `lists` for larger tables.
pub const IVFFLAT_LISTS: u32 = 100;

/// The type `createIndex` uses when none is given.
pub const DEFAULT: IndexType = IndexType::Standard("btree");

impl IndexType {
    /// Parses an index type, or says what is wrong with it (a message for an error located at
    /// the type).
    pub fn parse(name: &str) -> Result<IndexType, String> {
        if let Some(standard) = column_type::INDEX_TYPES.iter().find(|t| **t == name) {
            return Ok(IndexType::Standard(standard));
        }
        let (method_name, distance_name) = match name.split_once(':') {
            Some((method, distance)) => (method, Some(distance)),
            None => (name, None),
        };
        let Some(method) = VectorMethod::ALL
            .into_iter()
            .find(|method| method.name() == method_name)
        else {
            if distance_name.is_some() && column_type::INDEX_TYPES.contains(&method_name) {
                return Err(format!(
                    "index type \"{method_name}\" takes no distance (\"{name}\"); only \"hnsw\" and \"ivfflat\" do"
                ));
            }
            return Err(format!(
                "unknown index type \"{name}\"; expected one of {}, or for a vector column \"hnsw\" or \"ivfflat\" with an optional distance {}",
                listed(column_type::INDEX_TYPES.iter().copied(), ", "),
                listed(VectorDistance::ALL.iter().map(|d| d.suffix()), " or "),
            ));
        };
        let distance = match distance_name {
            None => VectorDistance::Cosine,
            Some(distance_name) => VectorDistance::ALL
                .into_iter()
                .find(|distance| distance.name() == distance_name)
                .ok_or_else(|| {
                    format!(
                        "unknown distance \"{distance_name}\" in index type \"{name}\"; expected {} (cosine when left out)",
                        listed(VectorDistance::ALL.iter().map(|d| d.name()), " or ")
                    )
                })?,
        };
        Ok(IndexType::Vector(VectorIndex { method, distance }))
    }

    /// The access method written after `USING`.
    pub fn access_method(&self) -> &'static str {
        match self {
            IndexType::Standard(name) => name,
            IndexType::Vector(vector) => vector.method.name(),
        }
    }

    /// The vector index, when this is one.
    pub fn vector(&self) -> Option<VectorIndex> {
        match self {
            IndexType::Standard(_) => None,
            IndexType::Vector(vector) => Some(*vector),
        }
    }

    /// Fails unless `column` of `table` can carry this index: a vector index needs a `vector`
    /// column that is not an array (PostgreSQL has no operator class for `vector[]`). The other
    /// types are left to PostgreSQL, as instant.dev does.
    pub fn check_column(&self, table: &str, column: &Column) -> Result<(), String> {
        match self.unfit_column(column) {
            None => Ok(()),
            Some(reason) => Err(format!(
                "index type \"{self}\" needs a vector column; \"{table}\".\"{}\" {reason}",
                column.name
            )),
        }
    }

    /// Why `column` cannot carry this index, in words that follow the column's name
    /// (`is "string"`), or `None` when it can.
    pub fn unfit_column(&self, column: &Column) -> Option<String> {
        if self.vector().is_none() {
            None
        } else if column.column_type != "vector" {
            Some(format!("is \"{}\"", column.column_type))
        } else if column.properties.array == Some(true) {
            Some("is an array of vectors".to_string())
        } else {
            None
        }
    }
}

/// The form a schema stores: `btree`, `hnsw:cosine`.
impl fmt::Display for IndexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexType::Standard(name) => f.write_str(name),
            IndexType::Vector(vector) => vector.fmt(f),
        }
    }
}

/// `hnsw:cosine`.
impl fmt::Display for VectorIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.method.name(), self.distance.name())
    }
}

impl VectorMethod {
    /// Both methods, in the order error messages list them.
    pub const ALL: [VectorMethod; 2] = [VectorMethod::Hnsw, VectorMethod::Ivfflat];

    /// The access method's name in PostgreSQL and in an index type.
    pub fn name(self) -> &'static str {
        match self {
            VectorMethod::Hnsw => "hnsw",
            VectorMethod::Ivfflat => "ivfflat",
        }
    }

    /// The storage parameters written after `WITH`: `lists = 100` for `ivfflat` (see
    /// [`IVFFLAT_LISTS`]); `hnsw` keeps pgvector's defaults (`m = 16`, `ef_construction = 64`).
    pub fn storage_parameters(self) -> Option<String> {
        match self {
            VectorMethod::Hnsw => None,
            VectorMethod::Ivfflat => Some(format!("lists = {IVFFLAT_LISTS}")),
        }
    }
}

impl VectorDistance {
    /// The three distances, in the order error messages list them.
    pub const ALL: [VectorDistance; 3] = [
        VectorDistance::Cosine,
        VectorDistance::InnerProduct,
        VectorDistance::L2,
    ];

    /// The name after the colon in an index type.
    pub fn name(self) -> &'static str {
        match self {
            VectorDistance::Cosine => "cosine",
            VectorDistance::InnerProduct => "ip",
            VectorDistance::L2 => "l2",
        }
    }

    /// `:cosine`, as error messages show it.
    fn suffix(self) -> &'static str {
        match self {
            VectorDistance::Cosine => ":cosine",
            VectorDistance::InnerProduct => ":ip",
            VectorDistance::L2 => ":l2",
        }
    }

    /// pgvector's operator class for `vector` columns.
    pub fn operator_class(self) -> &'static str {
        match self {
            VectorDistance::Cosine => "vector_cosine_ops",
            VectorDistance::InnerProduct => "vector_ip_ops",
            VectorDistance::L2 => "vector_l2_ops",
        }
    }

    /// The distance an operator class serves (introspection reads it from `pg_opclass`).
    pub fn from_operator_class(name: &str) -> Option<VectorDistance> {
        VectorDistance::ALL
            .into_iter()
            .find(|distance| distance.operator_class() == name)
    }

    /// The operator a query must order by for the index to be used: `embedding <=> $1`.
    pub fn operator(self) -> &'static str {
        match self {
            VectorDistance::Cosine => "<=>",
            VectorDistance::InnerProduct => "<#>",
            VectorDistance::L2 => "<->",
        }
    }
}

/// `"a", "b", "c"`, or `"a", "b" or "c"` when `last` is `" or "`.
fn listed<'a>(names: impl Iterator<Item = &'a str>, last: &str) -> String {
    let names: Vec<String> = names.map(|name| format!("\"{name}\"")).collect();
    match names.split_last() {
        Some((final_name, rest)) if !rest.is_empty() => {
            format!("{}{last}{final_name}", rest.join(", "))
        }
        _ => names.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_types_are_kept_as_given() {
        for name in column_type::INDEX_TYPES {
            let parsed = IndexType::parse(name).unwrap();
            assert_eq!(parsed, IndexType::Standard(name));
            assert_eq!(parsed.to_string(), *name);
            assert_eq!(parsed.access_method(), *name);
            assert_eq!(parsed.vector(), None);
        }
    }

    #[test]
    fn vector_types_name_method_and_distance() {
        let cases = [
            ("hnsw", "hnsw:cosine", "vector_cosine_ops"),
            ("hnsw:cosine", "hnsw:cosine", "vector_cosine_ops"),
            ("hnsw:ip", "hnsw:ip", "vector_ip_ops"),
            ("hnsw:l2", "hnsw:l2", "vector_l2_ops"),
            ("ivfflat", "ivfflat:cosine", "vector_cosine_ops"),
            ("ivfflat:ip", "ivfflat:ip", "vector_ip_ops"),
            ("ivfflat:l2", "ivfflat:l2", "vector_l2_ops"),
        ];
        for (given, canonical, operator_class) in cases {
            let parsed = IndexType::parse(given).unwrap();
            assert_eq!(parsed.to_string(), canonical, "{given}");
            let vector = parsed.vector().unwrap();
            assert_eq!(vector.distance.operator_class(), operator_class);
            assert_eq!(
                VectorDistance::from_operator_class(operator_class),
                Some(vector.distance)
            );
            assert_eq!(IndexType::parse(canonical).unwrap(), parsed);
        }
        assert_eq!(VectorDistance::from_operator_class("vector_l1_ops"), None);
    }

    #[test]
    fn only_ivfflat_has_storage_parameters() {
        assert_eq!(VectorMethod::Hnsw.storage_parameters(), None);
        assert_eq!(
            VectorMethod::Ivfflat.storage_parameters().as_deref(),
            Some("lists = 100")
        );
    }

    #[test]
    fn errors_say_what_is_accepted() {
        assert_eq!(
            IndexType::parse("fast").unwrap_err(),
            "unknown index type \"fast\"; expected one of \"btree\", \"hash\", \"gist\", \"gin\", or for a vector column \"hnsw\" or \"ivfflat\" with an optional distance \":cosine\", \":ip\" or \":l2\""
        );
        assert_eq!(
            IndexType::parse("hnsw:dot").unwrap_err(),
            "unknown distance \"dot\" in index type \"hnsw:dot\"; expected \"cosine\", \"ip\" or \"l2\" (cosine when left out)"
        );
        assert_eq!(
            IndexType::parse("btree:cosine").unwrap_err(),
            "index type \"btree\" takes no distance (\"btree:cosine\"); only \"hnsw\" and \"ivfflat\" do"
        );
        for wrong in ["HNSW", "hnsw:", "hnsw:cosine:x", "", ":cosine"] {
            assert!(IndexType::parse(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn vector_indexes_need_a_plain_vector_column() {
        let hnsw = IndexType::parse("hnsw").unwrap();
        let mut embedding = Column::new("embedding", "vector");
        assert_eq!(hnsw.check_column("docs", &embedding), Ok(()));
        assert_eq!(
            hnsw.check_column("docs", &Column::new("title", "string")),
            Err("index type \"hnsw:cosine\" needs a vector column; \"docs\".\"title\" is \"string\"".into())
        );
        embedding.properties.array = Some(true);
        assert_eq!(
            hnsw.check_column("docs", &embedding),
            Err("index type \"hnsw:cosine\" needs a vector column; \"docs\".\"embedding\" is an array of vectors".into())
        );
        assert_eq!(
            IndexType::parse("gin")
                .unwrap()
                .check_column("docs", &embedding),
            Ok(())
        );
    }
}
