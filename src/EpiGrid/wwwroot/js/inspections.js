// The inspection form: the rectification order is asked for only when an item of the checklist failed.
(function () {
    "use strict";
    var form = document.getElementById("inspection-form");
    if (!form) { return; }
    var box = document.getElementById("rectification");
    function update() {
        var failed = form.querySelector("input.answer[value='Fail']:checked") !== null;
        box.classList.toggle("d-none", !failed);
    }
    form.addEventListener("change", function (e) {
        if (e.target.classList.contains("answer")) { update(); }
    });
    update();
})();
