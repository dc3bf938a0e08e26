//! Memory for large files: a file that cannot fit is an error entry, not
//! the end of the run.
//!
//! A text file takes about three and a half times its size to scan (the text, its
//! folded form, the lists of the match phase; see docs/BENCHMARKS.md). A
//! file whose scan would need more memory than the process can get used
//! to end the whole run: Rust aborts when an allocation fails, and a
//! container's OOM killer ends the process as surely, losing every report
//! already made. So before a large file is read (from
//! [`CHECKED_FROM`] bytes), its need is estimated and weighed against the
//! memory available now: the least of what the memory cgroup allows,
//! what `ulimit -v` and `ulimit -d` allow, and the system's available
//! memory and free swap. A file that cannot fit is reported as an error
//! naming both figures; one that fits only once the large files being
//! scanned on other threads are done waits for them. Files below the
//! threshold, and systems where nothing can be measured, go unchecked.

use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};

/// Files from this size on are weighed against the available memory;
/// below it, their scan costs too little to matter and nothing is read
/// from `/proc`.
pub const CHECKED_FROM: u64 = 16 << 20;

/// The memory a file of `size` bytes is expected to take to scan: 3.5
/// times its size, or 5 times with every evidence item. Measured (max
/// RSS): 2.95 × for the 1.1 GB bench file and 3.36 × for its first 200 MB
/// with the default evidence, 4.8 × with every evidence item
/// (docs/BENCHMARKS.md).
pub fn estimate(size: u64, all_evidence: bool) -> u64 {
    if all_evidence {
        size.saturating_mul(5)
    } else {
        size.saturating_mul(7) / 2
    }
}

/// The share of the free address space (or data segment) a scan can fill:
/// it reserves more than it fills (lists sized from the text's length,
/// the allocator's arenas), so under `ulimit -v` it runs out of address
/// space with memory to spare. Measured with the binary of e3b2897
/// under `ulimit -v` 1,100,000, 2,000,000 and 3,000,000 (KB): a 230 MB
/// file scanned and 260 MB aborted under the first, 400 MB aborted under
/// the second, 600 MB scanned under the third. Four fifths of the free
/// address space, with the estimate's 3.5 times, keeps all four right
/// (the 400 MB file by 2 MB, the 600 MB file by 13 MB).
const ADDRESS_SPACE_SHARE: (u64, u64) = (4, 5);

/// Memory that can still be taken, and what limits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Available {
    /// Bytes.
    pub bytes: u64,
    /// What sets the figure, for the message.
    pub limit: Limit,
}

/// What limits the memory available to a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The memory cgroup's limit (a container's memory limit).
    Cgroup,
    /// `RLIMIT_AS` (`ulimit -v`).
    AddressSpace,
    /// `RLIMIT_DATA` (`ulimit -d`).
    Data,
    /// The system's available memory and free swap.
    System,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::Cgroup => "under the memory cgroup's limit",
            Limit::AddressSpace => {
                "under `ulimit -v` (four fifths of the free address space, as a scan \
                 reserves more than it fills)"
            }
            Limit::Data => {
                "under `ulimit -d` (four fifths of the free data segment, as a scan \
                 reserves more than it fills)"
            }
            Limit::System => "in the system's available memory and swap",
        })
    }
}

/// A file too large for the memory available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file's size.
    pub size: u64,
    /// The memory its scan is expected to take.
    pub need: u64,
    /// The memory available when it was weighed.
    pub available: Available,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not scanned: a file of {} takes about {} of memory to scan, and {} is free {}; \
             the run goes on without it (--max-filesize skips such files without an error)",
            human(self.size),
            human(self.need),
            human(self.available.bytes),
            self.available.limit,
        )
    }
}

/// `bytes` in MB or GB (1024-based, as `--max-filesize` reads them), to
/// one decimal place.
fn human(bytes: u64) -> String {
    const MB: f64 = (1u64 << 20) as f64;
    let mb = bytes as f64 / MB;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else {
        format!("{mb:.1} MB")
    }
}

/// The memory lent to large files being scanned at once.
pub struct Budget {
    measure: Box<dyn Fn() -> Option<Available> + Send + Sync>,
    state: Mutex<State>,
    returned: Condvar,
}

#[derive(Default)]
struct State {
    /// Lent to files being scanned.
    lent: u64,
    /// Available when the first of them was admitted.
    base: u64,
}

/// Memory lent to one file while it is scanned; given back when dropped.
#[must_use = "the memory is given back when the ticket is dropped"]
pub struct Ticket<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.budget.lock().lent -= self.bytes;
        self.budget.returned.notify_all();
    }
}

impl Budget {
    /// A budget that measures the available memory with `measure`
    /// (`None`: nothing to measure, every file is admitted).
    pub fn new(measure: impl Fn() -> Option<Available> + Send + Sync + 'static) -> Budget {
        Budget {
            measure: Box::new(measure),
            state: Mutex::new(State::default()),
            returned: Condvar::new(),
        }
    }

    /// The process's budget, measured from this system (Linux; elsewhere
    /// nothing is measured and every file is admitted).
    pub fn global() -> &'static Budget {
        static GLOBAL: OnceLock<Budget> = OnceLock::new();
        GLOBAL.get_or_init(|| Budget::new(available))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A scan that panicked while holding the lock left the counts
        // consistent (they are changed in one statement).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Admits a file of `size` bytes whose scan needs `need` bytes: a
    /// ticket to hold while scanning it, or why it cannot fit. When no
    /// other large file is being scanned, the available memory is measured
    /// and the file is refused if its need exceeds it; otherwise it waits
    /// until its need fits beside theirs, or until they are done and it
    /// can be weighed alone.
    pub fn admit(&self, size: u64, need: u64) -> Result<Option<Ticket<'_>>, Refusal> {
        let mut state = self.lock();
        loop {
            if state.lent == 0 {
                let Some(available) = (self.measure)() else {
                    return Ok(None);
                };
                if need > available.bytes {
                    return Err(Refusal {
                        size,
                        need,
                        available,
                    });
                }
                state.base = available.bytes;
                break;
            }
            if state.lent.saturating_add(need) <= state.base {
                break;
            }
            state = self.returned.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.lent += need;
        Ok(Some(Ticket {
            budget: self,
            bytes: need,
        }))
    }
}

/// The memory this process can take now, by what Linux reports: the least
/// of the cgroup's, the resource limits' and the system's figures.
pub fn available() -> Option<Available> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Resource, getrlimit};
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let limits = ResourceLimits {
            address_space: getrlimit(Resource::As).current,
            data: getrlimit(Resource::Data).current,
        };
        available_from(read, limits)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The soft resource limits that bound allocation (`None`: unlimited).
#[derive(Debug, Clone, Copy, Default)]
pub struct ResourceLimits {
    /// `RLIMIT_AS`.
    pub address_space: Option<u64>,
    /// `RLIMIT_DATA`.
    pub data: Option<u64>,
}

/// [`available`] with the files read by `read` (a path to its contents),
/// so that it can be tested on any system's figures.
pub fn available_from(
    read: impl Fn(&str) -> Option<String>,
    limits: ResourceLimits,
) -> Option<Available> {
    let mut figures: Vec<Available> = Vec::new();
    let mut add = |bytes: Option<u64>, limit: Limit| {
        if let Some(bytes) = bytes {
            figures.push(Available { bytes, limit });
        }
    };
    if let Some(cgroup) = read("/proc/self/cgroup") {
        add(cgroup_available(&cgroup, &read), Limit::Cgroup);
    }
    if limits.address_space.is_some() || limits.data.is_some() {
        let status = read("/proc/self/status").unwrap_or_default();
        let kb = |key| field_kb(&status, key);
        // Allocators reserve address space they have not used yet
        // (mimalloc reserves an arena of 1 GiB and allocates from it), so
        // what is taken is counted as the resident data plus the mappings
        // that are not data (code, stacks); the reserve counts as free.
        let resident = kb("VmRSS:").unwrap_or(0);
        let not_data = kb("VmSize:")
            .zip(kb("VmData:"))
            .map_or(0, |(size, data)| size.saturating_sub(data));
        let share = |free: u64| free / ADDRESS_SPACE_SHARE.1 * ADDRESS_SPACE_SHARE.0;
        add(
            limits
                .address_space
                .map(|max| share(max.saturating_sub(resident + not_data))),
            Limit::AddressSpace,
        );
        add(
            limits.data.map(|max| share(max.saturating_sub(resident))),
            Limit::Data,
        );
    }
    if let Some(meminfo) = read("/proc/meminfo") {
        let system = field_kb(&meminfo, "MemAvailable:")
            .map(|available| available + field_kb(&meminfo, "SwapFree:").unwrap_or(0));
        add(system, Limit::System);
    }
    figures.into_iter().min_by_key(|a| a.bytes)
}

/// The value in bytes of a `/proc` line `key   N kB`.
fn field_kb(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(key))?;
    let number = line[key.len()..].split_whitespace().next()?;
    number.parse::<u64>().ok()?.checked_mul(1024)
}

/// Limits past this are "no limit" (cgroup v1 writes 2^63 rounded down to
/// a page).
const NO_LIMIT: u64 = 1 << 62;

/// What the memory cgroups of this process (from `/proc/self/cgroup`)
/// leave: the least of limit minus usage over the cgroup and its
/// ancestors, usage not counting inactive page cache, which the kernel
/// reclaims before it runs out. cgroup v2 (`0::/path`, files under
/// `/sys/fs/cgroup`) and v1 (the `memory` hierarchy, under
/// `/sys/fs/cgroup/memory`).
fn cgroup_available(cgroup: &str, read: &impl Fn(&str) -> Option<String>) -> Option<u64> {
    let mut least: Option<u64> = None;
    for line in cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (root, limit, usage, inactive) = if id == "0" && controllers.is_empty() {
            let root = if read("/sys/fs/cgroup/cgroup.controllers").is_some() {
                "/sys/fs/cgroup"
            } else {
                "/sys/fs/cgroup/unified"
            };
            (root, "memory.max", "memory.current", "inactive_file")
        } else if controllers.split(',').any(|c| c == "memory") {
            (
                "/sys/fs/cgroup/memory",
                "memory.limit_in_bytes",
                "memory.usage_in_bytes",
                "total_inactive_file",
            )
        } else {
            continue;
        };
        let mut dir = path.trim_end_matches('/');
        loop {
            let at = |file: &str| read(&format!("{root}{dir}/{file}"));
            let number = |file: &str| at(file)?.trim().parse::<u64>().ok();
            if let Some(max) = number(limit).filter(|&max| max < NO_LIMIT) {
                let used = number(usage).unwrap_or(0);
                let reclaimable = at("memory.stat")
                    .and_then(|stat| stat_field(&stat, inactive))
                    .unwrap_or(0);
                let left = max.saturating_sub(used.saturating_sub(reclaimable));
                least = Some(least.map_or(left, |l| l.min(left)));
            }
            match dir.rfind('/') {
                Some(slash) => dir = &dir[..slash],
                None => break,
            }
        }
    }
    least
}

/// The value of `key N` in a cgroup's `memory.stat`.
fn stat_field(stat: &str, key: &str) -> Option<u64> {
    stat.lines().find_map(|line| {
        let (name, value) = line.split_once(' ')?;
        (name == key).then(|| value.trim().parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn files(entries: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |path| map.get(path).cloned()
    }

    const MEMINFO: &str = "MemTotal:       24683784 kB\nMemFree:        22876404 kB\n\
                           MemAvailable:    8000000 kB\nSwapTotal:       1000000 kB\n\
                           SwapFree:         500000 kB\n";

    #[test]
    fn the_system_figure_is_available_memory_and_free_swap() {
        let read = files(&[("/proc/meminfo", MEMINFO)]);
        let got = available_from(read, ResourceLimits::default()).unwrap();
        assert_eq!(got.limit, Limit::System);
        assert_eq!(got.bytes, 8_500_000 * 1024);
    }

    #[test]
    fn a_cgroup_v2_limit_counts_usage_less_inactive_page_cache_up_the_tree() {
        let read = files(&[
            ("/proc/meminfo", MEMINFO),
            ("/proc/self/cgroup", "0::/ci/job\n"),
            ("/sys/fs/cgroup/cgroup.controllers", "cpu memory\n"),
            ("/sys/fs/cgroup/ci/job/memory.max", "max\n"),
            ("/sys/fs/cgroup/ci/memory.max", "2147483648\n"),
            ("/sys/fs/cgroup/ci/memory.current", "1073741824\n"),
            (
                "/sys/fs/cgroup/ci/memory.stat",
                "anon 600000000\nfile 473741824\ninactive_file 273741824\n",
            ),
        ]);
        let got = available_from(read, ResourceLimits::default()).unwrap();
        assert_eq!(got.limit, Limit::Cgroup);
        assert_eq!(got.bytes, 2147483648 - (1073741824 - 273741824));
    }

    #[test]
    fn a_cgroup_v1_memory_hierarchy_is_read_and_its_no_limit_ignored() {
        let cgroup = "9:name=systemd:/\n4:memory:/process_api/abc\n1:cpu:/\n";
        let unlimited = files(&[
            ("/proc/meminfo", MEMINFO),
            ("/proc/self/cgroup", cgroup),
            (
                "/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes",
                "9223372036854771712\n",
            ),
            (
                "/sys/fs/cgroup/memory/memory.limit_in_bytes",
                "9223372036854771712\n",
            ),
        ]);
        let got = available_from(unlimited, ResourceLimits::default()).unwrap();
        assert_eq!(got.limit, Limit::System);
        let limited = files(&[
            ("/proc/meminfo", MEMINFO),
            ("/proc/self/cgroup", cgroup),
            (
                "/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes",
                "1073741824\n",
            ),
            (
                "/sys/fs/cgroup/memory/process_api/abc/memory.usage_in_bytes",
                "104857600\n",
            ),
            (
                "/sys/fs/cgroup/memory/process_api/abc/memory.stat",
                "cache 5\ninactive_file 7\ntotal_inactive_file 4857600\n",
            ),
        ]);
        let got = available_from(limited, ResourceLimits::default()).unwrap();
        assert_eq!(got.limit, Limit::Cgroup);
        assert_eq!(got.bytes, 1073741824 - 100_000_000);
    }

    #[test]
    fn resource_limits_count_what_is_resident_not_what_is_reserved() {
        let status = "Name:\tpolicyscan\nVmSize:\t 1269636 kB\nVmRSS:\t   26504 kB\n\
                      VmData:\t 1057788 kB\n";
        let read = files(&[("/proc/meminfo", MEMINFO), ("/proc/self/status", status)]);
        let limits = ResourceLimits {
            address_space: Some(1_100_000 * 1024),
            data: None,
        };
        let got = available_from(&read, limits).unwrap();
        assert_eq!(got.limit, Limit::AddressSpace);
        let taken = 26504 + (1269636 - 1057788);
        assert_eq!(got.bytes, (1_100_000 - taken) * 1024 / 5 * 4);
        let limits = ResourceLimits {
            address_space: None,
            data: Some(500_000 * 1024),
        };
        let got = available_from(&read, limits).unwrap();
        assert_eq!(got.limit, Limit::Data);
        assert_eq!(got.bytes, (500_000 - 26504) * 1024 / 5 * 4);
    }

    #[test]
    fn nothing_to_read_is_nothing_measured() {
        assert_eq!(available_from(files(&[]), ResourceLimits::default()), None);
        let budget = Budget::new(|| None);
        assert!(budget.admit(1 << 40, 3 << 40).unwrap().is_none());
    }

    fn fixed(bytes: u64) -> Budget {
        Budget::new(move || {
            Some(Available {
                bytes,
                limit: Limit::Cgroup,
            })
        })
    }

    #[test]
    fn a_file_that_cannot_fit_is_refused_with_both_figures() {
        let budget = fixed(1 << 30);
        let refusal = budget
            .admit(400 << 20, estimate(400 << 20, false))
            .err()
            .unwrap();
        assert_eq!(refusal.need, 1400 << 20);
        let message = refusal.to_string();
        assert!(
            message.contains("a file of 400.0 MB takes about 1.4 GB of memory to scan")
                && message.contains("1.0 GB is free under the memory cgroup's limit"),
            "{message}"
        );
        let ticket = budget.admit(250 << 20, estimate(250 << 20, false)).unwrap();
        assert!(ticket.is_some());
    }

    #[test]
    fn a_file_that_fits_only_alone_waits_for_the_others() {
        let budget = Arc::new(fixed(1000));
        let first = budget.admit(200, 600).unwrap().unwrap();
        let admitted = Arc::new(AtomicU64::new(0));
        let waiter = {
            let (budget, admitted) = (Arc::clone(&budget), Arc::clone(&admitted));
            std::thread::spawn(move || {
                let ticket = budget.admit(200, 600).unwrap().unwrap();
                admitted.store(1, Ordering::SeqCst);
                drop(ticket);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!(
            admitted.load(Ordering::SeqCst),
            0,
            "admitted beside the first"
        );
        // A small one fits beside the first and does not wait.
        drop(budget.admit(100, 300).unwrap().unwrap());
        drop(first);
        waiter.join().unwrap();
        assert_eq!(admitted.load(Ordering::SeqCst), 1);
        assert_eq!(budget.lock().lent, 0);
    }

    #[test]
    fn the_estimate_is_three_and_a_half_times_the_file_or_five_with_every_evidence_item() {
        assert_eq!(estimate(100, false), 350);
        assert_eq!(estimate(100, true), 500);
        assert_eq!(estimate(u64::MAX, true), u64::MAX);
    }
}
