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
    /// How links that are not plain relative paths are treated.
    pub links: LinksConfig,
    /// `[package]`: what `kenshu package scorm` leaves out and reports.
    pub package: PackageConfig,
    /// `[front_matter] accept`: front-matter keys of another tool that
    /// pages may carry without a warning (`["footer", "sidebarDepth"]`).
    pub accept_front_matter: Vec<String>,
    /// The repository's own style sheets (an mdBook's `additional-css`):
    /// output paths, linked on every page after the theme's.
    #[serde(skip)]
    pub extra_css: Vec<String>,
    /// The repository's own scripts (an mdBook's `additional-js`): output
    /// paths, loaded on every page after the theme's.
    #[serde(skip)]
    pub extra_js: Vec<String>,
}

/// `[links]` in site.toml.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LinksConfig {
    /// Link prefixes that leave the site on purpose, kept as written and
    /// not checked: `["../std/"]` for a book hosted beside others.
    pub external: Vec<String>,
    /// Root-relative links (`/images/a.png`): by prefix, the folder of
    /// content/ they are read from (`{ "/" = "" }`: content/ itself;
    /// `{ "/ja/" = "" }` for Hugo's language prefix). The longest prefix
    /// that matches wins; the link is written relative, as every link.
    pub root: std::collections::BTreeMap<String, String>,
}

/// `[package]` in site.toml: settings of `kenshu package scorm`.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PackageConfig {
    /// More pages and files for lecturers, left out of the package (unless
    /// `--include-lecturer`): paths below `content/`; one ending in `/` is
    /// a folder and everything in it. Hidden pages (`hidden = true`) and
    /// pages with `{{#exercise-key}}` are always left out.
    pub exclude: Vec<String>,
    /// The course score (percent, 0–100) a learner needs to pass. Without
    /// it the LMS gets completion and score, but no passed/failed.
    pub passing_score: Option<f64>,
    /// The exercises (ids) a learner must attempt for the course to count
    /// as completed (修了の目安); empty: every exercise in the package.
    pub required: Vec<String>,
    /// Where each value is written in site.toml (line, column), by
    /// `exclude:<path>` and `required:<id>`: for positioned errors.
    #[serde(skip)]
    pub at: std::collections::BTreeMap<String, (usize, usize)>,
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
            links: LinksConfig::default(),
            package: PackageConfig::default(),
            accept_front_matter: Vec::new(),
            extra_css: Vec::new(),
            extra_js: Vec::new(),
        }
    }
}

/// The CSS named colours (CSS Color Module Level 4), lower case.
const NAMED_COLOURS: [&str; 148] = [
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// Returns true when `value` is a colour we accept for `accent`: CSS hex
/// (`#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`) or a CSS named colour. Nothing
/// else is accepted: the value is written into a style sheet.
pub fn is_colour(value: &str) -> bool {
    match value.strip_prefix('#') {
        Some(h) => matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|c| c.is_ascii_hexdigit()),
        None => NAMED_COLOURS.contains(&value.to_ascii_lowercase().as_str()),
    }
}

/// Returns true when `tag` is a well-formed BCP 47 language tag (`ja`,
/// `en-GB`, `zh-Hant-TW`): a 2–3 or 5–8 letter language, then subtags of
/// 1–8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("");
    let lang_ok =
        matches!(lang.len(), 2 | 3 | 5..=8) && lang.bytes().all(|c| c.is_ascii_alphabetic());
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

/// Returns true when `url` is an absolute http(s) URL with a host and
/// nothing that would need escaping in XML or break out of an attribute.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !host.starts_with(':')
        && url
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"\"'<>\\`{}|^".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        for ok in [
            "#1d5fa8",
            "#abc",
            "#abcd",
            "#12345678",
            "rebeccapurple",
            "Navy",
        ] {
            assert!(is_colour(ok), "{ok}");
        }
        for bad in ["notacolour", "#12345", "#ggg", "", "red;}", "1d5fa8"] {
            assert!(!is_colour(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for ok in ["ja", "en-GB", "zh-Hant-TW", "ja-JP-u-ca-japanese"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "j", "ja\" onload=x", "ja_JP", "ja-", "-ja", "日本語"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn base_urls() {
        for ok in ["https://example.org/kenshu/", "http://localhost:8080"] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)//",
            "https://",
            "example.org",
            "https://a.org/\"x",
            "ftp://a.org/",
            "https:///x",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
    }
}
