// The gate page's offline queue: a pass that cannot be sent now (no network, a server error) is kept in IndexedDB
// with its clientId and the takenAt of the tap, and sent again when the network returns (the `online` event, and
// every 15 seconds). The server stores a clientId once, so a pass sent twice is still one pass.
// 200/201: stored, removed from the queue. 400 with field errors, 404, 409: rejected, kept aside and shown.
// 401/403 or a 400 without field errors (the sign-in or the antiforgery token expired): kept, waits for a sign-in.
// 5xx or no network: kept, retried.
//
// What a queued pass says (the visitor's name, phone, ID number, from/to, the temperature, plate, approval reason, the
// resident chosen, the name shown) is kept only encrypted: AES-GCM with a 256-bit key made on this phone by WebCrypto,
// not extractable (the page can use it, no script can export it), stored as a CryptoKey in the same database and
// deleted with the queue at sign-out (js/signout.js). In clear: the clientId, the gate, the keeper's user name, when it was
// queued, its state. A pass is sent only while the keeper who took it is signed in on the gate page.
// Not extractable only stops scripts from exporting the key: the browser keeps its material in the profile, so at rest the
// queue is protected by the device's own encryption and by its deletion at sign-out, not by the key alone.
// WebCrypto needs a secure context (HTTPS or localhost); without it a pass with a visitor, a plate, an approval reason or
// a fever (37.3 ℃ or more) is not queued at all: add() rejects with { notQueued: true } and the page says so. A resident's
// other passes then wait in clear: the resident's record id (personId), direction, temperature, takenAt, clientId and
// pass card id, without the resident's name.
(function () {
    "use strict";
    var DB = "epigrid-gate", STORE = "passes", KEYS = "keys", KEY_ID = "queue";
    var secure = !!(window.crypto && window.crypto.subtle && window.isSecureContext !== false);
    var listeners = [];
    var dbPromise = null, keyPromise = null;
    var flushing = null;

    function forget() {
        var p = dbPromise;
        dbPromise = null;
        keyPromise = null;
        if (p) { p.then(function (db) { db.close(); }, function () { /* never opened */ }); }
    }

    function rawOpen() {
        // Signing out deletes the database: nothing may make it again on the way out.
        if (window.epigrid.signingOut) { return Promise.reject(new Error("signing out")); }
        if (!dbPromise) {
            dbPromise = window.idb.openDB(DB, 2, {
                upgrade: function (db, oldVersion) {
                    if (oldVersion < 1) {
                        var s = db.createObjectStore(STORE, { keyPath: "clientId" });
                        s.createIndex("queuedAt", "queuedAt");
                    }
                    if (oldVersion < 2) { db.createObjectStore(KEYS, { keyPath: "id" }); }
                },
                // Sign-out (another page or this one) deletes the database: let it.
                blocking: forget
            });
            dbPromise.catch(function () { dbPromise = null; });
        }
        return dbPromise;
    }

    // The queue's key, made on first need: AES-GCM 256, not extractable, kept as a CryptoKey (structured clone).
    function key() {
        if (!keyPromise) {
            keyPromise = rawOpen().then(function (db) {
                return db.get(KEYS, KEY_ID).then(function (row) {
                    if (row) { return row.key; }
                    return window.crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]).then(function (k) {
                        return db.add(KEYS, { id: KEY_ID, key: k }).then(function () { return k; }, function () {
                            // Another tab made one first: that one is the queue's.
                            return db.get(KEYS, KEY_ID).then(function (r) { return r.key; });
                        });
                    });
                });
            });
            keyPromise.catch(function () { keyPromise = null; });
        }
        return keyPromise;
    }

    function seal(value) {
        return key().then(function (k) {
            var iv = window.crypto.getRandomValues(new Uint8Array(12));
            return window.crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, k, new TextEncoder().encode(JSON.stringify(value)))
                .then(function (data) { return { iv: iv, data: data }; });
        });
    }

    function unseal(box) {
        return key().then(function (k) { return window.crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, k, box.data); })
            .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
    }

    // The keeper signed in on the gate page (a PIN switch changes it).
    function keeper() {
        var root = document.getElementById("gate");
        return (root && root.getAttribute("data-keeper")) || null;
    }

    // What may not wait on the phone in clear: anything about a visitor, a plate, an approval reason — and a fever, the
    // resident's record id beside a temperature of 37.3 ℃ or more.
    function personal(pass) {
        return !!(pass.visitor || pass.plate || pass.approvalReason) || Math.round(pass.temperature * 10) >= 373;
    }

    // Passes queued before the queue was encrypted (name and pass in clear) are sealed when the database is opened.
    function sealOld(db) {
        if (!secure) { return Promise.resolve(); }
        return db.getAll(STORE).then(function (rows) {
            return Promise.all(rows.filter(function (r) { return r.pass && !r.sealed; }).map(function (r) {
                return seal({ pass: r.pass, name: r.name }).then(function (box) {
                    return db.put(STORE, { clientId: r.clientId, gateId: r.gateId, queuedAt: r.queuedAt, state: r.state, error: r.error, sealed: box });
                });
            }));
        });
    }

    var opened = null;
    function open() {
        var p = rawOpen();
        if (opened !== p) {
            opened = p;
            p.ready = p.then(function (db) { return sealOld(db).then(function () { return db; }); });
            // A failed open or sealing is not kept: the next call tries again.
            p.ready.catch(function () { if (opened === p) { opened = null; } });
        }
        return p.ready;
    }

    /** The queued passes, oldest first, readable: { clientId, gateId, queuedAt, state, error, pass, name }. */
    function all() {
        return open().then(function (db) { return db.getAllFromIndex(STORE, "queuedAt"); }).then(function (rows) {
            return Promise.all(rows.map(function (r) {
                var view = { clientId: r.clientId, gateId: r.gateId, queuedAt: r.queuedAt, state: r.state, error: r.error, keeper: r.keeper || null, pass: null, name: "" };
                if (r.sealed) {
                    return unseal(r.sealed).then(function (v) { view.pass = v.pass; view.name = v.name; return view; }, function () {
                        view.state = "rejected";
                        view.error = "无法解密（密钥已删除）";
                        return view;
                    });
                }
                view.pass = r.pass || (r.open && r.open.pass) || null;
                view.name = r.name || "居民";
                return Promise.resolve(view);
            }));
        });
    }

    function changed() {
        return all().then(function (items) {
            listeners.forEach(function (f) { f(items); });
            return items;
        });
    }

    /** Keeps one pass, encrypted; without WebCrypto only a pass with nothing personal (rejects with { notQueued: true }). */
    function add(gateId, pass, name) {
        var row = { clientId: pass.clientId, gateId: gateId, keeper: keeper(), queuedAt: Date.now(), state: "waiting", error: null };
        var ready;
        if (secure) {
            ready = seal({ pass: pass, name: name }).then(function (box) { row.sealed = box; });
        } else if (personal(pass)) {
            return Promise.reject({ notQueued: true });
        } else {
            row.open = { pass: pass };
            ready = Promise.resolve();
        }
        return ready.then(open).then(function (db) { return db.put(STORE, row); }).then(changed);
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

    function reject(clientId, error) {
        return open().then(function (db) {
            return db.get(STORE, clientId).then(function (row) {
                if (!row) { return; }
                row.state = "rejected";
                row.error = error;
                return db.put(STORE, row);
            });
        });
    }

    // Sends the waiting passes one by one, oldest first, each decrypted just before it goes; a pass sent is deleted.
    // Stops at the first one that cannot be sent now.
    function flushOnce() {
        return all().then(function (items) {
            // Only the keeper who took a pass sends it (it is recorded as theirs): another keeper's wait until they sign in again.
            var me = keeper();
            var waiting = items.filter(function (i) { return i.state === "waiting" && i.pass && (!i.keeper || i.keeper === me); });
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
                            return reject(item.clientId, errorText(res.body) || String(res.status));
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
        /** Whether passes with personal details can be kept (WebCrypto present: HTTPS or localhost). */
        secure: secure,
        add: add,
        all: all,
        remove: remove,
        flush: flush,
        onChange: function (f) { listeners.push(f); changed(); }
    };

    window.addEventListener("online", function () { flush(); });
    setInterval(function () { if (navigator.onLine) { flush(); } }, 15000);
})();
