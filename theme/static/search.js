// kenshu site search (the box in the header of reading pages). Progressive: the
// page works without it.
// Site search: the index (assets/search-index.js, a classic script that sets
// window.KENSHU_SEARCH) is loaded on first use, so it works from file:// too.
(function () {
  "use strict";
  var box = document.querySelector(".site-search");
  if (!box || !document.createElement("a").classList) return;
  var root = box.getAttribute("data-root") || "";
  var form = box.querySelector("form");
  var input = box.querySelector(".search-input");
  var panel = box.querySelector(".search-results");
  var summary = box.querySelector(".search-summary");
  var list = box.querySelector(".search-list");
  var status = box.querySelector(".search-status");
  if (!form || !input || !panel || !list || !status) return;
  box.hidden = false;
  var MAX = 20;
  var loading = false;
  var prepared = null;
  var timer = 0;
  var waiting = false;

  // Normalises one character together with the combining marks after it
  // (half-width ｶﾞ is one ガ): NFKC, then lower case.
  var marks = /[\u0300-\u036f\u3099\u309a\uff9e\uff9f]/;
  function norm(s) {
    s = String(s);
    return (s.normalize ? s.normalize("NFKC") : s).toLowerCase();
  }
  // Normalised text plus, for each of its UTF-16 units, the index of the
  // original unit it came from (to cut snippets out of the original text).
  function prepare(text) {
    var out = "", map = [], i = 0;
    while (i < text.length) {
      var j = i + 1;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && j < text.length) j++;
      while (j < text.length && marks.test(text.charAt(j))) j++;
      var n = norm(text.slice(i, j));
      for (var k = 0; k < n.length; k++) map.push(i);
      out += n;
      i = j;
    }
    map.push(text.length);
    return { raw: text, n: out, map: map };
  }
  function load() {
    if (window.KENSHU_SEARCH || loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = root + "assets/search-index.js";
    s.onload = function () { if (waiting) run(); };
    s.onerror = function () {
      loading = false;
      if (waiting) show([], "検索の索引を読み込めませんでした");
    };
    document.head.appendChild(s);
  }
  function index() {
    if (prepared) return prepared;
    var data = window.KENSHU_SEARCH;
    if (!data || !data.pages) return null;
    prepared = data.pages.map(function (p) {
      return {
        t: prepare(p.t), u: p.u,
        s: (p.s || []).map(function (s) { return { h: prepare(s.h), a: s.a, x: prepare(s.x) }; })
      };
    });
    return prepared;
  }
  function terms(q) {
    return norm(q).split(/\s+/).filter(Boolean);
  }
  function search(q) {
    var ts = terms(q), pages = index(), found = [];
    if (!ts.length || !pages) return found;
    pages.forEach(function (p, pi) {
      var titleHits = ts.map(function (t) { return p.t.n.indexOf(t) >= 0; });
      var titleOnly = null;
      p.s.forEach(function (s, si) {
        var score = 0, own = false;
        for (var i = 0; i < ts.length; i++) {
          var t = ts[i], best = 0;
          if (titleHits[i]) best = 100;
          if (s.h.n.indexOf(t) >= 0) { best = Math.max(best, 10); own = true; }
          if (s.x.n.indexOf(t) >= 0) { best = Math.max(best, 1); own = true; }
          if (!best) return;
          score += best;
        }
        var r = { p: p, s: s, score: score, order: pi * 10000 + si };
        if (own) found.push(r);
        else if (!titleOnly) titleOnly = r;
      });
      // Only the title matches: one result for the page.
      if (titleOnly && !found.some(function (r) { return r.p === p; })) {
        titleOnly.s = { h: prepare(""), a: "", x: p.s.length ? p.s[0].x : prepare("") };
        found.push(titleOnly);
      }
      if (!p.s.length && titleHits.every(Boolean)) {
        found.push({ p: p, s: { h: prepare(""), a: "", x: prepare("") }, score: 100 * ts.length, order: pi * 10000 });
      }
    });
    found.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    var shown = found.slice(0, MAX).map(function (r) { r.terms = ts; return r; });
    shown.total = found.length;
    return shown;
  }
  // Appends `text` to `el` with every term wrapped in <mark>.
  function highlight(el, prep, start, end, ts) {
    var n = prep.n, spans = [];
    ts.forEach(function (t) {
      var from = 0, at;
      while ((at = n.indexOf(t, from)) >= 0) {
        var a = prep.map[at], b = prep.map[at + t.length];
        if (b > start && a < end) spans.push([Math.max(a, start), Math.min(b, end)]);
        from = at + t.length;
      }
    });
    spans.sort(function (x, y) { return x[0] - y[0]; });
    var pos = start;
    spans.forEach(function (m) {
      if (m[0] < pos) { if (m[1] <= pos) return; m[0] = pos; }
      if (m[0] > pos) el.appendChild(document.createTextNode(prep.raw.slice(pos, m[0])));
      var mk = document.createElement("mark");
      mk.textContent = prep.raw.slice(m[0], m[1]);
      el.appendChild(mk);
      pos = m[1];
    });
    if (pos < end) el.appendChild(document.createTextNode(prep.raw.slice(pos, end)));
  }
  function snippet(el, x, ts) {
    var first = -1;
    ts.forEach(function (t) {
      var at = x.n.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var raw = x.raw, at = first < 0 ? 0 : x.map[first];
    var start = Math.max(0, at - 30), end = Math.min(raw.length, start + 90);
    if (start > 0) el.appendChild(document.createTextNode("…"));
    highlight(el, x, start, end, ts);
    if (end < raw.length) el.appendChild(document.createTextNode("…"));
  }
  // The terms of the result being opened, for the page it opens (below).
  function remember(ts) {
    try { sessionStorage.setItem("kenshu-search", JSON.stringify(ts)); } catch (e) { /* private mode */ }
  }
  function show(results, message) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.p.u + (r.s.a ? "#" + r.s.a : "");
      a.className = "search-result";
      var title = document.createElement("span");
      title.className = "search-result-title";
      highlight(title, r.p.t, 0, r.p.t.raw.length, r.terms);
      a.appendChild(title);
      if (r.s.h.raw) {
        var h = document.createElement("span");
        h.className = "search-result-heading";
        highlight(h, r.s.h, 0, r.s.h.raw.length, r.terms);
        a.appendChild(h);
      }
      if (r.s.x.raw) {
        var sn = document.createElement("span");
        sn.className = "search-result-snippet";
        snippet(sn, r.s.x, r.terms);
        a.appendChild(sn);
      }
      a.addEventListener("click", function () { remember(r.terms); });
      li.appendChild(a);
      list.appendChild(li);
    });
    var text = message || (results.length
      ? (results.total || results.length) + "件見つかりました" +
        ((results.total || 0) > results.length ? "（上位" + results.length + "件を表示）" : "")
      : "見つかりませんでした");
    summary.textContent = text;
    status.textContent = text;
    panel.hidden = false;
  }
  function close(clear) {
    clearTimeout(timer);
    waiting = false;
    panel.hidden = true;
    list.textContent = "";
    status.textContent = "";
    if (clear) input.value = "";
  }
  function run() {
    var q = input.value;
    if (!terms(q).length) { close(false); return; }
    if (!window.KENSHU_SEARCH) { waiting = true; load(); return; }
    waiting = false;
    show(search(q));
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    load();
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  // Opened from a result whose match is in a closed block (the collapsed
  // 講師メモ): open the block so the words searched for are on screen.
  (function () {
    var ts;
    try {
      ts = JSON.parse(sessionStorage.getItem("kenshu-search") || "null");
      sessionStorage.removeItem("kenshu-search");
    } catch (e) { return; }
    if (!ts || !ts.length) return;
    var id = location.hash.slice(1), start = null;
    try { id = decodeURIComponent(id); } catch (e) { /* keep it as it is */ }
    if (id) start = document.getElementById(id);
    var level = start && /^H[1-6]$/.test(start.tagName) ? +start.tagName.charAt(1) : 7;
    var e = start ? start.nextElementSibling : document.querySelector("article.content > *");
    for (; e; e = e.nextElementSibling) {
      if (/^H[1-6]$/.test(e.tagName) && +e.tagName.charAt(1) <= level) break;
      var closed = e.matches("details.speaker-notes") ? [e] : Array.prototype.slice.call(e.querySelectorAll("details.speaker-notes"));
      for (var i = 0; i < closed.length; i++) {
        var text = norm(closed[i].textContent);
        if (!closed[i].open && ts.every(function (t) { return text.indexOf(t) >= 0; })) closed[i].open = true;
      }
    }
  })();
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
    var first = links()[0];
    if (first) first.click();
  });
  box.addEventListener("keydown", function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" || e.key === "Down") {
      if (e.target === input) { clearTimeout(timer); if (panel.hidden || waiting) run(); all = links(); }
      if (!all.length) return;
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === "ArrowUp" || e.key === "Up") {
      if (at < 0) return;
      e.preventDefault();
      if (at === 0) input.focus(); else all[at - 1].focus();
    } else if (e.key === "Escape" || e.key === "Esc") {
      // First Esc closes the results, a second one clears the box.
      if (panel.hidden && !input.value) return;
      e.preventDefault();
      e.stopPropagation();
      close(panel.hidden);
      input.focus();
    }
  });
  // A click or focus outside the search closes the results.
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) close(false);
  });
  document.addEventListener("focusin", function (e) {
    if (!box.contains(e.target) && !panel.hidden) close(false);
  });
})();
