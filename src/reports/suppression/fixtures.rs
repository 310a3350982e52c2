//! Test fixtures shared by the suppression tests: a table from a grid of counts, the equations a
//! plain table publishes, a published figure by kind, and a generator of counts around the
//! threshold.

use proptest::prelude::*;

use super::table::Item;
use super::*;

pub(super) fn table(cells: Vec<Vec<u64>>) -> Table {
    let nr = cells.len();
    let nc = cells.first().map_or(0, Vec::len);
    Table::new(
        (0..nr).map(|i| format!("r{i}")).collect(),
        (0..nc).map(|j| format!("c{j}")).collect(),
        cells,
    )
    .unwrap()
}

/// Every published equation as a list of (figure, coefficient); each sums to zero.
pub(super) fn equations(nr: usize, nc: usize) -> Vec<Vec<(Item, i64)>> {
    let mut eqs = Vec::new();
    for i in 0..nr {
        let mut e: Vec<(Item, i64)> = (0..nc).map(|j| (Item::Cell(i, j), 1)).collect();
        e.push((Item::RowTotal(i), -1));
        eqs.push(e);
    }
    for j in 0..nc {
        let mut e: Vec<(Item, i64)> = (0..nr).map(|i| (Item::Cell(i, j), 1)).collect();
        e.push((Item::ColTotal(j), -1));
        eqs.push(e);
    }
    let mut e: Vec<(Item, i64)> = (0..nr).map(|i| (Item::RowTotal(i), 1)).collect();
    e.push((Item::Grand, -1));
    eqs.push(e);
    let mut e: Vec<(Item, i64)> = (0..nc).map(|j| (Item::ColTotal(j), 1)).collect();
    e.push((Item::Grand, -1));
    eqs.push(e);
    eqs
}

pub(super) fn published(s: &SuppressedTable, it: Item) -> Cell {
    match it {
        Item::Cell(i, j) => s.cells[i][j],
        Item::RowTotal(i) => s.row_totals[i],
        Item::ColTotal(j) => s.col_totals[j],
        Item::Grand => s.grand_total,
    }
}

pub(super) fn count() -> impl Strategy<Value = u64> {
    prop_oneof![3 => Just(0u64), 4 => 1u64..=10, 3 => 11u64..=40]
}

pub(super) fn random_table() -> impl Strategy<Value = Table> {
    (1usize..8, 1usize..8)
        .prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(count(), c), r))
        .prop_map(table)
}
