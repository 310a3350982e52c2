//! Reading a roster file: the header, each row parsed as bytes arrive, and the problems of
//! each bad row (row, column, reason).

use std::io::Read;

use chrono::NaiveDate;
use serde::Serialize;

pub const HEADER: [&str; 7] = [
    "booking_number",
    "last_name",
    "first_name",
    "date_of_birth",
    "booking_date",
    "expected_release_date",
    "release_date",
];

/// Rows matched and written together (their booking numbers, people and audit entries are read
/// and written a statement at a time).
pub const BATCH: usize = 500;

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub booking_number: String,
    pub last_name: String,
    pub first_name: String,
    pub date_of_birth: NaiveDate,
    pub booking_date: NaiveDate,
    pub expected_release_date: Option<NaiveDate>,
    pub release_date: Option<NaiveDate>,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

/// One row of a roster, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    Row(RosterRow),
    /// A bad row: one entry per bad column.
    Bad(Vec<RowError>),
}

/// Why a roster could not be read at all.
#[derive(Debug)]
pub enum ReadStop {
    /// The header is missing a column (row 1): the whole file is refused.
    BadHeader(RowError),
    /// The bytes stopped coming (the upload was cut off at its limit, or the client went away).
    Read(std::io::Error),
}

/// A roster read row by row as its bytes arrive: holds one row (and the CSV reader's buffer),
/// never the file.
pub struct RosterReader<R: Read> {
    records: csv::StringRecordsIntoIter<R>,
    index: [usize; 7],
    today: NaiveDate,
    n: usize,
}

impl<R: Read> RosterReader<R> {
    /// Read the header. A header without one of [`HEADER`]'s columns refuses the whole file.
    pub fn new(input: R, today: NaiveDate) -> Result<RosterReader<R>, ReadStop> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                return Err(if e.is_io_error() {
                    ReadStop::Read(into_io(e))
                } else {
                    ReadStop::BadHeader(RowError {
                        row: 1,
                        column: "header".into(),
                        reason: format!("cannot read the header: {e}"),
                    })
                });
            }
        };
        let mut index = [0usize; 7];
        for (slot, want) in index.iter_mut().zip(HEADER) {
            match headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(want))
            {
                Some(i) => *slot = i,
                None => {
                    return Err(ReadStop::BadHeader(RowError {
                        row: 1,
                        column: want.into(),
                        reason: format!(
                            "the header has no column {want:?} (expected {})",
                            HEADER.join(",")
                        ),
                    }));
                }
            }
        }
        Ok(RosterReader {
            records: rdr.into_records(),
            index,
            today,
            n: 0,
        })
    }
}

impl<R: Read> Iterator for RosterReader<R> {
    /// A row or a bad row; an I/O error ends the file (the rest never arrived).
    type Item = std::io::Result<Parsed>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rec = self.records.next()?;
            let line = self.n + 2;
            self.n += 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    return Some(if e.is_io_error() {
                        Err(into_io(e))
                    } else {
                        Ok(Parsed::Bad(vec![RowError {
                            row: line,
                            column: "row".into(),
                            reason: format!("unreadable: {e}"),
                        }]))
                    });
                }
            };
            if rec.iter().all(str::is_empty) {
                continue;
            }
            return Some(Ok(parse_row(&rec, &self.index, line, self.today)));
        }
    }
}

pub(super) fn into_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Parse a whole roster held in memory (for tests and small files): the good rows and the bad
/// rows' errors. A bad header fails the whole file (row 1).
pub fn parse(
    input: impl Read,
    today: NaiveDate,
) -> Result<(Vec<RosterRow>, Vec<RowError>), RowError> {
    let reader = RosterReader::new(input, today).map_err(|e| match e {
        ReadStop::BadHeader(e) => e,
        ReadStop::Read(io) => RowError {
            row: 1,
            column: "header".into(),
            reason: format!("cannot read the file: {io}"),
        },
    })?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for item in reader {
        match item {
            Ok(Parsed::Row(r)) => rows.push(r),
            Ok(Parsed::Bad(e)) => errors.extend(e),
            Err(io) => errors.push(RowError {
                row: 0,
                column: "file".into(),
                reason: format!("cannot read the file: {io}"),
            }),
        }
    }
    Ok((rows, errors))
}

pub(super) fn parse_row(
    rec: &csv::StringRecord,
    index: &[usize; 7],
    line: usize,
    today: NaiveDate,
) -> Parsed {
    let get = |c: &str| {
        let i = HEADER.iter().position(|h| *h == c).map(|p| index[p]);
        i.and_then(|i| rec.get(i)).unwrap_or("").to_string()
    };
    let mut row_errors = Vec::new();
    let mut required = |c: &str, max: usize| {
        let v = get(c);
        if v.is_empty() {
            row_errors.push(RowError {
                row: line,
                column: c.into(),
                reason: "is empty".into(),
            });
        } else if v.chars().count() > max {
            row_errors.push(RowError {
                row: line,
                column: c.into(),
                reason: format!("is longer than {max} characters"),
            });
        }
        v
    };
    let booking_number = required("booking_number", 60);
    let last_name = required("last_name", 100);
    let first_name = required("first_name", 100);
    let mut date = |c: &str, optional: bool| -> Option<NaiveDate> {
        let v = get(c);
        if v.is_empty() {
            if !optional {
                row_errors.push(RowError {
                    row: line,
                    column: c.into(),
                    reason: "is empty".into(),
                });
            }
            return None;
        }
        match NaiveDate::parse_from_str(&v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                row_errors.push(RowError {
                    row: line,
                    column: c.into(),
                    reason: format!("{v:?} is not a date (YYYY-MM-DD)"),
                });
                None
            }
        }
    };
    let dob = date("date_of_birth", false);
    let booking = date("booking_date", false);
    let expected = date("expected_release_date", true);
    let release = date("release_date", true);
    if let Some(d) = dob
        && d > today
    {
        row_errors.push(RowError {
            row: line,
            column: "date_of_birth".into(),
            reason: "is in the future".into(),
        });
    }
    if let (Some(b), Some(r)) = (booking, release)
        && r < b
    {
        row_errors.push(RowError {
            row: line,
            column: "release_date".into(),
            reason: "is before the booking date".into(),
        });
    }
    if let Some(r) = release
        && r > today
    {
        row_errors.push(RowError {
            row: line,
            column: "release_date".into(),
            reason: "is in the future (use expected_release_date)".into(),
        });
    }
    match (dob, booking) {
        (Some(date_of_birth), Some(booking_date)) if row_errors.is_empty() => {
            Parsed::Row(RosterRow {
                line,
                booking_number,
                last_name,
                first_name,
                date_of_birth,
                booking_date,
                expected_release_date: expected,
                release_date: release,
            })
        }
        _ => Parsed::Bad(row_errors),
    }
}
