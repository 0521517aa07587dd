// kenshu reading pages: small progressive enhancements. The site works without it.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  document.documentElement.classList.add("js");
  toggle.hidden = false;
  // Narrow screens: the open menu is an overlay (site.css) that keeps the
  // focus until it is closed (Esc, the button, a link, or back).
  var narrow = window.matchMedia ? window.matchMedia("(min-width: 60rem)") : null;
  function overlay() { return !narrow || !narrow.matches; }
  var pushed = false;
  function setOpen(open, fromHistory) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
    document.documentElement.classList.toggle("menu-open", open && overlay());
    if (open && overlay()) {
      var first = nav.querySelector("[aria-current=page]") || nav.querySelector("a");
      if (first) {
        // The current page's entry in the middle of the menu (scrolling
        // the menu only: the page stays where the reader was).
        var below = first.getBoundingClientRect().bottom - nav.getBoundingClientRect().bottom;
        if (below > 0) nav.scrollTop += below + nav.clientHeight / 2;
        first.focus({ preventScroll: true });
      }
      // The back gesture closes the menu rather than leaving the page.
      if (window.history && history.pushState && !pushed) {
        try { history.pushState({ kenshuMenu: true }, ""); pushed = true; } catch (e) { /* sandboxed */ }
      }
    } else if (!open && pushed) {
      pushed = false;
      if (!fromHistory && history.state && history.state.kenshuMenu) { backing = true; history.back(); }
    }
  }
  // `backing`: the menu's own history entry is being taken back (its
  // popstate is not the reader's back gesture).
  var backing = false;
  window.addEventListener("popstate", function () {
    if (backing) { backing = false; return; }
    if (pushed) { pushed = false; setOpen(false, true); toggle.focus(); }
  });
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && nav.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    } else if (e.key === "Tab" && nav.classList.contains("open") && overlay()) {
      // Tab goes round the menu and its button.
      var all = [toggle].concat(Array.prototype.slice.call(nav.querySelectorAll("a, button, summary")));
      var at = all.indexOf(document.activeElement);
      var next = at < 0 ? 0 : (at + (e.shiftKey ? all.length - 1 : 1)) % all.length;
      e.preventDefault();
      // Into view within the menu; the page behind stays where it is.
      var el = all[next], r = el.getBoundingClientRect(), box = nav.getBoundingClientRect();
      el.focus({ preventScroll: true });
      if (nav.contains(el) && (r.top < box.top || r.bottom > box.bottom)) {
        nav.scrollTop += r.top - box.top - nav.clientHeight / 3;
      }
    }
  });
  // A link in the overlay leads away: the menu closes (without going back).
  nav.addEventListener("click", function (e) {
    if (overlay() && e.target.closest && e.target.closest("a") && pushed) {
      pushed = false;
      nav.classList.remove("open");
      document.documentElement.classList.remove("menu-open");
      toggle.setAttribute("aria-expanded", "false");
    }
  });
  if (narrow && narrow.addEventListener) {
    narrow.addEventListener("change", function () {
      document.documentElement.classList.toggle("menu-open", nav.classList.contains("open") && overlay());
    });
  }
  var current = nav.querySelector("[aria-current=page]");
  if (current && current.scrollIntoView && window.matchMedia("(min-width: 60rem)").matches) {
    current.scrollIntoView({ block: "nearest" });
  }
})();
// Reading pages: the header that comes back on scrolling up, the in-page
// contents (collapsed on phones, a rail with the current section marked on
// wide screens), back to top, wide tables, figures opened full-screen and
// the learner's progress on index cards.
(function () {
  "use strict";
  var doc = document.documentElement;
  if (!document.querySelector || !doc.classList) return;
  doc.classList.add("js");
  var header = document.querySelector(".site-header");
  var toTop = document.querySelector(".to-top");
  var nav = document.getElementById("site-nav");
  var wide = window.matchMedia ? window.matchMedia("(min-width: 75rem)") : { matches: false };

  // -- Header: hidden while scrolling down, back on scrolling up. ---------
  var lastY = window.pageYOffset, hidden = false, headerH = 0;
  function measure() {
    headerH = header ? header.offsetHeight : 0;
    doc.style.setProperty("--header-h", headerH + "px");
    doc.style.setProperty("--header-offset", (hidden ? 0 : headerH) + "px");
  }
  function setHidden(h) {
    if (h === hidden) return;
    hidden = h;
    doc.classList.toggle("header-hidden", h);
    doc.style.setProperty("--header-offset", (h ? 0 : headerH) + "px");
  }
  function busy() {
    // Never hide the header while it is in use (search, open menu).
    return (header && header.contains(document.activeElement) && document.activeElement !== document.body) ||
      (nav && nav.classList.contains("open"));
  }
  function onScroll() {
    var y = window.pageYOffset;
    var dy = y - lastY;
    if (y <= headerH) setHidden(false);
    else if (dy > 6 && !busy()) setHidden(true);
    else if (dy < -6) setHidden(false);
    if (Math.abs(dy) > 6 || y <= headerH) lastY = y;
    // Not over an exercise the learner is working in (its summary and
    // buttons sit where the floating button would be).
    var inExercise = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".exercise, [data-exercise]");
    if (toTop) toTop.classList.toggle("shown", y > window.innerHeight * 1.5 && !hidden && !inExercise);
  }
  if (header) {
    measure();
    window.addEventListener("resize", measure);
    window.addEventListener("scroll", onScroll, { passive: true });
    header.addEventListener("focusin", function () { setHidden(false); });
  }
  if (toTop) {
    // Back to the top, and the keyboard focus with it (to the site title).
    toTop.addEventListener("click", function (e) {
      e.preventDefault();
      window.scrollTo(0, 0);
      var title = document.querySelector(".site-title");
      if (title) title.focus({ preventScroll: true });
    });
  }

  // -- In-page contents ----------------------------------------------------
  var toc = document.querySelector("main.has-toc > .toc");
  var box = toc && toc.querySelector("details");
  if (box) {
    // Open as a rail on wide screens; on phones it stays a closed button.
    var place = function () { box.open = wide.matches; };
    place();
    if (wide.addEventListener) wide.addEventListener("change", place);
    var links = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
    var targets = links.map(function (a) {
      var id = a.getAttribute("href").slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* as written */ }
      return document.getElementById(id);
    });
    var current = -1, queued = false;
    var spy = function () {
      queued = false;
      var line = (hidden ? 0 : headerH) + window.innerHeight * 0.25, at = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) at = i;
      }
      if (at === current) return;
      if (current >= 0) links[current].removeAttribute("aria-current");
      current = at;
      if (at < 0) return;
      links[at].setAttribute("aria-current", "true");
      // Keep the marked entry visible in the rail (not the page).
      if (wide.matches && toc.scrollHeight > toc.clientHeight) {
        var l = links[at], top = l.offsetTop - toc.clientHeight / 3;
        if (l.offsetTop < toc.scrollTop || l.offsetTop + l.offsetHeight > toc.scrollTop + toc.clientHeight) toc.scrollTop = top;
      }
    };
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; (window.requestAnimationFrame || setTimeout)(spy); }
    }, { passive: true });
    spy();
    // On a phone, choosing an entry closes the contents again.
    toc.addEventListener("click", function (e) {
      if (!wide.matches && e.target.closest && e.target.closest("a")) box.open = false;
    });
  }

  // -- Tables: short cells never wrap; wide tables say they scroll. --------
  var wraps = Array.prototype.slice.call(document.querySelectorAll("article .table-wrap"));
  wraps.forEach(function (w) {
    Array.prototype.forEach.call(w.querySelectorAll("td, th"), function (c) {
      var t = c.textContent.replace(/\s+/g, "");
      if (t.length > 0 && t.length <= 8 && !c.querySelector("ul, ol, p, br")) c.classList.add("is-short");
    });
    var hint = null;
    var check = function () {
      var over = w.scrollWidth > w.clientWidth + 1;
      if (over === w.classList.contains("is-scrollable")) return;
      w.classList.toggle("is-scrollable", over);
      if (over) {
        // Keyboard users can scroll it; screen readers hear what it is.
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        var cap = w.querySelector("caption");
        w.setAttribute("aria-label", (cap ? cap.textContent.trim() + "（" : "表（") + "横にスクロールできます）");
        // The caption would scroll with the table: it is shown above it
        // instead (and stays the table's caption for screen readers).
        hint = document.createElement("div");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        if (cap) {
          var c = document.createElement("p");
          c.className = "scroll-caption";
          c.textContent = cap.textContent.trim();
          hint.appendChild(c);
          cap.classList.add("visually-hidden");
        }
        var t = document.createElement("p");
        t.className = "scroll-note";
        t.textContent = "表は横にスクロールできます。左の列は固定されています。";
        hint.appendChild(t);
        w.parentNode.insertBefore(hint, w);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (a) { w.removeAttribute(a); });
        var cp = w.querySelector("caption");
        if (cp) cp.classList.remove("visually-hidden");
        if (hint) { hint.remove(); hint = null; }
      }
    };
    check();
    if (window.ResizeObserver) new ResizeObserver(check).observe(w);
    else window.addEventListener("resize", check);
  });

  // -- Figures: readable text on phones, full-screen viewer. ---------------
  var figures = Array.prototype.slice.call(document.querySelectorAll("article figure, article p > img"))
    .filter(function (f) { return !(f.closest && f.closest("a, .exercise, .ex, figure figure")); });
  function graphic(f) { return f.tagName === "IMG" ? f : f.querySelector("svg, img"); }
  function naturalWidth(g) {
    if (g.tagName === "IMG") return g.naturalWidth || g.width;
    var vb = g.viewBox && g.viewBox.baseVal;
    return vb && vb.width ? vb.width : g.getBoundingClientRect().width;
  }
  // The smallest text of an SVG, in its own units.
  function smallestText(svg) {
    var min = Infinity;
    Array.prototype.forEach.call(svg.querySelectorAll("text, tspan"), function (t) {
      var fs = parseFloat(t.getAttribute("font-size") || "");
      // Computed sizes of SVG text are in the drawing's own units too.
      if (!fs) fs = parseFloat(window.getComputedStyle(t).fontSize);
      if (fs && fs < min) min = fs;
    });
    return min;
  }
  var MIN_TEXT = 12;
  var viewer = null;
  function buildViewer() {
    var d = document.createElement("dialog");
    d.className = "lightbox";
    d.setAttribute("aria-label", "図の拡大表示");
    d.innerHTML = '<div class="lightbox-bar"><p class="lightbox-title"></p>' +
      '<button type="button" data-zoom="-1" aria-label="縮小">－</button>' +
      '<button type="button" data-zoom="1" aria-label="拡大">＋</button>' +
      '<button type="button" class="lightbox-close">閉じる</button></div>' +
      '<div class="lightbox-stage" tabindex="0" role="group" aria-label="図（ドラッグ・ピンチで移動と拡大縮小）"><div class="lightbox-canvas"></div></div>';
    document.body.appendChild(d);
    var stage = d.querySelector(".lightbox-stage"), canvas = d.querySelector(".lightbox-canvas");
    var v = { dialog: d, stage: stage, canvas: canvas, scale: 1, natural: 1, opener: null };
    v.zoom = function (s, cx, cy) {
      s = Math.max(0.25, Math.min(6, s));
      var r = stage.getBoundingClientRect();
      if (cx === undefined) { cx = r.width / 2; cy = r.height / 2; }
      var fx = (stage.scrollLeft + cx) / Math.max(1, canvas.offsetWidth), fy = (stage.scrollTop + cy) / Math.max(1, canvas.offsetHeight);
      v.scale = s;
      if (v.graphic) v.graphic.style.width = Math.round(v.natural * s) + "px";
      stage.scrollLeft = fx * canvas.offsetWidth - cx;
      stage.scrollTop = fy * canvas.offsetHeight - cy;
    };
    d.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button");
      if (!b) return;
      if (b.classList.contains("lightbox-close")) d.close();
      else v.zoom(v.scale * (b.getAttribute("data-zoom") === "1" ? 1.25 : 0.8));
    });
    d.addEventListener("keydown", function (e) {
      if (e.key === "+" || e.key === "=") { e.preventDefault(); v.zoom(v.scale * 1.25); }
      else if (e.key === "-") { e.preventDefault(); v.zoom(v.scale * 0.8); }
    });
    d.addEventListener("close", function () {
      canvas.textContent = "";
      if (v.opener && v.opener.focus) v.opener.focus();
    });
    // Touch and pen: one pointer pans, two pinch to zoom.
    var pts = {}, pinch = null;
    function list() { return Object.keys(pts).map(function (k) { return pts[k]; }); }
    stage.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      pts[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (stage.setPointerCapture) stage.setPointerCapture(e.pointerId);
      var p = list();
      if (p.length === 2) pinch = { d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) || 1, s: v.scale };
    });
    stage.addEventListener("pointermove", function (e) {
      var old = pts[e.pointerId];
      if (!old) return;
      var now = { x: e.clientX, y: e.clientY };
      pts[e.pointerId] = now;
      var p = list();
      if (p.length === 2 && pinch) {
        var r = stage.getBoundingClientRect();
        var dist = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
        v.zoom(pinch.s * dist / pinch.d, (p[0].x + p[1].x) / 2 - r.left, (p[0].y + p[1].y) / 2 - r.top);
      } else if (p.length === 1) {
        stage.scrollLeft -= now.x - old.x;
        stage.scrollTop -= now.y - old.y;
      }
    });
    function up(e) { delete pts[e.pointerId]; if (list().length < 2) pinch = null; }
    stage.addEventListener("pointerup", up);
    stage.addEventListener("pointercancel", up);
    stage.addEventListener("wheel", function (e) {
      if (!e.ctrlKey) return;
      e.preventDefault();
      var r = stage.getBoundingClientRect();
      v.zoom(v.scale * (e.deltaY < 0 ? 1.1 : 0.9), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    return v;
  }
  function open(f, opener) {
    var g = graphic(f);
    if (!g || typeof HTMLDialogElement === "undefined") return;
    if (!viewer) viewer = buildViewer();
    var v = viewer, copy = g.cloneNode(true);
    copy.removeAttribute("style");
    copy.removeAttribute("width");
    copy.removeAttribute("height");
    copy.classList.remove("zoomable");
    if (copy.tagName === "svg" || copy.tagName === "SVG") copy.removeAttribute("id");
    v.canvas.textContent = "";
    v.canvas.appendChild(copy);
    v.graphic = copy;
    var cap = f.querySelector && f.querySelector("figcaption");
    v.dialog.querySelector(".lightbox-title").textContent =
      cap ? cap.textContent.trim() : (g.getAttribute("alt") || g.getAttribute("aria-label") || "図");
    v.opener = opener;
    v.dialog.showModal();
    v.natural = naturalWidth(g) || 640;
    var room = v.stage.clientWidth - 32;
    var fit = room / v.natural;
    // Fit the screen, but never so small that the figure's text is under 12 px.
    var min = 1;
    if (g.tagName !== "IMG") { var t = smallestText(g); if (t < Infinity) min = MIN_TEXT / t; }
    v.zoom(Math.max(Math.min(fit, 2.5), min));
    v.stage.scrollLeft = 0;
    v.stage.scrollTop = 0;
    v.dialog.querySelector(".lightbox-close").focus();
  }
  figures.forEach(function (f) {
    var g = graphic(f);
    if (!g) return;
    var holder = f.tagName === "IMG" ? null : f;
    // Phones: an SVG whose text would be under 12 px keeps a readable size
    // and scrolls sideways within its own box.
    if (holder && g.tagName.toLowerCase() === "svg") {
      var fix = function () {
        var t = smallestText(g), nat = naturalWidth(g);
        if (!(t < Infinity) || !nat) return;
        var need = Math.ceil(nat * MIN_TEXT / t);
        var avail = holder.clientWidth;
        if (need > avail && !g.parentNode.classList.contains("figure-scroll")) {
          var wrap = document.createElement("div");
          wrap.className = "figure-scroll";
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", "図（横にスクロールできます）");
          g.parentNode.insertBefore(wrap, g);
          wrap.appendChild(g);
          g.style.minWidth = need + "px";
        }
      };
      fix();
    }
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "figure-open";
    btn.textContent = "拡大";
    btn.setAttribute("aria-label", "図を拡大して表示");
    btn.addEventListener("click", function () { open(f, btn); });
    if (holder) holder.insertBefore(btn, holder.firstChild);
    else {
      var fig = document.createElement("span");
      fig.className = "figure-inline";
      f.parentNode.insertBefore(fig, f);
      fig.appendChild(btn);
      fig.appendChild(f);
    }
    g.classList.add("zoomable");
    g.addEventListener("click", function () { open(f, btn); });
  });

  // -- Progress on index cards (the exercises' records in this browser). --
  function record(id, hash) {
    try {
      var raw = window.localStorage.getItem("kenshu:" + id + ":" + hash);
      return raw ? JSON.parse(raw) : null;
    } catch (e) { return null; }
  }
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-exercises]"), function (card) {
    var out = card.querySelector(".card-progress");
    if (!out) return;
    var ex = card.getAttribute("data-exercises").split(/\s+/).filter(Boolean);
    var done = 0, perfect = 0;
    ex.forEach(function (e) {
      var at = e.lastIndexOf(":");
      var r = record(e.slice(0, at), e.slice(at + 1));
      if (r && r.attempts > 0) {
        done++;
        if (r.total > 0 && r.best === r.total) perfect++;
      }
    });
    out.querySelector(".card-progress-text").textContent = done
      ? "取り組んだ演習 " + done + " / " + ex.length + (perfect ? "（全問正解 " + perfect + "）" : "")
      : "演習 " + ex.length + " 件（まだ取り組んでいません）";
    out.querySelector(".card-progress-bar > span").style.width = Math.round(done * 100 / ex.length) + "%";
    out.hidden = false;
  });
})();
// Offline use (hosted sites): the build's service worker, kenshu-sw.js at
// the site's root, stores the whole site on the first visit and answers
// when the network does not; the web app manifest makes it installable. Only over http(s) (never from file://), and
// not inside a frame (an LMS plays the course in its own page). Browsers
// driven by tests (navigator.webdriver) register it only when the page
// asks with sessionStorage "kenshu-offline" = "1".
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) return;
  try {
    if (window.top !== window.self) return;
    if (navigator.webdriver && sessionStorage.getItem("kenshu-offline") !== "1") return;
  } catch (e) { return; }
  var scope = new URL("../", me.src).href;
  // Installable: the manifest (the site's title and icon) is linked here,
  // as from file:// it would be an error.
  var link = document.createElement("link");
  link.rel = "manifest";
  link.href = new URL("assets/site.webmanifest", scope).href;
  document.head.appendChild(link);
  var sw = navigator.serviceWorker;
  // A newer build's worker taking over a page shown by an older one: the
  // page offers to reload (answers are kept by the browser, not the page).
  var had = !!sw.controller;
  sw.addEventListener("controllerchange", function () {
    if (!had) { had = true; return; }
    if (document.querySelector(".site-update")) return;
    var bar = document.createElement("div");
    bar.className = "site-update";
    bar.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = "更新があります";
    var reload = document.createElement("button");
    reload.type = "button";
    reload.textContent = "再読み込み";
    reload.addEventListener("click", function () { location.reload(); });
    var later = document.createElement("button");
    later.type = "button";
    later.className = "site-update-close";
    later.textContent = "あとで";
    later.addEventListener("click", function () { bar.remove(); });
    bar.appendChild(text);
    bar.appendChild(reload);
    bar.appendChild(later);
    document.body.appendChild(bar);
  });
  sw.register(new URL("kenshu-sw.js", scope).href, { scope: scope, updateViaCache: "none" })
    .then(function (reg) {
      // A page left open for long looks for a new build when it is shown again.
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") reg.update().catch(function () { /* offline */ });
      });
    })
    .catch(function () { /* the site works without it */ });
})();
