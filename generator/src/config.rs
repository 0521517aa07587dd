//! `site.toml`: site-wide settings, all optional.

use serde::Deserialize;

/// Settings from `site.toml`. Unknown keys are rejected so typos surface.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Site title, shown in the header and in every `<title>`.
    pub title: String,
    /// Meta description of the home page (and the default for others).
    pub description: String,
    /// Language tag for `<html lang>`.
    pub language: String,
    /// Organisation shown in the footer.
    pub organisation: String,
    /// A file in `content/` shown as the logo in the header.
    pub logo: Option<String>,
    /// Accent colour (CSS colour, e.g. `#1d5fa8`).
    pub accent: Option<String>,
    /// Copyright / credit line for the footer.
    pub footer: String,
    /// Absolute URL where the site will be published; only used for the
    /// `<loc>` entries of `sitemap.xml` (sitemaps require absolute URLs).
    pub base_url: Option<String>,
    /// Show speaker notes (講師メモ) to readers as a collapsed block.
    pub show_notes_to_readers: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: String::new(),
            description: String::new(),
            language: "ja".to_string(),
            organisation: String::new(),
            logo: None,
            accent: None,
            footer: String::new(),
            base_url: None,
            show_notes_to_readers: true,
        }
    }
}

/// Returns true when `value` is a CSS colour we accept for `accent`
/// (`#rgb`, `#rrggbb`, or a plain keyword of letters) — anything else could
/// break out of the style attribute it is written into.
pub fn is_safe_colour(value: &str) -> bool {
    let hex = value
        .strip_prefix('#')
        .map(|h| (h.len() == 3 || h.len() == 6) && h.chars().all(|c| c.is_ascii_hexdigit()));
    match hex {
        Some(ok) => ok,
        None => !value.is_empty() && value.chars().all(|c| c.is_ascii_alphabetic()),
    }
}
