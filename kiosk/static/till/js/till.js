// The till's start: pair or load the catalog, then the shop till, or the bistro when the point of
// sale has tables. See the README, "The till".

import { Api, Offline } from "./api.js";
import { Till, unpair, withPictures } from "./selling.js";
import { load, save } from "./store.js";
import { installScrollArrows } from "./scroll_arrows.js";
import { installTapFeedback, installTextFit, registerServiceWorker } from "./ui.js";

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
  const api = new Api(token);
  const catalog = await loadCatalog(api);
  if (!catalog) {
    unpair(root);
    return;
  }
  if (catalog.till.role && catalog.till.role !== "till") {  // a kitchen or bar screen
    window.location.replace(root.dataset.kitchenUrl);
    return;
  }
  // The bistro's code and its tables are fetched only by a bistro's till (the catalog says which;
  // a catalog kept from before it said so: the tables kept with it).
  if (catalog.point_of_sale.bistro ?? load("tables", []).length > 0) {
    registerServiceWorker(root, "bistro");
    const [tables, { BistroTill }, { RefusedSales }] = await Promise.all([
      loadTables(api), import("./bistro.js"), import("./refused.js"),
    ]);
    const till = new BistroTill(root, texts, api, catalog, tables);
    till.refused = new RefusedSales(till);  // refused sales and tab payments, shown to staff
    till.begin();
  } else {
    registerServiceWorker(root, "shop");
    // staff refunds and voids: the shop till only (a bistro or kitchen tablet never fetches them)
    const [{ RefundEntry }, { OrderEntry }, { QrPaying }, { RefusedSales }] = await Promise.all([
      import("./refund_entry.js"), import("./order_entry.js"), import("./qr_paying.js"), import("./refused.js"),
    ]);
    const till = new Till(root, texts, api, catalog);
    till.refunds = new RefundEntry(till);
    till.orders = new OrderEntry(till);
    till.qr = new QrPaying(till);  // paying by QR: the shop till only
    till.refused = new RefusedSales(till);  // refused sales and orders, shown to staff
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

// The catalog, revalidated: the server answers 304 (a few hundred bytes) while the kept copy is
// current, the whole catalog when something changed.
async function loadCatalog(api) {
  try {
    const { status, data } = await api.catalog();
    if (status === 200) return withPictures(root, data);
    if (status === 401) return null;
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
  }
  const saved = load("catalog");
  return saved && withPictures(root, saved);
}
