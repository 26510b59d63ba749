// Supplies: one tap adds an item to the list; the household link is copied with one tap.
(function () {
    "use strict";
    document.addEventListener("click", function (e) {
        var chip = e.target.closest(".item-chip");
        if (chip) {
            var input = document.getElementById(chip.getAttribute("data-target"));
            if (!input) { return; }
            var item = chip.getAttribute("data-item");
            var list = input.value.split(/[、,，;；]/).map(function (s) { return s.trim(); }).filter(function (s) { return s.length > 0; });
            if (list.indexOf(item) < 0) { list.push(item); }
            input.value = list.join("、");
            return;
        }
        var copy = e.target.closest(".copy-link");
        if (copy) {
            var field = document.getElementById(copy.getAttribute("data-target"));
            if (!field) { return; }
            field.select();
            if (navigator.clipboard) { navigator.clipboard.writeText(field.value).catch(function () { /* selected: the user can copy */ }); }
            copy.classList.add("btn-success");
        }
    });
})();
