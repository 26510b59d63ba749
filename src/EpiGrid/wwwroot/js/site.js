// EpiGrid pages: no inline script (CSP). Behaviour is wired here by data attributes.
(function () {
    "use strict";
    // Rows that open a record: <tr data-href="/x/1">.
    document.addEventListener("click", function (e) {
        var row = e.target.closest("tr[data-href]");
        if (row && !e.target.closest("a,button,input,select,label")) { window.location.href = row.getAttribute("data-href"); }
    });
    // Buttons that ask first: <button data-confirm="...">.
    document.addEventListener("submit", function (e) {
        var btn = e.submitter;
        var msg = (btn && btn.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
        if (msg && !window.confirm(msg)) { e.preventDefault(); }
    });
    // The app's own calls to /api send the antiforgery token with the sign-in cookie.
    var meta = document.querySelector('meta[name="csrf-token"]');
    window.epigrid = {
        api: function (url, options) {
            options = options || {};
            options.headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
            if (meta) { options.headers["RequestVerificationToken"] = meta.getAttribute("content"); }
            options.credentials = "same-origin";
            return fetch(url, options);
        }
    };
})();
