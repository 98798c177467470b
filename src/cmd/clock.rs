//! The stage clock of `build -v`: wall time and the process's CPU time (user + system, all
//! threads), so that how well a stage keeps the cores busy can be read off its line.

use std::time::Instant;

/// When a stage began.
pub struct Mark {
    wall: Instant,
    cpu: Option<f64>,
}

impl Mark {
    pub fn now() -> Mark {
        Mark {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    /// Seconds of wall time and, where the system tells, of CPU time since the mark.
    pub fn elapsed(&self) -> (f64, Option<f64>) {
        let cpu = match (self.cpu, cpu_seconds()) {
            (Some(a), Some(b)) => Some((b - a).max(0.0)),
            _ => None,
        };
        (self.wall.elapsed().as_secs_f64(), cpu)
    }
}

/// CPU time this process has used so far, in seconds.
#[cfg(unix)]
fn cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF covers every thread.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: initialised by the successful call above (and zeroed before).
    let u = unsafe { usage.assume_init() };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(secs(u.ru_utime) + secs(u.ru_stime))
}

/// CPU time this process has used so far, in seconds.
#[cfg(windows)]
fn cpu_seconds() -> Option<f64> {
    use windows_sys::Win32::Foundation::FILETIME;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, GetProcessTimes};
    let zero = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: the pseudo-handle of the current process and four valid out-pointers.
    let ok = unsafe {
        GetProcessTimes(
            GetCurrentProcess(),
            &mut created,
            &mut exited,
            &mut kernel,
            &mut user,
        )
    };
    if ok == 0 {
        return None;
    }
    // FILETIME counts 100-nanosecond intervals.
    let secs = |t: FILETIME| {
        ((u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime)) as f64 / 1e7
    };
    Some(secs(kernel) + secs(user))
}

#[cfg(not(any(unix, windows)))]
fn cpu_seconds() -> Option<f64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_with_work() {
        let mark = Mark::now();
        // Work the optimiser cannot drop, until the clock shows a tenth of a second of it (other
        // tests share the process and the machine, so only growth is asserted, not a ratio).
        let mut x = 0u64;
        let start = Instant::now();
        let mut cpu = 0.0;
        while start.elapsed().as_secs() < 60 {
            for _ in 0..1_000_000 {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
            }
            cpu = mark.elapsed().1.expect("CPU time on this system");
            if cpu >= 0.1 {
                break;
            }
        }
        assert!(cpu >= 0.1, "CPU time did not grow: {cpu} s");
    }
}
