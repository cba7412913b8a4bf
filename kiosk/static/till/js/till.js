// The till's start: pair or load the catalog, then the shop till, or the bistro when the point of
// sale has tables. See the README, "The till".

import { Api, Offline } from "./api.js";
import { Till, unpair, withPictures } from "./selling.js";
import { load, save } from "./store.js";
import { installScrollArrows } from "./scroll_arrows.js";
import { installTapFeedback, installTextFit } from "./ui.js";

const root = document.getElementById("till");
const texts = JSON.parse(root.dataset.texts);
const token = load("token");

if (!token) {
  window.location.replace(root.dataset.pairUrl);
} else {
  start().catch((error) => console.error(error));
}

async function start() {
  installTapFeedback(root);
  installTextFit(root);
  installScrollArrows(root);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/till" }).catch(() => {});
  }
  const api = new Api(token);
  const [catalog, tables] = await Promise.all([loadCatalog(api), loadTables(api)]);
  if (!catalog) {
    unpair(root);
    return;
  }
  if (catalog.till.role && catalog.till.role !== "till") {  // a kitchen or bar screen
    window.location.replace(root.dataset.kitchenUrl);
    return;
  }
  if (tables.length) {
    const { BistroTill } = await import("./bistro.js");  // the shop till never loads the bistro
    new BistroTill(root, texts, api, catalog, tables).begin();
  } else {
    const till = new Till(root, texts, api, catalog);
    const { Refunds } = await import("./refunds.js");  // staff refunds and voids: the shop till only
    till.refunds = new Refunds(till);
    till.begin();
  }
}

// The point of sale's tables (none: the shop till); the last list when the server is away.
async function loadTables(api) {
  try {
    const { status, data } = await api.tables();
    if (status === 200) {
      save("tables", data.tables);
      return data.tables;
    }
    if (status === 404) save("tables", []);  // a server without the bistro
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
  }
  return load("tables", []);
}

async function loadCatalog(api) {
  try {
    const { status, data } = await api.catalog();
    if (status === 200) {
      save("catalog", data);
      return withPictures(root, data);
    }
    if (status === 401) return null;
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
  }
  const saved = load("catalog");
  return saved && withPictures(root, saved);
}
