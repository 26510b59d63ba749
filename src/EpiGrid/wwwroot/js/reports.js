// The daily report and the printable forms: a print button (no inline handlers under the CSP).
(function () {
    "use strict";
    document.querySelectorAll("[data-print]").forEach(function (b) {
        b.addEventListener("click", function () { window.print(); });
    });
})();
