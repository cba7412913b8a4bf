// The till's service worker: the till keeps opening and selling when the server is away.
// It is registered as /till/sw.js?v=<version of the till's files>&role=<shop|bistro|kitchen>
// (ui.js, registerServiceWorker). On install it stores what that role needs to start offline: the
// page, its scripts and styles (versioned URLs under /static/v/<version>/till/, which the browser
// keeps a year, so what the page already loaded comes from the browser's cache and is not
// downloaded again), and the money pictures. Pages: the cached copy at once, refreshed in the
// background (stale-while-revalidate); other pages network first. Scripts, styles, money and
// pictograms: cache first. The API is never cached here: the till's own queue (IndexedDB) holds
// sales until the server confirms them, and the catalog is kept with its ETag (api.js).

const params = new URL(self.location.href).searchParams;
const VERSION = params.get("v") || "";
const ROLE = params.get("role") || "shop";
const CACHE = `pluskassa-till-v11-${VERSION}`;  // v12 for the next change to this file's logic
const ASSETS = `/static/v/${VERSION}/till`;
const module = (name) => `${ASSETS}/js/${name}.js`;
const MONEY = [`${ASSETS}/money/pieces.svg`];  // every note and coin, one file
// Every till starts at /till with these modules; the shop's till adds the way into refunds
// (refund_entry.js; the refunds themselves load on first use), paying by QR (qr_paying.js), the
// refused sales (refused.js: shown without the server) and
// customer orders (order_entry.js; orders.js, order_screens.js and order_taking.js load on the first tap on
// "Bestellingen" and are kept then by cacheFirst below, so a round loaded while the server answered
// opens without it; precaching them would take the shop's first load over its 60 KB), the bistro's
// its tables and tabs, and the refused sales and tab payments (refused.js) too.
const START = [
  "/till",
  `${ASSETS}/till.css`,
  `${ASSETS}/icons/icon.svg`,
  `${ASSETS}/icons/attention.svg`,
  ...["till", "api", "selling", "store", "scroll_arrows", "ui", "basket", "money", "scanner",
    "queue", "screens", "operator_proof", "screen_base", "paying", "speech", "words"].map(module),
];
const ROLES = {
  shop: [...START, module("refund_entry"), module("order_entry"), module("qr_paying"), module("refused"), ...MONEY],
  bistro: [...START, module("bistro"), module("refused"), ...MONEY],
  // a kitchen screen starts at /till too, which sends it on to /till/kitchen
  kitchen: [...START, "/till/kitchen", `${ASSETS}/kitchen.css`, module("kitchen")],
};
const PAGES = ["/till", "/till/kitchen"];

self.addEventListener("install", (event) => {
  event.waitUntil(precache(ROLES[ROLE] || ROLES.shop).then(() => self.skipWaiting()));
});

// Store what is not in this version's cache yet (a tablet whose role changed keeps the rest).
async function precache(urls) {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const url of urls) {
    if (!(await cache.match(url))) missing.push(url);
  }
  await cache.addAll(missing);
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (event.request.mode === "navigate") {
    event.respondWith(PAGES.includes(url.pathname) ? staleWhileRevalidate(event) : networkFirst(event.request));
  } else if (/^\/(static|pictograms|media)\//.test(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  }
});

// The kept page at once; the server's copy (a 304 when unchanged) replaces it for the next start.
async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request, { ignoreSearch: true });
  const fresh = fetch(event.request).then((response) => {
    if (response.ok) return cache.put(event.request, response.clone()).then(() => response);
    return response;
  });
  if (!cached) return fresh;
  event.waitUntil(fresh.catch(() => null));
  return cached;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}
