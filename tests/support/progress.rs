//! The 学習の記録 panel (`.ex-progress`) of a page in the browser.

use crate::{ensure, Browser, Result};

/// Clicks the panel's download button named `name` with downloads captured
/// (the blob the button makes is read instead of saved); returns (file
/// name, text). Can be called again on the same page.
pub fn download_progress(b: &Browser, name: &str) -> Result<(String, String)> {
    b.execute(
        "window.__kenshuDl = [];\
         if (!window.__kenshuHooked) { window.__kenshuHooked = true;\
           const make = URL.createObjectURL;\
           URL.createObjectURL = function (blob) { const u = make.call(URL, blob); window.__kenshuBlobs = window.__kenshuBlobs || {}; window.__kenshuBlobs[u] = blob; return u; };\
           HTMLAnchorElement.prototype.click = function () { window.__kenshuDl.push({ name: this.download, href: this.href }); }; }",
        vec![],
    )?;
    let mut found = false;
    for e in b.find_all(".ex-progress button")? {
        if e.text()? == name {
            e.click()?;
            found = true;
            break;
        }
    }
    ensure!(found, "no button {name} on 学習の記録");
    let v = b.execute_async(
        "const done = arguments[arguments.length - 1];\
         const d = window.__kenshuDl[0];\
         if (!d) { done(null); return; }\
         window.__kenshuBlobs[d.href].text().then(t => done({ name: d.name, text: t }));",
        vec![],
    )?;
    let file = v["name"].as_str().unwrap_or("").to_string();
    let text = v["text"].as_str().unwrap_or("").to_string();
    ensure!(!text.is_empty(), "nothing was downloaded by {name}: {v}");
    Ok((file, text))
}
