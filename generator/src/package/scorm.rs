//! What a SCORM package adds to the rendered site: the launch page
//! (`scorm.html`, the one SCO: it holds the LMS session while the site runs
//! in a frame inside it) and `imsmanifest.xml`. Pure: model → files.
//!
//! The runtime is `assets/scorm.js` (generator/src/package/scorm.js, only
//! in packages): it finds the
//! LMS's API, restores progress from suspend_data into the browser's
//! storage before the site loads, and reports what the exercises store.

use kenshu_exercises::{CellMode, Exercise};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::html::escape;
use crate::model::Site;
use crate::render::exercise::placements;

/// The SCORM edition of a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// SCORM 1.2.
    V1_2,
    /// SCORM 2004 4th edition.
    V2004,
}

impl Version {
    pub fn label(self) -> &'static str {
        match self {
            Version::V1_2 => "SCORM 1.2",
            Version::V2004 => "SCORM 2004 4th edition",
        }
    }
}

/// The launch page's file name (the SCO's `href`).
pub const LAUNCH: &str = "scorm.html";

/// The runtime: `assets/scorm.js` of a package.
pub const RUNTIME: &str = include_str!("scorm.js");

/// The schema files the manifest of each edition names, with the files
/// they include or import, as ADL's own packages carry them at the zip's
/// root (ADL's validator rejects a 2004 package without them: "The
/// Controlling Document [imscp_v1p1.xsd] was not found at root of the
/// Content Package"). ADL's and IMS's published files, unchanged; see
/// xsd/README.md.
const SCHEMAS_2004: &[(&str, &str)] = &[
    ("adlcp_v1p3.xsd", include_str!("xsd/2004/adlcp_v1p3.xsd")),
    ("adlnav_v1p3.xsd", include_str!("xsd/2004/adlnav_v1p3.xsd")),
    ("adlseq_v1p3.xsd", include_str!("xsd/2004/adlseq_v1p3.xsd")),
    ("datatypes.dtd", include_str!("xsd/2004/datatypes.dtd")),
    ("imscp_v1p1.xsd", include_str!("xsd/2004/imscp_v1p1.xsd")),
    ("imsss_v1p0.xsd", include_str!("xsd/2004/imsss_v1p0.xsd")),
    (
        "imsss_v1p0auxresource.xsd",
        include_str!("xsd/2004/imsss_v1p0auxresource.xsd"),
    ),
    (
        "imsss_v1p0control.xsd",
        include_str!("xsd/2004/imsss_v1p0control.xsd"),
    ),
    (
        "imsss_v1p0delivery.xsd",
        include_str!("xsd/2004/imsss_v1p0delivery.xsd"),
    ),
    (
        "imsss_v1p0limit.xsd",
        include_str!("xsd/2004/imsss_v1p0limit.xsd"),
    ),
    (
        "imsss_v1p0objective.xsd",
        include_str!("xsd/2004/imsss_v1p0objective.xsd"),
    ),
    (
        "imsss_v1p0random.xsd",
        include_str!("xsd/2004/imsss_v1p0random.xsd"),
    ),
    (
        "imsss_v1p0rollup.xsd",
        include_str!("xsd/2004/imsss_v1p0rollup.xsd"),
    ),
    (
        "imsss_v1p0seqrule.xsd",
        include_str!("xsd/2004/imsss_v1p0seqrule.xsd"),
    ),
    (
        "imsss_v1p0util.xsd",
        include_str!("xsd/2004/imsss_v1p0util.xsd"),
    ),
    ("xml.xsd", include_str!("xsd/2004/xml.xsd")),
    ("XMLSchema.dtd", include_str!("xsd/2004/XMLSchema.dtd")),
];

const SCHEMAS_1_2: &[(&str, &str)] = &[
    (
        "adlcp_rootv1p2.xsd",
        include_str!("xsd/1.2/adlcp_rootv1p2.xsd"),
    ),
    ("ims_xml.xsd", include_str!("xsd/1.2/ims_xml.xsd")),
    (
        "imscp_rootv1p1p2.xsd",
        include_str!("xsd/1.2/imscp_rootv1p1p2.xsd"),
    ),
    (
        "imsmd_rootv1p2p1.xsd",
        include_str!("xsd/1.2/imsmd_rootv1p2p1.xsd"),
    ),
];

/// The schema files of `version`'s package, `(name at the zip's root, text)`.
pub fn schemas(version: Version) -> &'static [(&'static str, &'static str)] {
    match version {
        Version::V2004 => SCHEMAS_2004,
        Version::V1_2 => SCHEMAS_1_2,
    }
}

/// The answer slots an exercise grades (what an interaction reports as
/// the learner's response): classify items, chosen table cells, choice
/// questions; none for a worksheet, which is written, not graded.
pub fn graded_slots(ex: &Exercise) -> Vec<String> {
    match ex {
        Exercise::Classify(c) => c.items.iter().map(|i| i.id.clone()).collect(),
        Exercise::Table(t) => t
            .cells()
            .filter(|(_, c)| c.mode == CellMode::Chosen)
            .map(|(_, c)| c.id.clone())
            .collect(),
        Exercise::Choice(c) => c.questions.iter().map(|q| q.id.clone()).collect(),
        Exercise::Worksheet(_) => Vec::new(),
    }
}

/// The exercise's kind as the runtime knows it.
fn kind_name(ex: &Exercise) -> &'static str {
    match ex {
        Exercise::Classify(_) => "classify",
        Exercise::Table(_) => "table",
        Exercise::Choice(_) => "choice",
        Exercise::Worksheet(_) => "worksheet",
    }
}

/// The data the runtime reads from the launch page: the exercises of the
/// package in reading order, the pages (for the bookmark), the rules.
pub fn runtime_data(site: &Site, version: Version) -> serde_json::Value {
    let places = placements(site);
    let mut placed: Vec<(usize, &str)> = places.iter().map(|(id, ix)| (*ix, id.as_str())).collect();
    placed.sort();
    let exercises: Vec<serde_json::Value> = placed
        .iter()
        .filter_map(|(ix, id)| {
            let e = site.exercises.get(id)?;
            Some(serde_json::json!({
                "id": id,
                "title": e.exercise.title(),
                "hash": e.hash,
                "kind": kind_name(&e.exercise),
                "graded": e.exercise.graded_count(),
                "slots": graded_slots(&e.exercise),
                "page": site.pages[*ix].output,
            }))
        })
        .collect();
    let pkg = &site.config.package;
    let required: Vec<&str> = if pkg.required.is_empty() {
        placed.iter().map(|(_, id)| *id).collect()
    } else {
        pkg.required.iter().map(String::as_str).collect()
    };
    serde_json::json!({
        "version": match version { Version::V1_2 => "1.2", Version::V2004 => "2004" },
        "exercises": exercises,
        "required": required,
        "passing": pkg.passing_score.map(|p| p / 100.0),
        "pages": site.pages.iter().map(|p| p.output.as_str()).collect::<Vec<_>>(),
    })
}

/// `scorm.html`: the site in a frame, and the runtime (after the frame,
/// which it finds and then opens at the learner's page).
pub fn launch_page(site: &Site, version: Version) -> String {
    let title = escape(&site.config.title);
    let lang = escape(&site.config.language);
    // JSON inside <script>, escaped as on the exercise pages: no `</`,
    // `<!--` or `<script` of a title can end the element.
    let data = crate::html::script_json(&runtime_data(site, version).to_string());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <style>html,body{{margin:0;height:100%;overflow:hidden}}\
         #kenshu-site{{display:block;border:0;width:100%;height:100%}}</style>\n\
         <noscript><meta http-equiv=\"refresh\" content=\"0; url=index.html\"></noscript>\n\
         <script type=\"application/json\" id=\"kenshu-scorm\">{data}</script>\n\
         </head>\n<body>\n\
         <iframe id=\"kenshu-site\" name=\"kenshu-site\" title=\"{title}\"></iframe>\n\
         <script src=\"assets/scorm.js\"></script>\n\
         </body>\n</html>\n"
    )
}

/// `imsmanifest.xml`: one organization, one item, one SCO (the launch
/// page) listing every file of the package.
pub fn manifest(site: &Site, version: Version, identifier: &str, files: &[String]) -> String {
    // `check_title` has refused a title XML cannot hold; dropping such
    // characters here too keeps the manifest well-formed whatever calls it.
    let title: String = site.config.title.chars().filter(|&c| xml_char(c)).collect();
    let title = escape(if title.trim().is_empty() {
        "kenshu"
    } else {
        &title
    });
    let mut list = String::new();
    for f in files {
        list.push_str(&format!("      <file href=\"{}\"/>\n", escape(&href(f))));
    }
    let id = escape(identifier);
    // What differs between the versions: the manifest's namespaces and
    // schemas, the schema version, the item's attributes and content, and
    // the spelling of the SCO type attribute.
    let (manifest, schema, item, mastery, sco_type) = match version {
        Version::V2004 => (
            "version=\"1\"\n\
  xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"\n\
  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\"\n\
  xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\"\n\
  xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\"\n\
  xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"\n\
  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n\
  xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd \
http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd \
http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd \
http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd \
http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd\"",
            "2004 4th Edition",
            "",
            String::new(),
            "adlcp:scormType",
        ),
        Version::V1_2 => (
            "version=\"1.0\"\n\
  xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n\
  xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"\n\
  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n\
  xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd \
http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd \
http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\"",
            "1.2",
            " isvisible=\"true\"",
            site.config
                .package
                .passing_score
                .map(|p| {
                    format!(
                        "        <adlcp:masteryscore>{}</adlcp:masteryscore>\n",
                        p.round()
                    )
                })
                .unwrap_or_default(),
            "adlcp:scormtype",
        ),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<manifest identifier=\"{id}\" {manifest}>\n\
  <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>{schema}</schemaversion>\n  </metadata>\n\
  <organizations default=\"ORG\">\n\
    <organization identifier=\"ORG\">\n\
      <title>{title}</title>\n\
      <item identifier=\"ITEM\" identifierref=\"SCO\"{item}>\n\
        <title>{title}</title>\n\
{mastery}      </item>\n\
    </organization>\n\
  </organizations>\n\
  <resources>\n\
    <resource identifier=\"SCO\" type=\"webcontent\" {sco_type}=\"sco\" href=\"{LAUNCH}\">\n\
{list}    </resource>\n\
  </resources>\n\
</manifest>\n"
    )
}

/// Can `c` stand in an XML 1.0 document as it is? Not the control
/// characters (XML forbids C0 but tab, newline and carriage return; C1 and
/// DEL are discouraged and never meant in a title), nor U+FFFE and U+FFFF.
fn xml_char(c: char) -> bool {
    (!c.is_control() || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// The site's title goes into `imsmanifest.xml`, where a control character
/// makes the whole manifest not well-formed (the LMS refuses the package).
/// Such a title is an error at its place in site.toml (or, for a title taken
/// from the folder name, at the folder) rather than silently changed: the
/// author meant some other character, and the LMS's course list shows the
/// title. `site_toml` is the text of site.toml, if there is one.
pub fn check_title(
    site: &Site,
    site_dir: &std::path::Path,
    site_toml: Option<&str>,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::Diagnostic;
    let bad = site.config.title.chars().find(|&c| !xml_char(c))?;
    let what = format!("U+{:04X}", bad as u32);
    // The `title = …` line of site.toml, if the title was written there.
    let written = site_toml.and_then(|text| {
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some(rest) = t.strip_prefix("title") {
                if rest.trim_start().starts_with('=') {
                    let eq = line.len() - rest.len() + rest.find('=').unwrap_or(0);
                    let value = line[eq + 1..].len() - line[eq + 1..].trim_start().len();
                    return Some(Diagnostic::at(
                        std::path::Path::new("site.toml"),
                        text,
                        at + eq + 1 + value,
                        format!("the title contains a control character ({what}), which imsmanifest.xml cannot hold"),
                    ));
                }
            }
            at += line.len();
        }
        None
    });
    Some(match written {
        Some(d) => d.with_hint("remove the character from `title` (an LMS shows this title in its course list)"),
        None => Diagnostic::file(
            site_dir,
            format!("the site's title, taken from the folder name, contains a control character ({what}), which imsmanifest.xml cannot hold"),
        )
        .with_hint("set `title = \"…\"` in site.toml"),
    })
}

/// What `file/@href` (`xs:anyURI`) keeps as it is: letters, digits and
/// `-._~/!$&'()*+,;=@:`; spaces, non-ASCII and the rest are encoded.
const HREF: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@')
    .remove(b':');

/// [`HREF`] with `:` encoded, for the first segment.
const HREF_FIRST: &AsciiSet = &HREF.add(b':');

/// A file path as a URI reference (`file/@href` is `xs:anyURI`): percent-
/// encode what is not allowed as it is (spaces, non-ASCII), and a `:` of
/// the first segment, which would make `javascript:x.html` a URI scheme.
fn href(path: &str) -> String {
    let (head, tail) = path.split_at(path.find('/').unwrap_or(path.len()));
    format!(
        "{}{}",
        utf8_percent_encode(head, HREF_FIRST),
        utf8_percent_encode(tail, HREF)
    )
}

/// A manifest identifier (`xs:ID`: a letter or `_` first, then letters,
/// digits, `.`, `-`, `_`) made from the site's folder name.
pub fn identifier(name: &str) -> String {
    let mut id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert_str(0, "kenshu-");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_and_identifiers() {
        assert_eq!(href("lectures/jissen.html"), "lectures/jissen.html");
        assert_eq!(href("images/図 1.png"), "images/%E5%9B%B3%201.png");
        assert_eq!(
            href("javascript:alert(1).html"),
            "javascript%3Aalert(1).html"
        );
        assert_eq!(href("a/b:c.html"), "a/b:c.html");
        assert_eq!(identifier("kenshu"), "kenshu");
        assert_eq!(identifier("研修 2026"), "___2026");
        assert_eq!(identifier("2026-course"), "kenshu-2026-course");
    }

    /// Every schema a manifest names, and every schema those include or
    /// import, is among the files the package carries.
    #[test]
    fn schemas_named_are_carried() {
        for (version, names) in [
            (
                Version::V2004,
                "imscp_v1p1.xsd adlcp_v1p3.xsd adlseq_v1p3.xsd adlnav_v1p3.xsd imsss_v1p0.xsd",
            ),
            (
                Version::V1_2,
                "imscp_rootv1p1p2.xsd imsmd_rootv1p2p1.xsd adlcp_rootv1p2.xsd",
            ),
        ] {
            let carried: Vec<&str> = schemas(version).iter().map(|(n, _)| *n).collect();
            let mut named: Vec<&str> = names.split(' ').collect();
            for (_, text) in schemas(version) {
                let parts: Vec<&str> = text.split("schemaLocation").collect();
                for (before, part) in parts.iter().zip(parts.iter().skip(1)) {
                    // An attribute in a tag, not the word in documentation.
                    let in_tag = before
                        .rfind('<')
                        .is_some_and(|lt| !before[lt..].contains('>'));
                    let Some(part) = part.trim_start().strip_prefix('=') else {
                        continue;
                    };
                    if !in_tag {
                        continue;
                    }
                    let value = part.split('"').nth(1).unwrap_or("");
                    named.extend(value.split_whitespace().filter(|w| w.ends_with(".xsd")));
                }
            }
            for n in named {
                assert!(carried.contains(&n), "{version:?}: {n} is not carried");
            }
        }
    }
}
