// Dates in the admin are the Organization's (shown next to the user links), not the
// browser's: drop the "you are N hours ahead of server time" note Django adds under every
// date field, while keeping its "Today" shortcut on the Organization's date.
window.addEventListener("DOMContentLoaded", function () {
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = function () {};
  }
});
