// Offline use of the hosted site: on the first visit over http(s) this
// worker stores every file of the site (the list is assets/offline.json of
// the same build), then answers from that store whenever the network does
// not. Pages are always asked of the network first, so a rebuilt site shows
// at once; the new build's worker (its VERSION differs) stores the new
// files and drops the old ones. Only this site's own files, under this
// worker's folder, are ever stored or answered.
"use strict";
var SCOPE = self.registration.scope;
var PREFIX = "kenshu " + SCOPE + " ";
var CACHE = PREFIX + VERSION;
// Files fetched at once while storing the site.
var BATCH = 6;
// A page the network has not answered within this time comes from the store.
var PATIENCE = 4000;

// `path`: relative to the site's root, as written in an href.
function urlOf(path) {
  return new URL(path, SCOPE).href;
}

self.addEventListener("install", function (e) {
  e.waitUntil(
    fetch(urlOf("assets/offline.json") + "?v=" + VERSION, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (files) {
        return caches.open(CACHE).then(function (cache) {
          var at = 0;
          function next() {
            var batch = files.slice(at, at + BATCH);
            at += BATCH;
            if (!batch.length) return null;
            return Promise.all(batch.map(function (f) {
              var url = urlOf(f);
              // A file that cannot be had now is fetched when it is needed.
              return fetch(url, { cache: "no-cache" }).then(function (r) {
                return r.ok ? cache.put(url, r) : null;
              }).catch(function () { return null; });
            })).then(next);
          }
          return next();
        });
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (e) {
  e.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf(PREFIX) === 0 && k !== CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The stored answer for `req` (a folder's address is its index.html).
function stored(req) {
  var url = new URL(req.url);
  url.hash = "";
  url.search = "";
  if (/\/$/.test(url.pathname)) url.pathname += "index.html";
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url.href).then(function (hit) {
      if (hit || req.mode !== "navigate") return hit;
      return cache.match(urlOf("404.html"));
    });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET" || req.url.indexOf(SCOPE) !== 0) return;
  e.respondWith(new Promise(function (resolve, reject) {
    var settled = false;
    function answer(r) { if (!settled && r) { settled = true; resolve(r); } }
    var timer = req.mode === "navigate" ? setTimeout(function () {
      stored(req).then(answer);
    }, PATIENCE) : 0;
    fetch(req).then(function (r) {
      clearTimeout(timer);
      answer(r);
    }, function (err) {
      clearTimeout(timer);
      stored(req).then(function (hit) {
        if (hit) answer(hit);
        else if (!settled) { settled = true; reject(err); }
      });
    });
  }));
});
