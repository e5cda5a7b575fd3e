//! The `pith` command: see `pith --help` and the README.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
