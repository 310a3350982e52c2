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
//!
//! Its files: `table` (the table, its published form and the numbering of its figures),
//! `complementary` (one table) and `nested` (a family of nested tables).

mod complementary;
mod nested;
mod table;

#[cfg(test)]
mod fixtures;

pub use complementary::suppress;
pub use nested::suppress_nested;
pub use table::{Cell, MIN_CELL, SUPPRESSED_MARK, SuppressedTable, Table, TableError};
