// The gate page (卡口登记): one screen, temperature first, one tap to register, ready for the next passer at once.
// window.epigrid.gate.post(gateId, pass) is the one place a pass leaves the page: an offline queue (G2) wraps it.
(function () {
    "use strict";
    var root = document.getElementById("gate");
    if (!root) { return; }
    var gateId = root.getAttribute("data-gate-id");
    var closed = root.getAttribute("data-closed") === "true";
    var $ = function (id) { return document.getElementById(id); };
    var form = $("pass-form"), temp = $("temperature"), status = $("gate-status");
    var q = $("resident-q"), hits = $("resident-hits"), chosenBox = $("resident-chosen");
    var fever = $("fever-screen");
    var chosen = null, searchTimer = null, busy = false, card = null, resetHooks = [];

    function uuid() {
        if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
        var b = new Uint8Array(16); window.crypto.getRandomValues(b);
        b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
        var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
        return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
    }

    // Decimal comparison in tenths: 37.3 is fever, 37.2 is not (never a float comparison).
    function tenths(text) {
        var m = /^\s*(\d{2})(?:\.(\d))?\s*$/.exec(text || "");
        return m ? parseInt(m[1], 10) * 10 + (m[2] ? parseInt(m[2], 10) : 0) : null;
    }
    var FEVER = 373;

    var api = {
        newClientId: uuid,
        /** Posts one pass; resolves to { status, body }; rejects on a network failure. */
        post: function (id, pass) {
            return window.epigrid.api("/api/gates/" + encodeURIComponent(id) + "/passes", { method: "POST", body: JSON.stringify(pass) })
                .then(function (r) {
                    return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
                });
        },
        findResidents: function (id, text) {
            return window.epigrid.api("/api/gates/" + encodeURIComponent(id) + "/residents?q=" + encodeURIComponent(text))
                .then(function (r) { return r.ok ? r.json() : []; });
        }
    };
    window.epigrid.gate = api;
    // Pass cards (gate-cards.js): a scanned card picks a member of its household; the pass names the card.
    api.gateId = gateId;
    api.chooseResident = function (r, fromCard) { card = fromCard || null; choose(r); };
    api.onReset = function (f) { resetHooks.push(f); };
    api.say = function (kind, text) { say(kind, text); };

    function who() { return form.querySelector("input[name=who]:checked").value; }
    function direction() { return form.querySelector("input[name=direction]:checked").value; }

    function clearErrors() {
        form.querySelectorAll("[data-error-for]").forEach(function (s) { s.textContent = ""; });
        form.querySelectorAll(".is-invalid").forEach(function (e) { e.classList.remove("is-invalid"); });
    }
    function showErrors(errors) {
        Object.keys(errors || {}).forEach(function (k) {
            var span = form.querySelector('[data-error-for="' + k + '"]') || form.querySelector('[data-error-for="personId"]');
            if (span) { span.textContent = (errors[k] || []).join("；"); }
        });
    }
    function say(kind, text) {
        status.className = "gate-status alert alert-" + kind;
        status.textContent = text;
    }

    function markTemp() {
        var t = tenths(temp.value);
        temp.classList.toggle("gate-temp-fever", t !== null && t >= FEVER);
    }
    temp.addEventListener("input", markTemp);

    function switchWho() {
        var visitor = who() === "visitor";
        $("visitor-part").classList.toggle("d-none", !visitor);
        $("resident-part").classList.toggle("d-none", visitor);
    }
    form.querySelectorAll("input[name=who]").forEach(function (r) { r.addEventListener("change", switchWho); });
    function switchDirection() {
        if (closed) { $("approval-part").classList.toggle("d-none", direction() !== "Out"); }
    }
    form.querySelectorAll("input[name=direction]").forEach(function (r) { r.addEventListener("change", switchDirection); });

    function choose(r) {
        chosen = r;
        hits.innerHTML = "";
        chosenBox.classList.remove("d-none");
        chosenBox.textContent = "";
        var strong = document.createElement("strong");
        strong.textContent = r.name;
        chosenBox.appendChild(strong);
        chosenBox.appendChild(document.createTextNode(" " + r.home + " " + (r.idNumberMasked || "") + " " + (r.phoneMasked || "")));
        if (r.underQuarantine) {
            var b = document.createElement("span");
            b.className = "badge text-bg-danger ms-1";
            b.textContent = "观察/隔离中";
            chosenBox.appendChild(b);
        }
        var again = document.createElement("button");
        again.type = "button";
        again.className = "btn btn-sm btn-link";
        again.textContent = "重选";
        again.addEventListener("click", function () { unchoose(); q.focus(); });
        chosenBox.appendChild(again);
    }
    function unchoose() {
        chosen = null;
        card = null;
        chosenBox.classList.add("d-none");
        chosenBox.textContent = "";
    }
    function renderHits(list) {
        hits.innerHTML = "";
        if (list.length === 0) {
            var none = document.createElement("div");
            none.className = "list-group-item text-muted small";
            none.textContent = "没有找到。请换个条件，或按访客登记。";
            hits.appendChild(none);
            return;
        }
        list.forEach(function (r) {
            var b = document.createElement("button");
            b.type = "button";
            b.className = "list-group-item list-group-item-action resident-hit";
            b.textContent = r.name + "　" + r.home + "　" + (r.idNumberMasked || "") + " " + (r.phoneMasked || "") + (r.underQuarantine ? "　【观察/隔离中】" : "");
            if (r.underQuarantine) { b.classList.add("list-group-item-danger"); }
            b.addEventListener("click", function () { choose(r); });
            hits.appendChild(b);
        });
    }
    q.addEventListener("input", function () {
        unchoose();
        clearTimeout(searchTimer);
        var text = q.value.trim();
        if (!text) { hits.innerHTML = ""; return; }
        searchTimer = setTimeout(function () {
            api.findResidents(gateId, text).then(function (list) { if (q.value.trim() === text) { renderHits(list); } })
                .catch(function () { say("warning", "网络异常，查找失败"); });
        }, 250);
    });
    q.addEventListener("keydown", function (e) {
        // Enter picks the only hit.
        if (e.key === "Enter") {
            e.preventDefault();
            var only = hits.querySelectorAll(".resident-hit");
            if (only.length === 1) { only[0].click(); }
        }
    });

    function reset() {
        temp.value = "";
        markTemp();
        ["v-name", "v-phone", "v-id", "v-from", "v-to", "plate", "approval"].forEach(function (id) { $(id).value = ""; });
        q.value = "";
        hits.innerHTML = "";
        unchoose();
        clearErrors();
        resetHooks.forEach(function (f) { f(); });
        temp.focus();
    }

    function showFever(t, name, visitor, queued) {
        $("fever-title").textContent = "体温 " + t + "℃ 发热！" + (name ? "（" + name + "）" : "");
        $("fever-do").textContent = (queued ? "网络断开，登记已暂存，联网后自动上报。请立即电话通知网格员。" : "") + (visitor
            ? "访客禁止进入（已记为劝返）。请劝其戴好口罩前往发热门诊，已向网格员和领导报警。"
            : "已登记并上报网格员和领导。请让其戴好口罩、原地等候，由网格员陪同送发热门诊，不得自行离开。");
        fever.classList.remove("d-none");
        document.body.classList.add("fever-active");
        $("fever-next").focus();
    }
    $("fever-next").addEventListener("click", function () {
        fever.classList.add("d-none");
        document.body.classList.remove("fever-active");
        temp.focus();
    });

    form.addEventListener("submit", function (e) {
        e.preventDefault();
        if (busy) { return; }
        clearErrors();
        var t = tenths(temp.value);
        if (t === null) {
            form.querySelector('[data-error-for="temperature"]').textContent = "请输入体温，如 36.5";
            temp.focus();
            return;
        }
        var visitor = who() === "visitor";
        var pass = { clientId: api.newClientId(), direction: direction(), temperature: t / 10, takenAt: new Date().toISOString() };
        if (visitor) {
            pass.visitor = { name: $("v-name").value, phone: $("v-phone").value, idNumber: $("v-id").value, from: $("v-from").value || null, to: $("v-to").value || null };
        } else if (chosen) {
            pass.personId = chosen.id;
            if (card) { pass.passCardId = card.cardId; }
        } else {
            form.querySelector('[data-error-for="personId"]').textContent = "请先查找并选择居民，或改为访客登记";
            q.focus();
            return;
        }
        if ($("plate").value.trim()) { pass.plate = $("plate").value; }
        if ($("approval").value.trim()) { pass.approvalReason = $("approval").value; }
        var name = visitor ? pass.visitor.name : chosen.name;
        var tText = (t / 10).toFixed(1);
        busy = true;
        $("pass-submit").disabled = true;
        send(pass, name).then(function (res) {
            if (res.notQueued) {
                // No WebCrypto (not HTTPS): a visitor's details or a fever are not kept on the phone in clear. The form stays filled.
                say(t >= FEVER ? "danger" : "warning", "未登记：网络断开，且本页不是安全连接（HTTPS），访客、车牌、审批事由和体温异常的登记不能加密暂存在手机上。请联网后再登记，或先做纸质登记" +
                    (t >= FEVER ? "，并立即电话上报体温异常。" : "。"));
            } else if (res.queued) {
                // Kept on the phone: the fever screen still shows at once (the alert goes when the pass is sent).
                if (t >= FEVER) { showFever(tText, name, visitor, true); }
                say(t >= FEVER ? "danger" : "info", (res.busy ? "已暂存（服务器繁忙，稍后自动上传）：" : "已暂存（网络断开，联网后自动上传）：") + name + " " + (pass.direction === "In" ? "进" : "出") + " " + tText + "℃");
                reset();
            } else if (res.status === 201 || res.status === 200) {
                var b = res.body;
                if (b.fever) {
                    showFever(tText, name, visitor);
                    say("danger", "已登记：" + name + " " + tText + "℃ 发热" + (b.outcome === "Refused" ? "，已劝返" : ""));
                } else if (b.quarantineBreach) {
                    say("danger", "已登记：" + name + "。此人正在观察/隔离期，已报警，请劝其返回并等候网格员。");
                } else {
                    say("success", "已登记：" + name + " " + (pass.direction === "In" ? "进" : "出") + " " + tText + "℃");
                }
                reset();
            } else if (res.status === 400 && res.body && res.body.errors) {
                showErrors(res.body.errors);
                say("warning", "未登记：请按提示修改");
            } else if (res.status === 401 || res.status === 400) {
                say("warning", "登录已过期，请重新登录后再登记");
            } else if (res.status === 409) {
                say("warning", "未登记：" + ((res.body && (res.body.detail || res.body.title)) || res.status));
            } else {
                say("warning", "未登记（" + res.status + "），请重试");
            }
        }).catch(function () {
            say("warning", "未能保存，请重试");
        }).then(function () {
            busy = false;
            $("pass-submit").disabled = false;
        });
    });

    // One pass leaves the page: sent now when the network is up and nothing waits before it, else kept in the
    // offline queue (IndexedDB). A network failure or a server error (5xx) keeps it too; it is sent again later.
    var queue = window.epigrid.gateQueue;
    var waitingCount = 0;
    function send(pass, name) {
        if (!queue) { return api.post(gateId, pass); }
        var keep = function (busy) {
            return queue.add(gateId, pass, name).then(function () { return { queued: true, busy: busy === true }; }, function (e) {
                if (e && e.notQueued) { return { notQueued: true }; }
                throw e;
            });
        };
        if (!navigator.onLine || waitingCount > 0) {
            return keep().then(function (r) {
                queue.flush();
                // Not queued (nothing to wait behind it then): try the network once before saying no.
                return r.notQueued && navigator.onLine ? api.post(gateId, pass) : r;
            });
        }
        return api.post(gateId, pass).then(function (res) {
            // 503: the server sheds load (its writer's queue is full); the pass waits on the phone like an offline one.
            return res.status >= 500 ? keep(res.status === 503) : res;
        }, function () { return keep(); });
    }

    function renderQueue(items) {
        var badge = $("queue-badge"), list = $("queue-rejected");
        if (!badge) { return; }
        var waiting = items.filter(function (i) { return i.state === "waiting"; });
        var rejected = items.filter(function (i) { return i.state === "rejected"; });
        waitingCount = waiting.length;
        badge.textContent = badge.getAttribute("data-text").replace("{0}", String(waiting.length));
        badge.classList.toggle("d-none", waiting.length === 0);
        list.textContent = "";
        list.classList.toggle("d-none", rejected.length === 0);
        rejected.forEach(function (i) {
            var row = document.createElement("div");
            row.className = "alert alert-danger py-1 px-2 mb-1 small d-flex justify-content-between align-items-center";
            var text = document.createElement("span");
            text.textContent = "未能上传：" + i.name + " " + ((i.pass && i.pass.temperature) || "") + "℃ — " + i.error;
            var drop = document.createElement("button");
            drop.type = "button";
            drop.className = "btn btn-sm btn-outline-danger ms-2";
            drop.textContent = "知道了，删除";
            drop.addEventListener("click", function () { queue.remove(i.clientId); });
            row.appendChild(text);
            row.appendChild(drop);
            list.appendChild(row);
        });
    }
    if (queue) {
        queue.onChange(renderQueue);
        queue.flush();
        // Without WebCrypto (not HTTPS) the page says what it will not keep when the network drops.
        if (!queue.secure && $("queue-insecure")) { $("queue-insecure").classList.remove("d-none"); }
    }

    // The service worker keeps this page loadable offline (secure contexts only: localhost or HTTPS). The page keeps
    // itself and the files it uses in the cache now, since the worker only sees the requests of later visits.
    if ("serviceWorker" in navigator && window.isSecureContext) {
        navigator.serviceWorker.register("/gate-sw.js", { scope: "/Gates" }).then(function () {
            if (!window.caches) { return; }
            var urls = [location.href];
            document.querySelectorAll("script[src]").forEach(function (s) { urls.push(s.src); });
            document.querySelectorAll("link[rel=stylesheet][href]").forEach(function (l) { urls.push(l.href); });
            urls.push("/lib/bootstrap-icons/fonts/bootstrap-icons.woff2?e34853135f9e39acf64315236852cd5a");
            return caches.open("epigrid-gate-v1").then(function (c) {
                return Promise.all(urls.map(function (u) {
                    return fetch(u, { credentials: "same-origin" }).then(function (r) {
                        if (r.ok && !r.redirected) { return c.put(u, r); }
                    }).catch(function () { /* offline now: the cached copy stays */ });
                }));
            });
        }).then(function () { root.setAttribute("data-offline-ready", "true"); })
            .catch(function () { /* no worker: the page still works online */ });
    }

    switchWho();
    switchDirection();
    temp.focus();
})();
