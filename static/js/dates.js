// A date box takes a typed YYYY-MM-DD; the calendar beside it (hidden without script) fills
// the box, and a date typed in the box moves the calendar.
(function () {
  var ISO = /^\d{4}-\d{2}-\d{2}$/;
  document.querySelectorAll("input.date-picker[data-for]").forEach(function (picker) {
    var box = document.getElementById(picker.getAttribute("data-for"));
    if (!box) return;
    picker.hidden = false;
    picker.addEventListener("change", function () {
      if (picker.value) box.value = picker.value;
    });
    box.addEventListener("input", function () {
      if (ISO.test(box.value)) picker.value = box.value;
    });
  });
})();
