// Signing out (the header's 退出, the sign-out page): a gate phone may still hold passes taken offline (IndexedDB
// epigrid-gate, js/gate-queue.js). If it does, a dialog says "有 N 条未上传，退出后将无法上传。仍要退出？" and the keeper stays
// signed in unless they confirm. On sign-out the queue and its encryption key are deleted from the phone.
(function () {
    "use strict";
    var DB = "epigrid-gate";
    var dialog = document.getElementById("signout-dialog");
    if (!dialog || !window.indexedDB) { return; }
    window.epigrid = window.epigrid || {};

    function req(r) {
        return new Promise(function (resolve, reject) {
            r.onsuccess = function () { resolve(r.result); };
            r.onerror = function (e) { e.preventDefault(); reject(r.error); };
        });
    }

    // The gate's database if this browser has one; never creates it.
    function existing() {
        return new Promise(function (resolve) {
            var r;
            try { r = indexedDB.open(DB); } catch (e) { resolve(null); return; }
            r.onupgradeneeded = function () { r.transaction.abort(); };
            r.onsuccess = function () { resolve(r.result); };
            r.onerror = function (e) { e.preventDefault(); resolve(null); };
            r.onblocked = function () { resolve(null); };
        });
    }

    // Passes still on the phone (waiting, or refused by the server and not yet dismissed): none of them reaches the server after sign-out.
    function unsent() {
        return existing().then(function (db) {
            if (!db) { return 0; }
            if (!db.objectStoreNames.contains("passes")) { db.close(); return 0; }
            return req(db.transaction("passes").objectStore("passes").count()).then(function (n) { db.close(); return n; }, function () { db.close(); return 0; });
        });
    }

    // Empties every store (the queue and the key) and deletes the database.
    function wipe() {
        window.epigrid.signingOut = true;
        return existing().then(function (db) {
            if (!db) { return; }
            var names = Array.prototype.slice.call(db.objectStoreNames);
            return new Promise(function (resolve) {
                if (names.length === 0) { resolve(); return; }
                var tx = db.transaction(names, "readwrite");
                names.forEach(function (n) { tx.objectStore(n).clear(); });
                tx.oncomplete = tx.onerror = tx.onabort = function () { resolve(); };
            }).then(function () {
                db.close();
                return new Promise(function (resolve) {
                    var del = indexedDB.deleteDatabase(DB);
                    del.onsuccess = del.onerror = function () { resolve(); };
                    // A page that does not let go of it: its stores are empty already.
                    del.onblocked = function () { setTimeout(resolve, 1500); };
                });
            });
        });
    }

    function ask(n) {
        var text = document.getElementById("signout-text");
        text.textContent = text.getAttribute("data-text").replace("{0}", String(n));
        return new Promise(function (resolve) {
            function done(answer) {
                dialog.removeEventListener("close", onClose);
                if (dialog.open) { dialog.close(); }
                resolve(answer);
            }
            function onClose() { done(false); }
            dialog.addEventListener("close", onClose);
            document.getElementById("signout-cancel").onclick = function () { done(false); };
            document.getElementById("signout-confirm").onclick = function () { done(true); };
            dialog.showModal();
            document.getElementById("signout-cancel").focus();
        });
    }

    var busy = false;
    document.addEventListener("submit", function (e) {
        var form = e.target;
        if (!form.matches("form[data-signout]") || form.getAttribute("data-signout") === "go") { return; }
        e.preventDefault();
        if (busy) { return; }
        busy = true;
        unsent().then(function (n) { return n === 0 ? true : ask(n); }).then(function (go) {
            if (!go) { busy = false; return; }
            return wipe().then(function () {
                form.setAttribute("data-signout", "go");
                form.submit();
            });
        }).catch(function () { busy = false; });
    });
})();
