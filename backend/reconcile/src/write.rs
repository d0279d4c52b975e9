//! Result files (spec: `links.csv`, `diffs.csv`, `classes.csv`, `summary.json`,
//! `rejected.csv`) and the file-level entry point [`run_files`].

use crate::config::Config;
use crate::engine::{Progress, reconcile};
use crate::error::Error;
use crate::incremental::{Changes, Decision, compare_runs};
use crate::outcome::{Class, ClassEntry, Difference, Kind, Link, Outcome, Summary};
use crate::par::map_chunks;
use crate::read::{Rejected, read_extract_file};
use crate::record::{Field, Side};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

fn writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>, Error> {
    let f = File::create(path).map_err(|e| Error::io(path, e))?;
    Ok(csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(BufWriter::with_capacity(1 << 20, f)))
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |source| Error::Csv {
        file: path.display().to_string(),
        source,
    }
}

/// Writes a header and one row per item. The rows are formatted into buffers on all cores
/// (a million links with their explanations take a while to format) and written in order.
fn write_rows<T: Sync>(
    path: &Path,
    header: &[&str],
    items: &[T],
    row: impl Fn(&mut csv::Writer<Vec<u8>>, &T) -> csv::Result<()> + Sync,
) -> Result<(), Error> {
    let e = csv_err(path);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunks = map_chunks(items, threads, 65_536, |_, part| {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(part.len() * 96));
        for item in part {
            row(&mut w, item)?;
        }
        w.into_inner().map_err(|err| err.into_error().into())
    });
    let f = File::create(path).map_err(|err| Error::io(path, err))?;
    let mut out = BufWriter::with_capacity(1 << 20, f);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header).map_err(&e)?;
    let head = w
        .into_inner()
        .map_err(|err| Error::io(path, err.into_error()))?;
    out.write_all(&head).map_err(|err| Error::io(path, err))?;
    for chunk in chunks {
        out.write_all(&chunk.map_err(&e)?)
            .map_err(|err| Error::io(path, err))?;
    }
    out.flush().map_err(|err| Error::io(path, err))
}

/// Writes the result files of `outcome` into `dir` (created if missing). With `changes`,
/// `diffs.csv` gets a `status` column (new / changed / unchanged / decided).
pub fn write_outcome(
    outcome: &Outcome,
    dir: &Path,
    changes: Option<&Changes>,
) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;

    let p = dir.join("links.csv");
    write_rows(
        &p,
        &[
            "local_record_id",
            "azr_record_id",
            "weight",
            "probability",
            "explanation",
        ],
        &outcome.links,
        |w, l| {
            w.write_record([
                l.local_record_id.as_str(),
                l.azr_record_id.as_str(),
                &format!("{:.2}", l.weight),
                &format!("{:.6}", l.probability),
                l.explanation.as_str(),
            ])
        },
    )?;

    let p = dir.join("diffs.csv");
    let mut w = writer(&p)?;
    let e = csv_err(&p);
    let mut header = vec![
        "local_record_id",
        "azr_record_id",
        "field",
        "kind",
        "local_value",
        "azr_value",
        "proposed_side",
        "reason",
    ];
    if changes.is_some() {
        header.push("status");
    }
    w.write_record(&header).map_err(&e)?;
    for (k, d) in outcome.differences.iter().enumerate() {
        let mut row = vec![
            d.local_record_id.as_str(),
            d.azr_record_id.as_str(),
            d.field.name(),
            d.kind.name(),
            d.local_value.as_str(),
            d.azr_value.as_str(),
            d.proposed_side.name(),
            d.reason.as_str(),
        ];
        if let Some(c) = changes {
            row.push(c.statuses.get(k).map_or("new", |s| s.name()));
        }
        w.write_record(&row).map_err(&e)?;
    }
    w.flush().map_err(|err| Error::io(&p, err))?;

    let p = dir.join("classes.csv");
    write_rows(
        &p,
        &["side", "record_id", "class", "explanation"],
        &outcome.classes,
        |w, c| {
            w.write_record([
                c.side.name(),
                c.record_id.as_str(),
                c.class.name(),
                c.explanation.as_str(),
            ])
        },
    )?;

    let p = dir.join("rejected.csv");
    let mut w = writer(&p)?;
    let e = csv_err(&p);
    w.write_record(["file", "line", "reason"]).map_err(&e)?;
    for r in &outcome.rejected {
        w.write_record([r.file.as_str(), &r.line.to_string(), r.reason.as_str()])
            .map_err(&e)?;
    }
    w.flush().map_err(|err| Error::io(&p, err))?;

    let p = dir.join("summary.json");
    let f = File::create(&p).map_err(|err| Error::io(&p, err))?;
    let mut bw = BufWriter::new(f);
    serde_json::to_writer_pretty(&mut bw, &outcome.summary).map_err(|source| Error::Json {
        path: p.clone(),
        source,
    })?;
    bw.write_all(b"\n").map_err(|err| Error::io(&p, err))?;
    bw.flush().map_err(|err| Error::io(&p, err))?;

    if let Some(c) = changes {
        let p = dir.join("changes.json");
        let f = File::create(&p).map_err(|err| Error::io(&p, err))?;
        let mut bw = BufWriter::new(f);
        serde_json::to_writer_pretty(&mut bw, &c.counts).map_err(|source| Error::Json {
            path: p.clone(),
            source,
        })?;
        bw.flush().map_err(|err| Error::io(&p, err))?;
    }
    Ok(())
}

/// Reconciles two extract files and writes the result files into `out_dir`.
pub fn run_files(
    local_path: &Path,
    azr_path: &Path,
    out_dir: &Path,
    config: &Config,
    progress: &dyn Fn(Progress),
) -> Result<Summary, Error> {
    run_files_incremental(local_path, azr_path, out_dir, None, config, progress)
}

/// Like [`run_files`]; with `previous` (the output directory of an earlier run, optionally
/// holding a `decisions.csv`), marks each difference new, changed, unchanged or decided.
pub fn run_files_incremental(
    local_path: &Path,
    azr_path: &Path,
    out_dir: &Path,
    previous: Option<&Path>,
    config: &Config,
    progress: &dyn Fn(Progress),
) -> Result<Summary, Error> {
    config.validate()?;
    let t = Instant::now();
    progress(Progress {
        stage: "read",
        fraction: 0.0,
    });
    // The two files are read in parallel: parsing is CPU work and the files are independent.
    let (l, a) = std::thread::scope(|s| {
        let h = s.spawn(|| read_extract_file(azr_path));
        let l = read_extract_file(local_path);
        let a = h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (l, a)
    });
    let (local, rej_l) = l?;
    let (azr, rej_a) = a?;
    let read_ms = t.elapsed().as_millis() as u64;
    let previous_outcome = match previous {
        Some(dir) => Some((
            read_outcome_dir(dir)?,
            read_decisions(&dir.join("decisions.csv"))?,
        )),
        None => None,
    };
    let mut outcome = reconcile(local, azr, config, &|p| {
        progress(Progress {
            stage: p.stage,
            fraction: 0.1 + 0.8 * p.fraction,
        })
    });
    outcome.summary.rows_rejected_local = rej_l.len() as u64;
    outcome.summary.rows_rejected_azr = rej_a.len() as u64;
    outcome.rejected = rej_l;
    outcome.rejected.extend(rej_a);
    outcome.count();
    outcome
        .summary
        .timings_ms
        .insert("read".to_string(), read_ms);
    let changes =
        previous_outcome.map(|(prev, decisions)| compare_runs(&prev, &decisions, &outcome));
    progress(Progress {
        stage: "write",
        fraction: 0.9,
    });
    let t = Instant::now();
    outcome.summary.timings_ms.insert("write".to_string(), 0);
    write_outcome(&outcome, out_dir, changes.as_ref())?;
    let write_ms = t.elapsed().as_millis() as u64;
    outcome
        .summary
        .timings_ms
        .insert("write".to_string(), write_ms);
    // Rewrite the summary so it carries the write time too.
    let p = out_dir.join("summary.json");
    let text = serde_json::to_string_pretty(&outcome.summary).map_err(|source| Error::Json {
        path: p.clone(),
        source,
    })?;
    std::fs::write(&p, text + "\n").map_err(|e| Error::io(&p, e))?;
    progress(Progress {
        stage: "done",
        fraction: 1.0,
    });
    Ok(outcome.summary)
}

fn open_csv(path: &Path) -> Result<csv::Reader<File>, Error> {
    let f = File::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(csv::ReaderBuilder::new().flexible(true).from_reader(f))
}

fn column(headers: &csv::StringRecord, name: &'static str, file: &Path) -> Result<usize, Error> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| Error::MissingColumn {
            file: file.display().to_string(),
            column: name,
        })
}

/// Reads the result files of an earlier run back into an [`Outcome`] (for incremental runs).
pub fn read_outcome_dir(dir: &Path) -> Result<Outcome, Error> {
    let mut out = Outcome::default();
    let p = dir.join("links.csv");
    let mut r = open_csv(&p)?;
    let h = r.headers().map_err(csv_err(&p))?.clone();
    let (cl, ca) = (
        column(&h, "local_record_id", &p)?,
        column(&h, "azr_record_id", &p)?,
    );
    let cw = h.iter().position(|x| x == "weight");
    let cp = h.iter().position(|x| x == "probability");
    let ce = h.iter().position(|x| x == "explanation");
    for row in r.records() {
        let row = row.map_err(csv_err(&p))?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("");
        out.links.push(Link {
            local_record_id: get(Some(cl)).to_string(),
            azr_record_id: get(Some(ca)).to_string(),
            weight: get(cw).parse().unwrap_or(0.0),
            probability: get(cp).parse().unwrap_or(0.0),
            explanation: get(ce).to_string(),
        });
    }
    let p = dir.join("diffs.csv");
    let mut r = open_csv(&p)?;
    let h = r.headers().map_err(csv_err(&p))?.clone();
    let cols = [
        column(&h, "local_record_id", &p)?,
        column(&h, "azr_record_id", &p)?,
        column(&h, "field", &p)?,
        column(&h, "kind", &p)?,
    ];
    let opt = |n: &str| h.iter().position(|x| x == n);
    let (clv, cav, cps, crs) = (
        opt("local_value"),
        opt("azr_value"),
        opt("proposed_side"),
        opt("reason"),
    );
    for row in r.records() {
        let row = row.map_err(csv_err(&p))?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("");
        let (Some(field), Some(kind)) = (
            Field::from_name(get(Some(cols[2]))),
            Kind::from_name(get(Some(cols[3]))),
        ) else {
            continue;
        };
        out.differences.push(Difference {
            local_record_id: get(Some(cols[0])).to_string(),
            azr_record_id: get(Some(cols[1])).to_string(),
            field,
            kind,
            local_value: get(clv).to_string(),
            azr_value: get(cav).to_string(),
            proposed_side: Side::from_name(get(cps)).unwrap_or(Side::Azr),
            reason: get(crs).to_string(),
        });
    }
    let p = dir.join("classes.csv");
    let mut r = open_csv(&p)?;
    let h = r.headers().map_err(csv_err(&p))?.clone();
    let (cs, ci, cc) = (
        column(&h, "side", &p)?,
        column(&h, "record_id", &p)?,
        column(&h, "class", &p)?,
    );
    let ce = h.iter().position(|x| x == "explanation");
    for row in r.records() {
        let row = row.map_err(csv_err(&p))?;
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or("");
        let (Some(side), Some(class)) = (
            Side::from_name(get(Some(cs))),
            Class::from_name(get(Some(cc))),
        ) else {
            continue;
        };
        out.classes.push(ClassEntry {
            side,
            record_id: get(Some(ci)).to_string(),
            class,
            explanation: get(ce).to_string(),
        });
    }
    let p = dir.join("rejected.csv");
    if p.exists() {
        let mut r = open_csv(&p)?;
        for row in r.records() {
            let row = row.map_err(csv_err(&p))?;
            out.rejected.push(Rejected {
                file: row.get(0).unwrap_or("").to_string(),
                line: row.get(1).and_then(|x| x.parse().ok()).unwrap_or(0),
                reason: row.get(2).unwrap_or("").to_string(),
            });
        }
    }
    let p = dir.join("summary.json");
    if let Ok(text) = std::fs::read_to_string(&p)
        && let Ok(s) = serde_json::from_str::<Summary>(&text)
    {
        out.summary = s;
    }
    Ok(out)
}

/// Reads clerks' decisions: `local_record_id,azr_record_id,field,local_value,azr_value,decided_side[,note]`.
/// A missing file means no decisions.
pub fn read_decisions(path: &Path) -> Result<Vec<Decision>, Error> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut r = open_csv(path)?;
    let h = r.headers().map_err(csv_err(path))?.clone();
    let c = [
        column(&h, "local_record_id", path)?,
        column(&h, "azr_record_id", path)?,
        column(&h, "field", path)?,
        column(&h, "local_value", path)?,
        column(&h, "azr_value", path)?,
        column(&h, "decided_side", path)?,
    ];
    let cn = h.iter().position(|x| x == "note");
    let mut out = Vec::new();
    for row in r.records() {
        let row = row.map_err(csv_err(path))?;
        let get = |i: usize| row.get(i).unwrap_or("");
        let (Some(field), Some(side)) = (Field::from_name(get(c[2])), Side::from_name(get(c[5])))
        else {
            continue;
        };
        out.push(Decision {
            key: crate::outcome::DiffKey {
                local_record_id: get(c[0]).to_string(),
                azr_record_id: get(c[1]).to_string(),
                field,
            },
            local_value: get(c[3]).to_string(),
            azr_value: get(c[4]).to_string(),
            decided_side: side,
            note: cn.and_then(|i| row.get(i)).unwrap_or("").to_string(),
        });
    }
    Ok(out)
}
