// Pair this tablet with a till: check the token against the API, then remember it.

const main = document.querySelector("main.pair");
const texts = JSON.parse(main.dataset.texts);
const form = document.getElementById("pair-form");
const message = document.getElementById("pair-message");

// Sent back by the till because its token stopped working.
if (new URLSearchParams(window.location.search).has("revoked")) message.textContent = texts.not_paired;

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = form.token.value.trim();
  message.textContent = "";
  let response;
  try {
    response = await fetch(main.dataset.catalogUrl, {
      headers: { Authorization: `Bearer ${token}` }, cache: "no-store",
    });
  } catch {
    message.textContent = texts.pair_offline;
    return;
  }
  if (response.status !== 200) {
    message.textContent = texts.pair_failed;
    return;
  }
  localStorage.setItem("pluskassa.token", JSON.stringify(token));
  localStorage.setItem("pluskassa.catalog", JSON.stringify(await response.json()));
  localStorage.setItem("pluskassa.catalog_etag", JSON.stringify(response.headers.get("ETag")));
  localStorage.removeItem("pluskassa.operator");
  localStorage.removeItem("pluskassa.proof");
  window.location.assign(main.dataset.tillUrl);
});
