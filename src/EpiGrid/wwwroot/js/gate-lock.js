// The shared gate phone's lock (锁屏): after the idle minutes set for the office the gate page covers itself; a keeper
// of this gate resumes with their own PIN. When another keeper resumes, the server re-issues the sign-in for them,
// so the passes from then on are recorded as theirs. Passes still waiting in the offline queue are sent first, under
// the keeper who took them.
(function () {
    "use strict";
    var root = document.getElementById("gate");
    var $ = function (id) { return document.getElementById(id); };
    if (!root || !$("lock-screen")) { return; }
    var gateId = root.getAttribute("data-gate-id");
    var idleMs = parseFloat(root.getAttribute("data-idle-minutes") || "3") * 60000;
    var screen = $("lock-screen"), error = $("unlock-error"), pin = $("unlock-pin");
    var KEY = "epigrid-gate-locked";
    var lastActive = Date.now();

    // Offline, the keeper who is signed in may resume with their PIN checked on the phone: a PBKDF2 verifier kept
    // when the PIN was last set or checked online (the lock guards the page, the sign-in is this keeper's anyway).
    // Another keeper always needs the server. Five wrong PINs offline stop the offline check until online.
    var VKEY = "epigrid-gate-pin-verifier", offlineTries = 0;
    function derive(pinText, salt) {
        var enc = new TextEncoder();
        return crypto.subtle.importKey("raw", enc.encode(pinText), "PBKDF2", false, ["deriveBits"]).then(function (key) {
            return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: 200000 }, key, 256);
        }).then(function (bits) { return Array.prototype.map.call(new Uint8Array(bits), function (x) { return (x + 0x100).toString(16).slice(1); }).join(""); });
    }
    function keepVerifier(user, pinText) {
        if (!window.crypto || !crypto.subtle) { return Promise.resolve(); }
        var salt = crypto.getRandomValues(new Uint8Array(16));
        return derive(pinText, salt).then(function (hash) {
            try { localStorage.setItem(VKEY, JSON.stringify({ user: user, salt: Array.prototype.slice.call(salt), hash: hash })); } catch (e) { /* ignore */ }
        });
    }
    function checkOffline(user, pinText) {
        var v = null;
        try { v = JSON.parse(localStorage.getItem(VKEY) || "null"); } catch (e) { v = null; }
        if (!v || v.user !== user || offlineTries >= 5 || !window.crypto || !crypto.subtle) { return Promise.resolve(null); }
        return derive(pinText, new Uint8Array(v.salt)).then(function (hash) {
            if (hash === v.hash) { offlineTries = 0; return true; }
            offlineTries++;
            return false;
        });
    }

    function locked() { return !screen.classList.contains("d-none"); }
    function lock() {
        if (locked()) { return; }
        try { localStorage.setItem(KEY, root.getAttribute("data-keeper")); } catch (e) { /* private mode: the lock still shows */ }
        screen.classList.remove("d-none");
        document.body.classList.add("gate-locked");
        error.textContent = "";
        pin.value = "";
        $("unlock-keeper").value = root.getAttribute("data-keeper");
        document.dispatchEvent(new CustomEvent("epigrid:gate-locked"));
        pin.focus();
    }
    function unlock() {
        try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
        screen.classList.add("d-none");
        document.body.classList.remove("gate-locked");
        lastActive = Date.now();
        $("temperature").focus();
    }

    ["pointerdown", "keydown", "input", "touchstart"].forEach(function (t) {
        document.addEventListener(t, function () { if (!locked()) { lastActive = Date.now(); } }, { passive: true });
    });
    setInterval(function () { if (!locked() && Date.now() - lastActive >= idleMs) { lock(); } }, 1000);
    $("lock-now").addEventListener("click", lock);

    function waiting() {
        var q = window.epigrid.gateQueue;
        if (!q) { return Promise.resolve(0); }
        return q.flush().then(q.all).then(function (items) { return items.filter(function (i) { return i.state === "waiting"; }).length; });
    }

    $("unlock-form").addEventListener("submit", function (e) {
        e.preventDefault();
        error.textContent = "";
        var who = $("unlock-keeper").value;
        var same = who === root.getAttribute("data-keeper");
        var btn = $("unlock-submit");
        btn.disabled = true;
        (same ? Promise.resolve(0) : waiting()).then(function (n) {
            if (n > 0) {
                error.textContent = "还有 " + n + " 条登记待上传：联网上传前只能由当前值守人解锁。";
                return;
            }
            return window.epigrid.api("/api/gates/" + encodeURIComponent(gateId) + "/unlock", { method: "POST", body: JSON.stringify({ userName: who, pin: pin.value }) })
                .then(function (r) {
                    return r.json().catch(function () { return {}; }).then(function (body) {
                        if (r.ok) {
                            keepVerifier(body.userName, pin.value);
                            var meta = document.querySelector('meta[name="csrf-token"]');
                            if (meta && body.csrfToken) { meta.setAttribute("content", body.csrfToken); }
                            root.setAttribute("data-keeper", body.userName);
                            $("keeper-name").textContent = body.displayName;
                            unlock();
                        } else if (body.errors) {
                            error.textContent = Object.keys(body.errors).map(function (k) { return body.errors[k].join("；"); }).join("；");
                        } else {
                            error.textContent = body.detail || body.title || ("解锁失败（" + r.status + "）");
                        }
                        pin.value = "";
                    });
                }, function () {
                    if (!same) { error.textContent = "网络断开：换班解锁需要联网核验。当前值守人可用自己的 PIN 解锁。"; return; }
                    return checkOffline(who, pin.value).then(function (ok) {
                        if (ok === true) { pin.value = ""; unlock(); }
                        else if (ok === false) { error.textContent = "PIN 不正确"; pin.value = ""; }
                        else { error.textContent = "网络断开，暂时无法核验 PIN。请联网后再试。"; }
                    });
                });
        }).then(function () { btn.disabled = false; }, function () { btn.disabled = false; });
    });

    $("save-pin").addEventListener("click", function () {
        var input = $("new-pin");
        $("new-pin-error").textContent = "";
        $("new-pin-ok").textContent = "";
        window.epigrid.api("/api/gates/pin", { method: "PUT", body: JSON.stringify({ pin: input.value }) }).then(function (r) {
            if (r.status === 204) {
                keepVerifier(root.getAttribute("data-keeper"), input.value);
                input.value = "";
                $("new-pin-ok").textContent = "PIN 已保存。锁屏后用它解锁。";
                root.setAttribute("data-has-pin", "true");
                return;
            }
            return r.json().catch(function () { return {}; }).then(function (body) {
                $("new-pin-error").textContent = body.errors && body.errors.pin ? body.errors.pin.join("；") : (body.detail || body.title || String(r.status));
            });
        }, function () { $("new-pin-error").textContent = "网络断开，PIN 未保存"; });
    });

    var wasLocked = false;
    // Locked by this keeper and reloaded: still locked. A fresh sign-in with a password (another name) is not.
    try { wasLocked = localStorage.getItem(KEY) === root.getAttribute("data-keeper"); } catch (e) { /* ignore */ }
    if (wasLocked) { lock(); }
    window.epigrid.gateLock = { lock: lock };
})();
