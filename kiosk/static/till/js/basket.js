// The basket: lines of product ids with quantities in thousandths, an undo history, and the
// idempotency key of the sale it will become. Saved on every change, so a reload keeps it.

import { lineAmount } from "./money.js";
import { load, save } from "./store.js";

const MAX_UNDO = 50;

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Basket {
  constructor() {
    const saved = load("basket");
    this.lines = saved?.lines ?? [];
    this.history = saved?.history ?? [];
    this.key = saved?.key ?? newKey();
  }

  persist() {
    save("basket", { lines: this.lines, history: this.history, key: this.key });
  }

  remember() {
    this.history.push(JSON.stringify(this.lines));
    if (this.history.length > MAX_UNDO) this.history.shift();
  }

  // Add one piece, on the product's existing line if it has one.
  add(productId) {
    this.remember();
    const line = this.lines.find((l) => l.productId === productId && !l.weighed);
    if (line) line.quantityMilli += 1000;
    else this.lines.push({ productId, quantityMilli: 1000, weighed: false });
    this.persist();
  }

  addWeighed(productId, quantityMilli) {
    this.remember();
    this.lines.push({ productId, quantityMilli, weighed: true });
    this.persist();
  }

  increase(index) {
    this.remember();
    this.lines[index].quantityMilli += 1000;
    this.persist();
  }

  decrease(index) {
    this.remember();
    const line = this.lines[index];
    if (line.weighed || line.quantityMilli <= 1000) this.lines.splice(index, 1);
    else line.quantityMilli -= 1000;
    this.persist();
  }

  undo() {
    if (!this.history.length) return false;
    this.lines = JSON.parse(this.history.pop());
    this.persist();
    return true;
  }

  canUndo() {
    return this.history.length > 0;
  }

  isEmpty() {
    return this.lines.length === 0;
  }

  total(products) {
    return this.lines.reduce(
      (sum, line) => sum + lineAmount(products.get(line.productId)?.price_cents ?? 0, line.quantityMilli), 0,
    );
  }

  // Drop lines whose product left the catalog; return how many were dropped.
  keepKnown(products) {
    const before = this.lines.length;
    this.lines = this.lines.filter((line) => products.has(line.productId));
    if (before !== this.lines.length) this.persist();
    return before - this.lines.length;
  }

  orderLines() {
    return this.lines.map((line) => ({
      product_id: line.productId,
      quantity: (line.quantityMilli / 1000).toFixed(line.weighed ? 3 : 0),
    }));
  }

  // Start afresh for the next customer, with a new key for the next sale.
  clear() {
    this.lines = [];
    this.history = [];
    this.key = newKey();
    this.persist();
  }
}
