//! The command line: argument parsing and dispatch. Each subcommand lives in
//! its own module; this one only builds the cleaner and maps outcomes to
//! exit codes (0 success, 1 some records failed, 2 usage or rule errors,
//! 3 a fatal I/O error: the output could not be written).

mod clean;
mod error_record;
mod eval;
mod explain;
mod hint;
mod inputs;
mod pipeline;
mod report;
mod rules_cmd;
mod shell;
mod train;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use pith::{Cleaner, Mode, RuleSet};

/// Strip boilerplate from scraped article text.
///
/// Reads article text (or JSONL records) from FILEs or standard input and
/// writes the clean article, or JSON with metadata and every removal.
#[derive(Debug, Parser)]
#[command(name = "pith", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    clean: CleanArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show a record (the first, or --id/--record) line by line, each removed line marked by its rule.
    Explain(ExplainArgs),
    /// List, check, show and test rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Score the cleaner against gold bodies: every <id>.<flavour>.txt in DIR against <id>.gold.txt.
    Eval(EvalArgs),
    /// Rebuild the line model from corpora with gold bodies; with --cv, cross-validate it by site.
    Train(TrainArgs),
    /// Print a shell completion script, e.g. `pith completions bash > /etc/bash_completion.d/pith`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `pith man > pith.1 && man ./pith.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Corpus folders: <id>.gold.txt, <id>.page.txt, <id>.residue.txt, manifest.tsv (id, url).
    #[arg(required = true, value_name = "CORPUS")]
    corpora: Vec<PathBuf>,
    /// Where to write the model (the embedded one is models/pith.model).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Estimate accuracy on unseen sites: nested cross-validation grouped by site.
    #[arg(long)]
    cv: bool,
    /// Outer folds of --cv.
    #[arg(long, default_value_t = 5, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..=20))]
    folds: usize,
    /// Inner folds: the model settings and thresholds are chosen on these.
    #[arg(long, default_value_t = 4, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(2..=20))]
    inner_folds: usize,
    /// With --cv: write every held-out document's scores and the summary as JSON.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Try one model setting (31 leaves, 200 trees) instead of choosing among several.
    #[arg(long)]
    quick: bool,
    /// Write the training rows to DIR (rows.f32, rows.tsv, samples.jsonl) for analysis.
    #[arg(long, value_name = "DIR", hide = true)]
    dump: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder of <id>.<flavour>.txt inputs and <id>.gold.txt gold bodies.
    dir: PathBuf,
    /// Which inputs to clean.
    #[arg(long, value_enum, default_value_t = Flavour::Page)]
    flavour: Flavour,
    /// Print one row per document.
    #[arg(long)]
    per_doc: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// How many of the worst documents to detail.
    #[arg(long, default_value_t = 5, value_name = "N")]
    worst: usize,
}

/// The input flavours of an evaluation corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flavour {
    /// Whole visible page text.
    Page,
    /// Article-extractor output with leftovers.
    Residue,
}

impl Flavour {
    fn name(self) -> &'static str {
        match self {
            Flavour::Page => "page",
            Flavour::Residue => "residue",
        }
    }
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the rules in force (built-in plus --rules) and the structural passes.
    List,
    /// Validate rule files against the rules in force: exit 0 if they load, 2 with the first error if not.
    Check {
        /// Rule files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print a rule in force as TOML (phrases included), to copy into a rule file and edit.
    Show {
        /// The rule's id (see `pith rules list`).
        id: String,
    },
    /// Run every rule's `examples` and `near_misses` (the rules in force, plus PATHs).
    Test {
        /// Rule files or folders to test besides the rules in force.
        paths: Vec<PathBuf>,
    },
}

/// Which rules to load: global options, given before or after a subcommand.
#[derive(Debug, Clone, Default, Args)]
struct RuleArgs {
    /// Add rules from a TOML file or a folder of them (repeatable). A rule
    /// with a built-in rule's id replaces it.
    #[arg(long = "rules", value_name = "PATH", global = true)]
    rules: Vec<PathBuf>,
    /// Start from no rules (only --rules files and the structural passes).
    #[arg(long, global = true)]
    no_default_rules: bool,
    /// Turn off rules or passes by id or glob, e.g. 'references.*' (repeatable).
    #[arg(long, value_name = "ID|GLOB", global = true)]
    disable: Vec<String>,
    /// What the text is: a whole page (menus and all), an extracted article
    /// (only what the model is confident of goes), or auto (the model tells).
    #[arg(long, value_enum, default_value_t = ModeChoice::Auto, global = true)]
    mode: ModeChoice,
}

/// The `--mode` values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
enum ModeChoice {
    /// The line model's mode model tells pages from articles.
    #[default]
    Auto,
    /// Whole-page text: the body is found among menus and lists.
    Page,
    /// Text an extractor already cut to the article.
    Article,
}

impl From<ModeChoice> for Mode {
    fn from(choice: ModeChoice) -> Mode {
        match choice {
            ModeChoice::Auto => Mode::Auto,
            ModeChoice::Page => Mode::Page,
            ModeChoice::Article => Mode::Article,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The input, read as the filter reads it (standard input when none or `-`).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    #[command(flatten)]
    read: inputs::InputArgs,
    /// Explain the record with this id (JSONL: --id-field; text: FILE or FILE:LINE with --split).
    #[arg(long, value_name = "ID", conflicts_with = "record")]
    id: Option<String>,
    /// Explain the N-th record (1-based; default: the first).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    record: Option<u64>,
    /// Colour: auto (when standard output is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Under each scored line, the N features that moved its score most.
    #[arg(long, value_name = "N", default_value_t = 0)]
    features: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each file (or standard input) is one article.
    Text,
    /// One JSON object per line, the article in --text-field.
    Jsonl,
    /// JSON over several lines: an array of objects (what --output json writes) or objects one after another.
    Json,
    /// JSONL if it starts with `{` and most of its first lines are JSON objects; JSON if it starts with an object or an array of objects over several lines; text otherwise.
    Auto,
}

/// How a text stream is cut into documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitMode {
    /// Each file (or standard input) is one document.
    None,
    /// A line holding only a form feed separates documents (what text output writes).
    Formfeed,
    /// Three or more blank lines separate documents.
    Blank3,
    /// A NUL byte ends each document.
    Nul,
}

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// jsonl for JSONL input, text otherwise.
    Auto,
    /// The clean article: title, blank line, body. Documents are separated by a form-feed line.
    Text,
    /// Pretty-printed JSON: an object for one document, an array of them for several.
    Json,
    /// One JSON object per line; JSONL input fields are passed through.
    Jsonl,
}

#[derive(Debug, Args)]
struct CleanArgs {
    /// Input files; standard input when none or `-`.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    read: inputs::InputArgs,
    #[arg(long, value_enum, default_value_t = OutputFormat::Auto)]
    output: OutputFormat,
    /// Text output: print the body only, without the title (cleaned again until a further pass changes nothing).
    #[arg(long)]
    no_title: bool,
    /// JSON outputs: write only these of pith's keys, e.g. text,title,author,flags.
    #[arg(long, value_name = "KEY,...", value_delimiter = ',')]
    fields: Option<Vec<String>>,
    /// JSON outputs: leave out `removed` (most of the output's size).
    #[arg(long)]
    no_removed: bool,
    /// JSON outputs: write pith's keys as PREFIXkey (e.g. pith_title), so none clashes with an input field.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
    /// Worker threads for cleaning (default: all cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Input bytes per batch of records handed to a worker.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..), hide_short_help = true)]
    batch_bytes: u64,
    /// No progress bar, no summary, no per-record messages on standard error.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Print the one-line summary on standard error even when it is not a terminal.
    #[arg(long, conflicts_with = "quiet")]
    summary: bool,
    /// Write the run's counts and per-rule removal counts as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let rules = &cli.rules;
    let result = match cli.command {
        Some(Command::Explain(args)) => {
            build_cleaner(rules).and_then(|cleaner| explain::run(&cleaner, &args))
        }
        Some(Command::Rules(command)) => rules_cmd::run(command, rules),
        Some(Command::Eval(args)) => {
            build_cleaner(rules).and_then(|cleaner| eval::run(&cleaner, &args))
        }
        Some(Command::Train(args)) => load_rules(rules).and_then(|set| train::run(set, &args)),
        Some(Command::Completions { shell }) => shell::completions(Cli::command(), shell),
        Some(Command::Man) => shell::man(Cli::command()),
        None => build_cleaner(rules).and_then(|cleaner| clean::run(cleaner, cli.clean)),
    };
    match result {
        Ok(code) => code,
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(io::stderr(), "pith: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Io(error)) => {
            let _ = writeln!(io::stderr(), "pith: {error}");
            ExitCode::from(3)
        }
    }
}

/// How a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The reader of our output went away: stop quietly.
    BrokenPipe,
    /// Bad arguments or rules (exit 2).
    Usage(String),
    /// Writing the output failed, or nothing could be done (exit 3): the
    /// output is incomplete.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io(error)
        }
    }
}

/// Loads the rule set the arguments ask for, saying on standard error which
/// built-in rules a user's rule replaced.
fn load_rules(args: &RuleArgs) -> Result<RuleSet, Failure> {
    let set = RuleSet::load(&args.rules, !args.no_default_rules, &args.disable)
        .and_then(|set| pith::check_disable(&set).map(|()| set))
        .map_err(|e| Failure::Usage(hint::rule_message(&e)))?;
    for (id, origin) in &set.replaced {
        let _ = writeln!(
            io::stderr(),
            "pith: {origin}: rule `{id}` replaces the built-in rule of that id"
        );
    }
    Ok(set)
}

fn build_cleaner(args: &RuleArgs) -> Result<Cleaner, Failure> {
    let cleaner = Cleaner::new(load_rules(args)?).map_err(|e| Failure::Usage(e.to_string()))?;
    Ok(cleaner.with_mode(args.mode.into()))
}

/// Whether to colour standard output.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}
