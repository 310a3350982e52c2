//! The `throughcare` binary: command-line parsing and dispatch only.

fn main() -> std::process::ExitCode {
    throughcare::cli::main()
}
