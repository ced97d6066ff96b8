// Show only the date input the chosen precision needs (all three stay usable without script).
(function () {
  var form = document.querySelector(".record-progress form");
  if (!form) return;
  function show() {
    var chosen = form.querySelector("input[name=date_precision]:checked");
    ["day", "month", "year"].forEach(function (name) {
      var row = form.querySelector(".field-" + name);
      if (row && chosen) row.hidden = chosen.value !== name;
    });
  }
  form.addEventListener("change", show);
  show();
})();
