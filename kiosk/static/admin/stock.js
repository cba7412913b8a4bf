// Stock pages: big +/− buttons on the count sheet, and the morning list's print button.
// The pages work without this file: the buttons stay hidden and the numbers are typed.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.step[data-target]")) {
    const input = document.getElementById(button.dataset.target);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const current = Number.parseInt(input.value.trim(), 10);
      const next = (Number.isNaN(current) ? 0 : current) + Number(button.dataset.step);
      input.value = String(Math.max(0, next));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  for (const button of document.querySelectorAll("button.print-button")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
