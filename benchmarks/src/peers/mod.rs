//! The other ORMs on the diesel suite, each running the suite's own code for it, on the same
//! server and data as instant and the raw baseline (feature `peers`, which
//! `scripts/bench.sh` turns on). Each returns its own structs; [`crate::shape`] checks them.

pub mod diesel;
pub mod sea_orm;
