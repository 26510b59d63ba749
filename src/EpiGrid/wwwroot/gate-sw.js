// The gate page's service worker (scope /Gates): keeps the gate page and its scripts, styles and fonts loadable
// when the network drops. Network first, the cache when the network fails; /api and /hubs are never cached (no
// personal data in the cache). Passes taken offline are kept by the page itself (IndexedDB, js/gate-queue.js).
"use strict";
var CACHE = "epigrid-gate-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) {
    e.waitUntil(caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("epigrid-gate-") === 0 && k !== CACHE; }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); }));
});

// The gate page served from the cache says so (a header the browser's tools and the tests can see).
function fromCache(res) {
    var headers = new Headers(res.headers);
    headers.set("X-EpiGrid-From-Cache", "1");
    return res.blob().then(function (body) { return new Response(body, { status: res.status, statusText: res.statusText, headers: headers }); });
}

function isStatic(path) {
    return /^\/(js|css|lib)\//.test(path) || path === "/favicon.svg";
}

self.addEventListener("fetch", function (e) {
    var req = e.request;
    if (req.method !== "GET") { return; }
    var url = new URL(req.url);
    if (url.origin !== self.location.origin) { return; }
    var page = req.mode === "navigate" && /^\/Gates\/?$/i.test(url.pathname);
    if (!page && !isStatic(url.pathname)) { return; }
    e.respondWith(fetch(req).then(function (res) {
        // A signed-out visit is redirected to the sign-in page: that is not the gate page, do not keep it.
        if (res.ok && !res.redirected && res.type === "basic") {
            var copy = res.clone();
            caches.open(CACHE).then(function (c) { return c.put(req, copy); });
        }
        return res;
    }).catch(function () {
        return caches.open(CACHE).then(function (c) {
            return c.match(req).then(function (hit) {
                if (hit) { return page ? fromCache(hit) : hit; }
                // Static files are versioned with ?v=: an older copy is better than nothing.
                return c.match(req, { ignoreSearch: !page }).then(function (any) {
                    return any || Response.error();
                });
            });
        });
    }));
});
