// The patrol's service worker (issues.field_views.service_worker): keeps the field page and
// what it loads on the phone, so it opens in a basement. Records are not kept here: the
// page stores them in IndexedDB and sends them itself.
"use strict";

const CACHE = "yishi-field-{{ version }}";
const PAGE = "{{ page|escapejs }}";
const STATIC_URL = "{{ static_url|escapejs }}";
const SESSION = "{{ session|escapejs }}";
const ASSETS = {{ assets|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([PAGE, ...ASSETS]))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("yishi-field-") && key !== CACHE)
            .map((key) => caches.delete(key))
        )
      )
      .then(() => self.clients.claim())
  );
});

// Pages of the patrols: the network first, so what is shown is current; without it, the
// copy kept at the last visit, else the field page, which works offline.
function page(request) {
  return fetch(request)
    .then((response) => {
      if (response.ok && response.type === "basic" && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })
    .catch(() =>
      caches
        .match(request, { ignoreSearch: true })
        .then((found) => found || caches.match(PAGE))
    );
}

// Static files: the kept copy at once, refreshed in the background when there is a
// connection (their names change with their content in production).
function asset(request) {
  return caches.open(CACHE).then((cache) =>
    cache.match(request, { ignoreSearch: true }).then((found) => {
      const fresh = fetch(request)
        .then((response) => {
          if (response.ok) {
            cache.put(request, response.clone());
          }
          return response;
        })
        .catch(() => found);
      return found || fresh;
    })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === SESSION) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(asset(request));
  }
});
