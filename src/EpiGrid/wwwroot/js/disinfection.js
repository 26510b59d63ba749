// The plan form: one tap adds a compound or key place to the places; compounds of other communities are hidden.
(function () {
    "use strict";
    var input = document.getElementById("Input_Places");
    var area = document.getElementById("Input_AreaId");
    if (!input) { return; }
    document.addEventListener("click", function (e) {
        var chip = e.target.closest(".place-chip");
        if (!chip) { return; }
        var place = chip.getAttribute("data-place");
        var list = input.value.split(/[、,，;；]/).map(function (s) { return s.trim(); }).filter(function (s) { return s.length > 0; });
        if (list.indexOf(place) < 0) { list.push(place); }
        input.value = list.join("、");
    });
    function filterChips() {
        if (!area) { return; }
        var selected = area.options[area.selectedIndex];
        var id = area.value;
        var kind = selected ? selected.getAttribute("data-kind") : "";
        document.querySelectorAll(".place-chip[data-parent]").forEach(function (chip) {
            var show = id !== "" && (kind === "Community" || kind === "Village") && chip.getAttribute("data-parent") === id;
            chip.classList.toggle("d-none", !show);
        });
    }
    if (area) { area.addEventListener("change", filterChips); }
    filterChips();
})();
