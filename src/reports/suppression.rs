//! Small-cell suppression for public, de-identified aggregate tables (counts of people).
//!
//! Owns the rule "no published figure describes 1 to 10 people, and no hidden figure can be worked
//! back out of the published ones". Pure: no I/O.
//!
//! The threshold and the rule are the CMS Cell Size Suppression Policy
//! (<https://www.hhs.gov/guidance/document/cms-cell-suppression-policy>): no cell of 1 to 10 is
//! reported, zero may be, and no cell may be reported that lets a value of 1 to 10 be derived
//! from other reported cells or information. "Other information" includes the other public tables:
//! [`suppress_nested`] protects a family of tables (a year, its quarters, its months) together,
//! against an attacker holding all of them (decision 0015).
//!
//! # Rules
//! - **Zeros are shown.** Only counts in `1..MIN_CELL` (1..=10) are sensitive; a zero names no one.
//! - **Primary suppression:** every cell, row total, column total and the grand total in 1..=10.
//! - **Complementary suppression:** the published table gives linear equations: each row's cells sum
//!   to its total, each column's to its total, the row totals and the column totals each sum to the
//!   grand total. Seen as a flow network (source → row → cell → column → sink → source), every
//!   figure is an edge and every equation is conservation at a node, so a hidden figure can be
//!   recovered by *any* linear combination of the equations exactly when its edge is a bridge of
//!   the graph of hidden figures. We therefore hide extra figures until the hidden graph has no
//!   bridge: for each bridge, the cheapest detour between its ends is hidden too. This implies the
//!   classic rule (every row/column whose total is visible has 0 or ≥ 2 hidden cells; same for the
//!   vectors of row and column totals when the grand total is visible) and is stronger than it.
//! - **Cost of a detour**, compared in order: fewer grand totals, fewer row/column totals, fewer
//!   zero cells (a hidden zero among shown zeros invites guessing), smaller sum of hidden counts,
//!   fewer figures. Ties break deterministically.
//!
//! Protection is against exact linear recovery. Interval reasoning (counts are non-negative
//! integers) can still narrow a hidden count; that is the accepted limit of this method.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
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
    rows: Vec<String>,
    cols: Vec<String>,
    cells: Vec<Vec<u64>>,
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
enum Item {
    Cell(usize, usize),
    RowTotal(usize),
    ColTotal(usize),
    Grand,
}

struct Edge {
    a: usize,
    b: usize,
    item: Item,
    value: u64,
}

/// (grand totals, other totals, zero cells, counts hidden, figures) — compared lexicographically.
type Cost = (u32, u32, u32, u64, u32);

fn is_small(v: u64) -> bool {
    (1..MIN_CELL).contains(&v)
}

fn edge_cost(e: &Edge) -> Cost {
    match e.item {
        Item::Grand => (1, 0, 0, e.value, 1),
        Item::RowTotal(_) | Item::ColTotal(_) => (0, 1, 0, e.value, 1),
        Item::Cell(..) => (0, 0, u32::from(e.value == 0), e.value, 1),
    }
}

fn add(a: Cost, b: Cost) -> Cost {
    (
        a.0 + b.0,
        a.1 + b.1,
        a.2 + b.2,
        a.3.saturating_add(b.3),
        a.4 + b.4,
    )
}

/// Bridges of the graph formed by the edges with `on[e]` (Tarjan, iterative).
fn bridges(n: usize, edges: &[Edge], adj: &[Vec<usize>], on: &[bool]) -> Vec<usize> {
    let mut disc = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut out = Vec::new();
    let mut time = 0;
    for root in 0..n {
        if disc[root] != usize::MAX {
            continue;
        }
        disc[root] = time;
        low[root] = time;
        time += 1;
        // (node, edge used to enter it, next adjacency index)
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, usize::MAX, 0)];
        while let Some(&mut (u, via, ref mut k)) = stack.last_mut() {
            if *k < adj[u].len() {
                let e = adj[u][*k];
                *k += 1;
                if !on[e] || e == via {
                    continue;
                }
                let v = if edges[e].a == u {
                    edges[e].b
                } else {
                    edges[e].a
                };
                if disc[v] == usize::MAX {
                    disc[v] = time;
                    low[v] = time;
                    time += 1;
                    stack.push((v, e, 0));
                } else {
                    low[u] = low[u].min(disc[v]);
                }
            } else {
                stack.pop();
                if let Some(&(p, _, _)) = stack.last() {
                    low[p] = low[p].min(low[u]);
                    if low[u] > disc[p] {
                        out.push(via);
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out
}

/// Cheapest path from `from` to `to` not using edge `skip`; hidden edges cost nothing.
fn cheapest_path(
    n: usize,
    edges: &[Edge],
    adj: &[Vec<usize>],
    hidden: &[bool],
    from: usize,
    to: usize,
    skip: usize,
) -> Option<Vec<usize>> {
    let mut best: Vec<Option<Cost>> = vec![None; n];
    let mut prev: Vec<usize> = vec![usize::MAX; n];
    let mut heap = BinaryHeap::new();
    best[from] = Some((0, 0, 0, 0, 0));
    heap.push(Reverse(((0, 0, 0, 0, 0), from)));
    while let Some(Reverse((c, u))) = heap.pop() {
        if best[u] != Some(c) {
            continue;
        }
        if u == to {
            break;
        }
        for &e in &adj[u] {
            if e == skip {
                continue;
            }
            let v = if edges[e].a == u {
                edges[e].b
            } else {
                edges[e].a
            };
            let step = if hidden[e] {
                (0, 0, 0, 0, 0)
            } else {
                edge_cost(&edges[e])
            };
            let nc = add(c, step);
            if best[v].is_none_or(|b| nc < b) {
                best[v] = Some(nc);
                prev[v] = e;
                heap.push(Reverse((nc, v)));
            }
        }
    }
    best[to]?;
    let mut path = Vec::new();
    let mut v = to;
    while v != from {
        let e = prev[v];
        path.push(e);
        v = if edges[e].a == v {
            edges[e].b
        } else {
            edges[e].a
        };
    }
    Some(path)
}

/// Suppresses `t` for publication (see the module docs for the rules).
pub fn suppress(t: &Table) -> SuppressedTable {
    let (nr, nc) = (t.rows.len(), t.cols.len());
    let (rt, ct, grand) = (t.row_totals(), t.col_totals(), t.grand_total());
    // Nodes: 0 = source, 1 = sink, 2.. rows, then columns.
    let (src, sink) = (0, 1);
    let row = |i: usize| 2 + i;
    let col = |j: usize| 2 + nr + j;
    let n = 2 + nr + nc;
    let mut edges = Vec::with_capacity(nr * nc + nr + nc + 1);
    for (i, r) in t.cells.iter().enumerate() {
        for (j, &v) in r.iter().enumerate() {
            edges.push(Edge {
                a: row(i),
                b: col(j),
                item: Item::Cell(i, j),
                value: v,
            });
        }
    }
    for (i, &v) in rt.iter().enumerate() {
        edges.push(Edge {
            a: src,
            b: row(i),
            item: Item::RowTotal(i),
            value: v,
        });
    }
    for (j, &v) in ct.iter().enumerate() {
        edges.push(Edge {
            a: col(j),
            b: sink,
            item: Item::ColTotal(j),
            value: v,
        });
    }
    edges.push(Edge {
        a: sink,
        b: src,
        item: Item::Grand,
        value: grand,
    });
    let mut adj = vec![Vec::new(); n];
    for (k, e) in edges.iter().enumerate() {
        adj[e.a].push(k);
        adj[e.b].push(k);
    }

    let mut hidden: Vec<bool> = edges.iter().map(|e| is_small(e.value)).collect();
    // Each round puts one bridge on a cycle; no new bridge can appear, so this terminates.
    while let Some(&b) = bridges(n, &edges, &adj, &hidden).first() {
        match cheapest_path(n, &edges, &adj, &hidden, edges[b].a, edges[b].b, b) {
            Some(path) => path.into_iter().for_each(|e| hidden[e] = true),
            // Unreachable: every edge of the full graph lies on a cycle. Fail safe regardless.
            None => hidden.iter_mut().for_each(|h| *h = true),
        }
    }

    let shown = |k: usize| {
        if hidden[k] {
            Cell::Suppressed
        } else {
            Cell::Value(edges[k].value)
        }
    };
    SuppressedTable {
        rows: t.rows.clone(),
        cols: t.cols.clone(),
        cells: (0..nr)
            .map(|i| (0..nc).map(|j| shown(i * nc + j)).collect())
            .collect(),
        row_totals: (0..nr).map(|i| shown(nr * nc + i)).collect(),
        col_totals: (0..nc).map(|j| shown(nr * nc + nr + j)).collect(),
        grand_total: shown(edges.len() - 1),
    }
}

// ---------------------------------------------------------------------------------------------
// Families of nested tables (a year, its quarters, its months: decision 0015)
// ---------------------------------------------------------------------------------------------

/// Index of `item` among the figures of a table with `nr` rows and `nc` columns, in the order
/// cells (row-major), row totals, column totals, grand total.
const fn figure_index(nr: usize, nc: usize, item: Item) -> usize {
    match item {
        Item::Cell(i, j) => i * nc + j,
        Item::RowTotal(i) => nr * nc + i,
        Item::ColTotal(j) => nr * nc + nr + j,
        Item::Grand => nr * nc + nr + nc,
    }
}

/// The figures of `t` (values and kinds) in [`figure_index`] order.
fn figures(t: &Table) -> Vec<(Item, u64)> {
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
fn publish(t: &Table, hidden: &[bool]) -> SuppressedTable {
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

/// A linear equation over figures: `Σ coefficient × figure = 0`.
type Equation = Vec<(usize, i64)>;

/// The equations a family publishes, over figures numbered table by table (`offsets[k]` is the
/// number of table `k`'s first figure): inside each table, every row, column and the grand
/// total add up; across the nesting, each parent figure is the sum of the children's figures
/// with the same labels (a row label held by one child is that child's row, as a year's month
/// rows are the months' tables; a row label held by every child is their sum, as a year's
/// referral types are the quarters' sum). Counts of distinct people are at most that sum; the
/// attacker is granted equality, which can only help them.
fn family_equations(
    tables: &[Table],
    offsets: &[usize],
    members: &[usize],
    nesting: &[(usize, Vec<usize>)],
) -> Vec<Equation> {
    let mut eqs: Vec<Equation> = Vec::new();
    let var = |k: usize, item: Item| {
        offsets[k] + figure_index(tables[k].rows.len(), tables[k].cols.len(), item)
    };
    for &k in members {
        let (nr, nc) = (tables[k].rows.len(), tables[k].cols.len());
        for i in 0..nr {
            let mut e: Equation = (0..nc).map(|j| (var(k, Item::Cell(i, j)), 1)).collect();
            e.push((var(k, Item::RowTotal(i)), -1));
            eqs.push(e);
        }
        for j in 0..nc {
            let mut e: Equation = (0..nr).map(|i| (var(k, Item::Cell(i, j)), 1)).collect();
            e.push((var(k, Item::ColTotal(j)), -1));
            eqs.push(e);
        }
        let mut e: Equation = (0..nr).map(|i| (var(k, Item::RowTotal(i)), 1)).collect();
        e.push((var(k, Item::Grand), -1));
        eqs.push(e);
        let mut e: Equation = (0..nc).map(|j| (var(k, Item::ColTotal(j)), 1)).collect();
        e.push((var(k, Item::Grand), -1));
        eqs.push(e);
    }
    for (parent, children) in nesting {
        if !members.contains(parent) {
            continue;
        }
        let p = &tables[*parent];
        for (i, label) in p.rows.iter().enumerate() {
            let holders: Vec<(usize, usize)> = children
                .iter()
                .filter_map(|&c| {
                    tables[c]
                        .rows
                        .iter()
                        .position(|r| r == label)
                        .map(|ci| (c, ci))
                })
                .collect();
            if holders.is_empty() {
                continue;
            }
            for j in 0..p.cols.len() {
                let mut e = vec![(var(*parent, Item::Cell(i, j)), 1)];
                e.extend(
                    holders
                        .iter()
                        .map(|&(c, ci)| (var(c, Item::Cell(ci, j)), -1)),
                );
                eqs.push(e);
            }
            let mut e = vec![(var(*parent, Item::RowTotal(i)), 1)];
            e.extend(
                holders
                    .iter()
                    .map(|&(c, ci)| (var(c, Item::RowTotal(ci)), -1)),
            );
            eqs.push(e);
        }
        for j in 0..p.cols.len() {
            let mut e = vec![(var(*parent, Item::ColTotal(j)), 1)];
            e.extend(children.iter().map(|&c| (var(c, Item::ColTotal(j)), -1)));
            eqs.push(e);
        }
        let mut e = vec![(var(*parent, Item::Grand), 1)];
        e.extend(children.iter().map(|&c| (var(c, Item::Grand), -1)));
        eqs.push(e);
    }
    eqs
}

/// The prime of the field the elimination works in (2^61 − 1). Working modulo a prime keeps the
/// numbers small; the equations have coefficients ±1, so a spurious result needs the prime to
/// divide a minor of a small ±1 matrix.
const PRIME: u64 = (1 << 61) - 1;

fn mul_mod(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn inv_mod(a: u64) -> u64 {
    let (mut base, mut e, mut acc) = (a, PRIME - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            acc = mul_mod(acc, base);
        }
        base = mul_mod(base, base);
        e >>= 1;
    }
    acc
}

/// The hidden figures that some linear combination of `eqs` determines from the shown ones, each
/// with the shown figures that combination uses (its certificate). Gauss–Jordan elimination on
/// the hidden columns: a hidden figure is determined exactly when its pivot row has no other
/// hidden figure left.
fn determined(eqs: &[Equation], n: usize, hidden: &[bool]) -> Vec<(usize, Vec<usize>)> {
    let mut m: Vec<Vec<u64>> = eqs
        .iter()
        .map(|e| {
            let mut row = vec![0u64; n];
            for &(v, c) in e {
                let c = if c >= 0 {
                    c.unsigned_abs() % PRIME
                } else {
                    (PRIME - c.unsigned_abs() % PRIME) % PRIME
                };
                row[v] = (row[v] + c) % PRIME;
            }
            row
        })
        .collect();
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    for c in (0..n).filter(|&c| hidden[c]) {
        let Some(p) = (r..m.len()).find(|&i| m[i][c] != 0) else {
            continue;
        };
        m.swap(r, p);
        let inv = inv_mod(m[r][c]);
        m[r].iter_mut().for_each(|x| *x = mul_mod(*x, inv));
        let nz: Vec<usize> = (0..n).filter(|&x| m[r][x] != 0).collect();
        let pivot_row = m[r].clone();
        for (i, row) in m.iter_mut().enumerate() {
            if i == r || row[c] == 0 {
                continue;
            }
            let f = row[c];
            for &x in &nz {
                row[x] = (row[x] + PRIME - mul_mod(f, pivot_row[x])) % PRIME;
            }
        }
        pivots.push((r, c));
        r += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, c)| (0..n).all(|x| x == c || !hidden[x] || m[r][x] == 0))
        .map(|(r, c)| (c, (0..n).filter(|&x| !hidden[x] && m[r][x] != 0).collect()))
        .collect()
}

/// Suppresses a family of nested tables so that someone holding *all* of them recovers no hidden
/// figure by any linear combination of what they publish (decision 0015).
///
/// `nesting` lists `(parent, children)`; a child's columns are its parent's, and each of its row
/// labels is one of its parent's. Tables that are no one's parent are suppressed alone with
/// [`suppress`]. A parent is then settled once its children are, hiding *only its own* figures:
/// its small figures, and for every hidden figure that the family below and including it would
/// reveal, the cheapest shown figure of the parent that the revealing combination uses (a cell
/// before a total before the grand total, a non-zero before a zero, the smaller count first).
/// Hiding every figure of the parent always works (a parent is a sum of its children and tells
/// nothing about them when wholly hidden), so this ends. A child's table therefore depends only
/// on its own data: a month's table does not change when later months are recorded. Finally a
/// parent figure hidden as a complement but determined by the shown figures anyway is shown:
/// showing what is already known reveals nothing.
pub fn suppress_nested(
    tables: &[Table],
    nesting: &[(usize, Vec<usize>)],
) -> Result<Vec<SuppressedTable>, TableError> {
    let nest_err = |s: String| Err(TableError::Nesting(s));
    let mut parent_of: Vec<Option<usize>> = vec![None; tables.len()];
    for (p, cs) in nesting {
        if *p >= tables.len() || nesting.iter().filter(|(q, _)| q == p).count() > 1 {
            return nest_err(format!("parent {p} is out of range or listed twice"));
        }
        for &c in cs {
            if c >= tables.len() || parent_of[c].is_some() || c == *p {
                return nest_err(format!("child {c} is out of range or has two parents"));
            }
            parent_of[c] = Some(*p);
            if tables[c].cols != tables[*p].cols {
                return nest_err(format!("child {c} has other columns than parent {p}"));
            }
            if let Some(r) = tables[c].rows.iter().find(|r| !tables[*p].rows.contains(r)) {
                return nest_err(format!("child {c} has row {r:?} that parent {p} lacks"));
            }
        }
    }
    let offsets: Vec<usize> = tables
        .iter()
        .scan(0, |acc, t| {
            let o = *acc;
            *acc += (t.rows.len() + 1) * (t.cols.len() + 1);
            Some(o)
        })
        .collect();
    let n: usize = tables
        .iter()
        .map(|t| (t.rows.len() + 1) * (t.cols.len() + 1))
        .sum();
    let values: Vec<(Item, u64)> = tables.iter().flat_map(figures).collect();
    let mut hidden = vec![false; n];
    let mut settled = vec![false; tables.len()];
    let children_of = |k: usize| -> &[usize] {
        nesting
            .iter()
            .find(|(p, _)| *p == k)
            .map_or(&[], |(_, cs)| cs.as_slice())
    };
    for (k, t) in tables.iter().enumerate() {
        if children_of(k).is_empty() {
            let s = suppress(t);
            for (i, item) in figures(t).iter().map(|f| f.0).enumerate() {
                hidden[offsets[k] + i] = published_cell(&s, item).is_suppressed();
            }
            settled[k] = true;
        }
    }
    while let Some(k) =
        (0..tables.len()).find(|&k| !settled[k] && children_of(k).iter().all(|&c| settled[c]))
    {
        let mut members = vec![k];
        let mut i = 0;
        while i < members.len() {
            members.extend_from_slice(children_of(members[i]));
            i += 1;
        }
        let eqs = family_equations(tables, &offsets, &members, nesting);
        let own = offsets[k]..offsets[k] + (tables[k].rows.len() + 1) * (tables[k].cols.len() + 1);
        for v in own.clone() {
            hidden[v] = is_small(values[v].1);
        }
        let cost = |v: usize| {
            let (item, value) = values[v];
            let kind = match item {
                Item::Cell(..) => 0,
                Item::RowTotal(_) | Item::ColTotal(_) => 1,
                Item::Grand => 2,
            };
            (kind, value == 0, value, v)
        };
        loop {
            let mut more = Vec::new();
            let mut stuck = false;
            for (v, cert) in determined(&eqs, n, &hidden) {
                match cert
                    .iter()
                    .copied()
                    .filter(|c| own.contains(c))
                    .min_by_key(|&c| cost(c))
                {
                    Some(c) => more.push(c),
                    // Only the parent's own figure is determined, by the children: see below.
                    None if own.contains(&v) => {}
                    // Cannot happen (the children are safe and a hidden parent adds nothing);
                    // fail safe regardless.
                    None => stuck = true,
                }
            }
            if stuck {
                own.clone().for_each(|v| hidden[v] = true);
                break;
            }
            if more.is_empty() {
                break;
            }
            for v in more {
                hidden[v] = true;
            }
        }
        for (v, _) in determined(&eqs, n, &hidden) {
            if own.contains(&v) && !is_small(values[v].1) {
                hidden[v] = false;
            }
        }
        settled[k] = true;
    }
    if let Some(k) = settled.iter().position(|s| !s) {
        return nest_err(format!("table {k} is its own ancestor"));
    }
    Ok(tables
        .iter()
        .enumerate()
        .map(|(k, t)| publish(t, &hidden[offsets[k]..]))
        .collect())
}

/// The figure `item` of a published table.
fn published_cell(s: &SuppressedTable, item: Item) -> Cell {
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
    use proptest::prelude::*;

    fn table(cells: Vec<Vec<u64>>) -> Table {
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
    fn equations(nr: usize, nc: usize) -> Vec<Vec<(Item, i64)>> {
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

    fn published(s: &SuppressedTable, it: Item) -> Cell {
        match it {
            Item::Cell(i, j) => s.cells[i][j],
            Item::RowTotal(i) => s.row_totals[i],
            Item::ColTotal(j) => s.col_totals[j],
            Item::Grand => s.grand_total,
        }
    }

    /// The brief's attacker: solve any equation with a single unknown, repeat until stuck.
    /// Returns the figures it recovered.
    fn single_unknown_attack(s: &SuppressedTable) -> Vec<(Item, i64)> {
        let eqs = equations(s.rows.len(), s.cols.len());
        let mut known: Vec<(Item, i64)> = Vec::new();
        let lookup = |known: &Vec<(Item, i64)>, it: Item| -> Option<i64> {
            published(s, it)
                .value()
                .map(|v| v as i64)
                .or_else(|| known.iter().find(|k| k.0 == it).map(|k| k.1))
        };
        loop {
            let mut progressed = false;
            for eq in &eqs {
                let unknown: Vec<&(Item, i64)> = eq
                    .iter()
                    .filter(|(it, _)| lookup(&known, *it).is_none())
                    .collect();
                if let [(it, coef)] = unknown[..] {
                    let rest: i64 = eq
                        .iter()
                        .filter_map(|(i, c)| lookup(&known, *i).map(|v| v * c))
                        .sum();
                    known.push((*it, -rest / coef));
                    progressed = true;
                }
            }
            if !progressed {
                return known;
            }
        }
    }

    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a.abs() } else { gcd(b, a % b) }
    }

    /// A stronger attacker: exact Gaussian elimination over all equations; returns the hidden
    /// figures that some linear combination of published equations pins down.
    fn full_linear_attack(s: &SuppressedTable) -> Vec<Item> {
        let eqs = equations(s.rows.len(), s.cols.len());
        let mut unknowns: Vec<Item> = Vec::new();
        for eq in &eqs {
            for (it, _) in eq {
                if published(s, *it).is_suppressed() && !unknowns.contains(it) {
                    unknowns.push(*it);
                }
            }
        }
        let mut m: Vec<Vec<i64>> = eqs
            .iter()
            .map(|eq| {
                let mut row = vec![0; unknowns.len()];
                for (it, c) in eq {
                    if let Some(k) = unknowns.iter().position(|u| u == it) {
                        row[k] += c;
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
                    let g = m[r].iter().fold(0, |g, &x| gcd(g, x));
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

    fn check_safe(t: &Table, s: &SuppressedTable) -> Result<(), TestCaseError> {
        let (rt, ct) = (t.row_totals(), t.col_totals());
        // Shape and truthfulness of what is shown.
        prop_assert_eq!(s.cells.len(), t.rows.len());
        for (i, r) in s.cells.iter().enumerate() {
            prop_assert_eq!(r.len(), t.cols.len());
            for (j, c) in r.iter().enumerate() {
                if let Some(v) = c.value() {
                    prop_assert_eq!(v, t.cells[i][j]);
                }
            }
        }
        // (a) nothing visible in 1..=10.
        let visible = s
            .cells
            .iter()
            .flatten()
            .chain(&s.row_totals)
            .chain(&s.col_totals)
            .chain([&s.grand_total])
            .filter_map(|c| c.value());
        for v in visible {
            prop_assert!(!is_small(v), "visible small value {}", v);
        }
        for (i, c) in s.row_totals.iter().enumerate() {
            if let Some(v) = c.value() {
                prop_assert_eq!(v, rt[i]);
            }
        }
        for (j, c) in s.col_totals.iter().enumerate() {
            if let Some(v) = c.value() {
                prop_assert_eq!(v, ct[j]);
            }
        }
        // (b) 0 or >= 2 hidden figures behind every visible total.
        for (i, c) in s.row_totals.iter().enumerate() {
            if !c.is_suppressed() {
                let k = s.cells[i].iter().filter(|c| c.is_suppressed()).count();
                prop_assert!(k != 1, "row {} has one hidden cell", i);
            }
        }
        for (j, c) in s.col_totals.iter().enumerate() {
            if !c.is_suppressed() {
                let k = s.cells.iter().filter(|r| r[j].is_suppressed()).count();
                prop_assert!(k != 1, "column {} has one hidden cell", j);
            }
        }
        if !s.grand_total.is_suppressed() {
            prop_assert!(s.row_totals.iter().filter(|c| c.is_suppressed()).count() != 1);
            prop_assert!(s.col_totals.iter().filter(|c| c.is_suppressed()).count() != 1);
        }
        // Attackers recover nothing.
        let got = single_unknown_attack(s);
        prop_assert!(got.is_empty(), "single-unknown attack recovered {:?}", got);
        let got = full_linear_attack(s);
        prop_assert!(got.is_empty(), "linear attack recovered {:?}", got);
        Ok(())
    }

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
    fn large_counts_and_zeros_are_shown() {
        let t = table(vec![vec![0, 20], vec![30, 0]]);
        let s = suppress(&t);
        assert_eq!(s.suppressed_count(), 0);
        assert_eq!(s.cells[0][0], Cell::Value(0));
        assert_eq!(s.grand_total, Cell::Value(50));
    }

    #[test]
    fn classic_two_by_two() {
        let t = table(vec![vec![5, 20], vec![30, 40]]);
        let s = suppress(&t);
        assert!(s.cells.iter().flatten().all(|c| c.is_suppressed()));
        assert_eq!(s.row_totals, vec![Cell::Value(25), Cell::Value(70)]);
        assert_eq!(s.col_totals, vec![Cell::Value(35), Cell::Value(60)]);
        assert_eq!(s.grand_total, Cell::Value(95));
        check_safe(&t, &s).unwrap();
    }

    #[test]
    fn prefers_small_nonzero_complements_over_totals() {
        let t = table(vec![vec![3, 50, 12], vec![40, 60, 15], vec![70, 80, 90]]);
        let s = suppress(&t);
        check_safe(&t, &s).unwrap();
        assert!(s.row_totals.iter().all(|c| !c.is_suppressed()));
        assert!(s.col_totals.iter().all(|c| !c.is_suppressed()));
        assert!(s.cells[0][2].is_suppressed() && s.cells[1][2].is_suppressed());
        assert!(s.cells[1][0].is_suppressed());
        assert_eq!(s.cells[2][2], Cell::Value(90));
    }

    #[test]
    fn single_column_hides_row_totals_too() {
        let t = table(vec![vec![5], vec![30], vec![40]]);
        let s = suppress(&t);
        check_safe(&t, &s).unwrap();
        assert_eq!(s.grand_total, Cell::Value(75));
        assert_eq!(s.cells[2][0], Cell::Value(40));
    }

    #[test]
    fn tiny_table_hides_everything() {
        let t = table(vec![vec![4]]);
        let s = suppress(&t);
        assert_eq!(s.suppressed_count(), 4);
        let empty = suppress(&table(vec![]));
        assert_eq!(empty.grand_total, Cell::Value(0));
    }

    #[test]
    fn bridge_between_two_blocks_is_closed() {
        // Two protected 2x2 blocks joined through row 1: the ≥2 rule alone would allow a bridge.
        let t = table(vec![
            vec![5, 5, 100, 100],
            vec![5, 5, 3, 100],
            vec![100, 100, 5, 5],
            vec![100, 100, 5, 5],
        ]);
        check_safe(&t, &suppress(&t)).unwrap();
    }

    /// Publishes `t` hiding exactly the listed cells (totals all shown): a deliberately weak table.
    fn hide_cells(t: &Table, hide: &[(usize, usize)]) -> SuppressedTable {
        let mut s = SuppressedTable {
            rows: t.rows.clone(),
            cols: t.cols.clone(),
            cells: t
                .cells
                .iter()
                .map(|r| r.iter().map(|&v| Cell::Value(v)).collect())
                .collect(),
            row_totals: t.row_totals().into_iter().map(Cell::Value).collect(),
            col_totals: t.col_totals().into_iter().map(Cell::Value).collect(),
            grand_total: Cell::Value(t.grand_total()),
        };
        for &(i, j) in hide {
            s.cells[i][j] = Cell::Suppressed;
        }
        s
    }

    #[test]
    fn attackers_break_weak_tables() {
        let t = table(vec![vec![5, 20], vec![30, 40]]);
        let got = single_unknown_attack(&hide_cells(&t, &[(0, 0)]));
        assert_eq!(got, vec![(Item::Cell(0, 0), 5)]);
        // Two 2x2 blocks joined by one cell: every line has >= 2 hidden cells, so the simple
        // attacker is stuck, but rows 0-1 minus columns 0-1 isolate the bridge cell (1, 2).
        let t = table(vec![vec![5; 4]; 4]);
        let weak = hide_cells(
            &t,
            &[
                (0, 0),
                (0, 1),
                (1, 0),
                (1, 1),
                (1, 2),
                (2, 2),
                (2, 3),
                (3, 2),
                (3, 3),
            ],
        );
        assert!(single_unknown_attack(&weak).is_empty());
        assert_eq!(full_linear_attack(&weak), vec![Item::Cell(1, 2)]);
    }

    #[test]
    fn cell_helpers() {
        assert_eq!(Cell::Value(12).label(), "12");
        assert_eq!(Cell::Suppressed.label(), "*");
        assert_eq!(Cell::Suppressed.as_str(), "suppressed");
        assert_eq!(Cell::Value(3).value(), Some(3));
    }

    fn count() -> impl Strategy<Value = u64> {
        prop_oneof![3 => Just(0u64), 4 => 1u64..=10, 3 => 11u64..=40]
    }

    fn random_table() -> impl Strategy<Value = Table> {
        (1usize..8, 1usize..8)
            .prop_flat_map(|(r, c)| {
                proptest::collection::vec(proptest::collection::vec(count(), c), r)
            })
            .prop_map(table)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn suppression_is_safe(t in random_table()) {
            let s = suppress(&t);
            check_safe(&t, &s)?;
            // Deterministic.
            prop_assert_eq!(suppress(&t), s);
        }
    }

    // ----------------------------------------------------------------- nested families

    /// How a parent is made of its children: the same table summed (referral types by outcome
    /// over a quarter's months) or the children's rows stacked (releases by month and setting).
    #[derive(Debug, Clone, Copy)]
    enum Nest {
        Sum,
        Stack,
    }

    fn sum_tables(ts: &[Table]) -> Table {
        let mut cells = ts[0].cells.clone();
        for t in &ts[1..] {
            for (r, tr) in cells.iter_mut().zip(&t.cells) {
                for (x, y) in r.iter_mut().zip(tr) {
                    *x += y;
                }
            }
        }
        Table::new(ts[0].rows.clone(), ts[0].cols.clone(), cells).unwrap()
    }

    fn stack_tables(ts: &[Table]) -> Table {
        Table::new(
            ts.iter().flat_map(|t| t.rows.clone()).collect(),
            ts[0].cols.clone(),
            ts.iter().flat_map(|t| t.cells.clone()).collect(),
        )
        .unwrap()
    }

    /// A year of `months` (in order), grouped into quarters of `per` months: tables in family
    /// order (year, quarters, months) and the nesting.
    fn family(
        months: Vec<Table>,
        per: usize,
        nest: Nest,
    ) -> (Vec<Table>, Vec<(usize, Vec<usize>)>) {
        let combine = |ts: &[Table]| match nest {
            Nest::Sum => sum_tables(ts),
            Nest::Stack => stack_tables(ts),
        };
        let quarters: Vec<Table> = months.chunks(per).map(combine).collect();
        let nq = quarters.len();
        let mut tables = vec![combine(&quarters)];
        tables.extend(quarters);
        tables.extend(months);
        let mut nesting: Vec<(usize, Vec<usize>)> = (0..nq)
            .map(|q| (1 + q, (0..per).map(|i| 1 + nq + q * per + i).collect()))
            .collect();
        nesting.push((0, (1..=nq).collect()));
        (tables, nesting)
    }

    /// The attacker's equations over (table, figure), written out from the way the family was
    /// built (independently of the code under test).
    fn family_equations_for_attacker(
        tables: &[Table],
        nesting: &[(usize, Vec<usize>)],
        nest: Nest,
    ) -> Vec<Vec<((usize, Item), i64)>> {
        let mut eqs: Vec<Vec<((usize, Item), i64)>> = Vec::new();
        for (k, t) in tables.iter().enumerate() {
            for e in equations(t.rows.len(), t.cols.len()) {
                eqs.push(e.into_iter().map(|(it, c)| ((k, it), c)).collect());
            }
        }
        for (p, cs) in nesting {
            let (nr, nc) = (tables[*p].rows.len(), tables[*p].cols.len());
            let mut items: Vec<Item> = (0..nc).map(Item::ColTotal).collect();
            items.push(Item::Grand);
            if let Nest::Sum = nest {
                items.extend((0..nr).map(Item::RowTotal));
                items.extend((0..nr).flat_map(|i| (0..nc).map(move |j| Item::Cell(i, j))));
            }
            for it in items {
                let mut e = vec![((*p, it), 1)];
                e.extend(cs.iter().map(|&c| ((c, it), -1)));
                eqs.push(e);
            }
            if let Nest::Stack = nest {
                let mut i0 = 0;
                for &c in cs {
                    for ci in 0..tables[c].rows.len() {
                        eqs.push(vec![
                            ((*p, Item::RowTotal(i0 + ci)), 1),
                            ((c, Item::RowTotal(ci)), -1),
                        ]);
                        for j in 0..nc {
                            eqs.push(vec![
                                ((*p, Item::Cell(i0 + ci, j)), 1),
                                ((c, Item::Cell(ci, j)), -1),
                            ]);
                        }
                    }
                    i0 += tables[c].rows.len();
                }
            }
        }
        eqs
    }

    /// The attacker holding every table of the family: exact elimination (over the rationals,
    /// fraction-free) of all their equations; returns the hidden figures some combination pins.
    fn family_attack(
        tables: &[SuppressedTable],
        eqs: &[Vec<((usize, Item), i64)>],
    ) -> Vec<(usize, Item)> {
        let mut unknowns: Vec<(usize, Item)> = Vec::new();
        for eq in eqs {
            for &(f, _) in eq {
                if published(&tables[f.0], f.1).is_suppressed() && !unknowns.contains(&f) {
                    unknowns.push(f);
                }
            }
        }
        let mut m: Vec<Vec<i128>> = eqs
            .iter()
            .map(|eq| {
                let mut row = vec![0i128; unknowns.len()];
                for (f, c) in eq {
                    if let Some(k) = unknowns.iter().position(|u| u == f) {
                        row[k] += i128::from(*c);
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
                    let g = m[r].iter().fold(0i128, |g, &x| gcd128(g, x));
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

    fn gcd128(a: i128, b: i128) -> i128 {
        if b == 0 { a.abs() } else { gcd128(b, a % b) }
    }

    fn check_family_safe(
        tables: &[Table],
        nesting: &[(usize, Vec<usize>)],
        nest: Nest,
        published: &[SuppressedTable],
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(published.len(), tables.len());
        for (t, s) in tables.iter().zip(published) {
            // Truthful, nothing in 1..=10 shown.
            for (item, v) in figures(t) {
                if let Some(x) = published_cell(s, item).value() {
                    prop_assert_eq!(x, v);
                    prop_assert!(!is_small(x), "visible small value {}", x);
                }
            }
        }
        // The leaves (months) are exactly what they would be alone: a month's table does not
        // depend on other months' data.
        for (k, t) in tables.iter().enumerate() {
            if !nesting.iter().any(|(p, _)| *p == k) {
                prop_assert_eq!(&published[k], &suppress(t));
            }
        }
        let eqs = family_equations_for_attacker(tables, nesting, nest);
        let got = family_attack(published, &eqs);
        prop_assert!(got.is_empty(), "family attack recovered {:?}", got);
        Ok(())
    }

    #[test]
    fn independent_tables_of_nested_periods_leak_and_nested_ones_do_not() {
        // Month 1 hides its 5 (and the rest of its 2x2 cells); month 2 and the quarter are all
        // large. Suppressed one by one, quarter minus month 2 gives month 1's 5.
        let m1 = table(vec![vec![5, 20], vec![30, 40]]);
        let m2 = table(vec![vec![20, 20], vec![30, 40]]);
        let (tables, nesting) = family(vec![m1, m2], 2, Nest::Sum);
        let eqs = family_equations_for_attacker(&tables, &nesting, Nest::Sum);
        let alone: Vec<SuppressedTable> = tables.iter().map(suppress).collect();
        let got = family_attack(&alone, &eqs);
        // Family order: year, quarter, month 1 (index 2), month 2.
        assert!(got.contains(&(2, Item::Cell(0, 0))), "{got:?}");
        let nested = suppress_nested(&tables, &nesting).unwrap();
        check_family_safe(&tables, &nesting, Nest::Sum, &nested).unwrap();
        assert!(
            nested[1].cells[0][0].is_suppressed(),
            "the quarter hides 25 too"
        );
        // Stacked (a year's rows are its months): a quarter showing a month's row that the
        // month's own table hid would give it away.
        let months: Vec<Table> = [[5u64, 30], [12, 30], [40, 40]]
            .iter()
            .enumerate()
            .map(|(i, r)| {
                Table::new(
                    vec![format!("m{i}")],
                    vec!["a".into(), "b".into()],
                    vec![r.to_vec()],
                )
                .unwrap()
            })
            .collect();
        let (tables, nesting) = family(months, 3, Nest::Stack);
        let eqs = family_equations_for_attacker(&tables, &nesting, Nest::Stack);
        let alone: Vec<SuppressedTable> = tables.iter().map(suppress).collect();
        assert!(!family_attack(&alone, &eqs).is_empty());
        let nested = suppress_nested(&tables, &nesting).unwrap();
        check_family_safe(&tables, &nesting, Nest::Stack, &nested).unwrap();
    }

    #[test]
    fn overlapping_ranges_leak_by_subtraction() {
        // The old behaviour: any from..to. Releases by month for 1 Jan–31 Mar and 1 Jan–30 Mar:
        // every figure is large, so both tables are published whole; their difference is the
        // 3 people released on 31 March, a figure suppression exists to hide.
        let to_31 = table(vec![vec![40, 25], vec![30, 22], vec![33, 19]]);
        let to_30 = table(vec![vec![40, 25], vec![30, 22], vec![30, 19]]);
        let (a, b) = (suppress(&to_31), suppress(&to_30));
        assert_eq!(a.suppressed_count() + b.suppressed_count(), 0);
        let day = a.cells[2][0].value().unwrap() - b.cells[2][0].value().unwrap();
        assert!(is_small(day), "recovered {day} people released on one day");
        // Fixed periods cannot overlap like this: two periods are either disjoint or nested.
    }

    #[test]
    fn a_quarter_depends_only_on_its_own_months() {
        let m = |a: u64, b: u64| table(vec![vec![a, 20], vec![b, 40]]);
        let months = vec![m(5, 30), m(20, 3), m(50, 50), m(60, 60)];
        let (tables, nesting) = family(months.clone(), 2, Nest::Sum);
        let before = suppress_nested(&tables, &nesting).unwrap();
        let mut later = months;
        later[3] = m(7, 60);
        let (tables2, _) = family(later, 2, Nest::Sum);
        let after = suppress_nested(&tables2, &nesting).unwrap();
        assert_eq!(before[1], after[1], "the first quarter is unchanged");
        assert_eq!(before[3..5], after[3..5], "its months too");
        check_family_safe(&tables2, &nesting, Nest::Sum, &after).unwrap();
    }

    #[test]
    fn nesting_is_checked() {
        let t = table(vec![vec![1, 2]]);
        let wide = table(vec![vec![1, 2, 3]]);
        assert!(suppress_nested(&[t.clone(), wide], &[(0, vec![1])]).is_err());
        assert!(suppress_nested(&[t.clone(), t.clone()], &[(0, vec![1]), (1, vec![0])]).is_err());
        assert!(suppress_nested(std::slice::from_ref(&t), &[(0, vec![3])]).is_err());
        assert_eq!(
            suppress_nested(std::slice::from_ref(&t), &[]).unwrap(),
            vec![suppress(&t)]
        );
    }

    fn labelled(cells: Vec<Vec<u64>>, label: usize, stack: bool) -> Table {
        let nc = cells.first().map_or(0, Vec::len);
        let rows = if stack {
            vec![format!("m{label}")]
        } else {
            (0..cells.len()).map(|i| format!("r{i}")).collect()
        };
        Table::new(rows, (0..nc).map(|j| format!("c{j}")).collect(), cells).unwrap()
    }

    /// Small families: 2 quarters of 2 or 3 months with tables of up to 3x3 (summed), or a year
    /// of 4 quarters of 3 one-row months (stacked, as releases by month and setting are).
    type Family = (Vec<Table>, Vec<(usize, Vec<usize>)>, Nest);

    fn random_family() -> impl Strategy<Value = Family> {
        let summed = (1usize..4, 1usize..4, 2usize..4).prop_flat_map(|(r, c, per)| {
            proptest::collection::vec(
                proptest::collection::vec(proptest::collection::vec(count(), c), r),
                2 * per,
            )
            .prop_map(move |ms| {
                let months = ms
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| labelled(m, i, false))
                    .collect();
                let (t, n) = family(months, per, Nest::Sum);
                (t, n, Nest::Sum)
            })
        });
        let stacked = (1usize..5).prop_flat_map(|c| {
            proptest::collection::vec(proptest::collection::vec(count(), c), 12).prop_map(|ms| {
                let months = ms
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| labelled(vec![m], i, true))
                    .collect();
                let (t, n) = family(months, 3, Nest::Stack);
                (t, n, Nest::Stack)
            })
        });
        prop_oneof![summed, stacked]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// The attacker holds every public table of a year: the months, the quarters containing
        /// them and the year, with all their totals, and recovers no hidden figure.
        #[test]
        fn nested_periods_are_safe_together((tables, nesting, nest) in random_family()) {
            let published = suppress_nested(&tables, &nesting).unwrap();
            check_family_safe(&tables, &nesting, nest, &published)?;
            prop_assert_eq!(suppress_nested(&tables, &nesting).unwrap(), published);
        }
    }
}
