//! Rows, decoded in place: a query's data rows are copied into one buffer as they arrive, and
//! a [`Row`] is a position in it. Reading a column is `FromSql` on a slice of that buffer.

use std::fmt;
use std::sync::{Arc, Mutex};

use postgres_types::{FromSql, WrongType};

use crate::error::Error;
use crate::statement::Column;

/// Buffers bigger than this are not kept for the next query: one huge result should not pin
/// its memory for the life of the connection.
const SPARE_LIMIT: usize = 4 * 1024 * 1024;

/// The buffers of the last result dropped, kept by the client for its next query: a query
/// run again and again then fills memory it already has. Without them each large result
/// allocates fresh buffers, and the allocator often maps them anew, which costs a page fault
/// per 4 KiB written (hundreds per 10 000-row query).
#[derive(Default)]
pub(crate) struct Spare {
    data: Vec<u8>,
    cells: Vec<(u32, i32)>,
}

/// Where a client keeps its [`Spare`] buffers; results hand theirs back when dropped, from
/// any thread.
pub(crate) type SpareSlot = Arc<Mutex<Spare>>;

/// The rows of one query: their columns, their bytes, and where each value is.
pub(crate) struct RowSet {
    columns: Arc<[Column]>,
    data: Vec<u8>,
    /// Per value, row after row: its start in `data` and its length (`-1` for NULL).
    cells: Vec<(u32, i32)>,
    spare: SpareSlot,
}

impl RowSet {
    /// An empty set of rows with `columns`, in the buffers `spare` holds (if any).
    pub(crate) fn new(columns: Arc<[Column]>, spare: &SpareSlot) -> RowSet {
        let Spare { data, cells } = spare
            .lock()
            .map(|mut spare| std::mem::take(&mut *spare))
            .unwrap_or_default();
        RowSet {
            columns,
            data,
            cells,
            spare: Arc::clone(spare),
        }
    }

    /// Adds a DataRow message's body: a count, then each value as a length and its bytes.
    pub(crate) fn push(&mut self, body: &[u8]) -> Result<(), Error> {
        let malformed = || Error::protocol("a malformed data row");
        let count = body
            .get(..2)
            .map(|count| i16::from_be_bytes([count[0], count[1]]))
            .ok_or_else(malformed)?;
        if count as usize != self.columns.len() {
            return Err(Error::protocol(format!(
                "a data row of {count} values for {} columns",
                self.columns.len()
            )));
        }
        let base = self.data.len();
        if base + body.len() > u32::MAX as usize {
            return Err(Error::protocol(
                "a result larger than 4 GiB (read it in pages)",
            ));
        }
        self.data.extend_from_slice(body);
        let mut at = 2;
        for _ in 0..count {
            let length = body
                .get(at..at + 4)
                .map(|length| i32::from_be_bytes([length[0], length[1], length[2], length[3]]))
                .ok_or_else(malformed)?;
            at += 4;
            self.cells.push(((base + at) as u32, length));
            if length > 0 {
                at += length as usize;
            }
        }
        if at > body.len() {
            return Err(malformed());
        }
        Ok(())
    }

    /// How many rows the set holds (none when the rows have no columns).
    fn len(&self) -> usize {
        self.cells
            .len()
            .checked_div(self.columns.len())
            .unwrap_or(0)
    }

    pub(crate) fn into_rows(self) -> Vec<Row> {
        let width = self.columns.len();
        let count = self.len();
        let set = Arc::new(self);
        (0..count)
            .map(|index| Row {
                set: Arc::clone(&set),
                first: index * width,
            })
            .collect()
    }
}

/// Where a run's data rows go as they are read.
pub(crate) trait Receiver {
    /// A DataRow message's body.
    fn row(&mut self, body: &[u8]) -> Result<(), Error>;

    /// Every message read so far is handled: the next one is still on its way.
    fn idle(&mut self) {}
}

impl Receiver for RowSet {
    fn row(&mut self, body: &[u8]) -> Result<(), Error> {
        self.push(body)
    }
}

/// Rows dropped as they come: a statement run for what it changes.
pub(crate) struct Discard;

impl Receiver for Discard {
    fn row(&mut self, _: &[u8]) -> Result<(), Error> {
        Ok(())
    }
}

/// Rows handed to `each` a batch at a time, each batch as soon as the socket has nothing more
/// buffered: the caller decodes the rows that have come while the server sends the rest. A
/// batch's buffers are reused for the next unless `each` kept one of its rows.
pub(crate) struct Batches<F, E> {
    set: Option<RowSet>,
    each: F,
    /// `each`'s first error; the rows after it are read and dropped.
    pub(crate) failed: Option<E>,
}

impl<F, E> Batches<F, E>
where
    F: FnMut(&Row) -> Result<(), E>,
{
    pub(crate) fn new(columns: Arc<[Column]>, spare: &SpareSlot, each: F) -> Self {
        Batches {
            set: Some(RowSet::new(columns, spare)),
            each,
            failed: None,
        }
    }

    /// Hands the rows read since the last batch to `each`.
    pub(crate) fn hand_over(&mut self) {
        let Some(mut set) = self.set.take() else {
            return;
        };
        if self.failed.is_some() || set.len() == 0 {
            set.data.clear();
            set.cells.clear();
            self.set = Some(set);
            return;
        }
        let (count, width) = (set.len(), set.columns.len());
        let mut row = Row {
            set: Arc::new(set),
            first: 0,
        };
        for index in 0..count {
            row.first = index * width;
            if let Err(error) = (self.each)(&row) {
                self.failed = Some(error);
                break;
            }
        }
        self.set = Some(match Arc::try_unwrap(row.set) {
            Ok(mut set) => {
                set.data.clear();
                set.cells.clear();
                set
            }
            Err(kept) => RowSet::new(Arc::clone(&kept.columns), &kept.spare),
        });
    }
}

impl<F, E> Receiver for Batches<F, E>
where
    F: FnMut(&Row) -> Result<(), E>,
{
    fn row(&mut self, body: &[u8]) -> Result<(), Error> {
        match &mut self.set {
            Some(set) if self.failed.is_none() => set.push(body),
            _ => Ok(()),
        }
    }

    fn idle(&mut self) {
        self.hand_over();
    }
}

impl Drop for RowSet {
    fn drop(&mut self) {
        if self.data.capacity() > SPARE_LIMIT || self.cells.capacity() * 8 > SPARE_LIMIT {
            return;
        }
        if let Ok(mut spare) = self.spare.lock()
            && spare.data.capacity() < self.data.capacity()
        {
            self.data.clear();
            self.cells.clear();
            spare.data = std::mem::take(&mut self.data);
            spare.cells = std::mem::take(&mut self.cells);
        }
    }
}

/// A row of a query's result.
#[derive(Clone)]
pub struct Row {
    set: Arc<RowSet>,
    /// Its first value in the set's `cells`.
    first: usize,
}

impl Row {
    /// The row's columns.
    pub fn columns(&self) -> &[Column] {
        &self.set.columns
    }

    /// How many values the row has.
    pub fn len(&self) -> usize {
        self.set.columns.len()
    }

    /// Whether the row has no values.
    pub fn is_empty(&self) -> bool {
        self.set.columns.is_empty()
    }

    /// The value of `column` (a position, `0` first, or a name: see [`ColumnRef`]) as `T`.
    ///
    /// # Panics
    ///
    /// When there is no such column, or its value is not a `T`; see [`Row::try_get`].
    #[track_caller]
    pub fn get<'a, 'n, C, T>(&'a self, column: C) -> T
    where
        C: Into<ColumnRef<'n>>,
        T: FromSql<'a>,
    {
        match self.try_get(column) {
            Ok(value) => value,
            Err(error) => panic!("{error}"),
        }
    }

    /// The value of `column` (a position, `0` first, or a name: see [`ColumnRef`]) as `T`: an
    /// error when there is no such column, or the column's type is not one `T` reads, or the
    /// value does not decode.
    pub fn try_get<'a, 'n, C, T>(&'a self, column: C) -> Result<T, Error>
    where
        C: Into<ColumnRef<'n>>,
        T: FromSql<'a>,
    {
        let column = column.into();
        let columns = &self.set.columns;
        let Some(position) = column.position_in(columns) else {
            return Err(Error::no_such_column(
                column.to_string(),
                columns
                    .iter()
                    .map(|column| column.name().to_owned())
                    .collect(),
            ));
        };
        let found = &columns[position];
        let type_ = found.type_();
        if !T::accepts(type_) {
            let wrong = WrongType::new::<T>(type_.clone());
            return Err(Error::decode(position, found.name(), Box::new(wrong)));
        }
        T::from_sql_nullable(type_, self.raw(position))
            .map_err(|reason| Error::decode(position, found.name(), reason))
    }

    /// The bytes of column `position` as the server sent them (binary format); `None` for NULL.
    ///
    /// # Panics
    ///
    /// When the row has no column `position`.
    pub fn raw(&self, position: usize) -> Option<&[u8]> {
        let (start, length) = self.set.cells[self.first + position];
        let start = start as usize;
        (length >= 0).then(|| &self.set.data[start..start + length as usize])
    }
}

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Row")
            .field("columns", &self.columns())
            .finish_non_exhaustive()
    }
}

/// Which column of a [`Row`] to read: by position (`0` first) or by name. [`Row::get`] and
/// [`Row::try_get`] take anything that converts into one: a `usize`, a `&str`, a `&String`.
///
/// An enum rather than a trait per index type: the two ways of naming a column are all
/// there is, a caller can see which one a value is, and looking a column up is one function
/// ([`ColumnRef::position_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRef<'n> {
    /// The column at this position.
    Position(usize),
    /// The column with this name.
    Name(&'n str),
}

impl ColumnRef<'_> {
    /// The column's position among `columns`, if it is there.
    ///
    /// A name matches exactly, as the server reports it: an unquoted name in SQL is already
    /// folded to lower case by the server (`SELECT 1 AS One` gives a column `one`), so a
    /// second, case-insensitive pass would only matter for a name written in another case
    /// than the query's, and could then read a different column of a row that has both
    /// `Name` and `name`. When names repeat (`SELECT a.id, b.id`), the first one is read; use
    /// a position for the others.
    pub fn position_in(&self, columns: &[Column]) -> Option<usize> {
        match *self {
            ColumnRef::Position(position) => (position < columns.len()).then_some(position),
            ColumnRef::Name(name) => columns.iter().position(|column| column.name() == name),
        }
    }
}

/// `3` or `` `name` ``, as messages write a column.
impl fmt::Display for ColumnRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnRef::Position(position) => write!(f, "{position}"),
            ColumnRef::Name(name) => write!(f, "`{name}`"),
        }
    }
}

impl From<usize> for ColumnRef<'_> {
    fn from(position: usize) -> Self {
        ColumnRef::Position(position)
    }
}

impl<'n> From<&'n str> for ColumnRef<'n> {
    fn from(name: &'n str) -> Self {
        ColumnRef::Name(name)
    }
}

impl<'n> From<&'n String> for ColumnRef<'n> {
    fn from(name: &'n String) -> Self {
        ColumnRef::Name(name)
    }
}
