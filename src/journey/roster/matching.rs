//! Matching roster rows to the people already known: by booking number, then by exactly the
//! same name and date of birth.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::reading::{BATCH, RosterRow};
use crate::participants::matching::{self, PersonKey};
use crate::platform::error::AppResult;
use crate::platform::schema::participants as participants_t;

pub(super) struct Known {
    pub(super) id: i64,
    pub(super) first_name: String,
    pub(super) last_name: String,
    pub(super) date_of_birth: NaiveDate,
    /// Normalised for the likely-match comparisons, the first time one needs it.
    pub(super) prepared: std::cell::OnceCell<matching::Prepared>,
}

impl Known {
    pub(super) fn new(
        id: i64,
        first_name: String,
        last_name: String,
        date_of_birth: NaiveDate,
    ) -> Known {
        Known {
            id,
            first_name,
            last_name,
            date_of_birth,
            prepared: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn prepared(&self) -> &matching::Prepared {
        self.prepared.get_or_init(|| {
            matching::Prepared::of(&PersonKey {
                first_name: self.first_name.clone(),
                last_name: self.last_name.clone(),
                date_of_birth: self.date_of_birth,
                identifiers: vec![],
            })
        })
    }
}

/// The organisation's people by date of birth, each date read from the database once for the
/// whole import rather than once per batch: a batch's 500 rows name about 1,000 dates (with
/// transposed days and months), and reading the people born on them batch after batch fetched
/// the same rows again and again (1.9 of 10.4 s at 100,000 rows and participants). People the
/// import creates are added as it goes, so later rows are compared with them. The memory is
/// bounded: past its cap (`ImportMemory::people_held`; about 100 bytes a person, more for those
/// compared with a new row) it forgets them all and reads again.
pub(super) struct KnownPeople {
    pub(super) by_dob: HashMap<NaiveDate, Vec<Known>>,
    pub(super) held: usize,
    pub(super) cap: usize,
}

impl KnownPeople {
    pub(super) fn with_cap(cap: usize) -> KnownPeople {
        KnownPeople {
            by_dob: HashMap::new(),
            held: 0,
            cap,
        }
    }

    /// Make sure everyone born on `dates` is held.
    pub(super) fn load(
        &mut self,
        conn: &mut crate::platform::db::DbConn,
        org_id: i64,
        dates: &[NaiveDate],
    ) -> AppResult<()> {
        if self.held > self.cap {
            *self = KnownPeople::with_cap(self.cap);
        }
        let mut missing: Vec<NaiveDate> = dates
            .iter()
            .copied()
            .filter(|d| !self.by_dob.contains_key(d))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(BATCH) {
            let people = participants_t::table
                .filter(participants_t::org_id.eq(org_id))
                .filter(participants_t::merged_into_id.is_null())
                .filter(participants_t::date_of_birth.eq_any(chunk))
                .select((
                    participants_t::id,
                    participants_t::first_name,
                    participants_t::last_name,
                    participants_t::date_of_birth,
                ))
                .load::<(i64, String, String, NaiveDate)>(conn)?;
            for d in chunk {
                self.by_dob.entry(*d).or_default();
            }
            self.held += people.len();
            for (id, first, last, dob) in people {
                self.by_dob
                    .entry(dob)
                    .or_default()
                    .push(Known::new(id, first, last, dob));
            }
        }
        Ok(())
    }

    pub(super) fn born_on(&self, d: &NaiveDate) -> &[Known] {
        self.by_dob.get(d).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Forget the people born on `d` (read again on the next [`load`](Self::load)).
    pub(super) fn forget(&mut self, d: NaiveDate) {
        if let Some(gone) = self.by_dob.remove(&d) {
            self.held -= gone.len();
        }
    }

    /// Someone the import created (held only if their date of birth is: otherwise the next
    /// read of that date finds them in the database).
    pub(super) fn add(&mut self, k: Known) {
        if let Some(v) = self.by_dob.get_mut(&k.date_of_birth) {
            v.push(k);
            self.held += 1;
        }
    }

    /// The person of the organisation written exactly as in `row` and born the same day.
    pub(super) fn exact(&self, row: &RosterRow) -> Option<i64> {
        // Certain only when the name is written exactly the same (ignoring surrounding
        // spaces); a difference in case or accents is offered for a person to confirm.
        self.born_on(&row.date_of_birth)
            .iter()
            .find(|k| {
                k.first_name.trim() == row.first_name.trim()
                    && k.last_name.trim() == row.last_name.trim()
            })
            .map(|k| k.id)
    }
}
