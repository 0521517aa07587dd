//! Support library for kenshu's end-to-end tests.
//!
//! - [`Browser`]: a small WebDriver client for Debian's `chromedriver` that drives a
//!   headless Chromium (one chromedriver + one browser per `Browser`, safe to use from
//!   parallel test threads).
//! - [`StaticServer`]: a tiny threaded HTTP/1.1 file server on `127.0.0.1:0` that serves a
//!   folder under a URL prefix (domain root or a sub-path).
//! - [`build_site`]: builds a site with `kenshu::build` into a temporary folder.
//! - [`TempDir`], [`file_url`], [`absolute_urls`]: file-system helpers.
//!
//! Every fallible function returns [`Result`]; test functions can return
//! `Result<(), kenshu_e2e::Error>` and use `?`. Nothing here skips a test: if chromedriver or
//! Chromium is missing, [`Browser::start`] fails with a message that says what to install.

mod error;
mod fsutil;
mod server;
mod site;
mod webdriver;

#[cfg(test)]
mod selftest;

pub use error::{Error, Result};
pub use fsutil::{absolute_urls, file_url, files_with_extension, TempDir};
pub use server::{RequestRecord, StaticServer};
pub use site::{build_site, BuiltSite};
pub use webdriver::{Browser, Element, Key, LogEntry};
