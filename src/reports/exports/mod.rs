//! Data exports for the programme's staff: one row per record, one value per cell, as CSV (paged
//! by id, `PAGE` rows at a time, so no dataset sits in memory at once) and as one XLSX workbook
//! (constant-memory worksheets), each with a data dictionary. And de-identified aggregate
//! tables for the public, every figure passed through small-cell suppression.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text, Timestamp};

use super::gpra::{IncomeSource, Substance};
use super::periods::Period;
use super::suppression::{self, SuppressedTable, Table};
use crate::journey::rules::{ReferralType, Setting};
use crate::platform::access::ReportScope;
use crate::platform::db::DbConn;
use crate::platform::error::{AppError, AppResult};

mod datasets;
mod public;
mod writing;

pub use datasets::*;
pub use public::*;
pub use writing::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_fits_and_is_described() {
        for ds in DATASETS {
            assert!(ds.columns.len() <= MAX_COLS, "{}", ds.name);
            let described = dictionary().into_iter().filter(|r| r[0] == ds.name).count();
            assert_eq!(described, header(ds).len(), "{}", ds.name);
        }
    }

    #[test]
    fn rows_are_one_value_per_cell() {
        let topics = dataset("encounter_topics").unwrap();
        let rows = shape_row(
            topics,
            vec!["1".into(), "2".into(), "engaging crisis".into()],
        );
        assert_eq!(
            rows,
            vec![vec!["1", "2", "engaging"], vec!["1", "2", "crisis"]]
        );
        let barc = dataset("barc10_assessments").unwrap();
        let rows = shape_row(
            barc,
            vec![
                "1".into(),
                "2".into(),
                "2026-01-01".into(),
                "33".into(),
                "1,2,3,4,5,6,1,2,3,6".into(),
            ],
        );
        assert_eq!(rows[0].len(), header(barc).len());
        assert_eq!(rows[0][4], "1");
        let gpra = dataset("gpra_interviews").unwrap();
        let mut i = super::super::gpra::GpraInterview::new(
            super::super::gpra::Timepoint::Intake,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        );
        i.days_illegal_drugs = Some(4);
        i.substance_days.push(super::super::gpra::SubstanceDays {
            substance: Substance::Heroin,
            days: 3,
        });
        let json = serde_json::to_string(&i).unwrap();
        let rows = shape_row(
            gpra,
            vec![
                "1".into(),
                "2".into(),
                "intake".into(),
                "2026-01-01".into(),
                json,
            ],
        );
        let h = header(gpra);
        let at = |n: &str| rows[0][h.iter().position(|x| x == n).unwrap()].clone();
        assert_eq!(rows[0].len(), h.len());
        assert_eq!(at("client_type"), "client_in_recovery");
        assert_eq!(at("days_illegal_drugs"), "4");
        assert_eq!(at("days_heroin"), "3");
        assert_eq!(at("days_cocaine"), "");
    }
}
