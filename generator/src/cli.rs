//! The command line's shape: every subcommand, option and help text, in one
//! place (clap derive). `main.rs` turns a parsed [`Cli`] into library calls.
//!
//! To add an option: add a field with `#[arg(...)]` and a `///` doc line
//! (its help text) to the subcommand's struct; the help, the error messages
//! and the shell completions follow from it.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueHint};

#[derive(Debug, Parser)]
#[command(
    name = "kenshu",
    version,
    about = "Build training sites from Markdown: reading pages, slide decks and exercises",
    long_about = None,
    propagate_version = true,
    arg_required_else_help = true,
    after_help = "\
Examples:
  kenshu new my-course          create a small site that builds as it is
  kenshu serve my-course --open preview it; the browser reloads on every save
  kenshu build my-course        write the site to my-course/public/
  kenshu check my-course        report every problem, write nothing

`kenshu help COMMAND` or `kenshu COMMAND --help` explains a command."
)]
pub struct Cli {
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(subcommand)]
    pub command: Command,
}

/// `-q` / `-v`, accepted before or after the subcommand.
#[derive(Debug, Clone, Copy, Args)]
pub struct Verbosity {
    /// Print only errors
    #[arg(short, long, global = true, action = ArgAction::SetTrue, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the folders used and the time each stage took
    #[arg(short, long, global = true, action = ArgAction::SetTrue)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(BuildArgs),
    Check(CheckArgs),
    New(NewArgs),
    Serve(ServeArgs),
    Package(PackageArgs),
    Import(ImportArgs),
    Report(ReportArgs),
    Completions(CompletionsArgs),
}

/// Summarise what a group answered, from the trainees' 学習の記録 files
///
/// Reads each RECORD (the JSON or CSV that 学習の記録 downloads; a folder
/// takes every .json and .csv in it) and writes one HTML page: per exercise
/// and item how many answered, % right, the wrong answers chosen most, the
/// 自信あり errors; the items to debrief first; pre/post scores and a line
/// per trainee. Records of another site or exercise version are left out
/// and listed; of one trainee's records only the latest counts. A file
/// that is not a record is listed with file:line and why, and the exit
/// status is 1.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu report records/                   every record in records/, site in .
  kenshu report a.json b.csv --site my-course -o 集計.html")]
pub struct ReportArgs {
    /// Record files or folders of them
    #[arg(value_name = "RECORD", required = true, value_hint = ValueHint::AnyPath)]
    pub records: Vec<PathBuf>,
    /// The site folder the records come from (for the exercises' texts)
    #[arg(long, value_name = "SITE", default_value = ".", value_hint = ValueHint::DirPath)]
    pub site: PathBuf,
    /// The HTML file to write
    #[arg(short, long, value_name = "FILE", default_value = "report.html", value_hint = ValueHint::FilePath)]
    pub out: PathBuf,
}

/// The site folder argument shared by most subcommands.
#[derive(Debug, Args)]
pub struct SiteArg {
    /// The site folder: the one that holds site.toml and content/
    #[arg(value_name = "SITE", default_value = ".", value_hint = ValueHint::DirPath)]
    pub site: PathBuf,
}

/// Build SITE into a folder of static pages
///
/// The output folder is replaced only when the whole site built: a build
/// with errors prints every problem (file:line:column, with a hint), exits
/// with status 1 and leaves the previous output exactly as it was.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu build                    build the site in this folder into ./public
  kenshu build my-course          build my-course into my-course/public
  kenshu build my-course --out=/srv/www/course
  kenshu build -- -odd-name       a site folder whose name starts with '-'")]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The output folder [default: SITE/public]
    #[arg(short, long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub out: Option<PathBuf>,
    /// Treat warnings (an overfull slide) as errors: report them, write nothing
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Check SITE as `build` would, without writing anything
///
/// Reports every problem `build` would report (broken links, unknown keys,
/// exercise errors…) and exits with status 1 if there is one.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu check                    check the site in this folder
  kenshu check my-course -q       only the problems, no summary line")]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// Treat warnings (an overfull slide) as errors
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Create a new site in DIR that builds as it is
///
/// DIR must not exist yet or be an empty folder. The new site has a home
/// page, a section of three lessons, two exercises and an image.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu new my-course
  kenshu new \"研修 2026\"            a name with a space, quoted for the shell")]
pub struct NewArgs {
    /// The folder to create
    #[arg(value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub dir: PathBuf,
}

/// Preview SITE in the browser, rebuilding and reloading on every save
///
/// Builds the site in memory (nothing is written to SITE/public), serves it
/// and watches site.toml, content/ and theme/. A save that does not build
/// shows its errors in the terminal and in the page; the last good version
/// stays served. Ctrl-C stops the server.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu serve                    http://127.0.0.1:4400/
  kenshu serve my-course --port 0 --open
                                  a free port, opened in the browser
  kenshu serve --host 0.0.0.0     reachable from other machines (a phone on the same network)")]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The port to listen on; 0 picks a free one
    #[arg(short, long, value_name = "PORT", default_value_t = kenshu::serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1", value_parser = non_empty)]
    pub host: String,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

/// Package SITE for a learning-management system (Moodle…)
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu package scorm my-course          my-course/my-course-scorm.zip (SCORM 2004)
  kenshu package scorm --scorm-version 1.2 --out course-12.zip")]
pub struct PackageArgs {
    #[command(subcommand)]
    pub format: PackageFormat,
}

#[derive(Debug, Subcommand)]
pub enum PackageFormat {
    Scorm(ScormArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScormVersion {
    /// SCORM 1.2 (suspend_data holds 4,096 characters)
    #[value(name = "1.2")]
    V1_2,
    /// SCORM 2004 4th edition
    #[value(name = "2004")]
    V2004,
}

/// Build SITE as a SCORM package (one .zip) to upload to an LMS
///
/// The zip holds the site as `build` writes it, a launch page and
/// imsmanifest.xml. In the LMS it reports each exercise (an interaction),
/// the course score, completion and, with `[package] passing_score` in
/// site.toml, passed/failed, and keeps the learner's answers between
/// sessions. Speaker notes, slide decks, pages with the answer key and what
/// `[package] exclude` lists are left out unless --include-lecturer.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu package scorm                          ./<folder>-scorm.zip, SCORM 2004
  kenshu package scorm my-course --scorm-version 1.2
  kenshu package scorm my-course --out=/tmp/course.zip --include-lecturer
  kenshu package scorm my-course --force        replace the zip of the last run

The zip is written outside the site folder or directly in it, never into
content/, theme/, the output or a folder the site links to; an existing
file is replaced only with --force.")]
pub struct ScormArgs {
    #[command(flatten)]
    pub site: SiteArg,
    /// The SCORM edition
    #[arg(long, value_name = "VERSION", default_value = "2004")]
    pub scorm_version: ScormVersion,
    /// The zip to write [default: SITE/<folder name>-scorm.zip]
    #[arg(short, long, value_name = "FILE.zip", value_hint = ValueHint::FilePath)]
    pub out: Option<PathBuf>,
    /// Keep the lecturer's material: speaker notes, slide decks, the answer key, `[package] exclude`
    #[arg(long)]
    pub include_lecturer: bool,
    /// Replace FILE.zip if it exists (without it, an existing file is an error)
    #[arg(long)]
    pub force: bool,
}

/// Turn another tool's file into a kenshu page (a PowerPoint deck)
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu import pptx 連携のあり方-②.pptx --name lectures/02-jissen
  kenshu import pptx deck.pptx --into my-course")]
pub struct ImportArgs {
    #[command(subcommand)]
    pub format: ImportFormat,
}

#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    Pptx(ImportPptxArgs),
}

/// Import a PowerPoint deck (.pptx) as a page with slides, notes and pictures
///
/// Writes SITE/content/NAME.md (with `slides = true`, so `build` makes the
/// reading page and the deck) and its pictures under SITE/content/NAME/.
/// Slide titles become headings, bullets nested lists, tables Markdown or
/// HTML tables, speaker notes 講師メモ; hidden slides, slide numbers,
/// footers and dates are left out. It prints what it carried and what it
/// could not. A page edited since the last import is not replaced without
/// --force.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu import pptx deck.pptx                    ./content/deck.md
  kenshu import pptx deck.pptx --into my-course --name lectures/03-renkei
  kenshu import pptx deck.pptx --force            replace an edited page

A legacy .ppt must be saved as .pptx first (PowerPoint, or
`soffice --headless --convert-to pptx DECK.ppt`).")]
pub struct ImportPptxArgs {
    /// The deck to import
    #[arg(value_name = "DECK.pptx", value_hint = ValueHint::FilePath)]
    pub deck: PathBuf,
    /// The site to write into [default: .]
    #[arg(long, value_name = "SITE", default_value = ".", value_hint = ValueHint::DirPath)]
    pub into: PathBuf,
    /// The page's name under content/, without .md [default: the deck's file name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Replace the page and its pictures even if edited since the last import
    #[arg(long)]
    pub force: bool,
}

/// Print a shell completion script
///
/// Load it in your shell's start-up file to complete kenshu's commands,
/// options and folders with Tab.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kenshu completions bash > ~/.local/share/bash-completion/completions/kenshu
  kenshu completions zsh > ~/.zfunc/_kenshu      (with fpath+=~/.zfunc in ~/.zshrc)
  kenshu completions fish > ~/.config/fish/completions/kenshu.fish")]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

fn non_empty(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("give an address, such as 127.0.0.1".into())
    } else {
        Ok(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
