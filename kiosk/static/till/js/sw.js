// The till's service worker: the till keeps opening and selling when the server is away.
// Pages: network first, cached copy when offline. Scripts, styles, money and pictograms: cache
// first (they are versioned by the cache name). The API is never cached here: the till's own
// queue (IndexedDB) holds sales until the server confirms them.

const CACHE = "pluskassa-till-v10";  // a new name for every change to the files below
const MONEY = [5000, 2000, 1000, 500].map((v) => `note-${v / 100}.svg`)
  .concat([200, 100, 50, 20, 10, 5, 2, 1].map((v) => `coin-${v}.svg`));
const SHELL = [
  "/till",
  "/till/pair",
  "/till/kitchen",
  "/static/till/till.css",
  "/static/till/kitchen.css",
  "/static/till/icons/icon.svg",
  "/static/till/icons/attention.svg",
  ...["till", "selling", "api", "basket", "money", "queue", "scanner", "screen_base", "paying", "screens", "speech",
    "store", "ui", "words", "pair", "bistro", "bistro_screens", "bistro_split", "tabs", "tab_screens", "tab_queue", "tab_view",
    "refunds", "refund_screens", "operator_proof", "scroll_arrows", "kitchen"]
    .map((name) => `/static/till/js/${name}.js`),
  ...MONEY.map((file) => `/static/till/money/${file}`),
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

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
    event.respondWith(networkFirst(event.request));
  } else if (/^\/(static|pictograms|media)\//.test(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  }
});

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
