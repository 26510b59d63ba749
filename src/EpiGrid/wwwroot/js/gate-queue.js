// The gate page's offline queue: a pass that cannot be sent now (no network, a server error) is kept in IndexedDB
// with its clientId and the takenAt of the tap, and sent again when the network returns (the `online` event, and
// every 15 seconds). The server stores a clientId once, so a pass sent twice is still one pass.
// 200/201: stored, removed from the queue. 400 with field errors, 404, 409: rejected, kept aside and shown.
// 401/403 or a 400 without field errors (the sign-in or the antiforgery token expired): kept, waits for a sign-in.
// 5xx or no network: kept, retried.
(function () {
    "use strict";
    var DB = "epigrid-gate", STORE = "passes";
    var listeners = [];
    var dbPromise = null;
    var flushing = null;

    function open() {
        if (!dbPromise) {
            dbPromise = window.idb.openDB(DB, 1, {
                upgrade: function (db) {
                    var s = db.createObjectStore(STORE, { keyPath: "clientId" });
                    s.createIndex("queuedAt", "queuedAt");
                }
            });
        }
        return dbPromise;
    }

    function all() {
        return open().then(function (db) { return db.getAllFromIndex(STORE, "queuedAt"); });
    }

    function changed() {
        return all().then(function (items) {
            listeners.forEach(function (f) { f(items); });
            return items;
        });
    }

    /** Keeps one pass: { clientId, gateId, pass, name }. */
    function add(gateId, pass, name) {
        return open().then(function (db) {
            return db.put(STORE, { clientId: pass.clientId, gateId: gateId, pass: pass, name: name, queuedAt: Date.now(), state: "waiting", error: null });
        }).then(changed);
    }

    function remove(clientId) {
        return open().then(function (db) { return db.delete(STORE, clientId); }).then(changed);
    }

    function errorText(body) {
        if (body && body.errors) {
            return Object.keys(body.errors).map(function (k) { return (body.errors[k] || []).join("；"); }).join("；");
        }
        return (body && (body.detail || body.title)) || "";
    }

    // Sends the waiting passes one by one, oldest first; stops at the first one that cannot be sent now.
    function flushOnce() {
        return all().then(function (items) {
            var waiting = items.filter(function (i) { return i.state === "waiting"; });
            var result = { sent: 0, stopped: null };
            return waiting.reduce(function (p, item) {
                return p.then(function () {
                    if (result.stopped) { return; }
                    return window.epigrid.gate.post(item.gateId, item.pass).then(function (res) {
                        if (res.status === 200 || res.status === 201) {
                            result.sent++;
                            return open().then(function (db) { return db.delete(STORE, item.clientId); });
                        }
                        var fieldErrors = res.status === 400 && res.body && res.body.errors;
                        if (fieldErrors || res.status === 404 || res.status === 409 || res.status === 422) {
                            item.state = "rejected";
                            item.error = errorText(res.body) || String(res.status);
                            return open().then(function (db) { return db.put(STORE, item); });
                        }
                        result.stopped = res.status === 401 || res.status === 403 || res.status === 400 ? "signin" : "server";
                    }, function () { result.stopped = "network"; });
                });
            }, Promise.resolve()).then(function () { return changed(); }).then(function () { return result; });
        });
    }

    function flush() {
        if (!flushing) {
            flushing = flushOnce().then(function (r) { flushing = null; return r; }, function (e) { flushing = null; throw e; });
        }
        return flushing;
    }

    window.epigrid.gateQueue = {
        add: add,
        all: all,
        remove: remove,
        flush: flush,
        onChange: function (f) { listeners.push(f); changed(); }
    };

    window.addEventListener("online", function () { flush(); });
    setInterval(function () { if (navigator.onLine) { flush(); } }, 15000);
})();
