// What the till keeps on the tablet: its token, the catalog, the basket (localStorage) and the
// queue of sales not yet confirmed by the server (IndexedDB, so a crash or reload loses nothing).

const PREFIX = "pluskassa.";
const DB_NAME = "pluskassa";
const STORE = "sales";

export function load(name, fallback = null) {
  try {
    const raw = localStorage.getItem(PREFIX + name);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

export function save(name, value) {
  localStorage.setItem(PREFIX + name, JSON.stringify(value));
}

export function forget(name) {
  localStorage.removeItem(PREFIX + name);
}

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "key" });
      store.createIndex("createdAt", "createdAt");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => { db.close(); resolve(result.result ?? result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
    transaction.onabort = () => { db.close(); reject(transaction.error); };
  });
}

// Store a sale before anything else happens to it; the same key stores it once.
export function queueSale(entry) {
  return withStore("readwrite", (store) => store.put({ state: "pending", ...entry }));
}

export async function pendingSales() {
  const all = await withStore("readonly", (store) => store.index("createdAt").getAll());
  return all.filter((entry) => entry.state === "pending");
}

export async function refusedSales() {
  const all = await withStore("readonly", (store) => store.getAll());
  return all.filter((entry) => entry.state === "refused");
}

// Give the proof of a PIN check to the sales this person queued without one.
export function proveQueuedSales(operatorId, proof) {
  return withStore("readwrite", (store) => {
    const walk = store.openCursor();
    walk.onsuccess = () => {
      const at = walk.result;
      if (!at) return;
      const { state, body } = at.value;
      if (state === "pending" && body.operator_id === operatorId && !body.operator_proof) {
        at.update({ ...at.value, body: { ...body, operator_proof: proof } });
      }
      at.continue();
    };
    return walk;
  });
}

export function confirmSale(key) {
  return withStore("readwrite", (store) => store.delete(key));
}

export function refuseSale(entry, error) {
  return withStore("readwrite", (store) => store.put({ ...entry, state: "refused", error }));
}

// Send a refused sale again under a new key (the old one is spent): one step, never both, never neither.
export function requeueSale(oldKey, entry) {
  return withStore("readwrite", (store) => {
    store.delete(oldKey);
    return store.put({ ...entry, state: "pending" });
  });
}
