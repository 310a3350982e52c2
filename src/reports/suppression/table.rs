//! A table of counts to publish and its published form: the [`Table`] (labels, cells, totals, shape
//! checks), the published [`Cell`] and [`SuppressedTable`], the threshold [`MIN_CELL`], and the
//! numbering of a table's figures (cells, row totals, column totals, grand total) that the
//! suppression works on.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Smallest count that may be published (counts 1..=10 are suppressed).
pub const MIN_CELL: u64 = 11;

/// Text shown in place of a suppressed figure.
pub const SUPPRESSED_MARK: &str = "*";

/// A two-way table of counts with row and column labels. Built through [`Table::new`], which
/// guarantees the shape (`cells.len() == rows.len()`, every row has `cols.len()` cells).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub(super) rows: Vec<String>,
    pub(super) cols: Vec<String>,
    pub(super) cells: Vec<Vec<u64>>,
}

/// Why a table could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableError {
    /// Number of cell rows differs from number of row labels.
    RowCount {
        /// Row labels given.
        labels: usize,
        /// Cell rows given.
        rows: usize,
    },
    /// A row has the wrong number of cells.
    RowWidth {
        /// Index of the row.
        row: usize,
        /// Number of column labels.
        expected: usize,
        /// Cells in that row.
        found: usize,
    },
    /// The nesting of a family of tables is not a forest of matching tables.
    Nesting(String),
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::RowCount { labels, rows } => {
                write!(f, "{labels} row labels but {rows} rows of cells")
            }
            TableError::RowWidth {
                row,
                expected,
                found,
            } => write!(f, "row {row} has {found} cells, expected {expected}"),
            TableError::Nesting(why) => write!(f, "nesting: {why}"),
        }
    }
}

impl std::error::Error for TableError {}

impl Table {
    /// Builds a table, checking its shape.
    pub fn new(
        rows: Vec<String>,
        cols: Vec<String>,
        cells: Vec<Vec<u64>>,
    ) -> Result<Self, TableError> {
        if rows.len() != cells.len() {
            return Err(TableError::RowCount {
                labels: rows.len(),
                rows: cells.len(),
            });
        }
        if let Some((row, r)) = cells
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != cols.len())
        {
            return Err(TableError::RowWidth {
                row,
                expected: cols.len(),
                found: r.len(),
            });
        }
        Ok(Table { rows, cols, cells })
    }

    /// Row labels.
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// Column labels.
    pub fn cols(&self) -> &[String] {
        &self.cols
    }

    /// Cell counts, row-major.
    pub fn cells(&self) -> &[Vec<u64>] {
        &self.cells
    }

    /// Sum of each row (saturating).
    pub fn row_totals(&self) -> Vec<u64> {
        self.cells
            .iter()
            .map(|r| r.iter().fold(0u64, |a, &v| a.saturating_add(v)))
            .collect()
    }

    /// Sum of each column (saturating).
    pub fn col_totals(&self) -> Vec<u64> {
        (0..self.cols.len())
            .map(|j| self.cells.iter().fold(0u64, |a, r| a.saturating_add(r[j])))
            .collect()
    }

    /// Sum of all cells (saturating).
    pub fn grand_total(&self) -> u64 {
        self.row_totals()
            .iter()
            .fold(0u64, |a, &v| a.saturating_add(v))
    }
}

/// One published figure. (Carries data, so it has no `ALL`/`parse`; see [`Cell::as_str`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// A count safe to show.
    Value(u64),
    /// Hidden.
    Suppressed,
}

impl Cell {
    /// The count, if shown.
    pub const fn value(self) -> Option<u64> {
        match self {
            Cell::Value(v) => Some(v),
            Cell::Suppressed => None,
        }
    }

    /// Whether the figure is hidden.
    pub const fn is_suppressed(self) -> bool {
        matches!(self, Cell::Suppressed)
    }

    /// Variant code: `"value"` or `"suppressed"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Cell::Value(_) => "value",
            Cell::Suppressed => "suppressed",
        }
    }

    /// Text for a published table: the count, or [`SUPPRESSED_MARK`].
    pub fn label(self) -> String {
        match self {
            Cell::Value(v) => v.to_string(),
            Cell::Suppressed => SUPPRESSED_MARK.to_string(),
        }
    }
}

/// A table safe to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedTable {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub cols: Vec<String>,
    /// Cells, row-major.
    pub cells: Vec<Vec<Cell>>,
    /// Row totals.
    pub row_totals: Vec<Cell>,
    /// Column totals.
    pub col_totals: Vec<Cell>,
    /// Grand total.
    pub grand_total: Cell,
}

impl SuppressedTable {
    /// Number of hidden figures (cells and totals).
    pub fn suppressed_count(&self) -> usize {
        self.cells
            .iter()
            .flatten()
            .filter(|c| c.is_suppressed())
            .count()
            + self.row_totals.iter().filter(|c| c.is_suppressed()).count()
            + self.col_totals.iter().filter(|c| c.is_suppressed()).count()
            + usize::from(self.grand_total.is_suppressed())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Item {
    Cell(usize, usize),
    RowTotal(usize),
    ColTotal(usize),
    Grand,
}

pub(super) fn is_small(v: u64) -> bool {
    (1..MIN_CELL).contains(&v)
}

/// Index of `item` among the figures of a table with `nr` rows and `nc` columns, in the order
/// cells (row-major), row totals, column totals, grand total.
pub(super) const fn figure_index(nr: usize, nc: usize, item: Item) -> usize {
    match item {
        Item::Cell(i, j) => i * nc + j,
        Item::RowTotal(i) => nr * nc + i,
        Item::ColTotal(j) => nr * nc + nr + j,
        Item::Grand => nr * nc + nr + nc,
    }
}

/// The figures of `t` (values and kinds) in [`figure_index`] order.
pub(super) fn figures(t: &Table) -> Vec<(Item, u64)> {
    let (nr, nc) = (t.rows.len(), t.cols.len());
    let mut v = Vec::with_capacity(nr * nc + nr + nc + 1);
    for (i, r) in t.cells.iter().enumerate() {
        v.extend(r.iter().enumerate().map(|(j, &x)| (Item::Cell(i, j), x)));
    }
    v.extend(
        t.row_totals()
            .into_iter()
            .enumerate()
            .map(|(i, x)| (Item::RowTotal(i), x)),
    );
    v.extend(
        t.col_totals()
            .into_iter()
            .enumerate()
            .map(|(j, x)| (Item::ColTotal(j), x)),
    );
    v.push((Item::Grand, t.grand_total()));
    v
}

/// `t` published with the figures flagged in `hidden` ([`figure_index`] order) suppressed.
pub(super) fn publish(t: &Table, hidden: &[bool]) -> SuppressedTable {
    let (nr, nc) = (t.rows.len(), t.cols.len());
    let f = figures(t);
    let shown = |item: Item| {
        let k = figure_index(nr, nc, item);
        if hidden[k] {
            Cell::Suppressed
        } else {
            Cell::Value(f[k].1)
        }
    };
    SuppressedTable {
        rows: t.rows.clone(),
        cols: t.cols.clone(),
        cells: (0..nr)
            .map(|i| (0..nc).map(|j| shown(Item::Cell(i, j))).collect())
            .collect(),
        row_totals: (0..nr).map(|i| shown(Item::RowTotal(i))).collect(),
        col_totals: (0..nc).map(|j| shown(Item::ColTotal(j))).collect(),
        grand_total: shown(Item::Grand),
    }
}

/// The figure `item` of a published table.
pub(super) fn published_cell(s: &SuppressedTable, item: Item) -> Cell {
    match item {
        Item::Cell(i, j) => s.cells[i][j],
        Item::RowTotal(i) => s.row_totals[i],
        Item::ColTotal(j) => s.col_totals[j],
        Item::Grand => s.grand_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_is_checked() {
        let e = Table::new(vec!["a".into()], vec!["x".into()], vec![]).unwrap_err();
        assert_eq!(e, TableError::RowCount { labels: 1, rows: 0 });
        let e = Table::new(vec!["a".into()], vec!["x".into()], vec![vec![1, 2]]).unwrap_err();
        assert_eq!(
            e,
            TableError::RowWidth {
                row: 0,
                expected: 1,
                found: 2
            }
        );
        assert!(e.to_string().contains("row 0"));
    }

    #[test]
    fn cell_helpers() {
        assert_eq!(Cell::Value(12).label(), "12");
        assert_eq!(Cell::Suppressed.label(), "*");
        assert_eq!(Cell::Suppressed.as_str(), "suppressed");
        assert_eq!(Cell::Value(3).value(), Some(3));
    }
}
