//! Render benchmark: a period folder (written by `examples/gen_period.rs`, the one generator of
//! benchmark data) is loaded with `ingest::load`, then rendered into a temp folder (or OUT_DIR);
//! only the rendering is timed. Prints pages/s, CPU time and the peak resident memory.
//!
//!     cargo run --release --example gen_period -- /tmp/bench/in --learners 20000 --groups 1000 --rows 2000000
//!     cargo run --release --example render_bench -- /tmp/bench/in [OUT_DIR]

use letopis::render::{RenderOptions, page_count, render};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "common/usage.rs"]
mod usage;
use usage::{cpu_total as cpu_secs, peak_rss_mb};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(input) = args.next().map(PathBuf::from) else {
        eprintln!(
            "usage: render_bench INPUT_DIR [OUT_DIR] (INPUT_DIR from examples/gen_period.rs)"
        );
        std::process::exit(2);
    };
    let keep = args.next();
    let t0 = Instant::now();
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
    let learners = p.learners.len();
    let gen_time = t0.elapsed();
    let rss_model = peak_rss_mb();
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = keep
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let cpu0 = cpu_secs();
    let t1 = Instant::now();
    let r = match render(&p, Path::new(&input), &out, &RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("render failed: {e}");
            std::process::exit(1);
        }
    };
    let secs = t1.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    let bytes: u64 = r
        .payload
        .files
        .values()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "learners {learners}, attendance rows {}, period loaded in {:.2} s (peak RSS {:.0} MB)",
        p.attendance.len(),
        gen_time.as_secs_f64(),
        rss_model
    );
    println!(
        "render CPU time {cpu:.2} s: {:.0} pages per CPU-second",
        r.pages as f64 / cpu
    );
    println!(
        "rendered {} files ({} expected) in {:.2} s: {:.0} pages/s, {:.1} MB written, peak RSS {:.0} MB, threads {}",
        r.pages,
        page_count(&p),
        secs,
        r.pages as f64 / secs,
        bytes as f64 / 1e6,
        peak_rss_mb(),
        rayon::current_num_threads()
    );
}
