// kenshu serve's live-reload client: injected into every page `kenshu serve`
// answers (never into a build). It listens to the server's events, reloads
// the page when a build changed it, and shows the errors of a broken build
// in an overlay. The server writes the build the page came from and the
// overlay's style into the script element's data attributes.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var version = Number(me.getAttribute("data-version"));
  var style = me.getAttribute("data-style");
  function myPath() {
    var p = location.pathname.replace(/^\/+/, "");
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    if (p === "" || p.charAt(p.length - 1) === "/") p += "index.html";
    return p;
  }
  function overlay(errors, more) {
    var old = document.getElementById("kenshu-error-overlay");
    if (old) old.parentNode.removeChild(old);
    if (!errors || !errors.length) return;
    var box = document.createElement("div");
    box.id = "kenshu-error-overlay";
    box.setAttribute("role", "alert");
    box.setAttribute("style", style);
    var title = document.createElement("strong");
    title.textContent = "kenshu: the last edit does not build \u2014 showing the last good version.";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.setAttribute("style", "margin:.5em 0 0;padding-left:1.2em");
    errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.text;
      list.appendChild(li);
    });
    // The server sends the first errors only; the terminal has them all.
    if (more > 0) {
      var rest = document.createElement("li");
      rest.textContent = "\u2026 and " + more + " more problem" + (more === 1 ? "" : "s") +
        " (every one is printed in the terminal running kenshu serve)";
      list.appendChild(rest);
    }
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }
  function concerns(changed) {
    var mine = myPath();
    for (var i = 0; i < changed.length; i++) {
      var c = changed[i];
      if (c === "*" || c === mine || !/\.html$/.test(c)) return true;
    }
    return false;
  }
  // The server answers first with what changed since this version.
  var es = new EventSource("/__kenshu/events?v=" + version);
  es.addEventListener("kenshu", function (ev) {
    var d;
    try { d = JSON.parse(ev.data); } catch (e) { return; }
    overlay(d.errors, d.more);
    if (d.version !== version) {
      version = d.version;
      if (concerns(d.changed)) { es.close(); location.reload(); }
    }
  });
})();
