//! What the benchmark process has used so far: CPU time (on a shared machine wall time depends on
//! the neighbours, CPU time much less) and peak resident memory. Included by the benchmarks with
//! `#[path]`.
#![allow(dead_code)]

/// User and system CPU seconds used by the process so far (zero where `getrusage` is missing).
#[cfg(not(unix))]
pub fn cpu() -> (f64, f64) {
    (0.0, 0.0)
}

/// User and system CPU seconds used by the process so far.
#[cfg(unix)]
pub fn cpu() -> (f64, f64) {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return (0.0, 0.0);
    }
    let s = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (s(u.ru_utime), s(u.ru_stime))
}

/// User + system CPU seconds used by the process so far.
pub fn cpu_total() -> f64 {
    let (user, sys) = cpu();
    user + sys
}

/// Peak resident memory of the process so far, in MB (`VmHWM`).
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
