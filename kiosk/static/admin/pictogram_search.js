// Enter in the pictogram search box searches (without this script it saves: the form's first button).
document.querySelectorAll("[data-search-button]").forEach((box) => {
  box.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    document.getElementById(box.dataset.searchButton).click();
  });
});
