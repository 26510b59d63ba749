// Live alerts: every page of a user who may read alerts listens on /hubs/live; a new alert flashes at the top,
// with a short tone, and stays until dismissed. (The sign-in cookie authenticates the connection.)
(function () {
    "use strict";
    if (!window.signalR) { return; }
    var box = document.getElementById("live-alerts");
    if (!box) { return; }
    var kinds = { Fever: "发热", QuarantineBreach: "违反隔离", Escalation: "核查升级", Overdue: "超时", ExportVolume: "异常导出", AuditChain: "审计链" };

    function beep() {
        try {
            var Ctx = window.AudioContext || window.webkitAudioContext;
            if (!Ctx) { return; }
            var ctx = new Ctx();
            if (ctx.state === "suspended") { return; } // no sound before the user has touched the page
            var o = ctx.createOscillator();
            var g = ctx.createGain();
            o.frequency.value = 880;
            o.connect(g); g.connect(ctx.destination);
            g.gain.setValueAtTime(0.2, ctx.currentTime);
            o.start(); o.stop(ctx.currentTime + 0.4);
        } catch (e) { /* sound is a courtesy */ }
    }

    function show(a) {
        var div = document.createElement("div");
        div.className = "alert alert-danger live-alert d-flex justify-content-between align-items-start" + (a.escalated ? " escalated" : "");
        div.setAttribute("role", "alert");
        div.setAttribute("data-alert-id", a.id);
        var text = document.createElement("div");
        var strong = document.createElement("strong");
        strong.textContent = (a.escalated ? "【升级】" : "") + (kinds[a.kind] || a.kind) + "预警";
        text.appendChild(strong);
        text.appendChild(document.createTextNode(" " + a.subject));
        if (a.personId) {
            var link = document.createElement("a");
            link.href = "/People/Detail/" + a.personId;
            link.className = "alert-link ms-2";
            link.textContent = "查看";
            text.appendChild(link);
        }
        var close = document.createElement("button");
        close.type = "button";
        close.className = "btn-close";
        close.setAttribute("aria-label", "关闭");
        close.addEventListener("click", function () { div.remove(); });
        div.appendChild(text);
        div.appendChild(close);
        box.prepend(div);
        beep();
    }

    // WebSockets straight away, no negotiate round-trip: behind a load balancer the negotiate and the connection could
    // land on different nodes, and this way no sticky sessions are needed (ADR-014).
    var connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/live", { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
        .withAutomaticReconnect().build();
    connection.on("alert", show);
    connection.start().then(function () { box.setAttribute("data-connected", "true"); }).catch(function () { /* the page works without live updates */ });
})();
