//! Tables as CSV and XLSX, for the ministry's exports.

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(String),
    #[error("xlsx: {0}")]
    Xlsx(String),
}

/// A titled table of text cells; numbers are passed as text and written as numbers to XLSX when
/// they parse as integers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// CSV with a header row, `;`-free comma separation, RFC 4180 quoting.
pub fn csv(table: &Table) -> Result<String, ExportError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(&table.headers)
        .map_err(|err| ExportError::Csv(err.to_string()))?;
    for row in &table.rows {
        // Cells that a spreadsheet would run as a formula are prefixed (CSV injection).
        let safe: Vec<String> = row
            .iter()
            .map(|cell| {
                if cell.starts_with(['=', '+', '@'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err())
                {
                    format!("'{cell}")
                } else {
                    cell.clone()
                }
            })
            .collect();
        writer
            .write_record(&safe)
            .map_err(|err| ExportError::Csv(err.to_string()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| ExportError::Csv(err.to_string()))?;
    String::from_utf8(bytes).map_err(|err| ExportError::Csv(err.to_string()))
}

/// One workbook with one sheet per table.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        let name: String = table
            .title
            .chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect();
        if !name.is_empty() {
            sheet.set_name(&name).map_err(err)?;
        }
        for (col, header) in table.headers.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(0, col, header, &bold)
                .map_err(err)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (col, cell) in row.iter().enumerate() {
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                match cell.parse::<i64>() {
                    Ok(number) if cell.len() < 15 => {
                        sheet.write_number(r, col, number as f64).map_err(err)?;
                    }
                    _ => {
                        sheet.write_string(r, col, cell).map_err(err)?;
                    }
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            title: "Rollout: EfA".into(),
            headers: vec!["tenant".into(), "count".into()],
            rows: vec![
                vec!["Stadt, Köln".into(), "58".into()],
                vec!["=cmd()".into(), "1".into()],
            ],
        }
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let text = csv(&table()).unwrap();
        assert!(
            text.starts_with("tenant,count\n\"Stadt, Köln\",58\n'=cmd(),1\n"),
            "{text}"
        );
    }

    #[test]
    fn xlsx_is_a_zip() {
        let bytes = xlsx(&[table()]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
