//! Reading an archive back from the medium it was just written to waits on the medium, not on the
//! processor: most of a small page's read is the device's latency. The read back of `build` and
//! `seal-dir` therefore runs on a pool of its own that keeps several reads in flight, whatever
//! the number of cores. On a 2-core machine, two media of 51,000 files each (1.5 GB) were read
//! back in 15.7–23.5 s with one read per core and in 9.9–12.4 s with eight reads in flight.
//!
//! `verify` and `repair` keep one read per core: they also read DVDs, where reads side by side
//! cost a seek each.

use std::sync::OnceLock;

/// Reads in flight during a read back.
const IN_FLIGHT: usize = 8;

/// Runs `f` (whose parallel iterators are the reads) on the read-back pool; on the current pool if
/// that pool cannot be made (no threads left: the reads are then as before, one per core).
pub(super) fn in_flight<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(IN_FLIGHT)
            .thread_name(|i| format!("letopis-read-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;
    use std::collections::BTreeSet;

    #[test]
    fn reads_run_side_by_side_on_their_own_pool() {
        let (size, names) = in_flight(|| {
            let names: BTreeSet<String> = (0..64)
                .into_par_iter()
                .map(|_| {
                    // Long enough for every worker to take a task.
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    std::thread::current().name().unwrap_or("").to_string()
                })
                .collect();
            (rayon::current_num_threads(), names)
        });
        assert_eq!(size, IN_FLIGHT);
        // Every read ran on a read-back worker, and more of them than two cores would give.
        assert!(
            names.iter().all(|n| n.starts_with("letopis-read-")),
            "{names:?}"
        );
        assert!(names.len() > 2, "{names:?}");
    }
}
