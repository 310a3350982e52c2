//! Test fixtures shared by the suppression tests: a table from a grid of counts, the equations a
//! plain table publishes, a published figure by kind, the attacker that solves the published
//! equations exactly, and a generator of counts around the threshold.

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

/// The hidden figures (`hidden`) that some linear combination of the equations `eqs` pins down:
/// exact Gaussian elimination over the rationals, fraction-free, of the equations restricted to
/// the hidden figures; a row left with one unknown names a recovered figure.
pub(super) fn pinned<F: Copy + PartialEq>(
    eqs: &[Vec<(F, i64)>],
    hidden: impl Fn(F) -> bool,
) -> Vec<F> {
    let mut unknowns: Vec<F> = Vec::new();
    for eq in eqs {
        for &(f, _) in eq {
            if hidden(f) && !unknowns.contains(&f) {
                unknowns.push(f);
            }
        }
    }
    let mut m: Vec<Vec<i128>> = eqs
        .iter()
        .map(|eq| {
            let mut row = vec![0i128; unknowns.len()];
            for &(f, c) in eq {
                if let Some(k) = unknowns.iter().position(|u| *u == f) {
                    row[k] += i128::from(c);
                }
            }
            row
        })
        .collect();
    let mut pivot_row = 0;
    for c in 0..unknowns.len() {
        let Some(p) = (pivot_row..m.len()).find(|&r| m[r][c] != 0) else {
            continue;
        };
        m.swap(pivot_row, p);
        for r in 0..m.len() {
            if r != pivot_row && m[r][c] != 0 {
                let (a, b) = (m[pivot_row][c], m[r][c]);
                let pr = m[pivot_row].clone();
                for (x, y) in m[r].iter_mut().zip(&pr) {
                    *x = *x * a - *y * b;
                }
                let g = m[r].iter().fold(0i128, |g, &x| gcd(g, x));
                if g > 1 {
                    m[r].iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        pivot_row += 1;
    }
    m.iter()
        .filter(|r| r.iter().filter(|&&x| x != 0).count() == 1)
        .map(|r| unknowns[r.iter().position(|&x| x != 0).unwrap()])
        .collect()
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

pub(super) fn count() -> impl Strategy<Value = u64> {
    prop_oneof![3 => Just(0u64), 4 => 1u64..=10, 3 => 11u64..=40]
}

pub(super) fn random_table() -> impl Strategy<Value = Table> {
    (1usize..8, 1usize..8)
        .prop_flat_map(|(r, c)| proptest::collection::vec(proptest::collection::vec(count(), c), r))
        .prop_map(table)
}
