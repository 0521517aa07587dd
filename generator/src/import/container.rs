//! The .pptx container: a zip (Office Open XML package) read with limits,
//! so a hostile or broken file ends in an error the user can act on — never
//! a panic, a hang or gigabytes of memory.
//!
//! Before the zip is opened the first bytes are checked: an OLE compound
//! file (`D0 CF 11 E0 …`) is either a legacy PowerPoint 97–2003 `.ppt` or a
//! password-protected `.pptx` (Office encrypts the package into an OLE file
//! with `EncryptionInfo` and `EncryptedPackage` streams).

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Limits against zip bombs. The defaults are far above any real deck
/// (the largest decks seen are a few hundred entries and < 200 MB).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most entries in the zip.
    pub entries: usize,
    /// Largest uncompressed size of one entry, in bytes.
    pub entry_bytes: u64,
    /// Largest uncompressed size of everything read, in bytes.
    pub total_bytes: u64,
    /// Largest uncompressed / compressed ratio of an entry over 1 MiB.
    pub ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            entries: 10_000,
            entry_bytes: 256 << 20,
            total_bytes: 1 << 30,
            ratio: 200,
        }
    }
}

/// Why a file cannot be read as a deck. The message is complete: it says
/// what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerError(pub String);

const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The parts of a .pptx, read on demand within the limits.
pub struct Package {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// Part name (no leading `/`) → entry index.
    names: HashMap<String, usize>,
    limits: Limits,
    /// Uncompressed bytes read so far.
    read_total: u64,
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl Package {
    /// Checks the signature and the zip directory against the limits.
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Package, ContainerError> {
        if bytes.starts_with(&OLE_SIGNATURE) {
            // Stream names in an OLE directory are UTF-16LE.
            if contains(&bytes, &utf16le("EncryptedPackage"))
                || contains(&bytes, &utf16le("EncryptionInfo"))
            {
                return Err(ContainerError(
                    "this deck is password-protected (encrypted); kenshu cannot read it. \
                     Open it in PowerPoint, remove the password (ファイル → 情報 → \
                     プレゼンテーションの保護 → パスワードを使用して暗号化, then clear the \
                     password), save it and import that copy"
                        .into(),
                ));
            }
            return Err(ContainerError(
                "this is a PowerPoint 97–2003 file (.ppt, an OLE compound file), not a .pptx. \
                 Save it as .pptx first: in PowerPoint ファイル → 名前を付けて保存 → \
                 PowerPoint プレゼンテーション (*.pptx), or with LibreOffice: \
                 soffice --headless --convert-to pptx DECK.ppt"
                    .into(),
            ));
        }
        if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
            return Err(ContainerError(
                "this is not a .pptx file (a .pptx is a zip archive and starts with \"PK\"); \
                 check that it is the deck you meant, and that it was copied whole"
                    .into(),
            ));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ContainerError(format!(
                "the file is damaged: its zip structure cannot be read ({e}). \
                 Open it in PowerPoint (which offers to repair it) and save it again, \
                 or copy it again from where it came from"
            ))
        })?;
        if zip.len() > limits.entries {
            return Err(ContainerError(format!(
                "the file holds {} entries, more than the {} a deck may hold; \
                 it is refused as a possible zip bomb",
                zip.len(),
                limits.entries
            )));
        }
        let mut names = HashMap::new();
        let mut declared: u64 = 0;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|e| {
                ContainerError(format!(
                    "the file is damaged: entry {} of its zip cannot be read ({e}); \
                     open it in PowerPoint and save it again",
                    i + 1
                ))
            })?;
            let name = f.name().map(|n| n.into_owned()).unwrap_or_default();
            let size = f.size();
            let packed = f.compressed_size().max(1);
            if size > limits.entry_bytes {
                return Err(ContainerError(format!(
                    "the part {name} would unpack to {}, more than the {} one part may \
                     have; it is refused as a possible zip bomb",
                    size_text(size),
                    size_text(limits.entry_bytes)
                )));
            }
            if size > (1 << 20) && size / packed > limits.ratio {
                return Err(ContainerError(format!(
                    "the part {name} is compressed {}:1 (more than {}:1); \
                     it is refused as a possible zip bomb",
                    size / packed,
                    limits.ratio
                )));
            }
            declared = declared.saturating_add(size);
            if f.encrypted() {
                return Err(ContainerError(
                    "the zip's parts are encrypted; a .pptx never is. \
                     Save the deck again from PowerPoint without a password"
                        .into(),
                ));
            }
            names.insert(name.trim_start_matches('/').to_string(), i);
        }
        if declared > limits.total_bytes {
            return Err(ContainerError(format!(
                "the file would unpack to {}, more than the {} a deck may have; \
                 it is refused as a possible zip bomb",
                size_text(declared),
                size_text(limits.total_bytes)
            )));
        }
        Ok(Package {
            zip,
            names,
            limits,
            read_total: 0,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(name.trim_start_matches('/'))
    }

    /// The bytes of a part; `Ok(None)` when the package has no such part.
    /// The sizes in the zip directory are not trusted: reading stops at the
    /// limits whatever the entry claims.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ContainerError> {
        let Some(&i) = self.names.get(name.trim_start_matches('/')) else {
            return Ok(None);
        };
        let f = self.zip.by_index(i).map_err(|e| {
            ContainerError(format!(
                "the part {name} cannot be unpacked ({e}); the file is damaged — \
                 open it in PowerPoint and save it again"
            ))
        })?;
        let left = self.limits.total_bytes.saturating_sub(self.read_total);
        let cap = self.limits.entry_bytes.min(left);
        let mut out = Vec::new();
        let n = f.take(cap + 1).read_to_end(&mut out).map_err(|e| {
            ContainerError(format!(
                "the part {name} cannot be unpacked ({e}); the file is damaged — \
                 open it in PowerPoint and save it again"
            ))
        })? as u64;
        if n > cap {
            return Err(ContainerError(format!(
                "the part {name} unpacks to more than its zip entry declares or the \
                 limits allow; it is refused as a possible zip bomb"
            )));
        }
        self.read_total += n;
        Ok(Some(out))
    }

    /// A part as UTF-8 text (XML parts).
    pub fn read_text(&mut self, name: &str) -> Result<Option<String>, ContainerError> {
        match self.read(name)? {
            None => Ok(None),
            Some(b) => match String::from_utf8(b) {
                Ok(s) => Ok(Some(s)),
                Err(e) => {
                    // UTF-16 XML is allowed by the standard but PowerPoint
                    // never writes it; decode it rather than fail.
                    let b = e.into_bytes();
                    if b.starts_with(&[0xFF, 0xFE]) {
                        let units: Vec<u16> = b[2..]
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        Ok(Some(String::from_utf16_lossy(&units)))
                    } else {
                        Err(ContainerError(format!(
                            "the part {name} is not UTF-8 text; the file is damaged — \
                             open it in PowerPoint and save it again"
                        )))
                    }
                }
            },
        }
    }
}

/// A size for a message: `52 KB`, `1.5 MB`.
pub fn size_text(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    }
}

/// Resolves a relationship target against the part that holds it
/// (`ppt/slides/slide1.xml` + `../media/image1.png` → `ppt/media/image1.png`).
pub fn resolve(source_part: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = source_part.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The relationships part of a part (`ppt/slides/_rels/slide1.xml.rels`).
pub fn rels_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_part() {
        assert_eq!(
            resolve("ppt/slides/slide1.xml", "../media/image1.png"),
            "ppt/media/image1.png"
        );
        assert_eq!(
            resolve("ppt/presentation.xml", "slides/slide2.xml"),
            "ppt/slides/slide2.xml"
        );
        assert_eq!(resolve("", "/ppt/presentation.xml"), "ppt/presentation.xml");
        assert_eq!(
            rels_name("ppt/slides/slide1.xml"),
            "ppt/slides/_rels/slide1.xml.rels"
        );
    }

    #[test]
    fn ole_files_are_named() {
        let mut ppt = OLE_SIGNATURE.to_vec();
        ppt.extend_from_slice(&utf16le("PowerPoint Document"));
        let e = Package::open(ppt, Limits::default()).err().unwrap();
        assert!(e.0.contains("PowerPoint 97–2003"), "{}", e.0);
        let mut enc = OLE_SIGNATURE.to_vec();
        enc.extend_from_slice(&utf16le("EncryptedPackage"));
        let e = Package::open(enc, Limits::default()).err().unwrap();
        assert!(e.0.contains("password-protected"), "{}", e.0);
        let e = Package::open(b"hello".to_vec(), Limits::default())
            .err()
            .unwrap();
        assert!(e.0.contains("not a .pptx"), "{}", e.0);
    }
}
