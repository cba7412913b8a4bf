// The delivery form: "Regel toevoegen" adds an empty row in place, without a round trip.
// Without scripts the same button posts the form and the server adds the row (nothing typed is lost).
const body = document.querySelector("[data-delivery-lines]");
const button = document.querySelector("[data-add-line]");
if (body && button) {
  button.addEventListener("click", (event) => {
    const rows = body.querySelectorAll("tr");
    const last = rows[rows.length - 1];
    if (!last) return;
    event.preventDefault();
    const index = rows.length;
    const row = last.cloneNode(true);
    const renumber = (text) => text.replace(/lines-\d+-/g, `lines-${index}-`);
    for (const element of row.querySelectorAll("[id], [for], [name], [aria-describedby]")) {
      for (const name of ["id", "for", "name", "aria-describedby"]) {
        const value = element.getAttribute(name);
        if (value) element.setAttribute(name, renumber(value));
      }
    }
    for (const label of row.querySelectorAll("label")) {
      label.textContent = label.textContent.replace(/\d+$/, String(index + 1));
    }
    for (const error of row.querySelectorAll(".field-error")) error.remove();
    for (const cell of row.querySelectorAll(".has-error")) cell.classList.remove("has-error");
    for (const input of row.querySelectorAll("input")) input.value = "";
    for (const select of row.querySelectorAll("select")) select.selectedIndex = 0;
    for (const control of row.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    row.querySelector("th").textContent = String(index + 1);
    body.append(row);
    row.querySelector("select, input")?.focus();
  });
}
