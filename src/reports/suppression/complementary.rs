//! Suppression of one table ([`suppress`]): primary suppression of every figure in 1..=10, then
//! complementary suppression until no hidden figure is a bridge of the graph of hidden figures, by
//! hiding the cheapest detour for each bridge.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::table::{Item, is_small};
use super::{Cell, SuppressedTable, Table};

struct Edge {
    a: usize,
    b: usize,
    item: Item,
    value: u64,
}

/// (grand totals, other totals, zero cells, counts hidden, figures) — compared lexicographically.
type Cost = (u32, u32, u32, u64, u32);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::suppression::fixtures::*;
    use crate::reports::suppression::*;
    use proptest::prelude::*;

    /// The attacker of the small-cell review: solve any equation with a single unknown, repeat
    /// until stuck. Returns the figures it recovered.
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

    /// A stronger attacker: exact Gaussian elimination over all equations; returns the hidden
    /// figures that some linear combination of published equations pins down.
    fn full_linear_attack(s: &SuppressedTable) -> Vec<Item> {
        pinned(&equations(s.rows.len(), s.cols.len()), |it| {
            published(s, it).is_suppressed()
        })
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
}
