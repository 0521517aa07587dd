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
 * - sets `exit = suspend` and commits right after Initialize, so the LMS
 *   keeps the learner's data for a resume even if nothing at the end
 *   reaches it;
 * - whenever the exercises store something (a `storage` event from the
 *   frame, batched over a moment; a page change), reports each checked
 *   exercise as an interaction, the course score, completion and, with a
 *   passing score, success; stores the progress in suspend_data (compact,
 *   within 4,096 characters in 1.2 and 64,000 in 2004); sends only values
 *   that changed, and commits a second after the last change;
 * - terminates when the learner leaves: the session is marked finished
 *   first, each call is tried on its own, and Terminate is always attempted
 *   (during page dismissal an LMS's synchronous Commit may throw).
 *
 * Every value sent is free of `"`, `\` and line breaks (suspend_data is
 * JSON with its quotes written as `~` and a few characters percent-encoded;
 * texts use full-width forms), because some LMSs paste stored values into
 * JSON or JavaScript unescaped. suspend_data is read back tolerantly (this
 * form, plain JSON of earlier packages, over-escaped or entity-encoded
 * JSON), and when the LMS returns nothing readable, stored progress is
 * never overwritten with an empty state: nothing is written until the
 * learner changes something.
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
    var a = a2004 && (data.version !== "1.2" || !a12) ? scorm2004(a2004) : a12 ? scorm12(a12) : null;
    if (!a) return null;
    // SetValue only for a value that changed since it was last accepted
    // (a click changes one or two values, not the dozen the state spans);
    // `dirty`: something to commit.
    var sent = {};
    a.dirty = false;
    a.set = function (k, v) {
      v = String(v);
      if (sent[k] === v) return true;
      var ok = false;
      try {
        ok = a.send(k, v);
      } catch (e) {
        ok = false;
      }
      if (ok) {
        sent[k] = v;
        a.dirty = true;
      }
      return ok;
    };
    return a;
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
      send: function (k, v) {
        return String(api.SetValue(k, v)) === "true";
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
      complete: function () {
        return this.get("cmi.completion_status") === "completed";
      },
      status: function (done, required, scaled, passing, wasComplete) {
        var complete = done >= required;
        // What the LMS already counts as complete stays so (a resume whose
        // progress did not come back must not undo it).
        if (!complete && wasComplete) return;
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
          var text = plain(written(rec)).slice(0, 4000);
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
        this.set(p + "description", plain(String(ex.title)).slice(0, 250));
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
      send: function (k, v) {
        return String(api.LMSSetValue(k, v)) === "true";
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
      complete: function () {
        return /^(completed|passed|failed)$/.test(this.get("cmi.core.lesson_status"));
      },
      status: function (done, required, scaled, passing, wasComplete) {
        if (done < required && wasComplete) return;
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
          var text = plain(written(rec)).slice(0, 255);
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
  // A text as an LMS can store and give back whatever it does with quotes:
  // no `"`, `\`, line breaks or control characters (full-width forms, which
  // a Japanese reader reads the same; lines joined by " / ").
  function plain(text) {
    return String(text)
      .replace(/\r\n?|[\n\u2028\u2029]/g, " / ")
      .replace(/"/g, "\uff02")
      .replace(/\\/g, "\uff3c")
      .split("")
      .map(function (c) {
        var n = c.charCodeAt(0);
        return n < 32 || n === 127 ? " " : c;
      })
      .join("");
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
  //   {"v":2,"e":{ID:[hash,attempts,best,last,total,flags,graded,free,more]},"j":{ID:n}}
  // hash: the first 8 digits of the exercise's content hash; flags: 1
  // checked, 2 revealed; graded: the answers of the graded slots in their
  // order, joined by "|" (ids never hold "|"); free: the other answers
  // (free-text cells, worksheets) by id; more: the record's other fields,
  // kept as they are (omitted when none); "j": what was already reported
  // (checks; a worksheet's fingerprint).
  //
  // On the wire (see `wire`) the JSON's quotes are "~", so the value holds
  // no `"`, `\` or line break.
  var SEP = "|";
  var KNOWN = { answers: 1, checked: 1, attempts: 1, last: 1, best: 1, total: 1, revealed: 1 };
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
    var c = [shortHash(ex), r.attempts || 0, typeof r.best === "number" ? r.best : null,
      typeof r.last === "number" ? r.last : null, r.total || 0, flags, graded, free];
    var more = {};
    var any = false;
    Object.keys(r).forEach(function (k) {
      if (!KNOWN[k] && r[k] !== undefined) {
        more[k] = r[k];
        any = true;
      }
    });
    if (any) c.push(more);
    return c;
  }
  function expand(ex, c) {
    var rec = {};
    var more = c[8] && typeof c[8] === "object" && !Array.isArray(c[8]) ? c[8] : {};
    Object.keys(more).forEach(function (k) {
      if (!KNOWN[k]) rec[k] = more[k];
    });
    var answers = {};
    var values = typeof c[6] === "string" && c[6] ? c[6].split(SEP) : [];
    (ex.slots || []).forEach(function (s, i) {
      if (values[i]) answers[s] = values[i];
    });
    var free = c[7] && typeof c[7] === "object" ? c[7] : {};
    Object.keys(free).forEach(function (k) {
      if (typeof free[k] === "string") answers[k] = free[k];
    });
    rec.answers = answers;
    rec.checked = !!(c[5] & 1);
    rec.attempts = c[1] | 0;
    rec.last = typeof c[3] === "number" ? c[3] : null;
    rec.best = typeof c[2] === "number" ? c[2] : null;
    rec.total = c[4] | 0;
    rec.revealed = !!(c[5] & 2);
    return rec;
  }

  // JSON as a value any LMS gives back intact: `%`, `~`, `\`, `'`, `<`,
  // `>`, `&`, DEL and line separators percent-encoded (JSON.stringify has
  // escaped the other control characters), then every `"` written as `~`. Everything else (Japanese text too) stays as
  // it is, one character each.
  function wire(json) {
    return json.replace(/[%~\\'<>&\u007f\u2028\u2029]/g, function (c) {
      var n = c.charCodeAt(0);
      return n < 256 ? "%" + (n < 16 ? "0" : "") + n.toString(16).toUpperCase() : encodeURIComponent(c);
    }).replace(/"/g, "~");
  }
  function unwire(text) {
    return decodeURIComponent(text.replace(/~/g, '"'));
  }
  // The state in what the LMS gave back, whichever form it is in: this
  // runtime's, plain JSON (earlier packages), JSON escaped once too often,
  // or with HTML entities; null when none of them reads.
  function readState(saved) {
    if (!saved) return null;
    var t = String(saved).replace(/^\s+|\s+$/g, "");
    var entities = t.replace(/&(quot|#34|#x22|apos|#39|lt|gt|amp);/gi, function (m, e) {
      e = e.toLowerCase();
      return e === "quot" || e === "#34" || e === "#x22" ? '"' : e === "apos" || e === "#39" ? "'" :
        e === "lt" ? "<" : e === "gt" ? ">" : "&";
    });
    var tries = [
      function () { return unwire(t); },
      function () { return t; },
      function () { return t.replace(/\\(["\\/])/g, "$1"); },
      function () { return entities; },
      function () { return unwire(entities); }
    ];
    for (var i = 0; i < tries.length; i++) {
      try {
        var state = JSON.parse(tries[i]());
        if (state && typeof state === "object" && state.v === 2 && state.e && typeof state.e === "object") {
          return state;
        }
      } catch (e) {
        /* the next form */
      }
    }
    return null;
  }

  // The state as suspend_data within `limit` characters: free text goes
  // first (longest first), then the records' other fields, then whole
  // answer sets; results always stay.
  function pack(records, journal, limit) {
    var e = {};
    records.forEach(function (x) {
      e[x.ex.id] = compact(x.ex, x.rec);
    });
    var state = { v: 2, e: e, j: journal };
    var text = wire(JSON.stringify(state));
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
      text = wire(JSON.stringify(state));
    }
    var ids = Object.keys(e);
    for (var m = 0; m < ids.length && text.length > limit; m++) {
      e[ids[m]].length = 8;
      text = wire(JSON.stringify(state));
    }
    for (var j = 0; j < ids.length && text.length > limit; j++) {
      e[ids[j]][6] = "";
      text = wire(JSON.stringify(state));
    }
    return text.length <= limit ? text : wire(JSON.stringify({ v: 2, e: {}, j: journal }));
  }

  // --- The session.
  var api = lms();
  var ready = false;
  try {
    ready = !!api && api.init();
  } catch (e) {
    ready = false;
  }
  if (!ready) {
    open();
    return;
  }
  var started = Date.now();
  var finished = false;
  var journal = {};
  // Each of these reads is the LMS's; one that throws only loses its value.
  function safe(f, fallback) {
    try {
      return f();
    } catch (e) {
      return fallback;
    }
  }
  var index = safe(function () {
    return api.interactionIndex();
  }, { _count: 0 });
  var passing = safe(function () {
    return api.passing();
  }, null);
  if (passing === null && typeof data.passing === "number") passing = data.passing;
  var wasComplete = safe(function () {
    return api.complete();
  }, false);

  // Restore: what the LMS kept wins over what this browser has, unless this
  // browser has more attempts of an exercise. Returns the text as the LMS
  // gave it when it read, null when there was nothing readable.
  var saved = safe(function () {
    return api.get(api.suspend);
  }, "");
  var restored = (function restore() {
    var state = readState(saved);
    if (!state) return null;
    journal = state.j && typeof state.j === "object" ? state.j : {};
    var s = store();
    if (!s) return saved;
    Object.keys(state.e).forEach(function (id) {
      var ex = byId[id];
      var c = state.e[id];
      // The exercise has changed since: its old answers do not apply.
      if (!ex || !Array.isArray(c) || c[0] !== shortHash(ex)) return;
      var kept = expand(ex, c);
      // This browser is ahead (a check whose commit never reached the LMS,
      // as when the page closed): it keeps its record.
      var here = read(ex);
      if (here && (here.attempts | 0) > kept.attempts) return;
      try {
        s.setItem(key(ex), JSON.stringify(kept));
      } catch (e) {
        /* storage full or blocked */
      }
    });
    return saved;
  })();

  // The learner's place is kept whatever happens at the end: `exit =
  // suspend` from the start, committed at once.
  api.set(api.exit, "suspend");
  safe(function () {
    return api.commit();
  });
  api.dirty = false;

  // Has the learner done anything in this record? (An exercise stores a
  // record as soon as it is shown, with the order it drew.)
  function touched(rec) {
    var a = rec.answers || {};
    return rec.attempts > 0 || rec.checked || rec.revealed || Object.keys(a).some(function (k) {
      return typeof a[k] === "string" ? a[k] !== "" : a[k] !== null && a[k] !== undefined;
    });
  }
  // What the exercises hold now: the records the learner touched (only
  // these go into suspend_data), and a fingerprint of them.
  function current() {
    var records = [];
    exercises.forEach(function (ex) {
      var rec = read(ex);
      if (rec && touched(rec)) records.push({ ex: ex, rec: rec });
    });
    return {
      records: records,
      done: wire(JSON.stringify(records.map(function (x) {
        return [x.ex.id, compact(x.ex, x.rec)];
      })))
    };
  }
  // The suspend_data last stored (or found). `held`: when the LMS gave back
  // nothing readable, what the learner had done at the start; nothing is
  // written, not even score, completion or the bookmark, until they do
  // something more, so progress the LMS holds but could not return is not
  // replaced by an empty state.
  var lastSuspend = restored;
  var held = restored === null ? current().done : null;

  var timer = null;
  var pending = null;
  // What the learner had done at the last report (`current().done`).
  var reported = null;
  // The page the learner is on, sent as the bookmark with the rest.
  var place = null;
  // `settled`: the learner moved on (another page, the tab hidden, leaving):
  // the moment to report what they wrote in a worksheet in SCORM 1.2,
  // whose interactions are a journal.
  function sync(settled) {
    if (finished) return;
    flush(settled);
    schedule();
  }
  function flush(settled) {
    if (pending) clearTimeout(pending);
    pending = null;
    var now = current();
    reported = now.done;
    if (held !== null) {
      if (now.done === held) return;
      held = null;
    }
    // A page's path as the bookmark: `%`, `"`, `\` and line breaks of a
    // file name percent-encoded, like every value sent.
    if (place !== null) {
      api.set(api.location, place.replace(/[%"\\\r\n\u2028\u2029]/g, encodeURIComponent));
    }
    var records = now.records;
    var best = 0;
    var total = 0;
    var attempted = {};
    var when = new Date();
    exercises.forEach(function (ex) {
      total += ex.graded;
    });
    records.forEach(function (x) {
      var ex = x.ex;
      var rec = x.rec;
      var attempts = rec.attempts | 0;
      var report = function (pairs, mark) {
        var n = api.name === "2004" && index[ident(ex.id)] !== undefined ? index[ident(ex.id)] : index._count++;
        if (api.name === "2004") index[ident(ex.id)] = n;
        api.interaction(n, ex, rec, pairs, when);
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
    api.status(done, required.length, total ? best / total : 0, passing, wasComplete);
    // The journal may have changed with the reports.
    var text = pack(records, journal, api.limit);
    if (text !== lastSuspend && api.set(api.suspend, text)) lastSuspend = text;
  }
  // Commit a second after the last change.
  function schedule() {
    if (!api.dirty) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      if (finished) return;
      api.dirty = false;
      safe(function () {
        return api.commit();
      });
    }, 1000);
  }
  // Everything the learner did is reported and committed: no report or
  // commit waits, and the stored progress is what was last reported (for
  // tests and tools that need to know the LMS has it all).
  window.kenshuScormSettled = function () {
    return !timer && !pending && !api.dirty && current().done === reported;
  };
  // The exercises store at every click: report once they pause.
  function later() {
    if (finished) return;
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () {
      pending = null;
      sync();
    }, 400);
  }
  function bookmark() {
    try {
      var base = location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
      var here = frame.contentWindow.location.href.replace(/[?#].*$/, "");
      if (here.indexOf(base) === 0) {
        var page = decodeURIComponent(here.slice(base.length));
        if ((data.pages || []).indexOf(page) >= 0) place = page;
      }
    } catch (e) {
      /* the frame left the package */
    }
  }
  // Leaving. The session is marked finished before anything else, so no
  // later event reaches the LMS; then each step on its own, so that one
  // that throws (a synchronous Commit while the page is dismissed) does not
  // keep Terminate from being called.
  function finish() {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    if (pending) clearTimeout(pending);
    timer = pending = null;
    safe(function () {
      flush(true);
    });
    safe(function () {
      var t = api.sessionTime(Date.now() - started).split("=");
      api.set(t[0], t[1]);
    });
    api.set(api.exit, "suspend");
    safe(function () {
      return api.commit();
    });
    safe(function () {
      return api.finish();
    });
  }

  window.addEventListener("storage", function (e) {
    if (e.key === null || String(e.key).indexOf(PREFIX) === 0) later();
  });
  frame.addEventListener("load", function () {
    if (finished) return;
    bookmark();
    sync(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !finished) {
      safe(function () {
        flush(true);
      });
      if (timer) clearTimeout(timer);
      timer = null;
      api.dirty = false;
      safe(function () {
        return api.commit();
      });
    }
  });
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  var resume = safe(function () {
    return api.get(api.location);
  }, "");
  var decoded = safe(function () {
    return decodeURIComponent(resume);
  }, resume);
  var pages = data.pages || [];
  open(pages.indexOf(resume) >= 0 ? resume : pages.indexOf(decoded) >= 0 ? decoded : "index.html");
  sync();
})();
