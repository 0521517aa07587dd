/* kenshu SCORM runtime (classic script), loaded only by scorm.html, the
 * launch page of `kenshu package scorm`. The site runs in the frame
 * #kenshu-site; this page holds the LMS session for as long as the learner
 * stays, whichever pages they open:
 *
 * - finds the LMS's API (SCORM 2004 `API_1484_11`, SCORM 1.2 `API`) in the
 *   parent windows and the opener's, and initialises once;
 * - before the site loads, writes the progress kept in suspend_data back
 *   into the browser's storage (`kenshu:ID:HASH`, where the exercises read
 *   it), so a learner continues on another day or another computer, and
 *   opens the page they were on (the bookmark);
 * - whenever the exercises store something (a `storage` event from the
 *   frame, a page change), reports each checked exercise as an interaction,
 *   the course score, completion and, with a passing score, success; stores
 *   the progress in suspend_data (compact, within 4,096 characters in 1.2 and
 *   64,000 in 2004) and commits a moment later;
 * - terminates when the learner leaves.
 *
 * Without an LMS it only loads the site into the frame.
 */
(function () {
  "use strict";

  var dataEl = document.getElementById("kenshu-scorm");
  var frame = document.getElementById("kenshu-site");
  if (!dataEl || !frame) return;
  var data;
  try {
    data = JSON.parse(dataEl.textContent);
  } catch (e) {
    data = { exercises: [], required: [], pages: [] };
  }
  var PREFIX = "kenshu:";
  var exercises = data.exercises || [];
  var byId = {};
  exercises.forEach(function (ex) {
    byId[ex.id] = ex;
  });

  // A page's path as a relative URL: each segment encoded, so that a page
  // named `javascript:x.html` (or `a#b.html`) is that file, not a scheme.
  function open(page) {
    frame.src = (page || "index.html").split("/").map(encodeURIComponent).join("/");
  }

  // --- The API: the standard search through parents, then the opener's.
  function searchUp(win, name) {
    for (var i = 0; win && i < 500; i++) {
      try {
        if (win[name]) return win[name];
      } catch (e) {
        /* a window of another origin */
      }
      var parent;
      try {
        parent = win.parent;
      } catch (e) {
        parent = null;
      }
      if (!parent || parent === win) break;
      win = parent;
    }
    return null;
  }
  function find(name) {
    var api = searchUp(window, name);
    if (!api) {
      try {
        if (window.opener) api = searchUp(window.opener, name);
        if (!api && window.top && window.top.opener) api = searchUp(window.top.opener, name);
      } catch (e) {
        api = null;
      }
    }
    return api;
  }

  function lms() {
    var a2004 = find("API_1484_11");
    var a12 = find("API");
    if (a2004 && (data.version !== "1.2" || !a12)) return scorm2004(a2004);
    if (a12) return scorm12(a12);
    return null;
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function scorm2004(api) {
    return {
      name: "2004",
      limit: 64000,
      init: function () {
        return String(api.Initialize("")) === "true";
      },
      get: function (k) {
        return String(api.GetValue(k));
      },
      set: function (k, v) {
        return String(api.SetValue(k, String(v))) === "true";
      },
      commit: function () {
        return String(api.Commit("")) === "true";
      },
      finish: function () {
        return String(api.Terminate("")) === "true";
      },
      suspend: "cmi.suspend_data",
      location: "cmi.location",
      entry: "cmi.entry",
      exit: "cmi.exit",
      passing: function () {
        var p = parseFloat(this.get("cmi.scaled_passing_score"));
        return isNaN(p) ? null : p;
      },
      sessionTime: function (ms) {
        return "cmi.session_time=PT" + (Math.round(ms / 10) / 100) + "S";
      },
      score: function (best, total) {
        this.set("cmi.score.min", 0);
        this.set("cmi.score.max", total);
        this.set("cmi.score.raw", best);
        this.set("cmi.score.scaled", total ? Math.round((best / total) * 10000) / 10000 : 0);
      },
      status: function (done, required, scaled, passing) {
        var complete = done >= required;
        this.set("cmi.progress_measure", required ? Math.round((done / required) * 10000) / 10000 : 1);
        this.set("cmi.completion_status", complete ? "completed" : "incomplete");
        if (passing !== null) {
          this.set("cmi.success_status", !complete ? "unknown" : scaled >= passing ? "passed" : "failed");
        }
      },
      // One interaction per exercise, updated at each check (a worksheet:
      // whenever what is written changes).
      interaction: function (n, ex, rec, pairs, when) {
        var p = "cmi.interactions." + n + ".";
        var sheet = ex.kind === "worksheet";
        this.set(p + "id", ident(ex.id));
        this.set(p + "type", sheet ? "long-fill-in" : "matching");
        this.set(p + "timestamp", when.getFullYear() + "-" + two(when.getMonth() + 1) + "-" + two(when.getDate()) +
          "T" + two(when.getHours()) + ":" + two(when.getMinutes()) + ":" + two(when.getSeconds()));
        if (sheet) {
          // long-fill-in: one text, at most 4,000 characters kept by every LMS.
          var text = written(rec).slice(0, 4000);
          if (text) this.set(p + "learner_response", text);
          this.set(p + "result", "neutral");
        } else {
          this.set(p + "weighting", ex.graded);
          var resp = pairs.map(function (pr) {
            return ident(pr[0]) + "[.]" + ident(pr[1]);
          });
          if (resp.length) this.set(p + "learner_response", resp.slice(0, 36).join("[,]"));
          this.set(p + "result", rec.last === ex.graded ? "correct" : "incorrect");
        }
        this.set(p + "description", String(ex.title).slice(0, 250));
      },
      interactionIndex: function () {
        var out = {};
        var count = parseInt(this.get("cmi.interactions._count"), 10) || 0;
        for (var i = 0; i < count; i++) out[this.get("cmi.interactions." + i + ".id")] = i;
        out._count = count;
        return out;
      }
    };
  }

  function scorm12(api) {
    return {
      name: "1.2",
      limit: 4096,
      init: function () {
        return String(api.LMSInitialize("")) === "true";
      },
      get: function (k) {
        return String(api.LMSGetValue(k));
      },
      set: function (k, v) {
        return String(api.LMSSetValue(k, String(v))) === "true";
      },
      commit: function () {
        return String(api.LMSCommit("")) === "true";
      },
      finish: function () {
        return String(api.LMSFinish("")) === "true";
      },
      suspend: "cmi.suspend_data",
      location: "cmi.core.lesson_location",
      entry: "cmi.core.entry",
      exit: "cmi.core.exit",
      passing: function () {
        var p = parseFloat(this.get("cmi.student_data.mastery_score"));
        return isNaN(p) ? null : p / 100;
      },
      sessionTime: function (ms) {
        var s = Math.floor(ms / 1000);
        var h = Math.floor(s / 3600);
        return "cmi.core.session_time=" + (h < 10 ? "000" : h < 100 ? "00" : h < 1000 ? "0" : "") + h + ":" +
          two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
      },
      score: function (best, total) {
        this.set("cmi.core.score.min", 0);
        this.set("cmi.core.score.max", 100);
        this.set("cmi.core.score.raw", total ? Math.round((best / total) * 100) : 0);
      },
      status: function (done, required, scaled, passing) {
        var status = done < required ? "incomplete" : passing === null ? "completed" : scaled >= passing ? "passed" : "failed";
        this.set("cmi.core.lesson_status", status);
      },
      // 1.2's interactions are a journal (write-only): one entry per check
      // (a worksheet: per change, reported when the learner moves on).
      interaction: function (n, ex, rec, pairs, when) {
        var p = "cmi.interactions." + n + ".";
        this.set(p + "id", ident(ex.id));
        this.set(p + "time", two(when.getHours()) + ":" + two(when.getMinutes()) + ":" + two(when.getSeconds()));
        if (ex.kind === "worksheet") {
          // fill-in: student_response holds 255 characters.
          this.set(p + "type", "fill-in");
          var text = written(rec).slice(0, 255);
          if (text) this.set(p + "student_response", text);
          this.set(p + "result", "neutral");
          return;
        }
        this.set(p + "type", "matching");
        this.set(p + "weighting", ex.graded);
        var resp = "";
        for (var i = 0; i < pairs.length; i++) {
          var pair = ident(pairs[i][0]) + "." + ident(pairs[i][1]);
          if ((resp ? resp.length + 1 : 0) + pair.length > 255) break;
          resp += (resp ? "," : "") + pair;
        }
        if (resp) this.set(p + "student_response", resp);
        this.set(p + "result", rec.last === ex.graded ? "correct" : "wrong");
      },
      interactionIndex: function () {
        return { _count: parseInt(this.get("cmi.interactions._count"), 10) || 0 };
      }
    };
  }

  // What a worksheet holds, as one text: a line per written cell.
  function written(rec) {
    var a = rec.answers || {};
    return Object.keys(a).filter(function (k) {
      return typeof a[k] === "string" && a[k].trim() !== "";
    }).map(function (k) {
      return k + ": " + a[k].trim();
    }).join("\n");
  }
  // A short fingerprint of a text (to report a worksheet only when it changed).
  function fingerprint(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return "w" + (h >>> 0).toString(36) + "." + text.length;
  }

  // An identifier SCORM accepts (no spaces; ASCII letters, digits, - _ .).
  function ident(s) {
    return String(s).replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 250) || "_";
  }

  // --- The exercises' records in the browser's storage.
  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }
  function key(ex) {
    return PREFIX + ex.id + ":" + ex.hash;
  }
  function read(ex) {
    var s = store();
    if (!s) return null;
    try {
      var t = s.getItem(key(ex));
      var r = t ? JSON.parse(t) : null;
      return r && typeof r === "object" ? r : null;
    } catch (e) {
      return null;
    }
  }

  // suspend_data, compact (the whole course fits SCORM 1.2's 4,096
  // characters):
  //   {"v":2,"e":{ID:[hash,attempts,best,last,total,flags,graded,free]},"j":{ID:n}}
  // hash: the first 8 digits of the exercise's content hash; flags: 1
  // checked, 2 revealed; graded: the answers of the graded slots in their
  // order, joined by "|" (ids never hold "|"); free: the other answers
  // (free-text cells, worksheets) by id; "j": what was already reported
  // (checks; a worksheet's fingerprint).
  var SEP = "|";
  function shortHash(ex) {
    return String(ex.hash).slice(0, 8);
  }
  function compact(ex, r) {
    var a = r.answers || {};
    var slots = ex.slots || [];
    var inSlots = {};
    var graded = slots.map(function (s) {
      inSlots[s] = true;
      return typeof a[s] === "string" ? a[s] : "";
    }).join(SEP);
    if (graded.replace(/\|/g, "") === "") graded = "";
    var free = {};
    Object.keys(a).forEach(function (k) {
      if (!inSlots[k] && typeof a[k] === "string" && a[k] !== "") free[k] = a[k];
    });
    var flags = (r.checked ? 1 : 0) | (r.revealed ? 2 : 0);
    return [shortHash(ex), r.attempts || 0, typeof r.best === "number" ? r.best : null,
      typeof r.last === "number" ? r.last : null, r.total || 0, flags, graded, free];
  }
  function expand(ex, c) {
    var answers = {};
    var values = typeof c[6] === "string" && c[6] ? c[6].split(SEP) : [];
    (ex.slots || []).forEach(function (s, i) {
      if (values[i]) answers[s] = values[i];
    });
    var free = c[7] && typeof c[7] === "object" ? c[7] : {};
    Object.keys(free).forEach(function (k) {
      if (typeof free[k] === "string") answers[k] = free[k];
    });
    return {
      answers: answers,
      checked: !!(c[5] & 1),
      attempts: c[1] | 0,
      last: typeof c[3] === "number" ? c[3] : null,
      best: typeof c[2] === "number" ? c[2] : null,
      total: c[4] | 0,
      revealed: !!(c[5] & 2)
    };
  }
  // The state as suspend_data within `limit` characters: free text goes
  // first (longest first), then whole answer sets; results always stay.
  function pack(records, journal, limit) {
    var e = {};
    records.forEach(function (x) {
      e[x.ex.id] = compact(x.ex, x.rec);
    });
    var state = { v: 2, e: e, j: journal };
    var text = JSON.stringify(state);
    if (text.length <= limit) return text;
    var free = [];
    Object.keys(e).forEach(function (id) {
      var f = e[id][7];
      Object.keys(f).forEach(function (k) {
        free.push([f, k, f[k].length]);
      });
    });
    free.sort(function (p, q) {
      return q[2] - p[2];
    });
    for (var i = 0; i < free.length && text.length > limit; i++) {
      delete free[i][0][free[i][1]];
      text = JSON.stringify(state);
    }
    var ids = Object.keys(e);
    for (var j = 0; j < ids.length && text.length > limit; j++) {
      e[ids[j]][6] = "";
      text = JSON.stringify(state);
    }
    return text.length <= limit ? text : JSON.stringify({ v: 2, e: {}, j: journal });
  }

  // --- The session.
  var api = lms();
  if (!api || !api.init()) {
    open();
    return;
  }
  var started = Date.now();
  var finished = false;
  var journal = {};
  var index = api.interactionIndex();
  var passing = api.passing();
  if (passing === null && typeof data.passing === "number") passing = data.passing;

  // Restore: what the LMS kept wins over what this browser has.
  (function restore() {
    var saved = api.get(api.suspend);
    if (!saved || saved.charAt(0) !== "{") return;
    var state;
    try {
      state = JSON.parse(saved);
    } catch (e) {
      return;
    }
    if (!state || state.v !== 2) return;
    journal = state.j && typeof state.j === "object" ? state.j : {};
    var s = store();
    if (!s || !state.e || typeof state.e !== "object") return;
    Object.keys(state.e).forEach(function (id) {
      var ex = byId[id];
      var c = state.e[id];
      // The exercise has changed since: its old answers do not apply.
      if (!ex || !Array.isArray(c) || c[0] !== shortHash(ex)) return;
      try {
        s.setItem(key(ex), JSON.stringify(expand(ex, c)));
      } catch (e) {
        /* storage full or blocked */
      }
    });
  })();

  var lastSuspend = null;
  var timer = null;
  // `settled`: the learner moved on (another page, the tab hidden, leaving):
  // the moment to report what they wrote in a worksheet in SCORM 1.2,
  // whose interactions are a journal.
  function sync(settled) {
    if (finished) return;
    var records = [];
    var best = 0;
    var total = 0;
    var attempted = {};
    var now = new Date();
    exercises.forEach(function (ex) {
      total += ex.graded;
      var rec = read(ex);
      if (!rec) return;
      records.push({ ex: ex, rec: rec });
      var attempts = rec.attempts | 0;
      var report = function (pairs, mark) {
        var n = api.name === "2004" && index[ident(ex.id)] !== undefined ? index[ident(ex.id)] : index._count++;
        if (api.name === "2004") index[ident(ex.id)] = n;
        api.interaction(n, ex, rec, pairs, now);
        journal[ex.id] = mark;
      };
      if (ex.kind === "worksheet") {
        // Not graded: attempted once something is written.
        var text = written(rec);
        if (text) attempted[ex.id] = true;
        var mark = text ? fingerprint(text) : 0;
        if ((journal[ex.id] || 0) !== mark && (settled || api.name === "2004")) report([], mark);
        return;
      }
      if (attempts > 0) {
        attempted[ex.id] = true;
        best += Math.min(rec.best | 0, ex.graded);
      }
      // A new check: report it.
      if (attempts > (journal[ex.id] | 0) && rec.checked) {
        var pairs = [];
        (ex.slots || []).forEach(function (s) {
          var v = rec.answers && rec.answers[s];
          if (typeof v !== "string" || v === "") return;
          // A choice question's answer is its chosen options, "a,b".
          (ex.kind === "choice" ? v.split(",") : [v]).forEach(function (t) {
            if (t) pairs.push([s, t]);
          });
        });
        report(pairs, attempts);
      }
    });
    var required = (data.required || []).filter(function (id) {
      return byId[id];
    });
    var done = required.filter(function (id) {
      return attempted[id];
    }).length;
    if (Object.keys(attempted).length) api.score(best, total);
    api.status(done, required.length, total ? best / total : 0, passing);
    var text = pack(records, journal, api.limit);
    if (text !== lastSuspend) {
      api.set(api.suspend, text);
      lastSuspend = text;
    }
    schedule();
  }
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      if (!finished) api.commit();
    }, 1000);
  }
  function bookmark() {
    try {
      var base = location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
      var here = frame.contentWindow.location.href.replace(/[?#].*$/, "");
      if (here.indexOf(base) === 0) {
        var page = decodeURIComponent(here.slice(base.length));
        if ((data.pages || []).indexOf(page) >= 0) api.set(api.location, page);
      }
    } catch (e) {
      /* the frame left the package */
    }
  }
  function finish() {
    if (finished) return;
    sync(true);
    if (timer) clearTimeout(timer);
    var t = api.sessionTime(Date.now() - started).split("=");
    api.set(t[0], t[1]);
    api.set(api.exit, "suspend");
    api.commit();
    finished = true;
    api.finish();
  }

  window.addEventListener("storage", function (e) {
    if (e.key === null || String(e.key).indexOf(PREFIX) === 0) sync();
  });
  frame.addEventListener("load", function () {
    bookmark();
    sync(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !finished) {
      sync(true);
      if (timer) clearTimeout(timer);
      timer = null;
      api.commit();
    }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  var resume = api.get(api.location);
  open((data.pages || []).indexOf(resume) >= 0 ? resume : "index.html");
  sync();
})();
