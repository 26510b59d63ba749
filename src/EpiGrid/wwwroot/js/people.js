// Person record: reveal the full numbers, with a reason (audited on the server).
(function () {
    "use strict";
    var btn = document.getElementById("reveal");
    if (!btn) { return; }
    btn.addEventListener("click", function () {
        var reason = window.prompt(btn.getAttribute("data-prompt"));
        if (!reason || !reason.trim()) { return; }
        window.epigrid.api(btn.getAttribute("data-url"), { method: "POST", body: JSON.stringify({ reason: reason.trim() }) })
            .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
            .then(function (v) {
                if (v.idNumber) { document.getElementById("id-number").textContent = v.idNumber; }
                if (v.phone) { document.getElementById("phone").textContent = v.phone; }
                btn.disabled = true;
            })
            .catch(function (status) { window.alert("查看失败（" + status + "）"); });
    });
})();
