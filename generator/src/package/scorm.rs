//! What a SCORM package adds to the rendered site: the launch page
//! (`scorm.html`, the one SCO: it holds the LMS session while the site runs
//! in a frame inside it) and `imsmanifest.xml`. Pure: model → files.
//!
//! The runtime is `assets/scorm.js` (generator/src/package/scorm.js, only
//! in packages): it finds the
//! LMS's API, restores progress from suspend_data into the browser's
//! storage before the site loads, and reports what the exercises store.

use kenshu_exercises::{CellMode, Exercise};

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
    // JSON inside <script>: `</` must not close the element.
    let data = runtime_data(site, version)
        .to_string()
        .replace("</", "<\\/");
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
    let title = escape(if site.config.title.is_empty() {
        "kenshu"
    } else {
        &site.config.title
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

/// A file path as a URI reference (`file/@href` is `xs:anyURI`): percent-
/// encode what is not allowed as it is (spaces, non-ASCII).
fn href(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
        assert_eq!(identifier("kenshu"), "kenshu");
        assert_eq!(identifier("研修 2026"), "___2026");
        assert_eq!(identifier("2026-course"), "kenshu-2026-course");
    }
}
