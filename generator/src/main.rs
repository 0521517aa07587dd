//! The `kenshu` command line: a thin layer over the library. The arguments
//! are defined in `cli.rs`; a parser error exits with status 2 (clap's
//! usual message), a site with problems with status 1.

mod cli;

// mimalloc instead of glibc's malloc: a build allocates many small strings on
// two threads (Markdown events, Tera values); see the commit for the figures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command, Verbosity};

fn main() -> ExitCode {
    tune_memory();
    let cli = Cli::parse();
    let v = cli.verbosity;
    match cli.command {
        Command::Build(a) => build(&a.site.site, a.out, a.deny_warnings, v),
        Command::Check(a) => check(&a.site.site, a.deny_warnings, v),
        Command::New(a) => new(&a.dir, v),
        Command::Serve(a) => serve(a),
        Command::Package(a) => match a.format {
            cli::PackageFormat::Scorm(s) => scorm(s, v),
        },
        Command::Import(a) => match a.format {
            cli::ImportFormat::Pptx(p) => import_pptx(p, v),
        },
        Command::Report(a) => class_report(a, v),
        Command::Completions(a) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(a.shell, &mut Cli::command(), "kenshu", &mut out);
            // A closed pipe (`kenshu completions bash | head`) is not an error.
            let _ = out.flush();
            ExitCode::SUCCESS
        }
    }
}

/// Keeps the build's memory near what it uses. Measured on the shared
/// corpus at 10,000 pages (bench/compare.sh):
/// - transparent huge pages off for this process: mimalloc asks for huge
///   pages (2 MiB each), resident — and zeroed — as a whole once one byte
///   of them is touched; page zeroing was 15 % of a build's CPU samples.
/// - freed memory given back after 250 ms instead of mimalloc's 1,000 (a
///   build takes about a second, so it never did): the pages' parses are
///   freed as they are rendered while their search texts are made. Peak
///   memory 254-275 MiB on an unloaded ext4 before, 213-218 MiB after
///   (at 50 ms). Once each body was held once (the page and its parse
///   share it), 250 ms: 180 -> 186-189 MiB, 78 k -> 65 k page faults
///   (1,000 ms: 196-225 MiB, 55 k; never: 225-230 MiB, 54 k).
///
/// (Linux only for the first; a kernel that refuses changes nothing.)
fn tune_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only
    // sets a flag of this process; its result is not needed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // SAFETY: called once, first thing in main, before any other thread
    // exists (mimalloc's options are not thread-safe to set).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 250) };
}

/// mimalloc v3's `mi_option_purge_delay`: its place in `mi_option_e`
/// (mimalloc.h of libmimalloc-sys 0.1.49; the test below checks it).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

#[cfg(test)]
mod allocator_tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // 1,000 ms is mimalloc v3's default purge delay, and no other
        // option of it defaults to 1,000: the index is the right one.
        // SAFETY: reads an option; nothing sets options in this test binary.
        assert_eq!(
            unsafe { super::mi_option_get(super::MI_OPTION_PURGE_DELAY) },
            1000
        );
    }
}

/// `kenshu report`: the summary of the given records as one HTML file.
fn class_report(a: cli::ReportArgs, v: Verbosity) -> ExitCode {
    let site = match kenshu::load::load(&a.site) {
        Ok(site) => site,
        Err(errors) => return report(&errors),
    };
    let data = kenshu::report::SiteData::of(&site);
    let (records, rejected) = kenshu::report::read_records(&a.records);
    for e in &rejected {
        eprintln!("error: {e}");
    }
    if records.is_empty() {
        eprintln!("error: no record could be read; nothing was written");
        return ExitCode::from(1);
    }
    let summary = kenshu::report::aggregate(&data, &records);
    let html = kenshu::report::html(&summary, &rejected);
    if let Err(e) = std::fs::write(&a.out, html) {
        eprintln!("error: cannot write {}: {e}", a.out.display());
        return ExitCode::from(1);
    }
    if !v.quiet {
        println!(
            "{}: {} records counted, {} left out, {} not read",
            a.out.display(),
            summary.trainees.len(),
            summary.left_out.len(),
            rejected.len()
        );
    }
    if rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn report(errors: &[kenshu::Diagnostic]) -> ExitCode {
    for e in errors {
        eprintln!("{e}");
    }
    let n = errors.len();
    eprintln!(
        "error: {n} problem{} found; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}

/// `-v`: the folders and the time of each stage.
fn details(v: Verbosity, folders: &[(&str, &Path)], r: &kenshu::BuildReport) {
    if !v.verbose {
        return;
    }
    for (what, path) in folders {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        println!("{what}: {}", abs.display());
    }
    for (stage, took) in &r.stages {
        println!("{stage}: {:.1} ms", took.as_secs_f64() * 1000.0);
    }
}

fn build(site: &Path, out: Option<PathBuf>, deny_warnings: bool, v: Verbosity) -> ExitCode {
    let out = out.unwrap_or_else(|| site.join("public"));
    let opts = kenshu::Options {
        deny_warnings,
        exit_after: true,
    };
    match kenshu::build_with(site, &out, &opts) {
        Ok(r) => {
            // -q prints errors only (with --deny-warnings, warnings are
            // errors and always shown).
            if !v.quiet {
                for w in &r.warnings {
                    eprintln!("{}", w.as_warning());
                }
            }
            details(v, &[("site", site), ("output", &out)], &r);
            if !v.quiet {
                print_layout(site);
                println!("{r} → {}", out.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

/// Says in one line what was read from another tool's repository.
fn print_layout(site: &Path) {
    if let Some(line) = kenshu::load::repo::detect(site).summary() {
        println!("{line}");
    }
}

fn check(site: &Path, deny_warnings: bool, v: Verbosity) -> ExitCode {
    let opts = kenshu::Options {
        deny_warnings,
        ..Default::default()
    };
    match kenshu::check_with(site, &opts) {
        Ok(r) => {
            if !v.quiet {
                r.print_warnings();
            }
            details(v, &[("site", site)], &r);
            let w = r.warnings.len();
            if !v.quiet {
                print_layout(site);
            }
            if !v.quiet && w == 0 {
                println!("ok: {} pages, {} files, no problems", r.pages, r.files);
            } else if !v.quiet {
                println!(
                    "ok: {} pages, {} files, no errors, {w} warning{}",
                    r.pages,
                    r.files,
                    if w == 1 { "" } else { "s" }
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

fn new(dir: &Path, v: Verbosity) -> ExitCode {
    match kenshu::scaffold::new_site(dir) {
        Ok(files) => {
            if v.verbose {
                for f in &files {
                    println!("created {}", f.display());
                }
            }
            if !v.quiet {
                let q = shell_quote(dir.as_os_str());
                println!("created a new site in {}", dir.display());
                println!("  preview it: kenshu serve {q} --open");
                println!("  build it:   kenshu build {q}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&[e]),
    }
}

fn serve(a: cli::ServeArgs) -> ExitCode {
    let opts = kenshu::serve::Options {
        site: a.site.site,
        host: a.host,
        port: a.port,
        open: a.open,
    };
    match kenshu::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            ExitCode::from(1)
        }
    }
}

fn scorm(a: cli::ScormArgs, v: Verbosity) -> ExitCode {
    let site = a.site.site;
    let out = a
        .out
        .unwrap_or_else(|| kenshu::package::default_output(&site));
    let opts = kenshu::package::Options {
        version: match a.scorm_version {
            cli::ScormVersion::V1_2 => kenshu::package::Version::V1_2,
            cli::ScormVersion::V2004 => kenshu::package::Version::V2004,
        },
        include_lecturer: a.include_lecturer,
    };
    if let Err(e) = kenshu::package::check_out(&site, &out, a.force) {
        return report(&e);
    }
    match kenshu::package::scorm(&site, &out, &opts) {
        Ok(r) => {
            // As `build` shows them: -q prints errors only.
            if !v.quiet {
                for w in &r.warnings {
                    eprintln!("{}", w.as_warning());
                }
            }
            if v.verbose {
                for f in &r.left_out {
                    println!("left out: {f}");
                }
            }
            if !v.quiet {
                println!("{r} → {}", out.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

fn import_pptx(a: cli::ImportPptxArgs, v: Verbosity) -> ExitCode {
    let opts = kenshu::import::Options {
        deck: a.deck,
        site: a.into,
        name: a.name,
        force: a.force,
        limits: kenshu::import::Limits::default(),
        convert_metafiles: true,
    };
    match kenshu::import::pptx(&opts) {
        Ok(r) => {
            // What was not carried is shown even with -q.
            for w in &r.tally.warnings {
                eprintln!("{}: warning: {w}", opts.deck.display());
            }
            if v.verbose {
                for f in &r.images {
                    println!("picture: {f}");
                }
            }
            if !v.quiet {
                println!("{r}");
                let site = shell_quote(opts.site.as_os_str());
                println!("  preview it: kenshu serve {site} --open");
            }
            ExitCode::SUCCESS
        }
        Err(e) => report(&e),
    }
}

/// `s` as one word for a POSIX shell: as it is when that is safe, else in
/// single quotes (so a hint with a path can be pasted as it is).
fn shell_quote(s: &OsStr) -> String {
    let s = s.to_string_lossy();
    // `kenshu build -x` would read -x (quoted or not) as an option.
    let s = if s.starts_with('-') {
        format!("./{s}")
    } else {
        s.into_owned()
    };
    let safe = |c: char| c.is_alphanumeric() || "_-./,:=@%+".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;
    use std::ffi::OsStr;

    #[test]
    fn quotes_only_what_a_shell_would_split() {
        assert_eq!(shell_quote(OsStr::new("my-course")), "my-course");
        assert_eq!(shell_quote(OsStr::new("研修/2026")), "研修/2026");
        assert_eq!(shell_quote(OsStr::new("my course")), "'my course'");
        assert_eq!(shell_quote(OsStr::new("it's")), r"'it'\''s'");
        assert_eq!(shell_quote(OsStr::new("$HOME")), "'$HOME'");
        assert_eq!(shell_quote(OsStr::new("")), "''");
        assert_eq!(shell_quote(OsStr::new("-my course")), "'./-my course'");
        assert_eq!(shell_quote(OsStr::new("-x")), "./-x");
    }
}
