// The leaders' dashboard: draws GET /api/dashboard's figures, the trend (Chart.js) and the compound map (Leaflet),
// and refetches when the live hub says something changed (a "refresh" after any change in the user's scope, or an alert).
(function () {
    "use strict";
    var root = document.getElementById("dashboard");
    if (!root) { return; }
    var labels = JSON.parse(root.getAttribute("data-labels"));
    var data = JSON.parse(root.getAttribute("data-json"));
    var days = 14;
    var chart = null, map = null, layer = null, fitted = false;
    var colours = ["#adb5bd", "#ffc107", "#fd7e14", "#dc3545"];

    function get(obj, path) {
        return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
    }
    function time(iso) { return iso ? iso.substring(0, 16).replace("T", " ") : ""; }
    function num(n) { return typeof n === "number" ? n.toLocaleString("zh-CN") : n; }

    function fields() {
        document.querySelectorAll("[data-f]").forEach(function (el) {
            var v = get(data, el.getAttribute("data-f"));
            var fmt = el.getAttribute("data-fmt");
            el.textContent = fmt === "time" ? time(v) : fmt === "pct" ? (v * 100).toFixed(1) + "%" : num(v);
        });
    }

    function categories() {
        var box = document.getElementById("dash-categories");
        box.textContent = "";
        Object.keys(labels.categories).forEach(function (k) {
            var span = document.createElement("span");
            span.className = "badge text-bg-light border fs-6 fw-normal";
            span.setAttribute("data-category", k);
            span.textContent = labels.categories[k] + " " + num(data.underWatch[k] || 0);
            box.appendChild(span);
        });
    }

    function gaps() {
        var ul = document.getElementById("dash-gaps");
        ul.textContent = "";
        if (data.gaps.length === 0) {
            var ok = document.createElement("li");
            ok.className = "text-success list-unstyled";
            ok.textContent = "✔ " + labels.noGaps;
            ul.appendChild(ok);
        }
        data.gaps.forEach(function (g) {
            var li = document.createElement("li");
            li.className = "text-danger";
            var a = document.createElement("a");
            a.href = "/Command#matrix";
            a.className = "link-danger";
            a.textContent = g.community + " · " + g.compound;
            li.appendChild(a);
            ul.appendChild(li);
        });
    }

    function report() {
        var body = document.querySelector("#dash-report tbody");
        body.textContent = "";
        var keys = Object.keys(labels.columns);
        (data.rows || []).concat(data.totals ? [data.totals] : []).forEach(function (r, i, all) {
            var tr = document.createElement("tr");
            var total = i === all.length - 1 && data.totals;
            if (total) { tr.className = "fw-bold table-light"; }
            var th = document.createElement("th");
            th.textContent = total ? labels.total : r.areaName;
            tr.appendChild(th);
            keys.forEach(function (k) {
                var td = document.createElement("td");
                td.className = "text-end" + (r[k] === 0 ? " text-muted" : "");
                td.setAttribute("data-key", k);
                td.textContent = num(r[k]);
                tr.appendChild(td);
            });
            body.appendChild(tr);
        });
    }

    function trend() {
        if (!window.Chart) { return; }
        var t = data.trends;
        var n = t.dates.length;
        var from = Math.max(0, n - days);
        var sets = [["newPeople", "#0d6efd"], ["gateFever", "#dc3545"], ["complaints", "#fd7e14"], ["visits", "#198754"]];
        var series = { newPeople: t.newPeople, gateFever: t.gateFever, complaints: t.complaints, visits: t.visitedHouseholds };
        var config = {
            labels: t.dates.slice(from).map(function (d) { return d.substring(5); }),
            datasets: sets.map(function (s) {
                return { label: labels[s[0]], data: series[s[0]].slice(from), borderColor: s[1], backgroundColor: s[1], tension: 0.2 };
            })
        };
        if (chart) { chart.data = config; chart.update("none"); return; }
        chart = new Chart(document.getElementById("dash-trend"), {
            type: "line", data: config,
            options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
        });
    }

    function drawMap() {
        if (!window.L) { return; }
        if (!map) {
            map = L.map("dash-map", { attributionControl: !!data.tileUrl, zoomSnap: 0.25 });
            if (data.tileUrl) { L.tileLayer(data.tileUrl, { maxZoom: 19 }).addTo(map); }
            var legend = document.getElementById("dash-map-legend");
            labels.levels.forEach(function (name, i) {
                var s = document.createElement("span");
                s.className = "me-3 map-level map-level-" + i;
                s.textContent = "■ " + name;
                legend.appendChild(s);
            });
            var alert = document.createElement("span");
            alert.className = "text-danger";
            alert.textContent = "▢ " + labels.openAlerts;
            legend.appendChild(alert);
        }
        if (layer) { layer.remove(); }
        layer = L.layerGroup().addTo(map);
        var bounds = [];
        data.map.forEach(function (c) {
            if (!c.outline) { return; }
            var shape = L.geoJSON(JSON.parse(c.outline), {
                style: {
                    color: c.openAlerts > 0 ? "#dc3545" : "#495057", weight: c.openAlerts > 0 ? 3 : 1,
                    fillColor: colours[c.level], fillOpacity: 0.6
                }
            });
            shape.bindTooltip(c.community + " · " + c.name + "：" + labels.underWatch + " " + num(c.underWatch)
                + (c.openAlerts > 0 ? "，" + labels.openAlerts + " " + c.openAlerts : ""));
            shape.addTo(layer);
            bounds.push(shape.getBounds());
        });
        if (!fitted && bounds.length > 0) {
            var all = bounds[0];
            bounds.forEach(function (b) { all = all.extend(b); });
            map.fitBounds(all, { padding: [8, 8] });
            fitted = true;
        }
    }

    function render() {
        fields();
        categories();
        gaps();
        report();
        trend();
        drawMap();
        root.setAttribute("data-rendered", data.asOf);
    }

    document.querySelectorAll("[data-days]").forEach(function (b) {
        b.addEventListener("click", function () {
            days = parseInt(b.getAttribute("data-days"), 10);
            document.querySelectorAll("[data-days]").forEach(function (x) { x.classList.toggle("active", x === b); });
            trend();
        });
    });

    // While the server says the figures are stale (X-Dashboard-Stale: newer ones are being computed), ask again shortly.
    var pending = null;
    var staleTries = 0;
    function refetch(delay) {
        if (pending) { return; }
        pending = setTimeout(function () {
            pending = null;
            fetch("/api/dashboard", { credentials: "same-origin", headers: { Accept: "application/json" } })
                .then(function (r) {
                    var stale = r.ok && r.headers.get("X-Dashboard-Stale") === "true";
                    if (r.ok) { root.setAttribute("data-stale", stale ? "true" : "false"); }
                    if (stale && staleTries < 50) { staleTries++; setTimeout(function () { refetch(400); }, 0); } else { staleTries = 0; }
                    return r.ok ? r.json() : null;
                })
                .then(function (d) { if (d) { data = d; render(); } })
                .catch(function () { /* the next change or the minute timer tries again */ });
        }, typeof delay === "number" ? delay : 300);
    }

    render();
    if (root.getAttribute("data-stale") === "true") { refetch(400); }
    setInterval(function () { refetch(); }, 60000);
    if (window.signalR) {
        var connection = new signalR.HubConnectionBuilder().withUrl("/hubs/live").withAutomaticReconnect().build();
        connection.on("refresh", function () { refetch(); });
        connection.on("alert", function () { refetch(); });
        connection.onreconnected(function () { refetch(); });
        connection.start().then(function () {
            document.getElementById("dash-live").hidden = false;
            root.setAttribute("data-connected", "true");
        }).catch(function () { /* figures still refresh each minute */ });
    }
})();
