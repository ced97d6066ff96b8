// "Add a deadline" adds a blank row in place (without script the button asks the server).
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".import-add-deadline");
    if (!button) return;
    var box = button.closest(".import-deadlines");
    var rows = box.querySelectorAll("fieldset.import-deadline");
    var count = box.parentNode.querySelector("input[name$='-deadline_count']");
    if (!rows.length || !count) return; // the server adds the first row
    event.preventDefault();
    var number = parseInt(count.value || "0", 10);
    var row = rows[rows.length - 1].cloneNode(true);
    var from = new RegExp("-dl-\\d+-", "g");
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replace(from, "-dl-" + number + "-"));
      });
      if (el.matches("input[type=text]")) el.value = "";
      if (el.matches("input[type=checkbox]")) el.checked = false;
      if (el.matches("select")) el.selectedIndex = 0;
    });
    row.querySelectorAll(".errorlist").forEach(function (el) { el.remove(); });
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = legend.textContent.replace(/\d+/, String(rows.length + 1));
    button.parentNode.insertBefore(row, button);
    count.value = String(number + 1);
    row.querySelector("select, input").focus();
  });
})();
