/* Exhibit screens' service worker (served from screens/: its scope covers every screen). Network first,
   cache as fallback: a rebooted screen starts offline with what it last had. version.json is never
   answered from the cache (offline must look offline). Writes are awaited: the worker may stop after answering. */
"use strict";
var CACHE = "exhibit-screens-v1", VIDEO = /\.(mp4|webm)$/i, fetching = {};

function key(url) { var u = new URL(url); u.search = ""; u.hash = ""; return u.href; }
function cached(url) { return caches.open(CACHE).then(cache => cache.match(key(url))); }
function save(url, response) { return caches.open(CACHE).then(cache => cache.put(key(url), response)); }

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", event => {
  var request = event.request, url = new URL(request.url), range = request.headers.get("range");
  if (request.method !== "GET" || url.origin !== self.location.origin || /\/version\.json$/.test(url.pathname)) return;
  var media = range !== null || VIDEO.test(url.pathname);
  event.respondWith(fetch(request).then(response => {
    if (response.ok && response.type === "basic") {
      event.waitUntil(media ? whole(request.url, response) : save(request.url, response.clone()));
    }
    return response;
  }, () => cached(request.url).then(hit => !hit ? Response.error() : media ? slice(hit, range) : hit)));
});

/* Videos: the player asks for byte ranges (206), which a cache cannot hold. The whole file is fetched once per
   version of it (ETag, date and size: a video keeps its name when replaced), and offline ranges are cut from it. */
function whole(url, response) {
  if (response.status === 200) return save(url, response.clone());  // the player took it all: keep that
  var stamp = version(response);
  return cached(url).then(hit => {
    if (hit && version(hit) === stamp) return null;
    var at = key(url);  // one download at a time per file, however many ranges the player asks for
    return fetching[at] = fetching[at] || fetch(at, { cache: "no-cache" })
      .then(full => full.status === 200 ? save(at, full) : null).finally(() => { delete fetching[at]; });
  });
}
function version(response) {
  var h = response.headers, total = /\/(\d+)$/.exec(h.get("content-range"));
  return [h.get("etag"), h.get("last-modified"), total ? total[1] : h.get("content-length")].join(" ");
}
function slice(full, range) {  // a range as a server answers it, from the cached whole file
  var m = /^bytes=(\d*)-(\d*)$/.exec(range);
  if (!m) return full;
  return full.blob().then(blob => {
    var size = blob.size, start = m[1] ? +m[1] : Math.max(size - m[2], 0), end = m[1] && m[2] ? Math.min(+m[2], size - 1) : size - 1;
    if (start > end) return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
    return new Response(blob.slice(start, end + 1), { status: 206, headers: {
      "Content-Type": full.headers.get("content-type") || blob.type, "Content-Length": String(end - start + 1),
      "Content-Range": "bytes " + start + "-" + end + "/" + size, "Accept-Ranges": "bytes" } });
  });
}

/* After an update the page sends what it uses; other photos and videos (media/) and hashed stylesheets and scripts
   are dropped, and other fonts once the page names its fonts (it does after a stylesheet swap). */
var FONT = /\.(woff2?|[ot]tf)$/i;
self.addEventListener("message", event => {
  var keep = (event.data && event.data.keep) || [], fonts = keep.some(u => FONT.test(u));
  event.waitUntil(caches.open(CACHE).then(cache => cache.keys().then(requests => Promise.all(requests.map(r => {
    var path = new URL(r.url).pathname, old = /\/media\/|\.[0-9a-f]{10}\.(css|js)$/.test(path) || fonts && FONT.test(path);
    return old && !keep.includes(r.url) ? cache.delete(r) : null;
  })))));
});
