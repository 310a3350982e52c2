//! Roster import: a facility's list of people in custody, as CSV with the header
//! `booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date`
//! (dates `YYYY-MM-DD`; the last two may be empty; extra columns are ignored).
//!
//! Rows are matched to participants by booking number, then by exactly the same name and date of
//! birth (whose new booking number is then added to the person's record, as typed). Matched
//! people get their release dates updated (which re-plans their checklist or starts their window).
//! People who only *look like* someone known (different case or accents, a transposed day and
//! month) are listed for a person to confirm; nobody is merged or created silently. Unmatched
//! people are created only when asked. Running the same file twice changes nothing. Bad rows are
//! reported (row, column, reason) and the good rows still import.
//!
//! The file is read as a stream ([`RosterReader`]): rows are parsed as bytes arrive and every
//! [`ROWS_PER_TRANSACTION`] rows are one transaction, together with that part's rows to check and
//! the run's running totals ([`super::roster_runs`]), so memory does not grow with the file and
//! an interrupted import leaves whole transactions' rows or nothing (decision 0023).

// What the import reads and writes of the participants capability, named once here.
use crate::participants::store as participants;

mod applying;
mod matching;
mod reading;
mod runs;

pub use reading::*;
pub use runs::*;
