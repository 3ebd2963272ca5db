//! [`Order`]: one ORDER BY term of a query on table `T`.

use std::fmt;
use std::marker::PhantomData;

use crate::descriptor::ColumnInfo;

/// An ORDER BY term on a column of table `T`, from `column.asc()` or `column.desc()`. Every
/// term sorts `NULL`s last, as instant.dev does.
pub struct Order<T> {
    pub(crate) column: &'static ColumnInfo,
    pub(crate) descending: bool,
    table: PhantomData<fn() -> T>,
}

impl<T> Order<T> {
    pub(crate) fn new(column: &'static ColumnInfo, descending: bool) -> Self {
        Order {
            column,
            descending,
            table: PhantomData,
        }
    }
}

impl<T> Clone for Order<T> {
    fn clone(&self) -> Self {
        Order::new(self.column, self.descending)
    }
}

impl<T> fmt::Debug for Order<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let direction = if self.descending { "DESC" } else { "ASC" };
        write!(f, "Order({} {direction} NULLS LAST)", self.column.name)
    }
}
