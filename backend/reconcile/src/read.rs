//! Streaming readers for `local.csv` and `azr.csv`.
//!
//! Columns are found by header name. A row that breaks the format becomes a [`Rejected`]
//! entry (file, line, reason) and is skipped; only I/O failures and a header without a
//! required column stop the run.

use crate::error::Error;
use crate::norm::Date;
use crate::record::{FIELD_COUNT, Field, Record};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// A malformed input row, reported and skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// The file's name as given to the reader (e.g. `local.csv`).
    pub file: String,
    /// 1-based physical line number where the row starts.
    pub line: u64,
    pub reason: String,
}

/// Reads an extract row by row.
pub struct ExtractReader<R: Read> {
    file: String,
    rdr: csv::Reader<R>,
    columns: [usize; FIELD_COUNT],
    header_len: usize,
    seen_ids: FxHashSet<Box<str>>,
    row: csv::ByteRecord,
}

/// One item of the stream: a good record or a rejected row.
pub enum Row {
    Record(Record),
    Rejected(Rejected),
}

impl<R: Read> ExtractReader<R> {
    /// Starts reading; parses the header. `file` names the input in rejections and errors.
    pub fn new(reader: R, file: &str) -> Result<Self, Error> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(reader);
        let header = rdr
            .byte_headers()
            .map_err(|source| Error::Csv {
                file: file.to_string(),
                source,
            })?
            .clone();
        if header.is_empty() {
            return Err(Error::NoHeader {
                file: file.to_string(),
            });
        }
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        let mut columns = [0usize; FIELD_COUNT];
        for f in Field::ALL {
            columns[f.index()] =
                names
                    .iter()
                    .position(|n| n == f.name())
                    .ok_or_else(|| Error::MissingColumn {
                        file: file.to_string(),
                        column: f.name(),
                    })?;
        }
        Ok(ExtractReader {
            file: file.to_string(),
            rdr,
            columns,
            header_len: names.len(),
            seen_ids: FxHashSet::default(),
            row: csv::ByteRecord::new(),
        })
    }

    /// The next row, `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row>, Error> {
        match self.rdr.read_byte_record(&mut self.row) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.row.position().map_or(0, |p| p.line());
                Ok(Some(match self.check() {
                    Ok(rec) => Row::Record(rec),
                    Err(reason) => Row::Rejected(Rejected {
                        file: self.file.clone(),
                        line,
                        reason,
                    }),
                }))
            }
            Err(e) => {
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(Error::Csv {
                        file: self.file.clone(),
                        source: e,
                    });
                }
                let line = e.position().map_or(0, |p| p.line());
                Ok(Some(Row::Rejected(Rejected {
                    file: self.file.clone(),
                    line,
                    reason: format!("unreadable row: {e}"),
                })))
            }
        }
    }

    fn check(&mut self) -> Result<Record, String> {
        if self.row.len() != self.header_len {
            return Err(format!(
                "expected {} fields, found {}",
                self.header_len,
                self.row.len()
            ));
        }
        let mut values: [&str; FIELD_COUNT] = [""; FIELD_COUNT];
        for f in Field::ALL {
            let raw = self.row.get(self.columns[f.index()]).unwrap_or(b"");
            values[f.index()] =
                std::str::from_utf8(raw).map_err(|_| format!("{}: not valid UTF-8", f.name()))?;
        }
        validate(&values)?;
        let id = values[Field::RecordId.index()].trim();
        if !self.seen_ids.insert(id.into()) {
            return Err(format!("record_id `{id}` repeats an earlier row"));
        }
        Ok(Record::new(&values))
    }
}

impl<R: Read> Iterator for ExtractReader<R> {
    type Item = Result<Row, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_row().transpose()
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Format checks of one row. Values are checked after trimming and ignoring case, because the
/// spec warns of stray spaces and mixed case: those are noise, not broken rows.
fn validate(v: &[&str; FIELD_COUNT]) -> Result<(), String> {
    let get = |f: Field| v[f.index()].trim();
    if get(Field::RecordId).is_empty() {
        return Err("record_id is empty".into());
    }
    let azr = get(Field::AzrNumber);
    if !azr.is_empty() && !digits(azr, 12) {
        return Err(format!("azr_number `{azr}` is not 12 digits"));
    }
    let dob = get(Field::DateOfBirth);
    if !dob.is_empty() && Date::parse(dob).is_none() {
        return Err(format!(
            "date_of_birth `{dob}` is not YYYY-MM-DD (00 allowed for unknown)"
        ));
    }
    let permit = get(Field::PermitValidUntil);
    if !permit.is_empty() && !Date::parse(permit).is_some_and(Date::is_full) {
        return Err(format!("permit_valid_until `{permit}` is not YYYY-MM-DD"));
    }
    let sex = get(Field::Sex);
    if !sex.is_empty() && !matches!(sex, "M" | "F" | "X" | "U" | "m" | "f" | "x" | "u") {
        return Err(format!("sex `{sex}` is not M, F, X or U"));
    }
    for f in [Field::CountryOfBirth, Field::Nationality] {
        let c = get(f);
        if !(c.is_empty() || (c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()))) {
            return Err(format!(
                "{} `{c}` is not an ISO 3166-1 alpha-3 code",
                f.name()
            ));
        }
    }
    let muni = get(Field::MunicipalityCode);
    if !muni.is_empty() && !digits(muni, 8) {
        return Err(format!("municipality_code `{muni}` is not 8 digits"));
    }
    let upd = get(Field::UpdatedAt);
    if !upd.is_empty() && !valid_timestamp(upd) {
        return Err(format!("updated_at `{upd}` is not YYYY-MM-DDTHH:MM:SS"));
    }
    Ok(())
}

fn valid_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && Date::parse(&s[..10]).is_some_and(Date::is_full)
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// Reads a whole extract into memory.
pub fn read_extract<R: Read>(reader: R, file: &str) -> Result<(Vec<Record>, Vec<Rejected>), Error> {
    let mut rdr = ExtractReader::new(reader, file)?;
    let mut records = Vec::new();
    let mut rejected = Vec::new();
    while let Some(row) = rdr.next_row()? {
        match row {
            Row::Record(r) => records.push(r),
            Row::Rejected(r) => rejected.push(r),
        }
    }
    Ok((records, rejected))
}

/// Opens and reads an extract file; rejections name the file by its file name.
pub fn read_extract_file(path: &Path) -> Result<(Vec<Record>, Vec<Rejected>), Error> {
    let f = std::fs::File::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    read_extract(std::io::BufReader::with_capacity(1 << 20, f), &name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "updated_at,record_id,azr_number,family_name,given_names,birth_name,date_of_birth,place_of_birth,country_of_birth,sex,nationality,residence_status,permit_valid_until,municipality_code\n";

    #[test]
    fn reads_by_header_name_and_rejects_malformed_rows() {
        let data = format!(
            "\u{feff}{HEADER}\
2024-01-02T03:04:05,AKZ-1,123456789012,MÜLLER ,\"Anna, Maria\",,1990-05-17,Köln,DEU,F,TUR,Duldung,2026-01-01,05554004\n\
2024-01-02T03:04:05,AKZ-2,12345,X,Y,,1990-05-17,,TUR,M,TUR,Duldung,,05554004\n\
2024-01-02T03:04:05,AKZ-3,,X,Y,,17.05.1990,,TUR,M,TUR,Duldung,,05554004\n\
2024-01-02T03:04:05,AKZ-4,,X,Y\n\
2024-01-02T03:04:05,,,X,Y,,1990-00-00,,TUR,M,TUR,Duldung,,05554004\n\
2024-01-02T03:04:05,AKZ-1,,X,Y,,1990-00-00,,TUR,M,TUR,Duldung,,05554004\n\
2024-01-02T03:04:05,AKZ-5,,X,Y,,1990-00-00,,tur,m,TUR,Duldung,,05554004\n"
        );
        let (recs, rej) = read_extract(data.as_bytes(), "local.csv").unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].get(Field::GivenNames), "Anna, Maria");
        assert_eq!(recs[0].get(Field::FamilyName), "MÜLLER ");
        assert_eq!(recs[1].id(), "AKZ-5");
        let lines: Vec<u64> = rej.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert!(rej.iter().all(|r| r.file == "local.csv"));
        assert!(rej[0].reason.contains("azr_number"));
        assert!(rej[2].reason.contains("fields"));
        assert!(rej[4].reason.contains("repeats"));
    }

    #[test]
    fn invalid_utf8_is_rejected_not_fatal() {
        let mut data = HEADER.as_bytes().to_vec();
        data.extend_from_slice(
            b"2024-01-02T03:04:05,AKZ-1,,M\xffller,Y,,1990-00-00,,TUR,M,TUR,Duldung,,05554004\n",
        );
        data.extend_from_slice(
            b"2024-01-02T03:04:05,AKZ-2,,Ok,Y,,1990-00-00,,TUR,M,TUR,Duldung,,05554004\n",
        );
        let (recs, rej) = read_extract(&data[..], "azr.csv").unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(rej.len(), 1);
        assert_eq!(rej[0].line, 2);
    }

    #[test]
    fn missing_column_is_an_error() {
        let data = "record_id,family_name\nA,B\n";
        assert!(matches!(
            read_extract(data.as_bytes(), "x.csv"),
            Err(Error::MissingColumn { .. })
        ));
    }
}
