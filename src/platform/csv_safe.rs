//! CSV that opens as text in a spreadsheet: the one way the product writes CSV.
//!
//! A cell that begins with `=`, `+`, `-`, `@`, a tab (0x09) or a carriage return (0x0D) is read
//! by Excel, LibreOffice and Google Sheets as a formula (`=HYPERLINK(…)`, `=cmd|…` for DDE), so a
//! participant named `=HYPERLINK("http://x")` would run when an export is opened. Following
//! OWASP's guidance on CSV Injection (<https://owasp.org/www-community/attacks/CSV_Injection>),
//! [`Writer::write_record`] prefixes every such cell with a single quote `'`, which spreadsheets
//! take as "this is text"; the csv crate then quotes the cell as usual where it needs to.
//!
//! **Decision: plain numbers stay numbers.** A cell that is exactly a plain decimal number,
//! `-?[0-9]+(\.[0-9]+)?` (such as a BARC-10 change of `-5` or a balance of `-12.50`), is written
//! unchanged: a spreadsheet reads it as a number, and a number cannot call anything. Anything
//! else starting with `-` (`-2+3`, `-A1`, `--x`) gets the quote, as OWASP recommends for untrusted
//! cells. So a name typed as `-3` shows as the number -3, which is what was typed.
//!
//! XLSX exports (`reports::exports::write_workbook`) do not need this: they write every value with
//! `write_string`, a text cell, never a formula.
//!
//! Every CSV call site uses [`Writer`]; a test below fails if any other file under `src/` names
//! the csv crate's writer.

use std::borrow::Cow;
use std::io::Write;

/// The characters that make a spreadsheet read a cell as a formula (OWASP CSV Injection).
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` is exactly a plain decimal number (`-?[0-9]+(\.[0-9]+)?`).
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.is_none_or(all_digits)
}

/// The cell as it is safe to write: prefixed with `'` when a spreadsheet would take it for a
/// formula (see the module docs), unchanged otherwise.
pub fn neutralise(field: &str) -> Cow<'_, str> {
    if field.starts_with(FORMULA_STARTS) && !is_plain_number(field) {
        Cow::Owned(format!("'{field}"))
    } else {
        Cow::Borrowed(field)
    }
}

/// A CSV writer whose every cell goes through [`neutralise`].
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    /// A writer with the csv crate's defaults (comma, `"` quoting where needed, `\n` lines).
    pub fn from_writer(w: W) -> Self {
        Writer {
            inner: csv::Writer::from_writer(w),
        }
    }

    /// Writes one record, neutralising each cell.
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        // Field by field, each borrowed unless it needs its quote: a bulk export writes
        // millions of cells, and copying each into a new string was a tenth of its time.
        for f in record {
            self.inner.write_field(neutralise(f.as_ref()).as_bytes())?;
        }
        self.inner.write_record(None::<&[u8]>)
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.inner
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(rows: &[&[&str]]) -> String {
        let mut w = Writer::from_writer(Vec::new());
        for r in rows {
            w.write_record(*r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn each_formula_start_gets_a_quote() {
        for (input, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("-A1", "'-A1"),
            ("--1", "'--1"),
            ("-", "'-"),
            ("-1.", "'-1."),
            ("-.5", "'-.5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\r=1", "'\r=1"),
            ("=", "'="),
        ] {
            assert_eq!(neutralise(input), want, "{input:?}");
        }
    }

    #[test]
    fn harmless_cells_are_unchanged() {
        for input in [
            "",
            "Sam",
            "O'Brien",
            "a=b",
            "1+1",
            " =x",
            "'=x",
            "12",
            "0",
            "-3",
            "-12.50",
            "3.5",
            "2026-07-01",
            "x\ty",
            "é=",
        ] {
            assert!(
                matches!(neutralise(input), Cow::Borrowed(s) if s == input),
                "{input:?}"
            );
        }
    }

    #[test]
    fn written_csv_reads_back_as_text() {
        let csv = csv_of(&[
            &["name", "n"],
            &["=HYPERLINK(\"x\")", "-3"],
            &["+cmd", "@x"],
        ]);
        assert_eq!(csv, "name,n\n\"'=HYPERLINK(\"\"x\"\")\",-3\n'+cmd,'@x\n");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[1][0], "'+cmd");
    }

    /// Nothing under `src/` writes CSV around this module.
    #[test]
    fn every_csv_writer_is_this_one() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        assert!(files.len() > 20, "found the sources");
        let banned = [concat!("csv::", "Writer"), concat!("Writer", "Builder")];
        let offenders: Vec<String> = files
            .iter()
            .filter(|p| !p.ends_with("platform/csv_safe.rs"))
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                banned.iter().any(|b| text.contains(b))
            })
            .map(|p| p.display().to_string())
            .collect();
        assert!(
            offenders.is_empty(),
            "write CSV through platform::csv_safe: {offenders:?}"
        );
    }
}
