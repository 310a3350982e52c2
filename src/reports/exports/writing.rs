//! Writing datasets out: as CSV, page by page as the records are read (decision 0058), and as
//! one XLSX workbook of constant-memory worksheets with the data dictionary.

use super::datasets::each_record;
use super::*;

/// CSV text of rows (with `header` first when given).
pub fn csv_chunk(header: Option<&[String]>, rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::new());
    if let Some(h) = header {
        w.write_record(h).map_err(AppError::internal)?;
    }
    for r in rows {
        w.write_record(r).map_err(AppError::internal)?;
    }
    w.into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))
}

/// What an export sent: the rows that reached the reader, and whether it reached the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub rows: u64,
    pub complete: bool,
}

/// Write a dataset as CSV, page by page, to `sink` (which answers false when the reader has
/// gone).
pub fn write_csv(
    conn: &mut DbConn,
    scope: ReportScope,
    ds: &Dataset,
    sink: impl FnMut(Vec<u8>) -> bool,
) -> AppResult<Sent> {
    write_csv_in_pages(conn, scope, ds, PAGE, sink)
}

/// [`write_csv`], reading `per_page` records a query (`PAGE` in use; tests ask for pages of a
/// record or two, to cross page boundaries on small data).
pub fn write_csv_in_pages(
    conn: &mut DbConn,
    scope: ReportScope,
    ds: &Dataset,
    per_page: i64,
    mut sink: impl FnMut(Vec<u8>) -> bool,
) -> AppResult<Sent> {
    let mut sent = Sent {
        rows: 0,
        complete: false,
    };
    if !sink(csv_chunk(Some(&header(ds)), &[])?) {
        return Ok(sent);
    }
    let mut after = i64::MIN;
    // The last chunk's size, so the next one is allocated once at about its size.
    let mut size = 0;
    loop {
        let (chunk, rows, last) = csv_page(conn, scope, ds, after, per_page, size)?;
        let Some(last) = last else {
            sent.complete = true;
            break;
        };
        size = chunk.len();
        if !sink(chunk) {
            break;
        }
        sent.rows += rows;
        after = last;
    }
    Ok(sent)
}

/// One page of a dataset written as CSV as its records are read ([`each_record`]): the chunk,
/// the CSV rows in it, and the last record id read (`None` when there are no more). Each cell
/// is moved from the record into the writer; holding 10,000 records of 17 cells, then their
/// cells again as rows, was the larger part of an export's time (decision 0058).
fn csv_page(
    conn: &mut DbConn,
    scope: ReportScope,
    ds: &Dataset,
    after: i64,
    per_page: i64,
    size: usize,
) -> AppResult<(Vec<u8>, u64, Option<i64>)> {
    let mut w = crate::platform::csv_safe::Writer::from_writer(Vec::with_capacity(size + size / 8));
    let mut rows = 0u64;
    let last = each_record(conn, scope, ds, after, per_page, |cells| {
        for shaped in shape_row(ds, cells) {
            w.write_record(&shaped).map_err(AppError::internal)?;
            rows += 1;
        }
        Ok(())
    })?;
    let chunk = w
        .into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    Ok((chunk, rows, last))
}

/// The data dictionary as CSV.
pub fn dictionary_csv() -> AppResult<Vec<u8>> {
    let rows: Vec<Vec<String>> = dictionary().into_iter().map(|r| r.to_vec()).collect();
    csv_chunk(
        Some(&["dataset".into(), "column".into(), "meaning".into()]),
        &rows,
    )
}

/// The first row of a worksheet: the column names, in bold.
fn header_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    names: &[impl AsRef<str>],
    bold: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (j, name) in names.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, name.as_ref(), bold)?;
    }
    Ok(())
}

/// Write every dataset and the dictionary to an XLSX workbook at `path` (constant-memory
/// sheets; a dataset over `SHEET_ROWS` rows continues on `name_2`, …). Returns rows per dataset.
pub fn write_workbook(
    conn: &mut DbConn,
    scope: ReportScope,
    path: &std::path::Path,
) -> AppResult<Vec<(String, u64)>> {
    use rust_xlsxwriter::{Format, Workbook};
    let x = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let mut counts = Vec::new();
    {
        let dict = wb.add_worksheet_with_constant_memory().map_err(x)?;
        dict.set_name("dictionary").map_err(x)?;
        header_row(dict, &["dataset", "column", "meaning"], &bold).map_err(x)?;
        for (i, r) in dictionary().iter().enumerate() {
            for (j, v) in r.iter().enumerate() {
                dict.write_string(i as u32 + 1, j as u16, v).map_err(x)?;
            }
        }
    }
    for ds in DATASETS {
        let h = header(ds);
        let (mut after, mut total, mut sheet_no, mut row) = (i64::MIN, 0u64, 1, 0u32);
        let mut ws = wb.add_worksheet_with_constant_memory().map_err(x)?;
        ws.set_name(ds.name).map_err(x)?;
        header_row(ws, &h, &bold).map_err(x)?;
        loop {
            let (rows, last) = page(conn, scope, ds, after)?;
            let Some(last) = last else { break };
            for r in rows {
                if row >= SHEET_ROWS {
                    sheet_no += 1;
                    ws = wb.add_worksheet_with_constant_memory().map_err(x)?;
                    ws.set_name(format!("{}_{sheet_no}", ds.name)).map_err(x)?;
                    header_row(ws, &h, &bold).map_err(x)?;
                    row = 0;
                }
                row += 1;
                total += 1;
                for (j, v) in r.iter().enumerate() {
                    if !v.is_empty() {
                        ws.write_string(row, j as u16, v).map_err(x)?;
                    }
                }
            }
            after = last;
        }
        counts.push((ds.name.to_string(), total));
    }
    wb.save(path).map_err(x)?;
    Ok(counts)
}
