//! `pith completions SHELL` and `pith man`: generated from the command-line
//! definition, so they never fall behind it.

use std::io::{self, Write};
use std::process::ExitCode;

use clap_complete::Shell;

use super::Failure;

/// Writes the completion script for `shell` to standard output.
pub fn completions(mut command: clap::Command, shell: Shell) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut command, "pith", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the man page, pith(1), to standard output.
pub fn man(command: clap::Command) -> Result<ExitCode, Failure> {
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(command).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
