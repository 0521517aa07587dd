// kenshu slide deck controller. A classic script (no modules, no network), so the deck
// works from a web server and from file:// alike. Loaded only by *.slides.html pages.
//
// - One 1280×720 slide is shown at a time, scaled to the window. A slide's title keeps one
//   size; its content is fitted below it with CSS `zoom` in steps down to its floor: no text
//   under 24 px on the canvas (body, tables, captions, figure labels). Content that needs
//   more scrolls (the build splits such slides or warns). Zoom changes the layout itself,
//   so print lays each slide out exactly as the screen does.
// - The URL hash is the slide number (#5); a heading id (#points) opens its slide.
// - S opens the speaker view: this page again with ?view=speaker. The two windows stay in
//   step through a BroadcastChannel and, because that may not reach between file:// windows,
//   also through postMessage between the opener and the window it opened.
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var stage = doc.getElementById("deck-stage");
  if (!stage) return;
  root.classList.add("js");

  var frames = Array.prototype.slice.call(stage.querySelectorAll(".slide-frame"));
  var slides = frames.map(function (f) { return f.querySelector(".slide"); });
  var total = slides.length;
  if (total === 0) return;

  var W = 1280, H = 720;
  // Slide geometry, as in deck.css and generator/src/render/deck/fit.rs.
  var BOX_W = 1136, TOP = 36, GAP = 20, BOTTOM = 48;
  // The fitting steps: never below FLOOR on screen (30 px body text → 24 px).
  var STEPS = [1, 0.95, 0.9, 0.85, 0.8];
  var FLOOR = 0.8;
  // Print fits an overfull slide whole, down to this.
  var PRINT_MIN = 0.3;

  var params = new URLSearchParams(location.search);
  var speaker = params.get("view") === "speaker";
  // 配布資料: ?handout=3 (three slides to an A4 page, lines for notes beside each) or
  // ?handout=1 (one slide and its notes to a page: the lecturer's script).
  var handout = speaker ? 0 : ({ "1": 1, "3": 3 })[params.get("handout") || ""] || 0;
  // The channel name: the deck's own path (unique also between sites opened from disk).
  var deckId = location.pathname || stage.getAttribute("data-deck") || "deck";
  var instance = Math.random().toString(36).slice(2);
  var seq = 0;

  var current = -1;
  var blanked = false;
  var commentary = false;
  var overview = false;
  var jumpBuffer = "";

  var statusEl = doc.querySelector(".deck-status");
  var jumpEl = doc.querySelector(".deck-jump");
  var countEl = doc.querySelector(".deck-current");
  var backLink = doc.querySelector(".deck-back");
  var help = doc.querySelector(".deck-help");
  var printNotes = doc.querySelector(".deck-print-notes");

  if (speaker) root.classList.add("speaker");

  // ---- fitting ----------------------------------------------------------------------

  // The smallest text a slide may show, in canvas px (1280 × 720): body, tables, captions
  // and a figure's labels alike.
  var MIN_PX = 24;

  // The smallest font size of the HTML text in a box, unzoomed (an embedded exercise has
  // its own size and is left out).
  function htmlMinFont(box) {
    var min = Infinity;
    var walk = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.data.trim()) continue;
      var e = n.parentElement;
      if (!e || e.closest("svg, .deck-embed")) continue;
      var cs = getComputedStyle(e);
      // (Slides not shown are visibility: hidden; their text still counts.)
      if (cs.display === "none") continue;
      min = Math.min(min, parseFloat(cs.fontSize) || Infinity);
    }
    return min;
  }

  // The smallest label of the SVG figures in a box, as shown, in canvas px.
  function svgMinPx(box, slide) {
    var texts = box.querySelectorAll("svg text");
    if (!texts.length) return Infinity;
    var k = slide.getBoundingClientRect().width / W || 1;
    var min = Infinity;
    for (var i = 0; i < texts.length; i++) {
      var t = texts[i];
      if (!t.textContent.trim() || t.closest(".deck-embed")) continue;
      var m = t.getScreenCTM();
      if (!m) continue;
      var px = parseFloat(getComputedStyle(t).fontSize) * Math.sqrt(m.a * m.a + m.b * m.b) / k;
      if (px > 0) min = Math.min(min, px);
    }
    return min;
  }

  // Fits a slide's content below its title: the content box is laid out BOX_W / s wide and
  // zoomed by s, so text reflows into the larger box; the first step that fits wins. No step
  // goes below the slide's floor: all of its text stays at MIN_PX or more (a slide of 28 px
  // tables stops at 24 / 28; a figure stops where its smallest label is 24 px).
  function fit(slide) {
    var box = slide.querySelector(".slide-content");
    if (!box) return;
    var title = slide.querySelector(".slide-title");
    var top = TOP;
    if (title && !slide.classList.contains("section-slide")) top = TOP + title.offsetHeight + GAP;
    var avail = H - top - BOTTOM;
    box.classList.remove("scrolls");
    box.style.height = "";
    box.style.removeProperty("--fit-print");
    box.style.removeProperty("--width-print");
    // Measured unzoomed: the height of the content laid out BOX_W / s wide.
    box.style.setProperty("--fit", "1");
    function height(s) {
      box.style.width = (BOX_W / s) + "px";
      return box.scrollWidth <= BOX_W / s + 1 ? box.scrollHeight : Infinity;
    }
    var floor = Math.min(1, Math.max(FLOOR, MIN_PX / htmlMinFont(box)));
    var steps = STEPS.filter(function (x) { return x >= floor - 1e-6; });
    if (steps[steps.length - 1] > floor + 1e-6) steps.push(Math.ceil(floor * 1000) / 1000);
    var hasSvg = !!box.querySelector("svg text");
    var s = 0, h = 0, lowest = 1;
    for (var i = 0; i < steps.length; i++) {
      h = height(steps[i]);
      if (hasSvg && i > 0) {
        box.style.setProperty("--fit", String(steps[i]));
        var small = svgMinPx(box, slide) < MIN_PX - 0.05;
        box.style.setProperty("--fit", "1");
        if (small) break;
      }
      lowest = steps[i];
      if (h * steps[i] <= avail + 0.5) { s = steps[i]; break; }
    }
    if (!s) {
      // Overfull: on screen the text stays at the floor and the content scrolls; print
      // shows it whole, smaller.
      var p = Math.min(lowest, FLOOR) - 0.05;
      while (p > PRINT_MIN && height(p) * p > avail + 0.5) p -= 0.05;
      p = Math.max(PRINT_MIN, Math.round(p * 100) / 100);
      box.style.setProperty("--fit-print", String(p));
      box.style.setProperty("--width-print", (BOX_W / p) + "px");
      s = lowest;
      h = height(s);
      box.classList.add("scrolls");
      box.style.height = (avail / s) + "px";
    }
    box.style.width = (BOX_W / s) + "px";
    box.style.setProperty("--fit", String(s));
    // The title slide is centred vertically.
    if (slide.classList.contains("title-slide")) {
      top = TOP + Math.max(0, (H - TOP - BOTTOM - h * s) / 2);
    }
    box.style.setProperty("--content-top", top + "px");
    box._fitKey = box.scrollHeight + "x" + box.scrollWidth;
  }

  function fitAll() {
    slides.forEach(fit);
  }

  // Content that changes size later (an exercise starting, an image loading) is refitted.
  if (window.ResizeObserver) {
    var ro = new ResizeObserver(function (entries) {
      entries.forEach(function (e) {
        var box = e.target.closest(".slide-content");
        if (!box) return;
        var key = box.scrollHeight + "x" + box.scrollWidth;
        if (key !== box._fitKey) fit(box.parentNode);
      });
    });
    slides.forEach(function (s) {
      var box = s.querySelector(".slide-content");
      if (box) Array.prototype.forEach.call(box.children, function (c) { ro.observe(c); });
    });
  }

  // ---- scaling the canvas to its frame ------------------------------------------------

  function scaleFor(el) {
    var w = el.clientWidth, h = el.clientHeight;
    if (!w || !h) return 1;
    return Math.min(w / W, h / H);
  }

  function layout() {
    stage.style.setProperty("--k", String(scaleFor(stage)));
    if (overview && frames[0]) {
      stage.style.setProperty("--ko", String(frames[0].clientWidth / W));
    }
    if (speaker) layoutSpeaker();
  }

  // ---- scroll cues ------------------------------------------------------------------

  // Marks a scrolling box's frame (.scroll-cue) with .more while there is more below.
  function cue(el) {
    var wrap = el.closest(".scroll-cue") || el.parentNode;
    if (!wrap) return;
    var more = el.scrollHeight - el.clientHeight - el.scrollTop > 4;
    wrap.classList.toggle("more", more);
  }
  Array.prototype.forEach.call(stage.querySelectorAll(".slide-commentary"), function (c) {
    c.classList.add("scroll-cue");
    var inner = c.querySelector(".slide-commentary-inner");
    if (inner) inner.addEventListener("scroll", function () { cue(inner); }, { passive: true });
  });

  var progress = doc.querySelector(".deck-progress");

  // ---- navigation -------------------------------------------------------------------

  function clamp(i) {
    return Math.max(0, Math.min(total - 1, i));
  }

  function indexFromHash() {
    var h = location.hash.slice(1);
    // A malformed escape (`#%E0`) is taken as written.
    try { h = decodeURIComponent(h); } catch (e) { /* keep it encoded */ }
    if (/^\d+$/.test(h)) return clamp(parseInt(h, 10) - 1);
    if (h) {
      var el = doc.getElementById(h);
      var frame = el && el.closest(".slide-frame");
      if (frame) return frames.indexOf(frame);
    }
    return null;
  }

  // Shows slide i. `remote` is true when another window asked for it (not sent back).
  function go(i, remote) {
    i = clamp(i);
    if (i === current) return;
    var first = current < 0;
    if (current >= 0) {
      frames[current].classList.remove("current");
      frames[current].setAttribute("aria-hidden", "true");
      frames[current].inert = !overview;
    }
    current = i;
    var f = frames[i];
    f.classList.add("current");
    f.removeAttribute("aria-hidden");
    f.inert = false;
    if (countEl) countEl.textContent = String(i + 1);
    if (progress) progress.style.setProperty("--progress", ((i + 1) / total * 100) + "%");
    if (commentary) {
      var ci = f.querySelector(".slide-commentary-inner");
      if (ci) { ci.scrollTop = 0; cue(ci); }
    }
    var hash = "#" + (i + 1);
    if (location.hash !== hash) {
      try { history.replaceState(null, "", hash); } catch (e) { location.hash = hash; }
    }
    var slide = slides[i];
    var title = slide.getAttribute("data-title") || "";
    if (statusEl && !first) {
      statusEl.textContent = "スライド " + (i + 1) + " / " + total + (title ? "：" + title : "");
    }
    if (backLink) {
      var anchor = slide.getAttribute("data-anchor");
      var page = backLink.getAttribute("data-page") || backLink.getAttribute("href");
      backLink.setAttribute("href", page + (anchor ? "#" + encodeURIComponent(anchor) : ""));
    }
    doc.title = doc.title.replace(/^(\d+ \/ \d+ · )?/, (i + 1) + " / " + total + " · ");
    if (speaker) updateSpeaker();
    if (!remote) send({ type: "state" });
  }

  function next() { go(current + 1); }
  function prev() { go(current - 1); }

  function setBlank(on, remote) {
    blanked = !!on;
    root.classList.toggle("blanked", blanked);
    if (!remote) send({ type: "state" });
  }

  // 解説 blocks are for readers: on a slide only when the lecturer asks (K).
  function setCommentary(on, remote) {
    commentary = !!on;
    root.classList.toggle("show-commentary", commentary);
    var b = doc.querySelector(".deck-bar [data-action=commentary]");
    if (b) b.setAttribute("aria-pressed", commentary ? "true" : "false");
    if (commentary && current >= 0) {
      var c = frames[current].querySelector(".slide-commentary-inner");
      if (c) { c.scrollTop = 0; cue(c); }
    } else if (!commentary && current >= 0) {
      var k = frames[current].querySelector(".slide-commentary");
      if (k && k.contains(doc.activeElement)) stage.focus({ preventScroll: true });
    }
    if (commentary && current >= 0 && !frames[current].querySelector(".slide-commentary")) {
      flash("このスライドに解説はありません");
    }
    if (!remote) send({ type: "state" });
  }

  // ---- overview ---------------------------------------------------------------------

  function setOverview(on) {
    overview = !!on;
    root.classList.toggle("overview", overview);
    frames.forEach(function (f, i) {
      var slide = slides[i];
      if (overview) {
        f.inert = false;
        f.removeAttribute("aria-hidden");
        slide.inert = true;
        f.tabIndex = 0;
        f.setAttribute("role", "button");
        f.setAttribute("aria-label", (i + 1) + ": " + (slide.getAttribute("data-title") || ""));
      } else {
        slide.inert = false;
        f.removeAttribute("tabindex");
        f.removeAttribute("role");
        f.removeAttribute("aria-label");
        if (i !== current) {
          f.inert = true;
          f.setAttribute("aria-hidden", "true");
        }
      }
    });
    layout();
    if (overview) {
      frames[current].focus();
      frames[current].scrollIntoView({ block: "nearest" });
    } else {
      stage.focus({ preventScroll: true });
    }
  }

  function overviewColumns() {
    var cols = getComputedStyle(stage).gridTemplateColumns.split(" ").length;
    return Math.max(1, cols);
  }

  stage.addEventListener("click", function (e) {
    if (overview) {
      var f = e.target.closest(".slide-frame");
      if (f) {
        go(frames.indexOf(f));
        setOverview(false);
      }
      return;
    }
    if (e.button !== 0 || e.defaultPrevented || handout) return;
    if (e.target.closest("a, button, input, select, textarea, label, summary, details, iframe, video, audio, [contenteditable], [tabindex]:not([tabindex='-1']), [role=button], [role=link], [role=checkbox], [role=radio], [role=tab], [role=option], [role=menuitem], [role=switch], [role=slider], [role=textbox], .deck-embed")) return;
    var sel = window.getSelection && window.getSelection();
    if (sel && String(sel).length > 0) return;
    next();
  });

  // ---- keyboard ---------------------------------------------------------------------

  // Keys typed into a form control (an exercise's text box) are never navigation.
  function isFormControl(t) {
    if (!t || !t.closest) return false;
    return !!t.closest("input, textarea, select, [contenteditable]:not([contenteditable=false]), [role=textbox], [role=combobox], [role=listbox], [role=spinbutton], [role=slider], [role=radiogroup], [role=grid], [role=menu]");
  }

  function showJump() {
    if (jumpEl) jumpEl.textContent = jumpBuffer ? "→ " + jumpBuffer : "";
  }

  doc.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (isFormControl(e.target)) return;
    if (help && help.open) return;
    if (handout) return;
    var k = e.key;
    var onButton = e.target.closest && e.target.closest("button, a, summary, [role=button]")
      && !(overview && e.target.classList && e.target.classList.contains("slide-frame"));
    if (onButton && (k === " " || k === "Enter")) return;

    if (overview) {
      var i = frames.indexOf(doc.activeElement && doc.activeElement.closest(".slide-frame"));
      if (i < 0) i = current;
      var cols = overviewColumns();
      var to = null;
      if (k === "ArrowRight") to = i + 1;
      else if (k === "ArrowLeft") to = i - 1;
      else if (k === "ArrowDown") to = i + cols;
      else if (k === "ArrowUp") to = i - cols;
      else if (k === "Home") to = 0;
      else if (k === "End") to = total - 1;
      else if (k === "Enter" || k === " ") { go(i); setOverview(false); }
      else if (k === "Escape" || k === "o" || k === "O") setOverview(false);
      else return;
      e.preventDefault();
      if (to !== null) frames[clamp(to)].focus();
      return;
    }

    if (/^[0-9]$/.test(k)) {
      jumpBuffer = (jumpBuffer + k).slice(-4);
      showJump();
      e.preventDefault();
      return;
    }
    if (k === "Enter" && jumpBuffer) {
      var n = parseInt(jumpBuffer, 10);
      jumpBuffer = "";
      showJump();
      if (n >= 1) go(n - 1);
      e.preventDefault();
      return;
    }
    if (k === "Backspace" && jumpBuffer) {
      jumpBuffer = jumpBuffer.slice(0, -1);
      showJump();
      e.preventDefault();
      return;
    }
    if (jumpBuffer) {
      jumpBuffer = "";
      showJump();
      if (k === "Escape") { e.preventDefault(); return; }
    }

    // With 解説 shown, ↑ ↓ scroll its panel while it has more to show.
    if (commentary && (k === "ArrowDown" || k === "ArrowUp")) {
      var panel = frames[current].querySelector(".slide-commentary-inner");
      if (panel && panel.scrollHeight > panel.clientHeight + 4) {
        var down = k === "ArrowDown";
        var room = down ? panel.scrollHeight - panel.clientHeight - panel.scrollTop : panel.scrollTop;
        if (room > 2) {
          panel.scrollBy({ top: (down ? 1 : -1) * panel.clientHeight * 0.6 });
          e.preventDefault();
          return;
        }
      }
    }

    switch (k) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case "n": case "N":
        next(); break;
      case " ": case "Spacebar":
        if (e.shiftKey) prev(); else next();
        break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "p": case "P":
        prev(); break;
      case "Home": go(0); break;
      case "End": go(total - 1); break;
      case "f": case "F": toggleFullscreen(); break;
      case "b": case "B": case ".": setBlank(!blanked); break;
      case "k": case "K": setCommentary(!commentary); break;
      case "Escape":
        if (blanked) setBlank(false); else setOverview(true);
        break;
      case "o": case "O": setOverview(true); break;
      case "s": case "S": if (!speaker) openSpeaker(); break;
      case "+": case "=": if (speaker) notesSize(2); else return; break;
      case "-": if (speaker) notesSize(-2); else return; break;
      case "?": case "h": case "H": openHelp(); break;
      default: return;
    }
    e.preventDefault();
  });

  // ---- touch ------------------------------------------------------------------------

  var touch = null;
  stage.addEventListener("touchstart", function (e) {
    if (overview || e.touches.length !== 1 || e.target.closest(".deck-embed, input, textarea, select")) {
      touch = null;
      return;
    }
    touch = { x: e.touches[0].clientX, y: e.touches[0].clientY };
    showBar();
  }, { passive: true });
  stage.addEventListener("touchend", function (e) {
    if (!touch || !e.changedTouches.length) return;
    var dx = e.changedTouches[0].clientX - touch.x;
    var dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
      if (dx < 0) next(); else prev();
    }
  }, { passive: true });

  // ---- toolbar, fullscreen, help, print -----------------------------------------------

  var barTimer = 0;
  function showBar() {
    root.classList.add("show-bar");
    clearTimeout(barTimer);
    barTimer = setTimeout(function () { root.classList.remove("show-bar"); }, 2500);
  }
  doc.addEventListener("mousemove", showBar);

  function toggleFullscreen() {
    if (doc.fullscreenElement) {
      if (doc.exitFullscreen) doc.exitFullscreen();
    } else if (root.requestFullscreen) {
      root.requestFullscreen().catch(function () {});
    }
  }

  function openHelp() {
    if (help && help.showModal && !help.open) help.showModal();
  }

  var printStyle = null;
  function setPrintNotes(on) {
    root.classList.toggle("print-notes", on);
    if (on && !printStyle) {
      printStyle = doc.createElement("style");
      printStyle.textContent = "@media print { @page { size: A4 portrait; margin: 12mm; } }";
      doc.head.appendChild(printStyle);
    } else if (!on && printStyle) {
      printStyle.remove();
      printStyle = null;
    }
  }
  if (printNotes) {
    printNotes.addEventListener("change", function () { setPrintNotes(printNotes.checked); });
  }

  doc.querySelector(".deck-bar").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-action]");
    if (!b) return;
    var a = b.getAttribute("data-action");
    if (a === "next") next();
    else if (a === "prev") prev();
    else if (a === "overview") setOverview(!overview);
    else if (a === "speaker") openSpeaker();
    else if (a === "fullscreen") toggleFullscreen();
    else if (a === "blank") setBlank(!blanked);
    else if (a === "commentary") setCommentary(!commentary);
    else if (a === "help") openHelp();
    else if (a === "print" && printDialog && printDialog.showModal && !printDialog.open) printDialog.showModal();
  });

  var printDialog = doc.querySelector(".deck-print");
  if (printDialog) {
    // 配布資料 and the script: this deck again with ?handout=3 / ?handout=1 (buttons, not
    // links: the deck's address with a query is no page of its own to crawl or bookmark).
    Array.prototype.forEach.call(printDialog.querySelectorAll("[data-handout]"), function (b) {
      b.addEventListener("click", function () {
        location.href = location.href.split("#")[0].split("?")[0] + "?handout=" + b.getAttribute("data-handout");
      });
    });
    var slidesButton = printDialog.querySelector(".deck-print-slides");
    if (slidesButton) {
      slidesButton.addEventListener("click", function () {
        printDialog.close();
        setPrintNotes(false);
        window.print();
      });
    }
  }

  // ---- 配布資料 (?handout=3 / ?handout=1) -------------------------------------------------

  // Lays the slides out on A4 pages: three to a page with ruled lines beside each, or one
  // to a page with its notes below. The screen shows the pages as they will print.
  function buildHandout() {
    root.classList.add("handout", "handout-" + handout);
    var style = doc.createElement("style");
    style.textContent = "@media print { @page { size: A4 portrait; margin: 0; } }";
    doc.head.appendChild(style);
    var title = (doc.title.split("（スライド）")[0] || "").replace(/^\d+ \/ \d+ · /, "");
    var base = location.href.split("#")[0].split("?")[0];

    var bar = el("div", "handout-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "配布資料");
    var printButton = el("button", "handout-print", "印刷する");
    printButton.type = "button";
    printButton.addEventListener("click", function () { window.print(); });
    var three = el("a", "handout-three", "3枚／ページ（メモ欄つき）");
    three.href = "?handout=3";
    var one = el("a", "handout-one", "1枚／ページ（講師メモつき）");
    one.href = "?handout=1";
    (handout === 3 ? three : one).setAttribute("aria-current", "page");
    var back = el("a", "handout-back", "スライドに戻る");
    back.href = base;
    var hint = el("p", "handout-hint",
      handout === 3
        ? "A4 縦に3枚ずつ印刷します。受講者に配る資料です（講師メモは入りません）。"
        : "A4 縦に1枚ずつ、講師メモと一緒に印刷します（講師用の台本）。");
    bar.append(printButton, three, one, back, hint);
    doc.body.insertBefore(bar, doc.body.firstChild);

    var pages = Math.ceil(total / handout);
    for (var p = 0; p < pages; p++) {
      var page = el("section", "handout-page");
      page.setAttribute("aria-label", "配布資料 " + (p + 1) + " / " + pages + " ページ");
      var head = el("p", "handout-head");
      head.append(el("span", "handout-title", title), el("span", "handout-pageno", (p + 1) + " / " + pages));
      page.appendChild(head);
      for (var i = p * handout; i < Math.min(total, (p + 1) * handout); i++) {
        var f = frames[i];
        f.inert = false;
        f.removeAttribute("aria-hidden");
        if (handout === 3) {
          var lines = el("div", "handout-lines");
          lines.setAttribute("aria-hidden", "true");
          for (var l = 0; l < 8; l++) lines.appendChild(el("span"));
          f.appendChild(lines);
        } else if (!f.querySelector(":scope > .notes")) {
          var none = el("aside", "notes notes-none");
          none.appendChild(el("p", "notes-section", "このスライドに講師メモはありません。"));
          f.appendChild(none);
        }
        page.appendChild(f);
      }
      stage.appendChild(page);
    }
  }

  // ---- two windows in step ------------------------------------------------------------

  var channel = null;
  try {
    channel = new BroadcastChannel("kenshu-deck:" + deckId);
    channel.onmessage = function (e) { receive(e.data, null); };
  } catch (e) {
    channel = null;
  }
  var peers = [];
  var lastSeq = {};

  function addPeer(w) {
    if (w && w !== window && peers.indexOf(w) < 0) {
      peers.push(w);
      return true;
    }
    return false;
  }

  function send(msg) {
    msg.kenshuDeck = deckId;
    msg.from = instance;
    msg.seq = ++seq;
    msg.index = current;
    msg.blanked = blanked;
    msg.commentary = commentary;
    if (channel) {
      try { channel.postMessage(msg); } catch (e) { /* closed */ }
    }
    peers = peers.filter(function (w) { return w && !w.closed; });
    peers.forEach(function (w) {
      try { w.postMessage(msg, "*"); } catch (e) { /* gone */ }
    });
  }

  window.addEventListener("message", function (e) {
    var d = e.data;
    if (!d || d.kenshuDeck !== deckId) return;
    receive(d, e.source);
  });

  function receive(d, source) {
    if (!d || d.kenshuDeck !== deckId || d.from === instance) return;
    var isNew = source ? addPeer(source) : false;
    if (d.type === "hello") {
      if (source && !speaker) speakerWin = source;
      // A speaker view appeared (or found this window again after a reload): tell it
      // where we are. Only then — an answer to every periodic hello could cross a move.
      if (!speaker && (source === null || isNew)) send({ type: "state" });
      return;
    }
    if (d.type !== "state") return;
    if (typeof d.seq === "number") {
      if (lastSeq[d.from] >= d.seq) return;
      lastSeq[d.from] = d.seq;
    }
    if (typeof d.index === "number" && d.index >= 0) go(d.index, true);
    if (typeof d.blanked === "boolean" && d.blanked !== blanked) setBlank(d.blanked, true);
    if (typeof d.commentary === "boolean" && d.commentary !== commentary) {
      setCommentary(d.commentary, true);
    }
  }

  function speakerUrl() {
    var base = location.href.split("#")[0].split("?")[0];
    return base + "?view=speaker#" + (current + 1);
  }

  var speakerWin = null;
  function openSpeaker() {
    if (speakerWin && !speakerWin.closed) {
      speakerWin.focus();
      return;
    }
    speakerWin = window.open(speakerUrl(), "kenshu-speaker", "popup,width=1280,height=800");
    if (speakerWin) {
      addPeer(speakerWin);
    } else {
      flash("発表者ビューを開けませんでした。このページのポップアップを許可してください。");
    }
  }

  // A short message in the corner (also read out by screen readers).
  var flashTimer = 0;
  function flash(text) {
    if (!jumpEl) return;
    jumpEl.textContent = text;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { if (!jumpBuffer) jumpEl.textContent = ""; }, 5000);
  }

  // ---- speaker view -------------------------------------------------------------------

  var sp = null;
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function buildSpeaker() {
    doc.title = "発表者ビュー · " + doc.title;
    var bar = el("div", "speaker-bar");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "発表者ビュー");
    var count = el("span", "speaker-count");
    var elapsed = el("span", "speaker-elapsed", "00:00:00");
    elapsed.setAttribute("aria-label", "経過時間");
    elapsed.setAttribute("role", "timer");
    var pause = el("button", "speaker-pause", "一時停止");
    pause.type = "button";
    var reset = el("button", "speaker-reset", "リセット");
    reset.type = "button";
    var clock = el("span", "speaker-clock");
    clock.setAttribute("aria-label", "現在時刻");
    var blank = el("span", "speaker-blanked", "暗転中");
    // The notes' type size (＋ / −, or the + and - keys), kept for the next talk.
    var size = el("span", "speaker-size");
    size.setAttribute("role", "group");
    size.setAttribute("aria-label", "講師メモの文字の大きさ");
    var smaller = el("button", "speaker-smaller", "−");
    smaller.type = "button";
    smaller.setAttribute("aria-label", "講師メモの文字を小さく");
    smaller.title = "講師メモの文字を小さく（-）";
    var larger = el("button", "speaker-larger", "＋");
    larger.type = "button";
    larger.setAttribute("aria-label", "講師メモの文字を大きく");
    larger.title = "講師メモの文字を大きく（+）";
    size.append(smaller, larger);
    smaller.addEventListener("click", function () { notesSize(-2); });
    larger.addEventListener("click", function () { notesSize(2); });
    bar.append(count, elapsed, pause, reset, clock, blank);

    var nextBox = el("div", "speaker-next");
    var nextLabel = el("p", "speaker-next-label", "次のスライド");
    var nextFrame = el("div", "speaker-next-frame");
    nextFrame.inert = true;
    nextFrame.setAttribute("aria-hidden", "true");
    var pace = el("p", "speaker-pace");
    pace.setAttribute("aria-label", "時間配分");
    nextBox.append(nextLabel, nextFrame, pace);

    var notesWrap = el("div", "speaker-notes-wrap scroll-cue");
    var notes = el("section", "speaker-notes");
    notes.setAttribute("aria-label", "講師メモ");
    notes.tabIndex = 0;
    notesWrap.appendChild(notes);
    notes.addEventListener("scroll", function () { cue(notes); }, { passive: true });

    doc.body.append(bar, nextBox, notesWrap);
    sp = { count: count, elapsed: elapsed, clock: clock, nextFrame: nextFrame, notes: notes,
      pace: pace, start: Date.now(), pausedAt: 0, pause: pause, size: size };
    // The timer survives a reload of the speaker view.
    var timerKey = "kenshu-deck-timer:" + deckId;
    try {
      var saved = JSON.parse(sessionStorage.getItem(timerKey) || "null");
      if (saved && typeof saved.start === "number" && saved.start <= Date.now()) {
        sp.start = saved.start;
        sp.pausedAt = typeof saved.pausedAt === "number" ? saved.pausedAt : 0;
        if (sp.pausedAt) pause.textContent = "再開";
      }
    } catch (e) { /* storage blocked: the timer starts now */ }
    function saveTimer() {
      try {
        sessionStorage.setItem(timerKey, JSON.stringify({ start: sp.start, pausedAt: sp.pausedAt }));
      } catch (e) { /* storage blocked */ }
    }
    saveTimer();

    pause.addEventListener("click", function () {
      if (sp.pausedAt) {
        sp.start += Date.now() - sp.pausedAt;
        sp.pausedAt = 0;
        pause.textContent = "一時停止";
      } else {
        sp.pausedAt = Date.now();
        pause.textContent = "再開";
      }
      saveTimer();
      tick();
    });
    reset.addEventListener("click", function () {
      sp.start = Date.now();
      if (sp.pausedAt) sp.pausedAt = sp.start;
      saveTimer();
      tick();
    });
    setInterval(tick, 500);
    tick();
  }

  // The speaker notes' font size in px (16–40), remembered in this browser.
  var NOTES_KEY = "kenshu-deck-notes-size";
  function notesSize(delta) {
    var px = 22;
    try { px = parseInt(localStorage.getItem(NOTES_KEY) || "22", 10) || 22; } catch (e) { /* blocked */ }
    px = Math.max(16, Math.min(40, px + delta));
    root.style.setProperty("--notes-size", px + "px");
    if (delta) {
      try { localStorage.setItem(NOTES_KEY, String(px)); } catch (e) { /* blocked */ }
      if (sp) cue(sp.notes);
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    if (!sp) return;
    var ms = (sp.pausedAt || Date.now()) - sp.start;
    var s = Math.floor(ms / 1000);
    sp.elapsed.textContent = pad(Math.floor(s / 3600)) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
    var d = new Date();
    sp.clock.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes());
    updatePace(ms);
  }

  // ---- pacing -----------------------------------------------------------------------

  // Sections (a `##` slide and the slides continuing it) with their planned minutes
  // (`目安：N分` in the notes) and where they start in the plan.
  var sections = [];
  var sectionOf = [];
  frames.forEach(function (f, i) {
    var anchor = slides[i].getAttribute("data-anchor") || "";
    var last = sections[sections.length - 1];
    var cont = last && i > 0 && anchor && anchor === last.anchor;
    if (!cont) {
      last = { anchor: anchor, minutes: 0, start: 0 };
      sections.push(last);
    }
    last.minutes = Math.max(last.minutes, parseInt(f.getAttribute("data-minutes") || "0", 10) || 0);
    sectionOf[i] = sections.length - 1;
  });
  var plannedTotal = 0;
  sections.forEach(function (s) { s.start = plannedTotal; plannedTotal += s.minutes; });

  function mmss(sec) {
    sec = Math.max(0, Math.round(sec));
    return Math.floor(sec / 60) + ":" + pad(sec % 60);
  }

  function updatePace(ms) {
    if (!sp || !sp.pace) return;
    var sec = sections[sectionOf[current]];
    if (!plannedTotal || !sec) { sp.pace.textContent = ""; return; }
    var min = ms / 60000;
    var state, cls;
    var lines = [];
    if (sec.minutes) {
      var end = sec.start + sec.minutes;
      lines.push("<strong>この節の目安 " + sec.minutes + "分</strong>（開始から " + sec.start + "〜" + end + "分）");
      if (min > end) {
        cls = "behind";
        state = "予定より " + Math.ceil(min - end) + "分 遅れています";
      } else if (min < sec.start) {
        cls = "ahead";
        state = "予定より " + Math.ceil(sec.start - min) + "分 早く進んでいます";
      } else {
        cls = "";
        state = "予定どおり · この節の残り " + mmss((end - min) * 60);
      }
      lines.push("<span class=\"speaker-pace-state\">" + state + "</span>");
    } else {
      cls = "";
      lines.push("この節には目安がありません");
    }
    lines.push("全体の予定 " + plannedTotal + "分");
    var html = lines.join("<br>");
    if (sp.paceHtml !== html) {
      sp.pace.innerHTML = html;
      sp.paceHtml = html;
    }
    sp.pace.className = "speaker-pace" + (cls ? " " + cls : "");
  }

  function updateSpeaker() {
    if (!sp) return;
    sp.count.textContent = (current + 1) + " / " + total;
    sp.nextFrame.textContent = "";
    if (current + 1 < total) {
      var clone = slides[current + 1].cloneNode(true);
      clone.removeAttribute("aria-roledescription");
      clone.removeAttribute("aria-label");
      clone.removeAttribute("role");
      Array.prototype.forEach.call(clone.querySelectorAll("[id]"), function (n) { n.removeAttribute("id"); });
      // An exercise is shown as its title only: the preview must not start a second copy.
      Array.prototype.forEach.call(clone.querySelectorAll(".deck-embed"), function (n) {
        var h = n.querySelector(".ex-title, h1, h2, h3, h4, legend, caption");
        var p = el("p", "speaker-embed", "演習" + (h ? "：" + h.textContent.trim() : ""));
        n.replaceWith(p);
      });
      Array.prototype.forEach.call(clone.querySelectorAll("script"), function (n) { n.remove(); });
      sp.nextFrame.appendChild(clone);
    } else {
      sp.nextFrame.appendChild(el("p", "speaker-next-end", "（最後のスライドです）"));
    }
    sp.notes.textContent = "";
    // ＋ / − float at the top right of the notes they size.
    sp.notes.appendChild(sp.size);
    var frame = frames[current];
    var notes = frame.querySelector(":scope > .notes");
    var extra = frame.querySelector(".slide-commentary");
    if (notes) {
      sp.notes.appendChild(notes.cloneNode(true));
    } else {
      sp.notes.appendChild(el("p", "speaker-notes-empty", "このスライドに講師メモはありません。"));
    }
    if (extra) {
      // The 解説, as part of the notes (not the panel it is on the slide).
      var inner = extra.querySelector(".slide-commentary-inner") || extra;
      var c = el("div", "speaker-commentary");
      Array.prototype.forEach.call(inner.childNodes, function (n) { c.appendChild(n.cloneNode(true)); });
      sp.notes.appendChild(c);
    }
    sp.notes.scrollTop = 0;
    cue(sp.notes);
    tick();
    layoutSpeaker();
  }

  function layoutSpeaker() {
    if (!sp) return;
    sp.nextFrame.style.setProperty("--kn", String(scaleFor(sp.nextFrame)));
  }

  // ---- start --------------------------------------------------------------------------

  frames.forEach(function (f) {
    f.inert = true;
    f.setAttribute("aria-hidden", "true");
  });
  if (speaker) { buildSpeaker(); notesSize(0); }
  if (handout) buildHandout();
  fitAll();
  var start = indexFromHash();
  go(start === null ? 0 : start, true);
  if (handout) {
    frames.forEach(function (f) { f.inert = false; f.removeAttribute("aria-hidden"); });
  }
  layout();
  window.addEventListener("resize", layout);
  window.addEventListener("hashchange", function () {
    var i = indexFromHash();
    if (i !== null) go(i);
  });
  window.addEventListener("beforeprint", fitAll);
  if (doc.fonts && doc.fonts.ready) {
    doc.fonts.ready.then(function () { fitAll(); if (speaker) updateSpeaker(); });
  }
  window.addEventListener("load", function () { fitAll(); if (speaker) updateSpeaker(); });

  if (speaker) {
    // Ask the audience window where it is; repeat to the opener, so that a reloaded
    // audience window finds this one again.
    send({ type: "hello" });
    setInterval(function () {
      if (window.opener && !window.opener.closed) {
        try { window.opener.postMessage({ kenshuDeck: deckId, from: instance, type: "hello" }, "*"); } catch (e) { /* gone */ }
      }
    }, 2000);
    if (window.opener) addPeer(window.opener);
  } else {
    send({ type: "state" });
  }
  stage.focus({ preventScroll: true });
})();
