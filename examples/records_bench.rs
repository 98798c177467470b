//! Benchmark of the `tables` stage (`data/records/`: CSV files, datapackage.json, workbook): a
//! period folder (written by `examples/gen_period.rs`) is loaded with `ingest::load`, then only
//! `tables::write_into` is timed. Prints wall and CPU time, bytes written and the peak resident
//! memory after loading and after the stage.
//!
//!     cargo run --release --example gen_period -- /tmp/bench/in --learners 20000 --groups 1000 --rows 2000000
//!     cargo run --release --example records_bench -- /tmp/bench/in

use std::path::PathBuf;
use std::time::Instant;

#[path = "common/usage.rs"]
mod usage;
use usage::{cpu_total, peak_rss_mb};

fn main() {
    let Some(input) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: records_bench INPUT_DIR (from examples/gen_period.rs)");
        std::process::exit(2);
    };
    let p = match letopis::ingest::load(&input) {
        Ok((p, diags)) if !diags.iter().any(|d| d.is_error()) => p,
        Ok(_) => {
            eprintln!("{}: data errors (run letopis check)", input.display());
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("{}: {e}", input.display());
            std::process::exit(2);
        }
    };
    let rss_model = peak_rss_mb();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut payload = letopis::layout::Payload::default();
    let cpu0 = cpu_total();
    let t = Instant::now();
    if let Err(e) = letopis::tables::write_into(&p, tmp.path(), &mut payload) {
        eprintln!("tables failed: {e}");
        std::process::exit(1);
    }
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_total() - cpu0;
    let mut total = 0u64;
    for (rel, file) in &payload.files {
        let len = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        total += len;
        println!("{rel:40} {:>12} bytes", len);
    }
    println!(
        "records: {} files, {:.1} MB in {wall:.2} s wall, {cpu:.2} s CPU; peak RSS {rss_model:.0} MB after loading, {:.0} MB after the stage",
        payload.files.len(),
        total as f64 / 1e6,
        peak_rss_mb()
    );
    // The parts alone, one after another: every CSV file, the workbook, the data package.
    let dir = tmp.path().join("parts");
    std::fs::create_dir_all(&dir).expect("parts dir");
    let timed = |what: &str, f: &mut dyn FnMut()| {
        let (c, t) = (cpu_total(), Instant::now());
        f();
        println!(
            "  {what:34} {:>6.2} s wall {:>6.2} s CPU",
            t.elapsed().as_secs_f64(),
            cpu_total() - c
        );
    };
    use letopis::model::tables::{self, TABLES};
    timed("all CSV files", &mut || {
        for t in &TABLES {
            let (c, w) = (cpu_total(), Instant::now());
            letopis::tables::csv::write(&p, t, &dir.join(t.file())).expect("csv");
            let secs = w.elapsed().as_secs_f64();
            if secs > 0.05 {
                println!(
                    "    {:32} {secs:>6.2} s wall {:>6.2} s CPU",
                    t.file(),
                    cpu_total() - c
                );
            }
        }
    });
    let book = dir.join(tables::workbook(&p.config.archive_name()).replace('/', "_"));
    timed("workbook", &mut || {
        letopis::tables::xlsx::write(&p, &book).expect("xlsx")
    });
    timed("datapackage.json", &mut || {
        letopis::tables::package::write(&p, &dir.join("datapackage.json")).expect("package")
    });
}
