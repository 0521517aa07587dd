//! The `kenshu` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "kenshu — build training sites from Markdown

Usage:
  kenshu build [SITE] [--out DIR]   build SITE (default .) into DIR (default SITE/public)
  kenshu check [SITE]               validate SITE without writing
  kenshu new DIR                    create a new site in DIR
  kenshu serve [SITE] [--port P] [--host H] [--open]
                                    live preview on http://127.0.0.1:4400/:
                                    rebuilds and reloads the browser on every
                                    save (--port 0 picks a free port)
  kenshu --help | --version
";

fn fail_usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\n\n{USAGE}");
    ExitCode::from(2)
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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        print!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        "-V" | "--version" => {
            println!("kenshu {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "build" | "check" => {
            let mut site: Option<PathBuf> = None;
            let mut out: Option<PathBuf> = None;
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--out" | "-o" if cmd == "build" => match it.next() {
                        Some(d) => out = Some(PathBuf::from(d)),
                        None => return fail_usage("--out needs a folder"),
                    },
                    s if s.starts_with('-') => return fail_usage(&format!("unknown option {s}")),
                    s if site.is_none() => site = Some(PathBuf::from(s)),
                    s => return fail_usage(&format!("unexpected argument {s}")),
                }
            }
            let site = site.unwrap_or_else(|| PathBuf::from("."));
            if cmd == "check" {
                match kenshu::check(&site) {
                    Ok(r) => {
                        println!("ok: {} pages, {} files, no problems", r.pages, r.files);
                        ExitCode::SUCCESS
                    }
                    Err(e) => report(&e),
                }
            } else {
                let out = out.unwrap_or_else(|| site.join("public"));
                match kenshu::build(&site, &out) {
                    Ok(r) => {
                        for w in &r.warnings {
                            eprintln!("{}", w.as_warning());
                        }
                        println!("{r} → {}", out.display());
                        ExitCode::SUCCESS
                    }
                    Err(e) => report(&e),
                }
            }
        }
        "serve" => serve(rest),
        "new" => {
            let [dir] = rest else {
                return fail_usage("`kenshu new` needs exactly one folder");
            };
            match kenshu::scaffold::new_site(&PathBuf::from(dir)) {
                Ok(()) => {
                    println!("created a new site in {dir}; build it with: kenshu build {dir}");
                    ExitCode::SUCCESS
                }
                Err(e) => report(&[e]),
            }
        }
        other => fail_usage(&format!("unknown command {other}")),
    }
}

fn serve(rest: &[String]) -> ExitCode {
    let mut opts = kenshu::serve::Options::default();
    let mut site: Option<PathBuf> = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" | "-p" => match it.next().map(|p| p.parse::<u16>()) {
                Some(Ok(p)) => opts.port = p,
                _ => return fail_usage("--port needs a number from 0 to 65535"),
            },
            "--host" => match it.next() {
                Some(h) if !h.is_empty() => opts.host = h.clone(),
                _ => return fail_usage("--host needs an address, such as 127.0.0.1"),
            },
            "--open" => opts.open = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') => return fail_usage(&format!("unknown option {s}")),
            s if site.is_none() => site = Some(PathBuf::from(s)),
            s => return fail_usage(&format!("unexpected argument {s}")),
        }
    }
    opts.site = site.unwrap_or_else(|| PathBuf::from("."));
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
