/* Exhibit screens' service worker (served from screens/, so its scope covers every screen).
   Network first, cache as fallback: a rebooted screen starts without the network and plays what it
   last had. Polls of version.json are never answered from the cache (offline must look offline). */
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

/* The page sends the images its new playlist uses; photos no playlist needs any more are dropped. */
self.addEventListener("message", function (event) {
  var keep = (event.data && event.data.keep) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(requests.map(function (r) {
        var image = /\.(jpe?g|png|webp|gif|avif|svg|mp4|webm)$/i.test(new URL(r.url).pathname);
        return image && keep.indexOf(r.url) < 0 ? cache.delete(r) : null;
      }));
    });
  }));
});
