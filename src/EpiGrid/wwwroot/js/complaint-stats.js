// Complaint statistics (C2): draws the charts from the figures the page puts in data-stats (no inline script: CSP).
(function () {
    "use strict";
    var root = document.getElementById("complaint-stats");
    if (!root || typeof Chart === "undefined") { return; }
    var s = JSON.parse(root.getAttribute("data-stats"));
    var L = JSON.parse(root.getAttribute("data-labels"));
    var red = "#c62828", grey = "#adb5bd";
    var palette = ["#1565c0", "#c62828", "#ef6c00", "#2e7d32", "#6a1b9a"];
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = { duration: 300 };

    function drawn(canvas, chart) { canvas.setAttribute("data-drawn", String(chart.data.labels.length)); return chart; }
    function short(d) { return d.slice(5); }

    // Every day of both periods, the earlier period in grey, so that a fall like 80 → 5 a day is plain at a glance.
    var daily = document.getElementById("chart-daily");
    var before = s.comparison.perDay, now = s.perDay;
    var dayLabels = before.map(function (d) { return short(d.date); }).concat(now.map(function (d) { return short(d.date); }));
    drawn(daily, new Chart(daily, {
        type: "bar",
        data: {
            labels: dayLabels,
            datasets: [
                { label: L.before, data: before.map(function (d) { return d.count; }).concat(now.map(function () { return null; })), backgroundColor: grey },
                { label: L.now, data: before.map(function () { return null; }).concat(now.map(function (d) { return d.count; })), backgroundColor: red }
            ]
        },
        options: {
            maintainAspectRatio: false,
            scales: { x: { stacked: true }, y: { beginAtZero: true, title: { display: true, text: L.perDay } } },
            plugins: { legend: { position: "bottom" } }
        }
    }));

    var compare = document.getElementById("chart-compare");
    drawn(compare, new Chart(compare, {
        type: "bar",
        data: {
            labels: [L.before, L.now],
            datasets: [{ label: L.average, data: [s.comparison.perDayAverage, s.perDayAverage], backgroundColor: [grey, red] }]
        },
        options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } }, plugins: { legend: { display: false } } }
    }));

    function stacked(id, series, names) {
        var canvas = document.getElementById(id);
        var keys = Object.keys(series);
        drawn(canvas, new Chart(canvas, {
            type: "bar",
            data: {
                labels: now.map(function (d) { return short(d.date); }),
                datasets: keys.map(function (k, i) { return { label: names[k] || k, data: series[k], backgroundColor: palette[i % palette.length] }; })
            },
            options: {
                maintainAspectRatio: false,
                scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
                plugins: { legend: { position: "bottom" } }
            }
        }));
    }
    stacked("chart-channel", s.perDayByChannel, L.channels);
    stacked("chart-category", s.perDayByCategory, L.categories);
})();
