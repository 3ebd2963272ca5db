//! Vector search on a query (instant.dev's `search`, `similarity` and `classify`): the text
//! is embedded by the database's engine when the query runs, its vector bound as a
//! parameter, and each row gets a metafield with its score.
//!
//! Rows are ordered by pgvector's distance operator itself (`embedding <=> $1`, ascending
//! for most similar first) rather than by the score instant.dev orders by
//! (`1 - (embedding <=> $1)`, descending): the same order, but one an HNSW or IVFFlat index
//! can serve.

use std::sync::Arc;

use pgvector::Vector;
use sea_query::{Expr, Value};

use super::filter::Scope;
use crate::descriptor::ColumnInfo;
use crate::error::{Error, Result};
use crate::vector::Vectors;

/// What a vector search scores each row by.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Measure {
    /// The dot product (`<#>`, negated), metafield `<field>_product`.
    Product,
    /// The cosine similarity (`1 - <=>`), metafield `<field>_similarity`.
    Similarity,
    /// The nearest of the labels by cosine distance, metafield `<field>_classification`:
    /// `{"value": label, "similarity": {label: similarity, …}}`.
    Classification(Arc<[String]>),
}

/// One `search`, `similarity` or `classify` of a query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VectorSearch {
    pub column: &'static ColumnInfo,
    pub measure: Measure,
    /// The text searched for (`search`, `similarity`).
    pub text: Arc<str>,
    /// The text's vector, or the labels' (one each), once embedded.
    pub vectors: Option<Arc<[Vector]>>,
}

impl VectorSearch {
    pub fn new(column: &'static ColumnInfo, measure: Measure, text: impl Into<Arc<str>>) -> Self {
        VectorSearch {
            column,
            measure,
            text: text.into(),
            vectors: None,
        }
    }

    /// The metafield each row's score is read into.
    pub fn metafield(&self) -> String {
        let suffix = match self.measure {
            Measure::Product => "product",
            Measure::Similarity => "similarity",
            Measure::Classification(_) => "classification",
        };
        format!("{}_{suffix}", self.column.name)
    }

    /// The texts to embed: the searched text, or every label.
    fn texts(&self) -> Vec<String> {
        match &self.measure {
            Measure::Classification(labels) => labels.to_vec(),
            _ => vec![self.text.to_string()],
        }
    }

    /// The bound vector `index`; before embedding, the text in its place (what `to_sql`
    /// shows for a query that has not run).
    fn vector(&self, index: usize) -> Expr {
        match &self.vectors {
            Some(vectors) => Expr::val(Value::Vector(vectors.get(index).cloned())),
            None => match &self.measure {
                Measure::Classification(labels) => {
                    Expr::val(labels.get(index).cloned().unwrap_or_default())
                }
                _ => Expr::val(self.text.to_string()),
            },
        }
    }

    /// The row's score: the metafield's value.
    pub fn score(&self, scope: &Scope) -> Expr {
        let column = scope.column(self.column.name);
        match &self.measure {
            Measure::Product => Expr::cust_with_exprs("-1 * ($1 <#> $2)", [column, self.vector(0)]),
            Measure::Similarity => {
                Expr::cust_with_exprs("1 - ($1 <=> $2)", [column, self.vector(0)])
            }
            Measure::Classification(labels) => {
                classification(column, labels, |index| self.vector(index))
            }
        }
    }

    /// The distance rows are ordered by (ascending: most similar first); none for `classify`.
    /// The metafield's value from what the statement selected for the search: the distance
    /// for a search or a similarity (the score is computed from it here, so the database
    /// computes each row's distance once, for the order and the score alike), the JSON
    /// classification otherwise.
    pub fn metafield_value(
        &self,
        row: &instant_pg::Row,
        index: usize,
    ) -> Result<serde_json::Value> {
        let score = match self.measure {
            Measure::Product => row
                .try_get::<_, Option<f64>>(index)?
                .map(|distance| -distance),
            Measure::Similarity => row
                .try_get::<_, Option<f64>>(index)?
                .map(|distance| 1.0 - distance),
            Measure::Classification(_) => {
                let value: Option<serde_json::Value> = row.try_get(index)?;
                return Ok(value.unwrap_or(serde_json::Value::Null));
            }
        };
        Ok(score
            .and_then(serde_json::Number::from_f64)
            .map_or(serde_json::Value::Null, serde_json::Value::Number))
    }

    /// What the statement selects for the search, under its metafield's name: the distance
    /// (which the order then names), or the classification's JSON.
    pub fn selected(&self, scope: &Scope) -> Expr {
        match self.distance(scope) {
            Some(distance) => distance,
            None => Expr::cust_with_expr("to_jsonb($1)", self.score(scope)),
        }
    }

    pub fn distance(&self, scope: &Scope) -> Option<Expr> {
        let column = scope.column(self.column.name);
        match &self.measure {
            Measure::Product => Some(Expr::cust_with_exprs("$1 <#> $2", [column, self.vector(0)])),
            Measure::Similarity => {
                Some(Expr::cust_with_exprs("$1 <=> $2", [column, self.vector(0)]))
            }
            Measure::Classification(_) => None,
        }
    }
}

/// `json_build_object('value', <nearest label>, 'similarity', json_build_object(<label>,
/// <similarity>, …))`. Two labels compare their distances' difference with zero, more take
/// the one equal to the `LEAST` of all (instant.dev's SQL); labels are bound, not inlined.
fn classification(column: Expr, labels: &[String], vector: impl Fn(usize) -> Expr) -> Expr {
    let count = labels.len();
    // $1 the column, $2…$(n+1) the label vectors, $(n+2)… the labels.
    let distance = |index: usize| format!("($1 <=> ${})", index + 2);
    let label = |index: usize| format!("${}::text", count + index + 2);
    let value = if count == 2 {
        format!(
            "CASE WHEN {} - {} < 0 THEN {} ELSE {} END",
            distance(0),
            distance(1),
            label(0),
            label(1)
        )
    } else {
        let least = (0..count).map(distance).collect::<Vec<_>>().join(", ");
        let arms: String = (0..count)
            .map(|index| {
                format!(
                    " WHEN {} = LEAST({least}) THEN {}",
                    distance(index),
                    label(index)
                )
            })
            .collect();
        format!("CASE{arms} END")
    };
    let similarities = (0..count)
        .map(|index| format!("{}, 1 - {}", label(index), distance(index)))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "json_build_object('value', {value}, 'similarity', json_build_object({similarities}))"
    );
    let exprs = std::iter::once(column)
        .chain((0..count).map(vector))
        .chain(labels.iter().map(|label| Expr::val(label.clone())));
    Expr::cust_with_exprs(sql, exprs)
}

/// Embeds every search's text (all of them in one batch) with the database's engine.
pub(crate) fn embed(searches: &mut [VectorSearch], vectors: &Vectors) -> Result<()> {
    for search in searches.iter() {
        if matches!(&search.measure, Measure::Classification(labels) if labels.is_empty()) {
            return Err(Error::Input {
                message: format!(
                    "classify(\"{}\") needs at least one label",
                    search.column.name
                ),
            });
        }
    }
    let pending: Vec<usize> = (0..searches.len())
        .filter(|&index| searches[index].vectors.is_none())
        .collect();
    let texts: Vec<String> = pending
        .iter()
        .flat_map(|&index| searches[index].texts())
        .collect();
    if texts.is_empty() {
        return Ok(());
    }
    let mut results = vectors.batch_create(&texts).into_iter();
    for index in pending {
        let count = searches[index].texts().len();
        let embedded = results
            .by_ref()
            .take(count)
            .collect::<Result<Vec<Vector>>>()?;
        if embedded.len() != count {
            return Err(Error::Vector {
                message: "Could not vectorize: vector engine returned fewer vectors than texts"
                    .to_owned(),
            });
        }
        searches[index].vectors = Some(embedded.into());
    }
    Ok(())
}
