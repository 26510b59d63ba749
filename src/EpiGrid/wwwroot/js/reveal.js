// Reveal a protected value in full (a person's ID number and phone, a complainant's phone), with a reason; the server
// checks the right and writes the reveal to the audit log. Each field of the answer replaces the element marked
// data-revealed="<field>".
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
                Object.keys(v).forEach(function (field) {
                    var el = document.querySelector("[data-revealed='" + field + "']");
                    if (el && v[field]) { el.textContent = v[field]; }
                });
                btn.disabled = true;
            })
            .catch(function (status) { window.alert("查看失败（" + status + "）"); });
    });
})();
