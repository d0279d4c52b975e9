//! Benchmark driver without the platform binary:
//!
//! ```text
//! reconcile_bench generate <persons> <seed> <dir>
//! reconcile_bench run <local.csv> <azr.csv> <out_dir> [config.json]
//! reconcile_bench eval <truth_dir> <out_dir>
//! ```

use amtsweg_reconcile::eval::evaluate;
use amtsweg_reconcile::synth::{Truth, generate};
use amtsweg_reconcile::{Config, read_outcome_dir, run_files};
use std::cell::RefCell;
use std::path::Path;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") if args.len() == 5 => {
            let t = Instant::now();
            let ds = generate(args[2].parse()?, args[3].parse()?);
            ds.write_dir(Path::new(&args[4]))?;
            eprintln!(
                "generated {} local, {} azr records in {:.1}s",
                ds.local.len(),
                ds.azr.len(),
                t.elapsed().as_secs_f64()
            );
        }
        Some("run") if args.len() >= 5 => {
            let config = match args.get(5) {
                Some(p) => Config::from_json(&std::fs::read_to_string(p)?)?,
                None => Config::default(),
            };
            let t = Instant::now();
            // CPU time per stage (all threads), since wall time on a shared machine says
            // little: the stage changes come through the progress callback.
            let stages: RefCell<Vec<(&'static str, f64)>> = RefCell::new(Vec::new());
            let summary = run_files(
                Path::new(&args[2]),
                Path::new(&args[3]),
                Path::new(&args[4]),
                &config,
                &|p| {
                    let mut st = stages.borrow_mut();
                    if st.last().is_none_or(|l| l.0 != p.stage) {
                        st.push((p.stage, cpu_seconds()));
                    }
                },
            )?;
            let st = stages.into_inner();
            let cpu: Vec<String> = st
                .windows(2)
                .map(|w| format!("{} {:.2}", w[0].0, w[1].1 - w[0].1))
                .collect();
            eprintln!("CPU seconds per stage: {}", cpu.join(", "));
            eprintln!(
                "reconciled in {:.2}s: {} links, {} differences, incongruence {:.2} %, timings {:?}",
                t.elapsed().as_secs_f64(),
                summary.links,
                summary.differences,
                summary.incongruence_rate * 100.0,
                summary.timings_ms
            );
        }
        Some("eval") if args.len() == 4 => {
            let truth = Truth::read_dir(Path::new(&args[2]))?;
            let outcome = read_outcome_dir(Path::new(&args[3]))?;
            let m = evaluate(&outcome, &truth);
            println!("{}", serde_json::to_string_pretty(&m)?);
        }
        _ => {
            eprintln!(
                "usage: reconcile_bench generate N SEED DIR | run LOCAL AZR OUT [CONFIG] | eval TRUTH_DIR OUT_DIR"
            );
            std::process::exit(2);
        }
    }
    Ok(())
}

/// User + system CPU time of this process so far, from /proc/self/stat (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after the name; the
    // clock tick is 100 Hz on Linux.
    (ticks(11) + ticks(12)) / 100.0
}
