// Signing out (the header's 退出, the 退出 page, so also the lock screen's "没有 PIN？退出后用密码登录"): a gate phone may still
// hold passes taken offline (IndexedDB epigrid-gate, js/gate-queue.js). If it does, a dialog says how many, and how many of
// them are fevers (their alert goes only when they are sent); the keeper stays signed in unless they confirm. While the gate
// page is locked, unsent passes are kept unless the keeper's PIN is given (checked by the server, or offline by the PIN
// verifier gate-lock.js keeps). Sign-out is one request with the page's current antiforgery token (a PIN keeper switch
// re-issues it); only once the server has answered is the queue with its key deleted, then the sign-in page opens.
// On the sign-in and sign-out pages (whatever the sign-in state: a session that expired or an account disabled ends on the
// server alone) an empty queue and its key are deleted; unsent passes are kept and said so, and go once the keeper who took
// them signs in again and opens the gate page.
(function () {
    "use strict";
    var DB = "epigrid-gate", LOCKED = "epigrid-gate-locked", VKEY = "epigrid-gate-pin-verifier", FEVER = 373;
    var dialog = document.getElementById("signout-dialog");
    window.epigrid = window.epigrid || {};

    function req(r) {
        return new Promise(function (resolve, reject) {
            r.onsuccess = function () { resolve(r.result); };
            r.onerror = function (e) { e.preventDefault(); reject(r.error); };
        });
    }
    function local(name) { try { return localStorage.getItem(name); } catch (e) { return null; } }
    function forget(name) { try { localStorage.removeItem(name); } catch (e) { /* private mode */ } }

    // The gate's database if this browser has one; never creates it.
    function existing() {
        return new Promise(function (resolve, reject) {
            if (!window.indexedDB) { resolve(null); return; }
            var r;
            try { r = indexedDB.open(DB); } catch (e) { reject(e); return; }
            r.onupgradeneeded = function () { r.transaction.abort(); };
            r.onsuccess = function () { resolve(r.result); };
            r.onerror = function (e) { e.preventDefault(); resolve(null); };
            r.onblocked = function () { reject(new Error("blocked")); };
        });
    }

    function isFever(pass) { return !!pass && Math.round(parseFloat(pass.temperature) * 10) >= FEVER; }

    // Passes still on the phone (waiting, or refused by the server and not yet dismissed): { count, fevers, gateId }.
    // Rejects when they cannot be counted. Fevers are read by decrypting the passes with the queue's key.
    function unsent() {
        return existing().then(function (db) {
            var none = { count: 0, fevers: 0, gateId: null };
            if (!db) { return none; }
            var names = Array.prototype.slice.call(db.objectStoreNames);
            if (names.indexOf("passes") < 0) { db.close(); return none; }
            var tx = db.transaction(names);
            var rows = req(tx.objectStore("passes").getAll());
            var keyRow = names.indexOf("keys") >= 0 ? req(tx.objectStore("keys").get("queue")) : Promise.resolve(null);
            return Promise.all([rows, keyRow]).then(function (got) {
                db.close();
                var list = got[0], key = got[1] && got[1].key;
                return Promise.all(list.map(function (r) {
                    if (r.sealed && key && window.crypto && crypto.subtle) {
                        return crypto.subtle.decrypt({ name: "AES-GCM", iv: r.sealed.iv }, key, r.sealed.data)
                            .then(function (plain) { return isFever(JSON.parse(new TextDecoder().decode(plain)).pass); }, function () { return false; });
                    }
                    return isFever(r.pass || (r.open && r.open.pass));
                })).then(function (fevers) {
                    return { count: list.length, fevers: fevers.filter(Boolean).length, gateId: list.length ? list[0].gateId : null };
                });
            }, function (e) { db.close(); throw e; });
        });
    }

    // Empties every store (the queue and the key) and deletes the database; resolves "blocked" when another tab holds it
    // open for longer than a few seconds (its stores are emptied by then), "failed" when the browser's storage cannot be
    // opened at all, so the page can say so instead of waiting. Never rejects.
    function wipe() {
        window.epigrid.signingOut = true;
        forget(VKEY);
        forget(LOCKED);
        return existing().then(function (db) {
            if (!db) { return "done"; }
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
                    var timer = setTimeout(function () { resolve("blocked"); }, 4000);
                    del.onsuccess = function () { clearTimeout(timer); resolve("done"); };
                    del.onerror = function () { clearTimeout(timer); resolve("failed"); };
                });
            });
        }).then(null, function () { return "failed"; });
    }

    // The lock screen's keeper (the gate page was locked by them and not resumed since), or null.
    function lockedBy() { return local(LOCKED) || null; }

    // The PIN check gate-lock.js uses: online the server's (it counts wrong PINs), offline the PBKDF2 verifier kept on the phone.
    var offlineTries = 0;
    function derive(pinText, salt) {
        return crypto.subtle.importKey("raw", new TextEncoder().encode(pinText), "PBKDF2", false, ["deriveBits"]).then(function (key) {
            return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: 200000 }, key, 256);
        }).then(function (bits) { return Array.prototype.map.call(new Uint8Array(bits), function (x) { return (x + 0x100).toString(16).slice(1); }).join(""); });
    }
    function checkPin(user, gateId, pinText) {
        var token = csrf();
        return fetch("/api/gates/" + encodeURIComponent(gateId) + "/unlock", {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "RequestVerificationToken": token || "" },
            body: JSON.stringify({ userName: user, pin: pinText })
        }).then(function (r) {
            return r.json().catch(function () { return {}; }).then(function (body) {
                if (r.ok) {
                    var meta = document.querySelector('meta[name="csrf-token"]');
                    if (meta && body.csrfToken) { meta.setAttribute("content", body.csrfToken); }
                    return { ok: true };
                }
                return { ok: false, text: (body.errors && Object.keys(body.errors).map(function (k) { return body.errors[k].join("；"); }).join("；")) || body.detail || body.title || ("PIN 核验失败（" + r.status + "）") };
            });
        }, function () {
            var v = null;
            try { v = JSON.parse(local(VKEY) || "null"); } catch (e) { v = null; }
            if (!v || v.user !== user || offlineTries >= 5 || !window.crypto || !crypto.subtle) { return { ok: false, text: "网络断开，暂时无法核验 PIN。请联网后再试。" }; }
            return derive(pinText, new Uint8Array(v.salt)).then(function (hash) {
                if (hash === v.hash) { return { ok: true }; }
                offlineTries++;
                return { ok: false, text: "PIN 不正确" };
            });
        });
    }

    function warning(info) {
        if (!info) { return "无法确认暂存数量，退出后暂存记录将被删除。仍要退出？"; }
        var text = "有 " + info.count + " 条未上传";
        if (info.fevers > 0) { text += "（其中 " + info.fevers + " 条体温异常，其预警要上传后才会发出）"; }
        return text + "，退出后将无法上传。仍要退出？";
    }

    // Asks before signing out: true to go on. When the page is locked with passes waiting (or not countable), only the
    // locked keeper's PIN lets them be deleted.
    function ask(info) {
        var keeper = lockedBy();
        var needPin = !!keeper && (!info || info.count > 0);
        var refusal = "有 " + (info ? info.count : "若干") + " 条未上传，请当班卡口员用 PIN 解锁、上传后再退出。";
        if (!dialog || typeof dialog.showModal !== "function") {
            if (needPin) {
                var typed = window.prompt(refusal + "\n" + warning(info) + "\n当班卡口员 PIN：");
                if (!typed) { return Promise.resolve(false); }
                return checkPin(keeper, info && info.gateId, typed).then(function (r) {
                    if (!r.ok) { window.alert(r.text); }
                    return r.ok;
                });
            }
            return Promise.resolve(window.confirm(warning(info)));
        }
        var text = document.getElementById("signout-text");
        var pinPart = document.getElementById("signout-pin-part"), pin = document.getElementById("signout-pin"), error = document.getElementById("signout-pin-error");
        text.textContent = needPin ? refusal + " " + warning(info) : warning(info);
        pinPart.classList.toggle("d-none", !needPin);
        pin.value = "";
        error.textContent = "";
        return new Promise(function (resolve) {
            function done(answer) {
                dialog.removeEventListener("close", onClose);
                if (dialog.open) { dialog.close(); }
                resolve(answer);
            }
            function onClose() { done(false); }
            dialog.addEventListener("close", onClose);
            document.getElementById("signout-cancel").onclick = function () { done(false); };
            document.getElementById("signout-confirm").onclick = function () {
                if (!needPin) { done(true); return; }
                if (!pin.value) { error.textContent = "请输入当班卡口员的 PIN"; pin.focus(); return; }
                checkPin(keeper, info && info.gateId, pin.value).then(function (r) {
                    if (r.ok) { done(true); return; }
                    error.textContent = r.text;
                    pin.value = "";
                    pin.focus();
                });
            };
            dialog.showModal();
            (needPin ? pin : document.getElementById("signout-cancel")).focus();
        });
    }

    function csrf() {
        var meta = document.querySelector('meta[name="csrf-token"]');
        return (meta && meta.getAttribute("content")) || null;
    }

    // POST /Account/Logout with the current token (the meta's: a keeper switch by PIN renews it, the form's copy is stale).
    function signOutOnServer(form) {
        var field = form.querySelector('input[name="__RequestVerificationToken"]');
        var token = csrf() || (field && field.value) || "";
        return fetch(form.getAttribute("action") || "/Account/Logout", {
            method: "POST", credentials: "same-origin", redirect: "manual",
            headers: { "Content-Type": "application/x-www-form-urlencoded", "RequestVerificationToken": token },
            body: "__RequestVerificationToken=" + encodeURIComponent(token)
        }).then(function (r) { return r.type === "opaqueredirect" || r.ok; }, function () { return false; });
    }

    function note(form, text) {
        var p = form.parentNode.querySelector(".signout-note");
        if (!p) {
            p = document.createElement("p");
            p.className = "signout-note alert alert-danger small py-1 px-2 mt-2 mb-0";
            p.setAttribute("role", "alert");
            form.parentNode.insertBefore(p, form.nextSibling);
        }
        p.textContent = text;
    }

    var busy = false;
    document.addEventListener("submit", function (e) {
        var form = e.target;
        if (!form.matches("form[data-signout]")) { return; }
        e.preventDefault();
        if (busy) { return; }
        busy = true;
        unsent().then(function (info) { return info.count === 0 ? true : ask(info); }, function () { return ask(null); }).then(function (go) {
            if (!go) { busy = false; return; }
            return signOutOnServer(form).then(function (ok) {
                if (!ok) {
                    busy = false;
                    note(form, "退出失败（网络断开或登录已变化）：手机上的暂存登记未删除。请联网后刷新页面再退出。");
                    return;
                }
                return wipe().then(function (result) {
                    if (result === "blocked") {
                        window.alert("已退出，但手机上的暂存数据正被另一个标签页使用，未能完全删除：请关闭其他 EpiGrid 标签页，再打开登录页。");
                    } else if (result === "failed") {
                        window.alert("已退出，但浏览器的本地存储无法打开，未能删除手机上的暂存数据：请在浏览器设置中清除本站数据。");
                    }
                    window.location.assign("/Account/Login");
                });
            });
        }).catch(function () {
            busy = false;
            note(form, "退出未完成：请刷新页面后再退出。");
        });
    });

    // Back/forward cache: a page shown again after sign-out started must not stay stuck.
    window.addEventListener("pageshow", function (e) {
        if (e.persisted) { busy = false; window.epigrid.signingOut = false; }
    });

    // The sign-in and sign-out pages: an empty queue and its key are deleted; unsent passes stay, and the page says so.
    var cleanup = document.querySelector("[data-gate-cleanup]");
    if (cleanup) {
        unsent().then(function (info) {
            if (info.count === 0) { return wipe().then(function () { window.epigrid.signingOut = false; }); }
            cleanup.textContent = "本机还有 " + info.count + " 条卡口登记未上传" + (info.fevers > 0 ? "（其中 " + info.fevers + " 条体温异常）" : "") +
                "，已加密保留在手机上：请登记它们的卡口员登录后打开卡口页，联网即自动上传。";
            cleanup.classList.remove("d-none");
        }, function () { /* cannot read it now: left as it is */ });
    }
})();
