/* Exhibit screens' service worker (served from screens/: its scope covers every screen). Network first,
   cache as fallback: a rebooted screen starts offline with what it last had. version.json is never
   answered from the cache (offline must look offline). */
"use strict";
var CACHE = "exhibit-screens-v1";

function key(url) { var u = new URL(url); u.search = ""; u.hash = ""; return u.href; }

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || /\/version\.json$/.test(url.pathname)) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key(request.url), copy); });
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(key(request.url)); }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});

/* After an update the page sends what it uses; other photos (media/) and hashed stylesheets and scripts are
   dropped, and other fonts once the page names its fonts (it does after a stylesheet swap). */
var FONT = /\.(woff2?|[ot]tf)$/i;
self.addEventListener("message", function (event) {
  var keep = (event.data && event.data.keep) || [], fonts = keep.some(function (u) { return FONT.test(u); });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (r) {
        var path = new URL(r.url).pathname, old = /\/media\/|\.[0-9a-f]{10}\.(css|js)$/.test(path) || fonts && FONT.test(path);
        return old && keep.indexOf(r.url) < 0 ? cache.delete(r) : null;
      }));
    });
  }));
});
