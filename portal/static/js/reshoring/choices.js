// A long checkbox list (templates/macros/choices.html) gets a search box that hides the choices
// that do not match what is typed; chosen ones always stay visible. Without this script the
// whole list is shown and scrolls.
(function () {
  "use strict";
  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("input[data-filter-for]").forEach(function (input) {
    var list = document.getElementById(input.dataset.filterFor);
    var count = document.querySelector('[data-count-for="' + input.dataset.filterFor + '"]');
    if (!list) { return; }
    input.closest(".choice-search").hidden = false;
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    function apply() {
      var wanted = normalise(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var match = !wanted || box.checked || normalise(item.textContent).indexOf(wanted) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = wanted ? shown + " / " + items.length : ""; }
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter in the filter must not send the form
    });
  });
})();
