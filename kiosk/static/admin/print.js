// Back-office reports: show the print button only where scripts run, and print the page with it.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
