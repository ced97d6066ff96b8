// On a phone the filter form starts folded (its summary says how many filters are active), so
// that the first results show without scrolling past it; wider screens keep it open. Without
// script it stays open everywhere.
(function () {
  var box = document.querySelector("details.filters-box");
  if (box && window.matchMedia("(max-width: 40rem)").matches) box.open = false;
})();
