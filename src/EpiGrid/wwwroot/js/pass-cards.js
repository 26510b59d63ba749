// Pass cards: the print button of a freshly issued card.
(function () {
    "use strict";
    document.querySelectorAll("[data-print]").forEach(function (b) {
        b.addEventListener("click", function () { window.print(); });
    });
})();
