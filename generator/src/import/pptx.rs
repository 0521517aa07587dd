//! A PowerPoint deck (.pptx, PresentationML) → one kenshu page.
//!
//! Every slide becomes a `##` section (the first slide is the page's `#`
//! title slide), so `kenshu build` makes the same slides as a deck. What a
//! slide holds is read in visual order (top to bottom, left to right within
//! a row): text frames with their bullet levels and numbering, tables,
//! pictures, groups, SmartArt (its data part) and charts (their cached
//! data). Speaker notes become the slide's `> [!講師メモ]`.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};

use super::container::{rels_name, resolve, ContainerError, Package};
use super::convert::{self, Converter};

const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_OFFICE_DOC: &str = "/officeDocument";

/// One file to write beside the page (`NAME/image1.png`).
#[derive(Debug, Clone)]
pub struct MediaFile {
    /// Path relative to the page's folder, e.g. `deck/image1.png`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The converted deck.
#[derive(Debug, Default)]
pub struct Deck {
    pub markdown: String,
    pub media: Vec<MediaFile>,
    pub tally: Tally,
}

/// What a conversion carried, left out and lost, for the summary an import
/// prints.
#[derive(Debug, Default)]
pub struct Tally {
    /// Slides written to the page.
    pub slides: usize,
    /// Hidden slides left out: (number, title).
    pub hidden: Vec<(usize, String)>,
    /// Slides whose speaker notes were carried.
    pub notes: usize,
    pub tables: usize,
    pub charts: usize,
    pub smartart: usize,
    /// Placeholders dropped: slide numbers, footers, dates.
    pub dropped_placeholders: usize,
    /// Everything not carried over, or carried with a loss, one line each,
    /// starting with `slide N:` where it concerns one slide.
    pub warnings: Vec<String>,
}

/// Converts the deck; `page_dir_name` is the folder (relative to the page)
/// that pictures are written into, e.g. `deck` for `content/deck.md`.
pub fn convert(
    pkg: &mut Package,
    page_dir_name: &str,
    fallback_title: &str,
    convert_metafiles: bool,
) -> Result<Deck, ContainerError> {
    let mut c = Conv {
        pkg,
        dir: page_dir_name.to_string(),
        media_by_part: HashMap::new(),
        omit_reason: HashMap::new(),
        used_names: HashMap::new(),
        deck: Deck::default(),
        layouts: HashMap::new(),
        converter: None,
        // Not looking counts as having looked and found none.
        converter_looked: !convert_metafiles,
        slide_numbers: HashMap::new(),
        jump_targets: std::collections::BTreeSet::new(),
    };
    c.run(fallback_title)?;
    Ok(c.deck)
}

fn xml_err(part: &str, e: roxmltree::Error) -> ContainerError {
    ContainerError(format!(
        "the part {part} is not well-formed XML ({e}); the file is damaged — open it in \
         PowerPoint and save it again"
    ))
}

fn parse<'a>(part: &str, text: &'a str) -> Result<Document<'a>, ContainerError> {
    // DTDs are refused (roxmltree's default): no entity expansion.
    Document::parse_with_options(
        text,
        ParsingOptions {
            allow_dtd: false,
            nodes_limit: 5_000_000,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| xml_err(part, e))
}

/// A relationship: its target (resolved to a part name unless external),
/// whether it is external, and its type's last segment.
#[derive(Debug, Clone)]
struct Rel {
    target: String,
    external: bool,
    kind: String,
}

type Rels = HashMap<String, Rel>;

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn descendant<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.descendants()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    let mut cur = n;
    for name in names {
        cur = child(cur, name)?;
    }
    Some(cur)
}

fn rid<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute((R_NS, name))
}

fn int_attr(n: Node, name: &str) -> Option<i64> {
    n.attribute(name).and_then(|v| v.trim().parse().ok())
}

/// How a paragraph is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bullet {
    None,
    Char,
    /// Numbered, starting at this number.
    Num(i64),
}

/// A placeholder of a layout or master: where it sits and its bullets.
#[derive(Debug, Clone, Default)]
struct Placeholder {
    kind: String,
    idx: Option<String>,
    off: Option<(i64, i64, i64, i64)>,
    bullets: [Option<Bullet>; 9],
}

#[derive(Debug, Clone, Default)]
struct Layout {
    /// The layout's `type` (`title`, `secHead`, `obj`, …).
    kind: String,
    placeholders: Vec<Placeholder>,
    /// The master's placeholders, for positions the layout does not give.
    master: Vec<Placeholder>,
}

impl Layout {
    fn find(&self, kind: &str, idx: Option<&str>) -> Option<&Placeholder> {
        let same_kind = |p: &&Placeholder| norm_kind(&p.kind) == norm_kind(kind);
        idx.and_then(|i| {
            self.placeholders
                .iter()
                .find(|p| p.idx.as_deref() == Some(i) && same_kind(p))
        })
        .or_else(|| {
            idx.and_then(|i| {
                self.placeholders
                    .iter()
                    .find(|p| p.idx.as_deref() == Some(i))
            })
        })
        .or_else(|| self.placeholders.iter().find(same_kind))
    }

    fn position(&self, kind: &str, idx: Option<&str>) -> Option<(i64, i64, i64, i64)> {
        self.find(kind, idx).and_then(|p| p.off).or_else(|| {
            self.master
                .iter()
                .find(|p| norm_kind(&p.kind) == norm_kind(kind))
                .and_then(|p| p.off)
        })
    }
}

/// `ctrTitle` places like `title`, a typeless placeholder like `body`.
fn norm_kind(k: &str) -> &str {
    match k {
        "ctrTitle" | "title" => "title",
        "" | "obj" | "body" => "body",
        k => k,
    }
}

fn placeholders(doc: &Document) -> Vec<Placeholder> {
    let mut out = Vec::new();
    for sp in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "sp")
    {
        let Some(ph) = path(sp, &["nvSpPr", "nvPr", "ph"]) else {
            continue;
        };
        let mut p = Placeholder {
            kind: ph.attribute("type").unwrap_or("").to_string(),
            idx: ph.attribute("idx").map(str::to_string),
            off: rect(sp, &["spPr", "xfrm"]),
            ..Default::default()
        };
        if let Some(lst) = path(sp, &["txBody", "lstStyle"]) {
            for (i, b) in p.bullets.iter_mut().enumerate() {
                if let Some(l) = child(lst, &format!("lvl{}pPr", i + 1)) {
                    *b = explicit_bullet(l);
                }
            }
        }
        out.push(p);
    }
    out
}

/// The bullet a `pPr` sets itself, if it sets one.
fn explicit_bullet(ppr: Node) -> Option<Bullet> {
    for c in ppr.children().filter(|c| c.is_element()) {
        match c.tag_name().name() {
            "buNone" => return Some(Bullet::None),
            "buChar" | "buBlip" => return Some(Bullet::Char),
            "buAutoNum" => return Some(Bullet::Num(int_attr(c, "startAt").unwrap_or(1))),
            _ => {}
        }
    }
    None
}

/// One run of text with its formatting.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    text: String,
    bold: bool,
    italic: bool,
    underline: bool,
    strike: bool,
    /// Superscript (1), subscript (-1) or neither (0).
    script: i8,
    link: Option<String>,
    /// A line break (`a:br`), `text` is empty.
    br: bool,
}

#[derive(Debug, Clone)]
struct Para {
    level: usize,
    bullet: Bullet,
    spans: Vec<Span>,
}

impl Para {
    fn is_empty(&self) -> bool {
        self.spans.iter().all(|s| s.br || s.text.trim().is_empty())
    }
}

/// What kind of text frame a paragraph list comes from: it decides the
/// bullets paragraphs have when they set none themselves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// A body or content placeholder: bulleted unless told otherwise.
    Body,
    /// A text box, a subtitle, a table cell, notes: no bullets unless set.
    Plain,
}

/// A block of the slide in visual order: its position and its Markdown.
struct Item {
    y: i64,
    x: i64,
    /// Width and height (0 when unknown).
    w: i64,
    h: i64,
    md: Vec<String>,
}

struct Conv<'p> {
    pkg: &'p mut Package,
    dir: String,
    /// Media part → path written (`deck/image1.png`), or None when it
    /// could not be carried.
    media_by_part: HashMap<String, Option<String>>,
    /// Media part → why it is not shown (for the placeholder).
    omit_reason: HashMap<String, String>,
    used_names: HashMap<String, usize>,
    deck: Deck,
    layouts: HashMap<String, Layout>,
    converter: Option<Converter>,
    converter_looked: bool,
    /// Slide part → slide number, for links from one slide to another.
    slide_numbers: HashMap<String, usize>,
    /// Slides some link jumps to: their headings get `{#slide-N}`.
    jump_targets: std::collections::BTreeSet<usize>,
}

/// Context of the slide being read.
struct SlideCtx<'l> {
    number: usize,
    part: String,
    rels: Rels,
    layout: &'l Layout,
}

impl Conv<'_> {
    fn read_xml(&mut self, part: &str) -> Result<Option<String>, ContainerError> {
        self.pkg.read_text(part)
    }

    fn rels(&mut self, part: &str) -> Result<Rels, ContainerError> {
        let name = rels_name(part);
        let Some(text) = self.read_xml(&name)? else {
            return Ok(Rels::new());
        };
        let doc = parse(&name, &text)?;
        let mut out = Rels::new();
        for r in doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "Relationship")
        {
            let (Some(id), Some(target)) = (r.attribute("Id"), r.attribute("Target")) else {
                continue;
            };
            let external = r.attribute("TargetMode") == Some("External");
            let kind = r
                .attribute("Type")
                .and_then(|t| t.rsplit('/').next())
                .unwrap_or("")
                .to_string();
            let target = if external {
                target.to_string()
            } else {
                resolve(part, &percent_decode(target))
            };
            out.insert(
                id.to_string(),
                Rel {
                    target,
                    external,
                    kind,
                },
            );
        }
        Ok(out)
    }

    fn layout(&mut self, part: &str) -> Result<Layout, ContainerError> {
        if let Some(l) = self.layouts.get(part) {
            return Ok(l.clone());
        }
        let mut layout = Layout::default();
        if let Some(text) = self.read_xml(part)? {
            let doc = parse(part, &text)?;
            layout.kind = doc
                .root_element()
                .attribute("type")
                .unwrap_or("")
                .to_string();
            layout.placeholders = placeholders(&doc);
            let rels = self.rels(part)?;
            if let Some(m) = rels
                .values()
                .find(|r| r.kind == "slideMaster" && !r.external)
            {
                let m = m.target.clone();
                if let Some(mt) = self.read_xml(&m)? {
                    let mdoc = parse(&m, &mt)?;
                    layout.master = placeholders(&mdoc);
                }
            }
        }
        self.layouts.insert(part.to_string(), layout.clone());
        Ok(layout)
    }

    fn run(&mut self, fallback_title: &str) -> Result<(), ContainerError> {
        let root_rels = self.rels("")?;
        let pres = root_rels
            .values()
            .find(|r| r.kind == REL_OFFICE_DOC.trim_start_matches('/') && !r.external)
            .map(|r| r.target.clone())
            .unwrap_or_else(|| "ppt/presentation.xml".to_string());
        let Some(pres_text) = self.read_xml(&pres)? else {
            return Err(ContainerError(
                "this zip is not a PowerPoint deck: it has no presentation part \
                 (ppt/presentation.xml). A Word (.docx) or Excel (.xlsx) file cannot be \
                 imported; check that the file is the .pptx you meant"
                    .into(),
            ));
        };
        let pres_doc = parse(&pres, &pres_text)?;
        let pres_rels = self.rels(&pres)?;
        let mut slide_parts = Vec::new();
        if let Some(lst) = descendant(pres_doc.root_element(), "sldIdLst") {
            for s in children(lst, "sldId") {
                if let Some(r) = rid(s, "id").and_then(|id| pres_rels.get(id)) {
                    slide_parts.push(r.target.clone());
                }
            }
        }
        let core_title = self.core_title()?;
        for (i, part) in slide_parts.iter().enumerate() {
            self.slide_numbers.insert(part.clone(), i + 1);
        }

        // First pass: read every slide.
        let mut slides = Vec::new();
        for (i, part) in slide_parts.iter().enumerate() {
            let number = i + 1;
            match self.slide(number, part)? {
                Some(s) => slides.push(s),
                None => self.deck.tally.warnings.push(format!(
                    "slide {number}: its part {part} is missing from the file; the slide is \
                     left out (the deck is damaged — open it in PowerPoint and save it again)"
                )),
            }
        }

        // Section slides (the "section header" layout) become `##`, the
        // slides after them `###` within the section (an extra deck slide
        // each, `<!-- slide -->`).
        let has_sections = slides.iter().any(|s| s.section && !s.hidden);
        let mut md = String::new();
        md.push_str("+++\n");
        let page_title = slides
            .iter()
            .find(|s| !s.hidden)
            .and_then(|s| s.title.clone())
            .or(core_title)
            .unwrap_or_else(|| fallback_title.to_string());
        md.push_str(&format!("title = {}\n", toml_string(&page_title)));
        md.push_str("slides = true\n+++\n");
        let mut first = true;
        let mut in_section = false;
        let mut anchored = std::collections::BTreeSet::new();
        for s in slides {
            // `{#slide-N}` on the heading of a slide a link jumps to.
            let anchor = if self.jump_targets.contains(&s.number) && !s.hidden {
                format!(" {{#slide-{}}}", s.number)
            } else {
                String::new()
            };
            if s.hidden {
                self.deck
                    .tally
                    .hidden
                    .push((s.number, s.title.clone().unwrap_or_default()));
                continue;
            }
            self.deck.tally.slides += 1;
            md.push('\n');
            let title = s.title.clone();
            if first {
                md.push_str(&format!("# {}{anchor}\n", md_heading(&page_title)));
                first = false;
                anchored.insert(s.number);
            } else if has_sections && s.section {
                in_section = true;
                md.push_str(&format!(
                    "## {}{anchor}\n",
                    md_heading(title.as_deref().unwrap_or(""))
                ));
                anchored.insert(s.number);
            } else if in_section {
                md.push_str("<!-- slide -->\n\n");
                if let Some(t) = &title {
                    md.push_str(&format!("### {}{anchor}\n", md_heading(t)));
                    anchored.insert(s.number);
                }
            } else {
                let t = match &title {
                    Some(t) => t.clone(),
                    None => {
                        self.deck.tally.warnings.push(format!(
                            "slide {}: it has no title; its heading is 「スライド {}」 — \
                             write one in the page",
                            s.number, s.number
                        ));
                        format!("スライド {}", s.number)
                    }
                };
                md.push_str(&format!("## {}{anchor}\n", md_heading(&t)));
                anchored.insert(s.number);
            }
            for b in s.blocks.iter().filter(|b| !b.trim().is_empty()) {
                md.push('\n');
                md.push_str(b);
                if !b.ends_with('\n') {
                    md.push('\n');
                }
            }
            if let Some(notes) = &s.notes {
                self.deck.tally.notes += 1;
                md.push_str("\n> [!講師メモ]\n");
                for line in notes.lines() {
                    if line.is_empty() {
                        md.push_str(">\n");
                    } else {
                        md.push_str(&format!("> {line}\n"));
                    }
                }
            }
        }
        if self.deck.tally.slides == 0 {
            md.push_str(&format!("\n# {}\n", md_heading(&page_title)));
            self.deck
                .tally
                .warnings
                .push("the deck has no visible slides; the page holds only its title".into());
        }
        // Links to slides that have no heading here (hidden, untitled
        // within a section) keep their text only.
        for n in self.jump_targets.clone() {
            if !anchored.contains(&n) {
                md = unlink(&md, &format!("#slide-{n}"));
                self.deck.tally.warnings.push(format!(
                    "slide {n}: links jump to it, but it is not on the page (hidden, or \
                     without a title); their text is kept without the link"
                ));
            }
        }
        self.deck.markdown = md;
        // By slide, in the order found within a slide.
        self.deck.tally.warnings.sort_by_key(|w| {
            w.strip_prefix("slide ")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
        });
        Ok(())
    }

    fn core_title(&mut self) -> Result<Option<String>, ContainerError> {
        let Some(t) = self.read_xml("docProps/core.xml")? else {
            return Ok(None);
        };
        let Ok(doc) = Document::parse(&t) else {
            // docProps are metadata; a broken one costs only the title.
            return Ok(None);
        };
        Ok(descendant(doc.root_element(), "title")
            .and_then(|n| n.text())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()))
    }

    fn slide(&mut self, number: usize, part: &str) -> Result<Option<SlideOut>, ContainerError> {
        let Some(text) = self.read_xml(part)? else {
            return Ok(None);
        };
        let doc = parse(part, &text)?;
        let root = doc.root_element();
        let hidden = root.attribute("show") == Some("0");
        let rels = self.rels(part)?;
        let layout = match rels
            .values()
            .find(|r| r.kind == "slideLayout" && !r.external)
        {
            Some(r) => {
                let t = r.target.clone();
                self.layout(&t)?
            }
            None => Layout::default(),
        };
        let ctx = SlideCtx {
            number,
            part: part.to_string(),
            rels,
            layout: &layout,
        };
        let mut out = SlideOut {
            number,
            title: None,
            section: layout.kind == "secHead",
            hidden,
            blocks: Vec::new(),
            notes: None,
        };
        if hidden {
            out.title = find_title(root);
            return Ok(Some(out));
        }
        let Some(tree) = descendant(root, "spTree") else {
            return Ok(Some(out));
        };
        let mut items = Vec::new();
        self.shapes(&ctx, tree, &mut items, &mut out.title, 0)?;
        for it in order(items) {
            out.blocks.extend(it.md);
        }
        // Speaker notes.
        if let Some(n) = ctx
            .rels
            .values()
            .find(|r| r.kind == "notesSlide" && !r.external)
        {
            let np = n.target.clone();
            out.notes = self.notes(&ctx, &np)?;
        }
        Ok(Some(out))
    }

    /// Reads the shapes of a tree (slide or group) into `items`; the title
    /// placeholder's text goes to `title`.
    fn shapes(
        &mut self,
        ctx: &SlideCtx,
        tree: Node,
        items: &mut Vec<Item>,
        title: &mut Option<String>,
        depth: usize,
    ) -> Result<(), ContainerError> {
        // PowerPoint nests groups a few levels; a file nesting them
        // thousands deep is hostile and would exhaust the stack.
        if depth > 64 {
            self.deck.tally.warnings.push(format!(
                "slide {}: groups nested more than 64 deep; what lies deeper is left out",
                ctx.number
            ));
            return Ok(());
        }
        for n in tree.children().filter(|n| n.is_element()) {
            // PowerPoint 2010+ content with a fallback: read the choice,
            // or the fallback when the choice gives nothing.
            if n.tag_name().name() == "AlternateContent" {
                let mut sub = Vec::new();
                if let Some(c) = child(n, "Choice") {
                    self.shapes(ctx, c, &mut sub, title, depth + 1)?;
                }
                if sub.is_empty() {
                    if let Some(f) = child(n, "Fallback") {
                        self.shapes(ctx, f, &mut sub, title, depth + 1)?;
                    }
                }
                items.extend(sub);
                continue;
            }
            let node = n;
            match node.tag_name().name() {
                "sp" => self.shape(ctx, node, items, title)?,
                "pic" => {
                    let (x, y, w, h) = rect(node, &["spPr", "xfrm"]).unwrap_or_default();
                    let md = self.picture(ctx, node)?;
                    items.push(Item { y, x, w, h, md });
                }
                "graphicFrame" => {
                    let (x, y, w, h) = rect(node, &["xfrm"]).unwrap_or_default();
                    let md = self.graphic_frame(ctx, node)?;
                    items.push(Item { y, x, w, h, md });
                }
                "grpSp" => {
                    let (x, y, w, h) = rect(node, &["grpSpPr", "xfrm"]).unwrap_or_default();
                    let mut sub = Vec::new();
                    self.shapes(ctx, node, &mut sub, title, depth + 1)?;
                    let mut md = Vec::new();
                    for it in order(sub) {
                        md.extend(it.md);
                    }
                    items.push(Item { y, x, w, h, md });
                }
                // Connectors, content parts (ink) and the tree's own
                // properties carry no text.
                _ => {}
            }
        }
        Ok(())
    }

    fn shape(
        &mut self,
        ctx: &SlideCtx,
        sp: Node,
        items: &mut Vec<Item>,
        title: &mut Option<String>,
    ) -> Result<(), ContainerError> {
        let ph = path(sp, &["nvSpPr", "nvPr", "ph"]);
        let kind = ph
            .and_then(|p| p.attribute("type"))
            .unwrap_or(if ph.is_some() { "body" } else { "" });
        let idx = ph.and_then(|p| p.attribute("idx"));
        match kind {
            "sldNum" | "ftr" | "dt" | "hdr" => {
                self.deck.tally.dropped_placeholders += 1;
                return Ok(());
            }
            _ => {}
        }
        let Some(body) = child(sp, "txBody") else {
            return Ok(());
        };
        let layout_ph = ph.and_then(|_| ctx.layout.find(kind, idx));
        if matches!(kind, "title" | "ctrTitle") {
            let paras = self.paragraphs(ctx, body, Frame::Plain, None);
            let t = heading_text(&paras);
            if !t.is_empty() {
                if title.is_none() {
                    *title = Some(t);
                } else {
                    items.push(Item {
                        y: 0,
                        x: 0,
                        w: 0,
                        h: 0,
                        md: vec![md_paragraph(&para_md(&Para {
                            level: 0,
                            bullet: Bullet::None,
                            spans: vec![plain_span(&t)],
                        }))],
                    });
                }
            }
            return Ok(());
        }
        let frame = if ph.is_some() && matches!(norm_kind(kind), "body") {
            Frame::Body
        } else {
            Frame::Plain
        };
        let paras = self.paragraphs(ctx, body, frame, layout_ph);
        if paras.iter().all(Para::is_empty) {
            // An empty placeholder or a shape without text.
            return Ok(());
        }
        let (x, y, w, h) = rect(sp, &["spPr", "xfrm"])
            .or_else(|| ph.and_then(|_| ctx.layout.position(kind, idx)))
            .unwrap_or((0, i64::MAX / 2, 0, 0));
        items.push(Item {
            y,
            x,
            w,
            h,
            md: blocks_md(&paras),
        });
        Ok(())
    }

    fn paragraphs(
        &mut self,
        ctx: &SlideCtx,
        body: Node,
        frame: Frame,
        layout_ph: Option<&Placeholder>,
    ) -> Vec<Para> {
        let own_lst = child(body, "lstStyle");
        let mut out = Vec::new();
        for p in children(body, "p") {
            let ppr = child(p, "pPr");
            let level = ppr
                .and_then(|n| int_attr(n, "lvl"))
                .unwrap_or(0)
                .clamp(0, 8) as usize;
            let bullet = ppr
                .and_then(explicit_bullet)
                .or_else(|| {
                    own_lst
                        .and_then(|l| child(l, &format!("lvl{}pPr", level + 1)))
                        .and_then(explicit_bullet)
                })
                .or_else(|| layout_ph.and_then(|l| l.bullets[level]))
                .unwrap_or(match frame {
                    Frame::Body => Bullet::Char,
                    Frame::Plain => Bullet::None,
                });
            let mut spans = Vec::new();
            for r in p.children().filter(|c| c.is_element()) {
                match r.tag_name().name() {
                    "br" => spans.push(Span {
                        br: true,
                        ..plain_span("")
                    }),
                    // Slide numbers and dates are the deck's, not the page's.
                    "fld"
                        if r.attribute("type")
                            .is_some_and(|t| t == "slidenum" || t.starts_with("datetime")) =>
                    {
                        self.deck.tally.dropped_placeholders += 1;
                    }
                    "r" | "fld" => {
                        let text: String = child(r, "t")
                            .map(|t| {
                                t.descendants()
                                    .filter(|d| d.is_text())
                                    .filter_map(|d| d.text())
                                    .collect()
                            })
                            .unwrap_or_default();
                        spans.push(self.span(ctx, child(r, "rPr"), text));
                    }
                    _ => {}
                }
            }
            out.push(Para {
                level,
                bullet,
                spans,
            });
        }
        out
    }

    fn span(&mut self, ctx: &SlideCtx, rpr: Option<Node>, text: String) -> Span {
        let text = self.symbols(ctx, rpr, text);
        let on = |name: &str| {
            rpr.and_then(|r| r.attribute(name))
                .is_some_and(|v| v == "1" || v == "true")
        };
        let underline = rpr
            .and_then(|r| r.attribute("u"))
            .is_some_and(|u| u != "none");
        let mut link = None;
        if let Some(h) = rpr.and_then(|r| child(r, "hlinkClick")) {
            let action = h.attribute("action").unwrap_or("");
            if let Some(rel) = rid(h, "id").and_then(|id| ctx.rels.get(id)) {
                if rel.external {
                    let t = rel.target.trim();
                    let lower = t.to_ascii_lowercase();
                    if lower.starts_with("http://")
                        || lower.starts_with("https://")
                        || lower.starts_with("mailto:")
                    {
                        link = Some(t.to_string());
                    } else if !t.is_empty() {
                        self.deck.tally.warnings.push(format!(
                            "slide {}: the link on 「{}」 points to {t}, not a web address; \
                             the text is kept without the link",
                            ctx.number,
                            text.trim()
                        ));
                    }
                } else if action.contains("hlinksldjump") {
                    // A jump to another slide: to its heading.
                    if let Some(&n) = self.slide_numbers.get(&rel.target) {
                        self.jump_targets.insert(n);
                        link = Some(format!("#slide-{n}"));
                    }
                }
                // Other actions (run a program, play a sound) mean nothing
                // on a web page.
            }
        }
        let strike = rpr
            .and_then(|r| r.attribute("strike"))
            .is_some_and(|v| v != "noStrike");
        // `baseline` is in thousandths of a percent: 30000 = raised 30 %.
        let script = match rpr.and_then(|r| int_attr(r, "baseline")).unwrap_or(0) {
            b if b > 0 => 1,
            b if b < 0 => -1,
            _ => 0,
        };
        Span {
            text,
            bold: on("b"),
            italic: on("i"),
            underline,
            strike,
            script,
            link,
            br: false,
        }
    }

    /// Characters of a symbol font (Wingdings, Symbol) are stored in the
    /// private-use area (U+F020–U+F0FF); browsers show them as boxes. The
    /// common ones become their Unicode look-alikes, the rest are dropped
    /// with a warning.
    fn symbols(&mut self, ctx: &SlideCtx, rpr: Option<Node>, text: String) -> String {
        if !text.chars().any(|c| ('\u{f020}'..='\u{f0ff}').contains(&c)) {
            return text;
        }
        let font = rpr
            .and_then(|r| child(r, "sym"))
            .and_then(|s| s.attribute("typeface"))
            .unwrap_or("");
        let mut out = String::new();
        for c in text.chars() {
            if !('\u{f020}'..='\u{f0ff}').contains(&c) {
                out.push(c);
                continue;
            }
            let code = c as u32 - 0xF000;
            let mapped = if font.starts_with("Wingdings") {
                match code {
                    0x4A => Some('☺'),
                    0x4B => Some('😐'),
                    0x4C => Some('☹'),
                    0x6C => Some('●'),
                    0x6E => Some('■'),
                    0x71 => Some('❑'),
                    0x76 => Some('❖'),
                    0x9F => Some('•'),
                    0xA7 => Some('▪'),
                    0xA8 => Some('◻'),
                    0xD8 => Some('➢'),
                    0xDF => Some('←'),
                    0xE0 => Some('→'),
                    0xE8 => Some('➔'),
                    0xF0 => Some('⇨'),
                    0xFB => Some('✘'),
                    0xFC => Some('✔'),
                    0xFE => Some('☑'),
                    _ => None,
                }
            } else {
                None
            };
            match mapped {
                Some(m) => out.push(m),
                None => self.deck.tally.warnings.push(format!(
                    "slide {}: a character of the symbol font {} (U+{:04X}) has no \
                     Unicode equivalent kenshu knows; it is left out",
                    ctx.number,
                    if font.is_empty() { "(unnamed)" } else { font },
                    c as u32
                )),
            }
        }
        out
    }

    fn notes(&mut self, ctx: &SlideCtx, part: &str) -> Result<Option<String>, ContainerError> {
        let Some(text) = self.read_xml(part)? else {
            self.deck.tally.warnings.push(format!(
                "slide {}: its speaker notes ({part}) are missing from the file; none carried",
                ctx.number
            ));
            return Ok(None);
        };
        let doc = parse(part, &text)?;
        let nctx = SlideCtx {
            number: ctx.number,
            part: part.to_string(),
            rels: self.rels(part)?,
            layout: ctx.layout,
        };
        let mut blocks = Vec::new();
        for sp in doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "sp")
        {
            let kind = path(sp, &["nvSpPr", "nvPr", "ph"]).and_then(|p| p.attribute("type"));
            if kind != Some("body") {
                continue;
            }
            if let Some(body) = child(sp, "txBody") {
                let paras = self.paragraphs(&nctx, body, Frame::Plain, None);
                if !paras.iter().all(Para::is_empty) {
                    blocks.extend(blocks_md(&paras));
                }
            }
        }
        if blocks.is_empty() {
            return Ok(None);
        }
        let blocks: Vec<&str> = blocks.iter().map(|b| b.trim_end()).collect();
        Ok(Some(blocks.join("\n\n")))
    }

    fn picture(&mut self, ctx: &SlideCtx, pic: Node) -> Result<Vec<String>, ContainerError> {
        let cnv = path(pic, &["nvPicPr", "cNvPr"]);
        let name = cnv
            .and_then(|c| c.attribute("name"))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("(unnamed)");
        let descr = cnv
            .and_then(|c| c.attribute("descr"))
            .map(collapse_ws)
            .filter(|d| !d.is_empty());
        // PowerPoint and python-pptx put the file's name there when nobody
        // wrote a description: that is no alt text.
        let file_name_only = descr.as_deref().is_some_and(|d| {
            let lower = d.to_ascii_lowercase();
            !d.contains(' ')
                && [
                    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".emf", ".wmf", ".bmp", ".tif",
                    ".tiff",
                ]
                .iter()
                .any(|e| lower.ends_with(e))
        });
        let descr = descr.filter(|_| !file_name_only);
        let decorative = cnv.is_some_and(|c| {
            c.descendants()
                .any(|d| d.tag_name().name() == "decorative" && d.attribute("val") == Some("1"))
        });
        if path(pic, &["nvPicPr", "nvPr"]).is_some_and(|n| {
            n.children().any(|c| {
                matches!(
                    c.tag_name().name(),
                    "videoFile" | "audioFile" | "wavAudioFile" | "quickTimeFile"
                )
            })
        }) {
            self.deck.tally.warnings.push(format!(
                "slide {}: the video or sound 「{name}」 is not carried over (only its poster \
                 picture is)",
                ctx.number
            ));
        }
        let Some(blip) = path(pic, &["blipFill", "blip"]) else {
            return Ok(vec![]);
        };
        // An SVG picture is stored beside its PNG fallback (Office 2016+).
        let svg = descendant(blip, "svgBlip").and_then(|s| rid(s, "embed"));
        let embed = svg.or_else(|| rid(blip, "embed"));
        let alt = match (&descr, decorative) {
            (Some(d), _) => d.clone(),
            (None, true) => String::new(),
            (None, false) => {
                self.deck.tally.warnings.push(format!(
                    "slide {}: the picture 「{name}」 has no alt text (PowerPoint: 右クリック → \
                     代替テキストを表示); add a description in the page's ![…]",
                    ctx.number
                ));
                String::new()
            }
        };
        let Some(id) = embed.or_else(|| rid(blip, "link")) else {
            return Ok(vec![]);
        };
        let Some(rel) = ctx.rels.get(id).cloned() else {
            self.deck.tally.warnings.push(format!(
                "slide {}: the picture 「{name}」 refers to a relationship ({id}) the slide \
                 does not have; it is left out",
                ctx.number
            ));
            return Ok(vec![omitted(&format!("図は省略（{}）", html_escape(name)))]);
        };
        if rel.external || rid(blip, "embed").is_none() && svg.is_none() {
            self.deck.tally.warnings.push(format!(
                "slide {}: the picture 「{name}」 is linked to an outside file ({}), not \
                 embedded; kenshu does not fetch it. Insert the picture into the slide \
                 (PowerPoint: 挿入 → 画像, without 「ファイルにリンク」) or put the file in \
                 content/ and link it from the page",
                ctx.number, rel.target
            ));
            return Ok(vec![omitted(&format!(
                "図は省略（外部ファイル {} へのリンク）",
                html_escape(&rel.target)
            ))]);
        }
        match self.media(ctx, &rel.target, name)? {
            Some(path) => Ok(vec![format!("![{}]({})", md_alt(&alt), md_url(&path))]),
            None => {
                let why = self
                    .omit_reason
                    .get(&rel.target)
                    .cloned()
                    .unwrap_or_else(|| "元の図がファイルにありません".into());
                let what = if alt.is_empty() { name } else { alt.as_str() };
                Ok(vec![omitted(&format!(
                    "図は省略（{}：{}）",
                    html_escape(what),
                    html_escape(&why)
                ))])
            }
        }
    }

    /// Writes a media part once; returns its path relative to the page.
    fn media(
        &mut self,
        ctx: &SlideCtx,
        part: &str,
        shape: &str,
    ) -> Result<Option<String>, ContainerError> {
        if let Some(p) = self.media_by_part.get(part) {
            return Ok(p.clone());
        }
        let Some(bytes) = self.pkg.read(part)? else {
            self.deck.tally.warnings.push(format!(
                "slide {}: the picture 「{shape}」's file {part} is missing from the deck; \
                 it is left out (insert the picture again in PowerPoint)",
                ctx.number
            ));
            self.media_by_part.insert(part.to_string(), None);
            return Ok(None);
        };
        let stem = part
            .rsplit('/')
            .next()
            .unwrap_or("image")
            .rsplit_once('.')
            .map(|(s, _)| s)
            .unwrap_or("image")
            .to_string();
        let stem = safe_file_stem(&stem);
        let result = match sniff(&bytes) {
            Some(ext) => Some(self.add_media(&stem, ext, bytes)),
            None => {
                let ext = part.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                let metafile = matches!(ext.as_str(), "emf" | "wmf")
                    || bytes.starts_with(&[1, 0, 0, 0]) && bytes.get(40..44) == Some(b" EMF")
                    || bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]);
                if metafile {
                    let ext = if ext == "wmf" || bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]) {
                        "wmf"
                    } else {
                        "emf"
                    };
                    if !self.converter_looked {
                        self.converter = convert::find();
                        self.converter_looked = true;
                    }
                    // Err(None): no converter; Err(Some(..)): it failed.
                    let png = match self.converter.as_ref() {
                        Some(c) => c.to_png(&bytes, ext).map_err(|e| Some((c.name(), e))),
                        None => Err(None),
                    };
                    match png {
                        Ok(png) => Some(self.add_media(&stem, "png", png)),
                        Err(failure) => {
                            let kept = self.add_media(&stem, ext, bytes);
                            let upper = ext.to_uppercase();
                            self.omit_reason.insert(
                                part.to_string(),
                                format!("{upper} 形式のため表示できません。元の図は {kept}"),
                            );
                            let n = ctx.number;
                            self.deck.tally.warnings.push(match failure {
                                Some((who, e)) => format!(
                                    "slide {n}: the picture 「{shape}」 is a Windows metafile \
                                     ({upper}); {who} could not convert it ({e}); it is kept \
                                     as {kept} but browsers cannot show it — export it as PNG \
                                     or SVG and replace it"
                                ),
                                None => format!(
                                    "slide {n}: the picture 「{shape}」 is a Windows metafile \
                                     ({upper}), which browsers cannot show; no converter was \
                                     found (install inkscape or libreoffice and import again); \
                                     it is kept as {kept}"
                                ),
                            });
                            None
                        }
                    }
                } else {
                    self.omit_reason
                        .insert(part.to_string(), "ブラウザーで表示できない形式です".into());
                    self.deck.tally.warnings.push(format!(
                        "slide {}: the picture 「{shape}」 ({part}) is in a format browsers \
                         do not show (only PNG, JPEG, GIF, SVG and WebP are carried); it is \
                         left out — save it as PNG and insert it again",
                        ctx.number
                    ));
                    None
                }
            }
        };
        self.media_by_part.insert(part.to_string(), result.clone());
        Ok(result)
    }

    fn add_media(&mut self, stem: &str, ext: &str, bytes: Vec<u8>) -> String {
        let base = format!("{stem}.{ext}");
        let n = self.used_names.entry(base.clone()).or_insert(0);
        *n += 1;
        let file = if *n == 1 {
            base
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = format!("{}/{file}", self.dir);
        self.deck.media.push(MediaFile {
            path: path.clone(),
            bytes,
        });
        path
    }

    fn graphic_frame(&mut self, ctx: &SlideCtx, gf: Node) -> Result<Vec<String>, ContainerError> {
        let Some(data) = path(gf, &["graphic", "graphicData"]) else {
            return Ok(vec![]);
        };
        let name = path(gf, &["nvGraphicFramePr", "cNvPr"])
            .and_then(|c| c.attribute("name"))
            .unwrap_or("object");
        if let Some(tbl) = child(data, "tbl") {
            self.deck.tally.tables += 1;
            return Ok(vec![self.table(ctx, tbl)]);
        }
        let uri = data.attribute("uri").unwrap_or("");
        if uri.ends_with("/chart") {
            if let Some(id) = child(data, "chart").and_then(|c| rid(c, "id")) {
                if let Some(rel) = ctx.rels.get(id).cloned() {
                    return self.chart(ctx, &rel.target, name);
                }
            }
        }
        if uri.ends_with("/diagram") {
            if let Some(id) = child(data, "relIds").and_then(|c| rid(c, "dm")) {
                if let Some(rel) = ctx.rels.get(id).cloned() {
                    return self.smartart(ctx, &rel.target, name);
                }
            }
        }
        // An embedded object (OLE: Excel sheet, equation…): keep its
        // picture when it has one.
        if let Some(pic) = descendant(data, "pic") {
            self.deck.tally.warnings.push(format!(
                "slide {}: the embedded object 「{name}」 is carried as its picture only",
                ctx.number
            ));
            return self.picture(ctx, pic);
        }
        self.deck.tally.warnings.push(format!(
            "slide {}: the object 「{name}」 ({}) is not carried over",
            ctx.number,
            uri.rsplit('/').next().unwrap_or("unknown")
        ));
        Ok(vec![])
    }

    fn table(&mut self, ctx: &SlideCtx, tbl: Node) -> String {
        let first_row = path(tbl, &["tblPr"])
            .and_then(|p| p.attribute("firstRow"))
            .is_some_and(|v| v == "1" || v == "true");
        struct Cell {
            paras: Vec<Para>,
            colspan: i64,
            rowspan: i64,
        }
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut merged = false;
        let mut rich = false;
        for tr in children(tbl, "tr") {
            let mut row = Vec::new();
            for tc in children(tr, "tc") {
                if tc
                    .attribute("hMerge")
                    .is_some_and(|v| v == "1" || v == "true")
                    || tc
                        .attribute("vMerge")
                        .is_some_and(|v| v == "1" || v == "true")
                {
                    merged = true;
                    continue;
                }
                let colspan = int_attr(tc, "gridSpan").unwrap_or(1).clamp(1, 1000);
                let rowspan = int_attr(tc, "rowSpan").unwrap_or(1).clamp(1, 1000);
                if colspan > 1 || rowspan > 1 {
                    merged = true;
                }
                let paras: Vec<Para> = match child(tc, "txBody") {
                    Some(b) => self
                        .paragraphs(ctx, b, Frame::Plain, None)
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .collect(),
                    None => vec![],
                };
                if paras.len() > 1 || paras.iter().any(|p| p.bullet != Bullet::None) {
                    rich = true;
                }
                row.push(Cell {
                    paras,
                    colspan,
                    rowspan,
                });
            }
            rows.push(row);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        // A Markdown table always has a header row: only a table whose
        // first row is marked as one (PowerPoint's default) can be one.
        if first_row && !merged && !rich && width > 0 {
            // A Markdown table: the first row is its header.
            let mut s = String::new();
            for (i, row) in rows.iter().enumerate() {
                s.push('|');
                for j in 0..width {
                    let text = row
                        .get(j)
                        .and_then(|c| c.paras.first())
                        .map(para_md)
                        .unwrap_or_default();
                    s.push_str(&format!(" {text} |"));
                }
                s.push('\n');
                if i == 0 {
                    s.push('|');
                    for _ in 0..width {
                        s.push_str(" --- |");
                    }
                    s.push('\n');
                }
            }
            return s;
        }
        // An HTML table: merged cells and lists in cells.
        let mut s = String::from("<table>\n");
        for (i, row) in rows.iter().enumerate() {
            let head = first_row && i == 0;
            if head {
                s.push_str("<thead>\n");
            } else if i == usize::from(first_row) {
                s.push_str("<tbody>\n");
            }
            s.push_str("<tr>");
            for c in row {
                let tag = if head { "th" } else { "td" };
                s.push('<');
                s.push_str(tag);
                if head {
                    s.push_str(" scope=\"col\"");
                }
                if c.colspan > 1 {
                    s.push_str(&format!(" colspan=\"{}\"", c.colspan));
                }
                if c.rowspan > 1 {
                    s.push_str(&format!(" rowspan=\"{}\"", c.rowspan));
                }
                s.push('>');
                s.push_str(&cell_html(&c.paras));
                s.push_str(&format!("</{tag}>"));
            }
            s.push_str("</tr>\n");
            if head {
                s.push_str("</thead>\n");
            }
        }
        if rows.len() > usize::from(first_row) {
            s.push_str("</tbody>\n");
        }
        s.push_str("</table>\n");
        s
    }

    fn chart(
        &mut self,
        ctx: &SlideCtx,
        part: &str,
        name: &str,
    ) -> Result<Vec<String>, ContainerError> {
        let Some(text) = self.read_xml(part)? else {
            self.deck.tally.warnings.push(format!(
                "slide {}: the chart 「{name}」's part {part} is missing; it is left out",
                ctx.number
            ));
            return Ok(vec![]);
        };
        let doc = parse(part, &text)?;
        let root = doc.root_element();
        let title = descendant(root, "chart")
            .and_then(|c| child(c, "title"))
            .map(|t| {
                t.descendants()
                    .filter(|d| d.tag_name().name() == "t")
                    .filter_map(|d| d.text())
                    .collect::<String>()
            })
            .filter(|t| !t.trim().is_empty());
        let Some(plot) = descendant(root, "plotArea") else {
            return Ok(vec![]);
        };
        let mut kind = "";
        let mut series: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
        for ch in plot
            .children()
            .filter(|c| c.is_element() && c.tag_name().name().ends_with("Chart"))
        {
            if kind.is_empty() {
                kind = ch.tag_name().name();
            }
            for ser in children(ch, "ser") {
                let sname = child(ser, "tx")
                    .map(cache_values)
                    .and_then(|v| v.into_iter().next());
                let cats = child(ser, "cat")
                    .or_else(|| child(ser, "xVal"))
                    .map(cache_values)
                    .unwrap_or_default();
                let vals = child(ser, "val")
                    .or_else(|| child(ser, "yVal"))
                    .map(cache_values)
                    .unwrap_or_default();
                series.push((
                    sname.unwrap_or_else(|| format!("系列{}", series.len() + 1)),
                    cats,
                    vals,
                ));
            }
        }
        if series.is_empty() {
            self.deck.tally.warnings.push(format!(
                "slide {}: the chart 「{name}」 has no saved data; it is left out",
                ctx.number
            ));
            return Ok(vec![]);
        }
        self.deck.tally.charts += 1;
        let kind_ja = match kind {
            "barChart" | "bar3DChart" => "棒グラフ",
            "lineChart" | "line3DChart" => "折れ線グラフ",
            "pieChart" | "pie3DChart" | "doughnutChart" | "ofPieChart" => "円グラフ",
            "areaChart" | "area3DChart" => "面グラフ",
            "scatterChart" | "bubbleChart" => "散布図",
            "radarChart" => "レーダーチャート",
            _ => "グラフ",
        };
        let cats = series
            .iter()
            .map(|s| s.1.clone())
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        let rows = series
            .iter()
            .map(|s| s.2.len())
            .max()
            .unwrap_or(0)
            .max(cats.len());
        let mut t = String::from("| |");
        for s in &series {
            t.push_str(&format!(" {} |", cell_md(&s.0)));
        }
        t.push_str("\n| --- |");
        for _ in &series {
            t.push_str(" ---: |");
        }
        t.push('\n');
        for r in 0..rows {
            t.push_str(&format!(
                "| {} |",
                cell_md(cats.get(r).map(String::as_str).unwrap_or(""))
            ));
            for s in &series {
                t.push_str(&format!(
                    " {} |",
                    cell_md(s.2.get(r).map(String::as_str).unwrap_or(""))
                ));
            }
            t.push('\n');
        }
        let mut out = Vec::new();
        if let Some(title) = &title {
            out.push(md_paragraph(&format!("**{}**", md_escape(title.trim()))));
        }
        out.push(t);
        out.push(format!(
            "> [!NOTE]\n> 元のスライドの{kind_ja}を、ファイルに保存されていたデータの表にしました\
             （グラフそのものは収録されていません）。"
        ));
        Ok(out)
    }

    fn smartart(
        &mut self,
        ctx: &SlideCtx,
        part: &str,
        name: &str,
    ) -> Result<Vec<String>, ContainerError> {
        let Some(text) = self.read_xml(part)? else {
            self.deck.tally.warnings.push(format!(
                "slide {}: the SmartArt 「{name}」's data part {part} is missing; it is left \
                 out",
                ctx.number
            ));
            return Ok(vec![]);
        };
        let doc = parse(part, &text)?;
        let root = doc.root_element();
        // Points: id → (type, text).
        let mut pts: HashMap<&str, (&str, String)> = HashMap::new();
        let mut doc_id = None;
        if let Some(lst) = child(root, "ptLst") {
            for pt in children(lst, "pt") {
                let Some(id) = pt.attribute("modelId") else {
                    continue;
                };
                let ty = pt.attribute("type").unwrap_or("node");
                if ty == "doc" {
                    doc_id = Some(id);
                }
                let text = child(pt, "t")
                    .map(|t| {
                        let mut parts = Vec::new();
                        for p in children(t, "p") {
                            let s: String = p
                                .descendants()
                                .filter(|d| d.tag_name().name() == "t")
                                .filter_map(|d| d.text())
                                .collect();
                            if !s.trim().is_empty() {
                                parts.push(s.trim().to_string());
                            }
                        }
                        parts.join(" ")
                    })
                    .unwrap_or_default();
                pts.insert(id, (ty, text));
            }
        }
        // Parent → children, ordered by srcOrd.
        let mut kids: HashMap<&str, Vec<(i64, &str)>> = HashMap::new();
        if let Some(lst) = child(root, "cxnLst") {
            for c in children(lst, "cxn") {
                let ty = c.attribute("type").unwrap_or("parOf");
                if ty != "parOf" {
                    continue;
                }
                if let (Some(s), Some(d)) = (c.attribute("srcId"), c.attribute("destId")) {
                    kids.entry(s)
                        .or_default()
                        .push((int_attr(c, "srcOrd").unwrap_or(0), d));
                }
            }
        }
        for v in kids.values_mut() {
            v.sort();
        }
        let mut lines = Vec::new();
        let mut seen = std::collections::HashSet::new();
        fn walk<'x>(
            id: &'x str,
            depth: usize,
            pts: &HashMap<&'x str, (&'x str, String)>,
            kids: &HashMap<&'x str, Vec<(i64, &'x str)>>,
            seen: &mut std::collections::HashSet<&'x str>,
            lines: &mut Vec<String>,
        ) {
            if depth > 20 || !seen.insert(id) {
                return;
            }
            for &(_, k) in kids.get(id).map(Vec::as_slice).unwrap_or(&[]) {
                let Some((ty, text)) = pts.get(k) else {
                    continue;
                };
                if !matches!(*ty, "node" | "asst") {
                    continue;
                }
                let next = if text.is_empty() {
                    depth
                } else {
                    lines.push(format!("{}- {}", "  ".repeat(depth), md_escape(text)));
                    depth + 1
                };
                walk(k, next, pts, kids, seen, lines);
            }
        }
        if let Some(d) = doc_id {
            walk(d, 0, &pts, &kids, &mut seen, &mut lines);
        }
        if lines.is_empty() {
            self.deck.tally.warnings.push(format!(
                "slide {}: the SmartArt 「{name}」 holds no text; it is left out",
                ctx.number
            ));
            return Ok(vec![]);
        }
        self.deck.tally.smartart += 1;
        self.deck.tally.warnings.push(format!(
            "slide {}: the SmartArt 「{name}」 is carried as a nested list (its shapes and \
             arrows are not)",
            ctx.number
        ));
        let _ = &ctx.part;
        Ok(vec![lines.join("\n") + "\n"])
    }
}

struct SlideOut {
    number: usize,
    title: Option<String>,
    section: bool,
    hidden: bool,
    blocks: Vec<String>,
    notes: Option<String>,
}

fn find_title(root: Node) -> Option<String> {
    for sp in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "sp")
    {
        let kind = path(sp, &["nvSpPr", "nvPr", "ph"]).and_then(|p| p.attribute("type"));
        if matches!(kind, Some("title" | "ctrTitle")) {
            let t: String = sp
                .descendants()
                .filter(|d| d.tag_name().name() == "t")
                .filter_map(|d| d.text())
                .collect();
            let t = collapse_ws(&t);
            if !t.is_empty() {
                return Some(t);
            }
        }
    }
    None
}

/// A shape's box (x, y, width, height) from its `xfrm`.
fn rect(n: Node, xfrm: &[&str]) -> Option<(i64, i64, i64, i64)> {
    let x = path(n, xfrm)?;
    let off = child(x, "off")?;
    let ext = child(x, "ext");
    let v = |n: Option<Node>, a: &str| n.and_then(|n| int_attr(n, a)).unwrap_or(0);
    Some((
        v(Some(off), "x"),
        v(Some(off), "y"),
        v(ext, "cx").max(0),
        v(ext, "cy").max(0),
    ))
}

/// Groups of items separated by a gap along one axis (`x` when `columns`),
/// in order along it.
fn split_by_gaps(mut items: Vec<Item>, columns: bool) -> Vec<Vec<Item>> {
    let span = |i: &Item| {
        if columns {
            (i.x, i.x.saturating_add(i.w))
        } else {
            (i.y, i.y.saturating_add(i.h))
        }
    };
    // Boxes drawn by hand overlap their neighbours a little: up to about a
    // tenth of an inch still counts as a gap.
    const SLACK: i64 = 120_000;
    items.sort_by_key(|i| span(i));
    let mut groups: Vec<Vec<Item>> = Vec::new();
    let mut end = i64::MIN;
    for it in items {
        let (a, b) = span(&it);
        match groups.last_mut() {
            Some(g) if a < end.saturating_sub(SLACK) => g.push(it),
            _ => groups.push(vec![it]),
        }
        end = end.max(b);
    }
    groups
}

/// Whether groups split along x are columns of a layout: at least two,
/// each with two shapes or more and at least a quarter of the width (a
/// narrow strip of icons beside their lines of text is not a column).
fn is_layout_columns(cols: &[Vec<Item>]) -> bool {
    let extent = |g: &[Item]| {
        let a = g.iter().map(|i| i.x).min().unwrap_or(0);
        let b = g.iter().map(|i| i.x.saturating_add(i.w)).max().unwrap_or(0);
        (a, b)
    };
    let all: Vec<(i64, i64)> = cols.iter().map(|c| extent(c)).collect();
    let left = all.iter().map(|e| e.0).min().unwrap_or(0);
    let right = all.iter().map(|e| e.1).max().unwrap_or(0);
    let width = right.saturating_sub(left).max(1);
    cols.len() >= 2
        && cols.iter().all(|c| c.len() >= 2)
        && all
            .iter()
            .all(|(a, b)| b.saturating_sub(*a).saturating_mul(4) >= width)
}

/// Visual order by recursive cuts (XY-cut): a slide split into columns
/// when it has them (a gap from top to bottom with at least two shapes on
/// every side), else into rows (gaps from left to right), each part read
/// the same way; side-by-side single shapes left to right.
fn order(items: Vec<Item>) -> Vec<Item> {
    fn cut(items: Vec<Item>, depth: usize) -> Vec<Item> {
        // Real slides hold tens of shapes; a file with thousands is read
        // by the simple row order, which is n log n.
        if items.len() <= 1 || items.len() > 400 || depth > 32 {
            return band_order(items);
        }
        let cols = split_by_gaps(items, true);
        if is_layout_columns(&cols) {
            return cols.into_iter().flat_map(|c| cut(c, depth + 1)).collect();
        }
        let items: Vec<Item> = cols.into_iter().flatten().collect();
        let rows = split_by_gaps(items, false);
        if rows.len() >= 2 {
            // Rows that continue the same columns are read as one block
            // (two people side by side, one line per text box).
            let columns = |items: &[&Item]| -> usize {
                let owned: Vec<Item> = items
                    .iter()
                    .map(|i| Item {
                        md: Vec::new(),
                        ..**i
                    })
                    .collect();
                let cols = split_by_gaps(owned, true);
                if is_layout_columns(&cols) {
                    cols.len()
                } else {
                    0
                }
            };
            let mut blocks: Vec<Vec<Item>> = Vec::new();
            for row in rows {
                if let Some(last) = blocks.last_mut() {
                    let row_cols = split_by_gaps(
                        row.iter()
                            .map(|i| Item {
                                md: Vec::new(),
                                ..*i
                            })
                            .collect(),
                        true,
                    )
                    .len();
                    let both: Vec<&Item> = last.iter().chain(row.iter()).collect();
                    if row_cols >= 2 && columns(&both) == row_cols {
                        last.extend(row);
                        continue;
                    }
                }
                blocks.push(row);
            }
            if blocks.len() >= 2 {
                return blocks.into_iter().flat_map(|b| cut(b, depth + 1)).collect();
            }
            let only = blocks.into_iter().flatten().collect();
            return cut_columns(only, depth);
        }
        cut_columns(rows.into_iter().flatten().collect(), depth)
    }
    /// The columns of one block, left to right, each read by `cut`.
    fn cut_columns(items: Vec<Item>, depth: usize) -> Vec<Item> {
        let cols = split_by_gaps(items, true);
        if cols.len() >= 2 {
            return cols.into_iter().flat_map(|c| cut(c, depth + 1)).collect();
        }
        band_order(cols.into_iter().flatten().collect())
    }
    cut(items, 0)
}

/// Visual order: rows from the top (shapes whose tops lie within about a
/// twentieth of a slide's height of a row's first shape are in that row),
/// left to right within a row.
fn band_order(mut items: Vec<Item>) -> Vec<Item> {
    const BAND: i64 = 342_900; // 0.375 inch, 1/20 of a 7.5-inch slide
    items.sort_by_key(|i| (i.y, i.x));
    let mut out = Vec::with_capacity(items.len());
    let mut row: Vec<Item> = Vec::new();
    let mut row_top = i64::MIN;
    for it in items {
        if !row.is_empty() && it.y.saturating_sub(row_top) > BAND {
            row.sort_by_key(|i| i.x);
            out.append(&mut row);
        }
        if row.is_empty() {
            row_top = it.y;
        }
        row.push(it);
    }
    row.sort_by_key(|i| i.x);
    out.append(&mut row);
    out
}

fn cache_values(n: Node) -> Vec<String> {
    // strCache / numCache / strLit / numLit: points by index.
    let mut pts: Vec<(usize, String)> = n
        .descendants()
        .filter(|d| d.tag_name().name() == "pt")
        .map(|p| {
            (
                p.attribute("idx").and_then(|i| i.parse().ok()).unwrap_or(0),
                child(p, "v")
                    .and_then(|v| v.text())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect();
    if pts.is_empty() {
        if let Some(v) = descendant(n, "v").and_then(|v| v.text()) {
            return vec![v.to_string()];
        }
    }
    pts.sort_by_key(|p| p.0);
    let len = pts.last().map(|p| p.0 + 1).unwrap_or(0).min(10_000);
    let mut out = vec![String::new(); len];
    for (i, v) in pts {
        if i < len {
            out[i] = v;
        }
    }
    out
}

fn plain_span(t: &str) -> Span {
    Span {
        text: t.to_string(),
        bold: false,
        italic: false,
        underline: false,
        strike: false,
        script: 0,
        link: None,
        br: false,
    }
}

/// A heading's text: the runs joined, a line break read as a space only
/// between two Latin words (Japanese lines join without one).
fn heading_text(paras: &[Para]) -> String {
    let mut s = String::new();
    for p in paras {
        for sp in &p.spans {
            if sp.br {
                s.push('\n');
            } else {
                s.push_str(&sp.text);
            }
        }
        s.push('\n');
    }
    join_lines(&s)
}

fn join_lines(s: &str) -> String {
    let mut out = String::new();
    for line in s.split('\n').map(str::trim).filter(|l| !l.is_empty()) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if !out.is_empty() && latin(out.chars().last()) && latin(line.chars().next()) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Markdown blocks of a text frame: runs of bulleted paragraphs are one
/// (nested) list, every other paragraph is a paragraph.
fn blocks_md(paras: &[Para]) -> Vec<String> {
    let mut out = Vec::new();
    let mut list: Vec<&Para> = Vec::new();
    let flush = |list: &mut Vec<&Para>, out: &mut Vec<String>| {
        if !list.is_empty() {
            out.push(list_md(list));
            list.clear();
        }
    };
    for p in paras {
        if p.is_empty() {
            flush(&mut list, &mut out);
            continue;
        }
        if p.bullet == Bullet::None {
            flush(&mut list, &mut out);
            out.push(md_paragraph(&para_md(p)));
        } else {
            list.push(p);
        }
    }
    flush(&mut list, &mut out);
    out
}

/// A nested Markdown list; a level deeper than the one above it by more
/// than one is read as one deeper.
fn list_md(items: &[&Para]) -> String {
    let mut s = String::new();
    // Per depth: the indent of its items and the next number.
    let mut stack: Vec<(usize, i64, Bullet)> = Vec::new();
    let mut indent_of: Vec<usize> = Vec::new();
    for p in items {
        let depth = p.level.min(stack.len());
        stack.truncate(depth + 1);
        indent_of.truncate(depth + 1);
        let indent = if depth == 0 { 0 } else { indent_of[depth - 1] };
        let same_kind = stack.get(depth).is_some_and(|(_, _, b)| {
            matches!(
                (b, p.bullet),
                (Bullet::Char, Bullet::Char) | (Bullet::Num(_), Bullet::Num(_))
            )
        });
        if !same_kind {
            // A new list at this depth (a different kind needs a blank line
            // to start a new list in CommonMark).
            if stack.len() > depth && !s.is_empty() {
                s.push('\n');
            }
            let start = match p.bullet {
                Bullet::Num(n) => n,
                _ => 1,
            };
            stack.truncate(depth);
            stack.push((indent, start, p.bullet));
        }
        let (_, num, _) = stack[depth];
        let marker = match p.bullet {
            Bullet::Num(_) => format!("{num}."),
            _ => "-".to_string(),
        };
        stack[depth].1 += 1;
        s.push_str(&" ".repeat(indent));
        s.push_str(&marker);
        s.push(' ');
        s.push_str(&para_md(p));
        s.push('\n');
        indent_of.truncate(depth);
        indent_of.push(indent + marker.chars().count() + 1);
    }
    s
}

/// A paragraph's text is escaped so it cannot start another block.
fn md_paragraph(inline: &str) -> String {
    let t = inline.trim_start();
    let mut out = String::new();
    let first = t.chars().next();
    if matches!(first, Some('-' | '+' | '=')) {
        out.push('\\');
        out.push_str(t);
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        // `1.` or `1)` would start a numbered list.
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &t[digits.len()..];
        if rest.starts_with('.') || rest.starts_with(')') {
            out.push_str(&digits);
            out.push('\\');
            out.push_str(rest);
        } else {
            out.push_str(t);
        }
    } else {
        out.push_str(t);
    }
    out.push('\n');
    out
}

/// Escapes Markdown's inline syntax (every ASCII punctuation CommonMark or
/// kenshu gives a meaning to) with backslashes.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '{' | '}' | '#' | '~' | '!'
            | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn md_heading(s: &str) -> String {
    md_escape(&join_lines(s))
}

fn cell_md(s: &str) -> String {
    md_escape(&collapse_ws(s))
}

fn md_alt(s: &str) -> String {
    md_escape(s)
}

fn md_url(p: &str) -> String {
    let mut out = String::new();
    for c in p.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c => out.push(c),
        }
    }
    out
}

/// `md` without the links to `target`: `[text](target)` → `text`,
/// `<a href="target">text</a>` → `text`.
fn unlink(md: &str, target: &str) -> String {
    let mut out = md.to_string();
    let close = format!("]({target})");
    while let Some(end) = out.find(&close) {
        let b = out.as_bytes();
        let mut start = None;
        let mut i = end;
        while i > 0 {
            i -= 1;
            if b[i] == b'[' && (i == 0 || b[i - 1] != b'\\') {
                start = Some(i);
                break;
            }
        }
        out.replace_range(end..end + close.len(), "");
        if let Some(st) = start {
            out.replace_range(st..st + 1, "");
        }
    }
    let open = format!("<a href=\"{target}\">");
    while let Some(st) = out.find(&open) {
        out.replace_range(st..st + open.len(), "");
        if let Some(e) = out[st..].find("</a>") {
            out.replace_range(st + e..st + e + 4, "");
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    // Control characters (a slide's vertical tabs and the like) are dropped;
    // the rest is kenshu's one escaper.
    let kept: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    crate::html::escape(&kept)
}

fn omitted(text: &str) -> String {
    format!("<p class=\"figure-omitted\">{text}</p>\n")
}

/// Adjacent runs with the same formatting, merged; whitespace at the edges
/// of a formatted run moved outside it.
fn merged(spans: &[Span]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for sp in spans {
        if !sp.br && sp.text.is_empty() {
            continue;
        }
        if let Some(last) = out.last_mut() {
            if !sp.br
                && !last.br
                && last.bold == sp.bold
                && last.italic == sp.italic
                && last.underline == sp.underline
                && last.strike == sp.strike
                && last.script == sp.script
                && last.link == sp.link
            {
                last.text.push_str(&sp.text);
                continue;
            }
        }
        out.push(sp.clone());
    }
    out
}

/// `inner` (escaped text) in the HTML tags of the span's underline and
/// super- or subscript, which Markdown has no syntax for either.
fn underline_and_script(sp: &Span, inner: String) -> String {
    let inner = if sp.underline {
        format!("<u>{inner}</u>")
    } else {
        inner
    };
    match sp.script {
        1 => format!("<sup>{inner}</sup>"),
        -1 => format!("<sub>{inner}</sub>"),
        _ => inner,
    }
}

fn para_md(p: &Para) -> String {
    let spans = merged(&p.spans);
    let mut s = String::new();
    for sp in &spans {
        if sp.br {
            s.push_str("<br>");
            continue;
        }
        // Emphasis markers must touch the text: spaces go outside.
        let t = sp.text.as_str();
        let core = t.trim_matches(|c: char| c == ' ' || c == '\t');
        let lead = &t[..t.len() - t.trim_start_matches([' ', '\t']).len()];
        let trail = &t[t.trim_end_matches([' ', '\t']).len()..];
        if core.is_empty() {
            s.push_str(if t.is_empty() { "" } else { " " });
            continue;
        }
        let mut inner = underline_and_script(sp, md_escape(core));
        if sp.strike {
            inner = format!("~~{inner}~~");
        }
        match (sp.bold, sp.italic) {
            (true, true) => inner = format!("***{inner}***"),
            (true, false) => inner = format!("**{inner}**"),
            (false, true) => inner = format!("*{inner}*"),
            _ => {}
        }
        if let Some(url) = &sp.link {
            inner = format!("[{inner}]({})", md_url(url));
        }
        if !lead.is_empty() {
            s.push(' ');
        }
        s.push_str(&inner);
        if !trail.is_empty() {
            s.push(' ');
        }
    }
    s.trim().to_string()
}

fn para_html(p: &Para) -> String {
    let spans = merged(&p.spans);
    let mut s = String::new();
    for sp in &spans {
        if sp.br {
            s.push_str("<br>");
            continue;
        }
        let mut inner = underline_and_script(sp, html_escape(&sp.text));
        if sp.strike {
            inner = format!("<del>{inner}</del>");
        }
        if sp.italic {
            inner = format!("<em>{inner}</em>");
        }
        if sp.bold {
            inner = format!("<strong>{inner}</strong>");
        }
        if let Some(url) = &sp.link {
            inner = format!("<a href=\"{}\">{inner}</a>", html_escape(url));
        }
        s.push_str(&inner);
    }
    s.trim().to_string()
}

/// A table cell's HTML: one paragraph as it is, bulleted paragraphs as
/// (nested) lists, other paragraphs as `<p>`.
fn cell_html(paras: &[Para]) -> String {
    if paras.len() == 1 && paras[0].bullet == Bullet::None {
        return para_html(&paras[0]);
    }
    let mut s = String::new();
    let mut open: Vec<&str> = Vec::new(); // list tags open, one per depth
    let close_to = |open: &mut Vec<&str>, s: &mut String, depth: usize| {
        while open.len() > depth {
            let tag = open.pop().unwrap_or("ul");
            s.push_str(&format!("</li></{tag}>"));
        }
    };
    for p in paras {
        if p.bullet == Bullet::None {
            close_to(&mut open, &mut s, 0);
            s.push_str(&format!("<p>{}</p>", para_html(p)));
            continue;
        }
        let tag = if matches!(p.bullet, Bullet::Num(_)) {
            "ol"
        } else {
            "ul"
        };
        let depth = p.level.min(open.len().saturating_sub(1)) + 1;
        let depth = if open.is_empty() {
            1
        } else {
            depth.min(open.len() + 1)
        };
        if open.len() > depth {
            close_to(&mut open, &mut s, depth);
        }
        if open.len() == depth && open.last() != Some(&tag) {
            close_to(&mut open, &mut s, depth - 1);
        }
        if open.len() == depth {
            s.push_str("</li>");
        }
        while open.len() < depth {
            match p.bullet {
                Bullet::Num(n) if n != 1 => s.push_str(&format!("<{tag} start=\"{n}\">")),
                _ => s.push_str(&format!("<{tag}>")),
            }
            open.push(tag);
        }
        s.push_str(&format!("<li>{}", para_html(p)));
    }
    close_to(&mut open, &mut s, 0);
    s
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn percent_decode(s: &str) -> String {
    // Lenient, as links in decks are: a malformed escape stays as written.
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |d| d.into_owned())
}

fn safe_file_stem(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if t.is_empty() {
        "image".into()
    } else {
        t
    }
}

/// The file type of a picture from its first bytes.
fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some("gif")
    } else if b.len() > 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some("webp")
    } else {
        let head = String::from_utf8_lossy(&b[..b.len().min(1024)]);
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if (head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--"))
            && head.contains("<svg")
        {
            Some("svg")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(level: usize, bullet: Bullet, t: &str) -> Para {
        Para {
            level,
            bullet,
            spans: vec![plain_span(t)],
        }
    }

    #[test]
    fn lists_nest_by_level() {
        let ps = [
            para(0, Bullet::Char, "一"),
            para(1, Bullet::Char, "二"),
            para(2, Bullet::Num(1), "三"),
            para(2, Bullet::Num(1), "四"),
            para(0, Bullet::Char, "五"),
        ];
        let refs: Vec<&Para> = ps.iter().collect();
        assert_eq!(list_md(&refs), "- 一\n  - 二\n    1. 三\n    2. 四\n- 五\n");
    }

    #[test]
    fn runs_join_without_spaces_and_emphasis_hugs_text() {
        let mut p = para(0, Bullet::None, "連携");
        p.spans.push(Span {
            text: "と協働 ".into(),
            bold: true,
            ..plain_span("")
        });
        p.spans.push(plain_span("の整理*"));
        assert_eq!(para_md(&p), "連携**と協働** の整理\\*");
    }

    #[test]
    fn links_to_missing_slides_keep_their_text() {
        let md = "[**表** \\[1\\]](#slide-5) と [他](#slide-6)\n<td><a href=\"#slide-5\">セル</a></td>\n";
        assert_eq!(
            unlink(md, "#slide-5"),
            "**表** \\[1\\] と [他](#slide-6)\n<td>セル</td>\n"
        );
    }

    #[test]
    fn paragraphs_cannot_start_blocks() {
        assert_eq!(md_paragraph("1. 項目"), "1\\. 項目\n");
        assert_eq!(md_paragraph("- a"), "\\- a\n");
        assert_eq!(md_escape("# {#id}"), "\\# \\{\\#id\\}");
    }

    fn item(x: i64, y: i64, w: i64, h: i64, t: &str) -> Item {
        Item {
            x,
            y,
            w,
            h,
            md: vec![t.to_string()],
        }
    }

    fn texts(items: Vec<Item>) -> Vec<String> {
        order(items).into_iter().flat_map(|i| i.md).collect()
    }

    #[test]
    fn visual_order_reads_rows_then_columns() {
        let got = texts(vec![
            item(5_000_000, 1_000_100, 0, 0, "right"),
            item(100, 3_000_000, 0, 0, "below"),
            item(100, 1_000_000, 0, 0, "left"),
        ]);
        assert_eq!(got, ["left", "right", "below"]);
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        // Two people side by side, three lines each, under a full-width
        // heading box; a caption across the bottom.
        let (w, h) = (4_000_000, 400_000);
        let got = texts(vec![
            item(0, 0, 9_000_000, h, "top"),
            item(5_000_000, 1_000_000, w, h, "R1"),
            item(0, 1_000_000, w, h, "L1"),
            item(5_000_000, 1_500_000, w, h, "R2"),
            item(0, 1_500_000, w, h, "L2"),
            item(0, 2_000_000, w, h, "L3"),
            item(5_000_000, 2_000_000, w, h, "R3"),
            item(0, 5_000_000, 9_000_000, h, "caption"),
        ]);
        assert_eq!(got, ["top", "L1", "L2", "L3", "R1", "R2", "R3", "caption"]);
    }

    #[test]
    fn cells_with_lists_are_html_lists() {
        let ps = [
            para(0, Bullet::None, "(前提)"),
            para(0, Bullet::Char, "①a"),
            para(0, Bullet::Char, "②b"),
        ];
        assert_eq!(
            cell_html(&ps),
            "<p>(前提)</p><ul><li>①a</li><li>②b</li></ul>"
        );
    }
}
