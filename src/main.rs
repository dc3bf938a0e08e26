//! The `policyscan` binary: everything lives in the library and `cli`.

mod cli;

/// mimalloc: a scan allocates and frees many small strings per document
/// (evidence, reports), where glibc's malloc and free took ~10% of the
/// time. Built without transparent huge pages, which had raised max RSS to
/// ~150 MB (see docs/BENCHMARKS.md). Set here, not in the library, so
/// programs that embed policyscan keep their own allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
