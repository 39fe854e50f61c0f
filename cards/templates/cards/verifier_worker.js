{% autoescape off %}/* The counter verifier's service worker: keeps the page, its script, the key set and the
   revocation list, so the verifier opens and works without a network once it has been loaded.
   Network first (a counter with a network always gets the latest list), the cached copy otherwise. */
"use strict";
const CACHE = "card-verifier-v1";
const PRECACHE = {{ precache }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function sameOrigin(url) {
  try {
    return new URL(url, self.location.href).origin === self.location.origin;
  } catch (error) {
    return false;
  }
}

// The page names everything it loaded (its own address in its language, styles, scripts), to keep.
self.addEventListener("message", (event) => {
  const urls = ((event.data && event.data.cache) || []).filter(sameOrigin);
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => Promise.all(urls.map((url) => cache.add(url).catch(() => null))))
      .then(() => {
        if (event.ports[0]) event.ports[0].postMessage("cached");
      })
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !sameOrigin(request.url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreVary: true }).then((hit) => hit || Response.error()))
  );
});
{% endautoescape %}
