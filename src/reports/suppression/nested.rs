//! Families of nested tables (a year, its quarters, its months: decision 0015): [`suppress_nested`]
//! protects the family together against an attacker holding every table of it, solving the
//! family's linear equations modulo a prime to find which hidden figures are still determined.

use super::table::{Item, figure_index, figures, is_small, publish, published_cell};
use super::{SuppressedTable, Table, TableError, suppress};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::suppression::fixtures::*;
    use crate::reports::suppression::*;
    use proptest::prelude::*;

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
        pinned(eqs, |(t, it)| published(&tables[t], it).is_suppressed())
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
