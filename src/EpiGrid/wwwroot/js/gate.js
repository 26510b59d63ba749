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
    var chosen = null, searchTimer = null, busy = false;

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
        temp.focus();
    }

    function showFever(t, name, visitor) {
        $("fever-title").textContent = "体温 " + t + "℃ 发热！" + (name ? "（" + name + "）" : "");
        $("fever-do").textContent = visitor
            ? "访客禁止进入（已记为劝返）。请劝其戴好口罩前往发热门诊，已向网格员和领导报警。"
            : "已登记并上报网格员和领导。请让其戴好口罩、原地等候，由网格员陪同送发热门诊，不得自行离开。";
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
        api.post(gateId, pass).then(function (res) {
            if (res.status === 201 || res.status === 200) {
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
            } else if (res.status === 400) {
                showErrors(res.body.errors);
                say("warning", "未登记：请按提示修改");
            } else if (res.status === 401) {
                say("warning", "登录已过期，请重新登录后再登记");
            } else {
                say("warning", "未登记（" + res.status + "），请重试");
            }
        }).catch(function () {
            say("warning", "网络异常，未登记，请重试");
        }).then(function () {
            busy = false;
            $("pass-submit").disabled = false;
        });
    });

    switchWho();
    switchDirection();
    temp.focus();
})();
