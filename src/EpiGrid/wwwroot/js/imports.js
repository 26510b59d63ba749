// The import's progress bar: polls GET /api/imports/{id} (the import's state is in the database, so any node answers)
// until it is Completed or Failed, then reloads the page to show the errors, differences and people to place.
(function () {
    "use strict";
    var live = document.getElementById("import-live");
    if (!live) { return; }
    var id = live.getAttribute("data-id");
    var bar = document.getElementById("import-progress");
    var text = document.getElementById("import-progress-text");
    var counts = { total: "count-total", imported: "count-imported", matched: "count-matched", rejected: "count-rejected", unplaced: "count-unplaced" };

    function show(s) {
        var pct = Math.round((s.progress || 0) * 100);
        bar.value = pct;
        bar.textContent = pct + "%";
        text.textContent = live.getAttribute("data-processed").replace("{0}", (s.processedRows || 0).toLocaleString());
        Object.keys(counts).forEach(function (k) {
            var el = document.getElementById(counts[k]);
            if (el) { el.textContent = (s[k] || 0).toLocaleString(); }
        });
    }

    function poll() {
        fetch("/api/imports/" + id, { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (s) {
                if (!s) { setTimeout(poll, 3000); return; }
                show(s);
                if (s.status === "Completed" || s.status === "Failed") {
                    text.textContent = live.getAttribute("data-done");
                    setTimeout(function () { window.location.reload(); }, 400);
                    return;
                }
                setTimeout(poll, 700);
            })
            .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
})();
