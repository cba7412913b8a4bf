// The cash pages: − and + next to every note and coin with a running total, and a print button.
// Without JavaScript the counts are plain number fields and the browser's own print still works.
(function () {
  "use strict";

  var MAX_COUNT = 9999;

  function countOf(input) {
    var text = input.value.trim();
    return /^[0-9]+$/.test(text) ? Math.min(parseInt(text, 10), MAX_COUNT) : 0;
  }

  // Belgian notation from whole cents, as the pages write amounts: "1.250,50 €".
  function euro(cents) {
    var euros = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = String(cents % 100).padStart(2, "0");
    return euros + "," + rest + " €";
  }

  function setUpCount(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[data-cents]"));
    var total = document.getElementById("cash-count-total");
    function update() {
      var cents = inputs.reduce(function (sum, input) {
        return sum + countOf(input) * parseInt(input.dataset.cents, 10);
      }, 0);
      total.value = euro(cents);
    }
    form.querySelectorAll("button[data-step]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("aria-controls"));
      button.hidden = false;
      button.addEventListener("click", function () {
        var step = parseInt(button.dataset.step, 10);
        input.value = String(Math.max(0, Math.min(MAX_COUNT, countOf(input) + step)));
        update();
      });
    });
    form.addEventListener("input", update);
    total.parentElement.hidden = false;
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.cash-count");
    if (form) {
      setUpCount(form);
    }
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  });
})();
