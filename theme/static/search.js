// kenshu site search (the box in the header of reading pages). Progressive: the
// page works without it.
//
// The index is written by the build under assets/search/ (see
// generator/src/render/search.rs): meta.js, shard/N.js (postings of the
// terms that hash to N) and text/N.js (the text of a few sections). Each is a
// classic script calling KENSHU_SEARCH_ADD, inserted with a relative path on
// first use — so search works from file:// (no fetch there), under a
// sub-path and on any static host, and a query loads only the shards of its
// terms and the text of the results it shows.
(function () {
  "use strict";
  var box = document.querySelector(".site-search");
  if (!box || !document.createElement("a").classList || !window.Promise) return;
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
  var timer = 0;
  var seq = 0;

  // ---- Normalisation and terms: the same as generator/src/render/search/tokenize.rs.

  // NFKC, then lower case; then the folding of tokenize::fold (below).
  var marks = /[\u0300-\u036f\u3099\u309a\uff9e\uff9f]/;
  function nfkc(s) {
    s = String(s);
    return (s.normalize ? s.normalize("NFKC") : s).toLowerCase();
  }
  function norm(s) { return fold(Array.from(nfkc(s)), null).n; }
  // Folding, as tokenize.rs: katakana as hiragana, no long-vowel mark, small
  // kana as large, ヴァ… as バ…, ぢ づ as じ ず, iteration marks written out.
  var SMALL = { "ぁ": "あ", "ぃ": "い", "ぅ": "う", "ぇ": "え", "ぉ": "お", "っ": "つ", "ゃ": "や", "ゅ": "ゆ",
    "ょ": "よ", "ゎ": "わ", "ゕ": "か", "ゖ": "け", "ぢ": "じ", "づ": "ず" };
  var VU = { "ぁ": "ば", "ぃ": "び", "ぅ": "ぶ", "ぇ": "べ", "ぉ": "ぼ" };
  var EXT = "くしすとぬはひふへほむらりるれろ";
  function large(c) { return SMALL[c] || c; }
  function hira(c) {
    var u = c.codePointAt(0);
    if ((u >= 0x30a1 && u <= 0x30f6) || u === 0x30fd || u === 0x30fe) return String.fromCharCode(u - 0x60);
    if (u >= 0x30f7 && u <= 0x30fa) return "ばびべぼ".charAt(u - 0x30f7);
    if (u >= 0x31f0 && u <= 0x31ff) return EXT.charAt(u - 0x31f0);
    return c;
  }
  function voiced(c) {
    var u = c.codePointAt(0);
    if ((u >= 0x304b && u <= 0x3062 && u % 2 === 1) || (u >= 0x3064 && u <= 0x3068 && u % 2 === 0) ||
        (u >= 0x306f && u <= 0x307b && (u - 0x306f) % 3 === 0)) return String.fromCharCode(u + 1);
    return c === "う" ? "ゔ" : c;
  }
  function isKana(c) { var u = c.codePointAt(0); return u >= 0x3041 && u <= 0x3096; }
  // Folds the characters `cs` (NFKC and lower case already); `src[i]` is
  // where cs[i] came from. Returns the text and, per UTF-16 unit of it, its
  // source.
  function fold(cs, src) {
    var out = "", map = [], prev = "";
    for (var i = 0; i < cs.length; i++) {
      var c = hira(cs[i]), from = src ? src[i] : 0;
      if (c === "ー") continue;
      if (c === "ゔ") {
        var nx = i + 1 < cs.length ? hira(cs[i + 1]) : "";
        if (VU[nx]) { c = VU[nx]; i++; } else c = "ぶ";
      } else if (c === "々" || c === "ゝ" || c === "ゞ") {
        if (prev && c === "々" && cls(prev) === 1) c = prev;
        else if (prev && c === "ゝ" && isKana(prev)) c = prev;
        else if (prev && c === "ゞ" && isKana(prev)) c = large(voiced(prev));
      } else c = large(c);
      out += c;
      for (var k = 0; k < c.length; k++) map.push(from);
      prev = c;
    }
    return { n: out, map: map };
  }
  var wordChar;
  try {
    wordChar = new RegExp("[\\p{Alphabetic}\\p{N}]", "u");
  } catch (e) {
    wordChar = /[0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]/;
  }
  // 1: CJK (Han, kana, Hangul, 々〆〇), 2: a word character, 0: the rest.
  function cls(ch) {
    var u = ch.codePointAt(0);
    if ((u >= 0x3005 && u <= 0x3007) || (u >= 0x3041 && u <= 0x30ff) || (u >= 0x31f0 && u <= 0x31ff) ||
        (u >= 0x3400 && u <= 0x4dbf) || (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xf900 && u <= 0xfaff) ||
        (u >= 0x1100 && u <= 0x11ff) || (u >= 0x3130 && u <= 0x318f) || (u >= 0xac00 && u <= 0xd7af) ||
        (u >= 0x20000 && u <= 0x3ffff)) return 1;
    return wordChar.test(ch) ? 2 : 0;
  }
  // The terms of normalised text `n`: each word; each CJK character and
  // each pair of neighbours. With `query`, a CJK character only when it
  // stands alone (the pairs cover the others).
  function terms(n, query) {
    var out = [], word = "", prev = "";
    var chars = Array.from(n);
    for (var i = 0; i <= chars.length; i++) {
      var ch = chars[i], k = i < chars.length ? cls(ch) : 0;
      if (k !== 2 && word) { out.push(word); word = ""; }
      if (k === 1) {
        if (prev) out.push(prev + ch);
        var alone = !prev && !(i + 1 < chars.length && cls(chars[i + 1]) === 1);
        if (!query || alone) out.push(ch);
        prev = ch;
      } else {
        prev = "";
        if (k === 2) word += ch;
      }
    }
    return out;
  }
  // FNV-1a (32 bit) over UTF-16 units, as tokenize::hash.
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }
  function isWord(term) { return cls(Array.from(term)[0]) === 2; }
  function shardOf(term, shards) {
    var key = isWord(term) ? Array.from(term).slice(0, 2).join("") : term;
    return hash(key) % Math.max(1, shards);
  }
  // For the test that compares this with the Rust tokenizer.
  window.KENSHU_SEARCH_TERMS = function (text) { return terms(norm(text), false); };
  window.KENSHU_SEARCH_SHARD = shardOf;

  // ---- Loading index files.

  var store = { meta: null, shard: {}, text: {} };
  var loads = {};
  window.KENSHU_SEARCH_ADD = function (kind, id, data) {
    if (kind === "meta") store.meta = prepMeta(data);
    else if (store[kind]) store[kind][id] = kind === "shard" ? { d: data, keys: null } : data;
  };
  function have(kind, id) { return kind === "meta" ? !!store.meta : !!store[kind][id]; }
  function load(kind, id) {
    var key = kind + id;
    if (have(kind, id)) return Promise.resolve();
    if (loads[key]) return loads[key];
    loads[key] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "assets/search/" + (kind === "meta" ? "meta.js" : kind + "/" + id + ".js?v=" + store.meta.v);
      s.onload = function () {
        s.remove();
        if (have(kind, id)) resolve(); else { delete loads[key]; reject(new Error(key)); }
      };
      s.onerror = function () { s.remove(); delete loads[key]; reject(new Error(key)); };
      document.head.appendChild(s);
    });
    return loads[key];
  }
  function b36(x) { return parseInt(x, 36); }
  function prepMeta(m) {
    var starts = [0];
    (m.pages ? m.pages.split(",") : []).forEach(function (c) { starts.push(starts[starts.length - 1] + b36(c)); });
    m.starts = starts;
    m.pageTexts = {};
    return m;
  }
  // The page that section `sec` belongs to.
  function pageOf(sec) {
    var st = store.meta.starts, lo = 0, hi = st.length - 2;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (st[mid] <= sec) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // ---- Postings.

  // Postings of one term: title pages (a Set) and sections → bits (a Map;
  // 1 heading, 2 text). A word also matches the words it begins.
  var decoded = {};
  function decode(str) {
    var bar = str.indexOf("|"), t = new Set(), s = new Map(), at = 0;
    if (bar > 0) str.slice(0, bar).split(",").forEach(function (x) { at += b36(x); t.add(at); });
    at = 0;
    if (bar + 1 < str.length) {
      str.slice(bar + 1).split(",").forEach(function (x) {
        var v = b36(x);
        at += Math.floor(v / 4);
        s.set(at, v & 3);
      });
    }
    return { t: t, s: s };
  }
  function postings(term) {
    if (decoded[term]) return decoded[term];
    var shard = store.shard[shardOf(term, store.meta.shards)], d = shard.d;
    var out;
    if (isWord(term) && Array.from(term).length >= 2) {
      if (!shard.keys) shard.keys = Object.keys(d);
      out = { t: new Set(), s: new Map() };
      shard.keys.forEach(function (k) {
        if (k.lastIndexOf(term, 0) !== 0) return;
        var p = decode(d[k]);
        p.t.forEach(function (x) { out.t.add(x); });
        p.s.forEach(function (bits, sec) { out.s.set(sec, (out.s.get(sec) || 0) | bits); });
      });
    } else {
      out = d[term] ? decode(d[term]) : { t: new Set(), s: new Map() };
    }
    decoded[term] = out;
    return out;
  }
  // Where every term of one query word is: the pages whose title has them
  // all, the sections whose heading (1) or text (2) has them all.
  function wordPostings(ts) {
    var ps = ts.map(postings).sort(function (a, b) { return a.s.size - b.s.size; });
    var t = new Set(), s = new Map();
    ps[0].t.forEach(function (p) { if (ps.every(function (q) { return q.t.has(p); })) t.add(p); });
    ps[0].s.forEach(function (bits, sec) {
      for (var i = 1; i < ps.length && bits; i++) bits &= ps[i].s.get(sec) || 0;
      if (bits) s.set(sec, bits);
    });
    return { t: t, s: s };
  }

  // ---- The query.

  // Words of the query (normalised, split at spaces) and their terms; words
  // without any term (only punctuation) are left out.
  function parse(q) {
    return norm(q).split(/\s+/).filter(Boolean).map(function (w) {
      var seen = {};
      return { w: w, ts: terms(w, true).filter(function (t) { return seen[t] ? false : (seen[t] = true); }) };
    }).filter(function (w) { return w.ts.length; });
  }
  // Candidate results from the postings, best first: each with an upper
  // bound of its score (the index knows which field has each term, not
  // whether the terms stand together as typed).
  function candidates(words) {
    var meta = store.meta, k = words.length, bonus = k > 1 ? 0.5 : 0;
    var ws = words.map(function (w) { return wordPostings(w.ts); });
    var secs = new Set(), out = [], hasOwn = new Set();
    ws.forEach(function (w) { w.s.forEach(function (_, sec) { secs.add(sec); }); });
    secs.forEach(function (sec) {
      var p = pageOf(sec), score = 0, own = false;
      for (var i = 0; i < k; i++) {
        var best = ws[i].t.has(p) ? 100 : 0, bits = ws[i].s.get(sec) || 0;
        if (bits & 1) { best = Math.max(best, 10); own = true; }
        if (bits & 2) { best = Math.max(best, 1); own = true; }
        if (!best) return;
        score += best;
      }
      if (!own) return;
      out.push({ sec: sec, p: p, ub: score + bonus });
      hasOwn.add(p);
    });
    // Only the title matches: one result for the page, at its top.
    ws[0].t.forEach(function (p) {
      if (hasOwn.has(p) || !ws.every(function (w) { return w.t.has(p); })) return;
      if (meta.starts[p] === meta.starts[p + 1]) return;
      out.push({ sec: meta.starts[p], p: p, ub: 100 * k + bonus, titleOnly: true });
    });
    // Among equal bounds, each page's first section before any page's
    // second: the results show many pages, not one page's sections.
    out.sort(function (a, b) { return b.ub - a.ub || a.sec - b.sec; });
    var rank = {};
    out.forEach(function (c) { var key = c.p + ":" + c.ub; c.rank = rank[key] = (rank[key] || 0) + 1; });
    out.sort(function (a, b) { return b.ub - a.ub || a.rank - b.rank || a.sec - b.sec; });
    return out;
  }
  function chunkOf(sec) { return Math.floor(sec / store.meta.chunk); }
  // The section `sec` as text: page title and path, heading, anchor, text.
  function section(sec) {
    var meta = store.meta, c = store.text[chunkOf(sec)];
    var row = c.s[sec % meta.chunk];
    var page = meta.pageTexts[row[0]];
    if (!page) {
      c.p.forEach(function (p) {
        if (!meta.pageTexts[p[0]]) meta.pageTexts[p[0]] = { t: prepare(p[1]), u: p[2] };
      });
      page = meta.pageTexts[row[0]];
    }
    if (!row.prep) row.prep = { h: prepare(row[1]), a: row[2], x: prepare(row[3]), k: norm(row[4] || "") };
    return { p: page, s: row.prep };
  }
  // True when the words appear in the order typed in one of `fields`.
  function inOrder(words, fields) {
    return fields.some(function (f) {
      var at = 0;
      return words.every(function (w) {
        var i = f.indexOf(w.w, at);
        if (i < 0) return false;
        at = i + w.w.length;
        return true;
      });
    });
  }
  // The exact score of candidate `c` (0: no match after all), as the index
  // promised: every word in the title (100), heading (10) or text (1).
  function verify(c, words) {
    var r = section(c.sec), score = 0, own = false;
    for (var i = 0; i < words.length; i++) {
      var w = words[i].w, best = r.p.t.n.indexOf(w) >= 0 ? 100 : 0;
      if (!c.titleOnly) {
        // The heading, or the reading (and its romaji) the heading gives.
        if (r.s.h.n.indexOf(w) >= 0 || r.s.k.indexOf(w) >= 0) { best = Math.max(best, 10); own = true; }
        if (r.s.x.n.indexOf(w) >= 0) { best = Math.max(best, 1); own = true; }
      }
      if (!best) return null;
      score += best;
    }
    if (!own && !c.titleOnly) return null;
    if (words.length > 1 && inOrder(words, [r.p.t.n, r.s.h.n, r.s.x.n])) score += 0.5;
    var s = c.titleOnly ? { h: prepare(""), a: "", x: r.s.x, k: "" } : r.s;
    return { p: r.p, s: s, score: score, sec: c.sec, page: c.p };
  }
  function byScore(a, b) { return b.score - a.score || a.sec - b.sec; }
  // Results best first, one section per page first (each page at its best
  // section), then the pages' other sections: the top of the list shows
  // different pages.
  function spread(rs) {
    var seen = new Set(), first = [], rest = [];
    rs.slice().sort(byScore).forEach(function (r) {
      if (seen.has(r.page)) rest.push(r); else { seen.add(r.page); first.push(r); }
    });
    return first.concat(rest);
  }
  // True when `found` holds MAX pages whose best section scores at least
  // `bound`: no candidate left can then come into the first MAX.
  function settled(found, bound) {
    var seen = new Set(), n = 0;
    found.sort(byScore);
    for (var i = 0; i < found.length; i++) {
      if (found[i].score < bound) return false;
      if (!seen.has(found[i].page)) { seen.add(found[i].page); if (++n >= MAX) return true; }
    }
    return false;
  }
  // Runs query `q` as far as the files loaded allow: {results} when done,
  // or {need: [[kind, id], …]} — the files to load before asking again.
  var last = null;
  function attempt(q) {
    if (!store.meta) return { need: [["meta", 0]] };
    var words = parse(q);
    if (!words.length) { var none = []; none.total = 0; return { results: none }; }
    var need = [], seen = {};
    words.forEach(function (w) {
      w.ts.forEach(function (t) {
        var n = shardOf(t, store.meta.shards);
        if (!store.shard[n] && !seen["s" + n]) { seen["s" + n] = 1; need.push(["shard", n]); }
      });
    });
    if (need.length) return { need: need };
    if (!last || last.q !== q) last = { q: q, words: words, cands: candidates(words), done: 0, found: [] };
    var cands = last.cands;
    // Best first: stop when MAX results are sure to beat every candidate
    // left (whose score can only be lower than its bound).
    while (last.done < cands.length) {
      var found = last.found;
      if (found.length >= MAX && settled(found, cands[last.done].ub)) break;
      var batch = cands.slice(last.done, last.done + Math.max(MAX - found.length, 0) + 8);
      batch.forEach(function (c) {
        var n = chunkOf(c.sec);
        if (!store.text[n] && !seen["t" + n]) { seen["t" + n] = 1; need.push(["text", n]); }
      });
      if (need.length) return { need: need };
      for (var b = 0; b < batch.length; b++) {
        var r = verify(batch[b], last.words);
        if (r) found.push(r);
      }
      last.done += batch.length;
    }
    var all = spread(last.found);
    var shown = all.slice(0, MAX).map(function (r) {
      r.terms = last.words.map(function (w) { return w.w; });
      return r;
    });
    var left = cands.length - last.done;
    shown.total = all.length + left;
    // Candidates left unread may not match after all (a word of several
    // terms): the count is then an estimate.
    shown.approx = left > 0 && last.words.some(function (w) { return w.ts.length > 1; });
    return { results: shown };
  }
  // ---- もしかして: other queries to offer when `q` finds nothing.

  // Optimal string alignment distance (a swap of neighbours counts 1),
  // or max + 1 as soon as it is over `max`.
  function distance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      var low = max + 1;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
        d[i][j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
    }
    return d[a.length][b.length];
  }
  // True when the index has every term of `ts` in one section or title
  // (false when a shard it needs is not loaded).
  function indexed(ts) {
    if (!ts.length || !ts.every(function (t) { return store.shard[shardOf(t, store.meta.shards)]; })) return false;
    var p = wordPostings(ts);
    return p.s.size > 0 || p.t.size > 0;
  }
  // The nearest indexed word to Latin word `w` (its shard is loaded).
  function nearestWord(w) {
    var shard = store.shard[shardOf(w, store.meta.shards)];
    if (!shard) return null;
    if (!shard.keys) shard.keys = Object.keys(shard.d);
    var max = Array.from(w).length <= 4 ? 1 : 2, best = null, bestD = max + 1, bestN = 0;
    shard.keys.forEach(function (k) {
      if (!isWord(k)) return;
      var dist = distance(w, k, max), n = shard.d[k].length;
      if (dist < bestD || (dist === bestD && n > bestN)) { best = k; bestD = dist; bestN = n; }
    });
    return bestD <= max ? best : null;
  }
  // The longest part (two characters at least) of CJK word `raw` that the
  // index has.
  function longestPart(raw) {
    var cs = Array.from(raw);
    for (var len = cs.length - 1; len >= 2; len--) {
      for (var at = 0; at + len <= cs.length; at++) {
        var part = cs.slice(at, at + len).join("");
        if (indexed(terms(norm(part), true))) return part;
      }
    }
    return null;
  }
  // Queries to offer for `q`, which found nothing, most likely first.
  function suggestions(q) {
    var words = parse(q), out = [];
    if (!store.meta || !words.length) return out;
    var raws = q.trim().split(/\s+/);
    if (raws.length !== words.length) raws = words.map(function (w) { return w.w; });
    var ok = words.map(function (w) { return indexed(w.ts); });
    var fixed = words.map(function (w, i) {
      if (ok[i]) return raws[i];
      return isWord(w.ts[0]) && w.ts.length === 1 ? nearestWord(w.w) : longestPart(raws[i]);
    });
    if (fixed.every(Boolean)) out.push(fixed.join(" "));
    // Several words: those that find something.
    var kept = raws.filter(function (_, i) { return ok[i]; });
    if (kept.length && kept.length < words.length) out.push(kept.join(" "));
    return out.filter(function (x, i) { return x !== q.trim() && out.indexOf(x) === i; });
  }
  // The first of `qs` that finds something (null if none does).
  function firstThatFinds(qs) {
    if (!qs.length) return Promise.resolve(null);
    return search(qs[0]).then(function (rs) { return rs.length ? qs[0] : firstThatFinds(qs.slice(1)); });
  }
  window.KENSHU_SEARCH_SUGGEST = function (q) {
    return search(q).then(function () { return firstThatFinds(suggestions(q)); });
  };

  // Runs `q` to the end, loading what it needs; resolves with the results.
  function search(q) {
    var r = attempt(q);
    if (r.results) return Promise.resolve(r.results);
    return Promise.all(r.need.map(function (n) { return load(n[0], n[1]); })).then(function () {
      return search(q);
    });
  }
  // For the tests and the benchmark: runs a query, resolves with the results.
  window.KENSHU_SEARCH_RUN = function (q) {
    return search(q).then(function (rs) {
      return rs.map(function (r) { return { url: r.p.u + (r.s.a ? "#" + r.s.a : ""), score: r.score }; });
    });
  };

  // ---- Showing results.

  // Normalised text plus, for each of its UTF-16 units, the index of the
  // original unit it came from (to cut snippets out of the original text).
  function prepare(text) {
    var cs = [], src = [], i = 0;
    while (i < text.length) {
      var j = i + 1;
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00 && j < text.length) j++;
      while (j < text.length && marks.test(text.charAt(j))) j++;
      var part = Array.from(nfkc(text.slice(i, j)));
      for (var k = 0; k < part.length; k++) { cs.push(part[k]); src.push(i); }
      i = j;
    }
    var f = fold(cs, src);
    f.map.push(text.length);
    return { raw: text, n: f.n, map: f.map };
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
  var suggest = document.createElement("p");
  suggest.className = "search-suggest";
  suggest.hidden = true;
  panel.insertBefore(suggest, list);
  // Offers query `s` (もしかして) under the summary; a tap searches for it.
  function offer(s, q) {
    suggest.textContent = "もしかして：";
    var b = document.createElement("button");
    b.type = "button";
    b.className = "search-suggest-link";
    b.textContent = s;
    b.setAttribute("aria-label", "もしかして「" + s + "」で検索");
    b.addEventListener("click", function () {
      input.value = s;
      input.focus();
      run();
    });
    suggest.appendChild(b);
    suggest.hidden = false;
    status.textContent = "「" + q + "」は見つかりませんでした。もしかして：" + s;
  }
  function show(results, message, q) {
    list.textContent = "";
    suggest.hidden = true;
    suggest.textContent = "";
    // The query these results are for (the browser tests wait for it).
    panel.setAttribute("data-query", q === undefined ? input.value : q);
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
    var total = results.total || results.length;
    var text = message || (results.length
      ? (results.approx ? "約" : "") + total + "件見つかりました" +
        (total > results.length ? "（上位" + results.length + "件を表示）" : "")
      : "見つかりませんでした");
    summary.textContent = text;
    status.textContent = text;
    panel.hidden = false;
    if (!results.length && !message && q) {
      var mine = seq;
      firstThatFinds(suggestions(q)).then(function (s) {
        if (s && mine === seq && input.value === q) offer(s, q);
      }, function () { /* no suggestion */ });
    }
  }
  function close(clear) {
    clearTimeout(timer);
    timer = 0;
    seq++;
    panel.hidden = true;
    list.textContent = "";
    status.textContent = "";
    if (clear) input.value = "";
  }
  // Searches for what is in the box: at once when the files it needs are
  // loaded (so ↓ right after typing finds the results), else when they are.
  function run() {
    var q = input.value;
    timer = 0;
    if (!norm(q).trim()) { close(false); return; }
    var mine = ++seq;
    var r = attempt(q);
    if (r.results) { show(r.results, null, q); return; }
    search(q).then(function (results) {
      if (mine === seq) show(results, null, q);
    }, function () {
      if (mine === seq) show([], "検索の索引を読み込めませんでした", q);
    });
  }
  function prefetch() { load("meta", 0).catch(function () { /* shown when searching */ }); }
  input.addEventListener("focus", prefetch);
  input.addEventListener("input", function () {
    prefetch();
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
    // True when `block` holds every word searched for.
    var hasAll = function (block) {
      var text = norm(block.textContent);
      return ts.every(function (t) { return text.indexOf(t) >= 0; });
    };
    var e = start ? start.nextElementSibling : document.querySelector("article.content > *");
    for (; e; e = e.nextElementSibling) {
      if (/^H[1-6]$/.test(e.tagName) && +e.tagName.charAt(1) <= level) break;
      var closed = e.matches("details.speaker-notes") ? [e] : Array.prototype.slice.call(e.querySelectorAll("details.speaker-notes"));
      for (var i = 0; i < closed.length; i++) {
        if (!closed[i].open && hasAll(closed[i])) closed[i].open = true;
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
      if (e.target === input) { clearTimeout(timer); if (panel.hidden || timer) run(); all = links(); }
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
    // (A tapped もしかして is gone by now: its results replaced it.)
    if (!box.contains(e.target) && document.contains(e.target)) close(false);
  });
  document.addEventListener("focusin", function (e) {
    if (!box.contains(e.target) && !panel.hidden) close(false);
  });
})();
