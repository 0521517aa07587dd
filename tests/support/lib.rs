//! Support library for kenshu's end-to-end tests.
//!
//! - [`Browser`]: a small WebDriver client for Debian's `chromedriver` that drives a
//!   headless Chromium (one chromedriver + one browser per `Browser`, safe to use from
//!   parallel test threads).
//! - [`StaticServer`]: a tiny threaded HTTP/1.1 file server on `127.0.0.1:0` that serves a
//!   folder under a URL prefix (domain root or a sub-path).
//! - [`build_site`]: builds a site with `kenshu::build` into a temporary folder.
//! - [`TempDir`], [`file_url`], [`absolute_urls`]: file-system helpers.
//! - [`npm_install`]: pinned npm packages installed once into `target/`;
//!   [`eslint`] runs ESLint with them.
//!
//! Every fallible function returns [`Result`]; test functions can return
//! `Result<(), kenshu_e2e::Error>` and use `?`. Nothing here skips a test: if chromedriver or
//! Chromium is missing, [`Browser::start`] fails with a message that says what to install.
//!
//! ```no_run
//! use std::time::Duration;
//! use kenshu_e2e::{build_site, ensure, file_url, Browser, Key, Result, StaticServer};
//!
//! fn test() -> Result<()> {
//!     let site = build_site("tests/fixtures/portable")?; // kenshu::build into a temp dir
//!     let server = StaticServer::serve(&site.out, "/intranet/kenshu/")?;
//!     let b = Browser::start()?;
//!     b.goto(&server.url_of("guide/intro.html"))?;
//!     b.find("article a")?.click()?;
//!     b.wait_until("the next page", Duration::from_secs(10), |b| Ok(b.title()? != ""))?;
//!     b.press(Key::Tab)?; // keyboard only: to whatever has focus
//!     let link = b.active_element()?;
//!     ensure!(link.role()? == "link", "focus is not on a link");
//!     ensure!(!b.accessible_name(&link)?.is_empty(), "a link without a name");
//!     let images = b.execute("return document.images.length", vec![])?;
//!     ensure!(images.as_u64() > Some(0), "no images");
//!     b.goto(&file_url(site.path("index.html"))?)?; // the same output from disk
//!     b.assert_no_errors()?; // no failed request, no console error so far
//!     ensure!(server.failed_requests().is_empty(), "404s: {:?}", server.failed_requests());
//!     Ok(())
//! }
//! ```

mod axe;
mod error;
mod eslint;
mod fsutil;
mod html;
mod lms;
mod npm;
mod pdf;
mod progress;
mod server;
mod site;
mod webdriver;

#[cfg(test)]
mod selftest;

pub use axe::{axe_source, AXE_VERSION};
pub use error::{Error, Result};
pub use eslint::{eslint, LintFinding, ESLINT_VERSION};
pub use fsutil::{absolute_urls, file_url, files_with_extension, TempDir};
pub use html::html_text;
pub use lms::{scorm_again_source, write_lms, LMS_PAGE, SCORM_AGAIN_VERSION};
pub use npm::npm_install;
pub use pdf::pdf_pages;
pub use progress::download_progress;
pub use server::{RequestRecord, StaticServer};
pub use site::{
    build_site, course_classify, course_exercise, course_table, workspace_root, BuiltSite,
};
pub use webdriver::{Browser, Element, Key, LogEntry};
