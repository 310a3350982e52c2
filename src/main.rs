//! The `throughcare` binary: command-line parsing and dispatch only (and the allocator's
//! settings).

fn main() -> std::process::ExitCode {
    return_large_allocations_to_the_system();
    throughcare::platform::tls::install();
    throughcare::cli::main()
}

/// glibc serves an allocation above its "mmap threshold" with its own mapping, returned to the
/// system when freed, but it raises that threshold to the largest block freed so far (up to
/// 32 MiB). After the first sign-in, Argon2id's 19 MiB buffers, and after the first report its
/// result sets, came from the threads' arenas, which kept them: the benchmark saw the server's
/// resident memory climb by about 160 MB in a burst of sign-ins and again in an export, to a
/// peak of 595 MB at 10,000 participants. Fixing the threshold at 1 MiB (which also stops the
/// raising) and capping the arenas at four keeps large buffers out of the arenas.
fn return_large_allocations_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it is called before any other thread
    // exists, and a refused setting (return value 0) leaves glibc's default in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 4);
    }
}
