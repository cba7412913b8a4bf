// Sales waiting for the server: stored in IndexedDB first, sent in order, retried until the
// server answers. The server's Idempotency-Key check makes every retry safe.

import { Offline } from "./api.js";
import { confirmSale, pendingSales, queueSale, refuseSale } from "./store.js";
import { fill } from "./ui.js";

const RETRY_MS = 3000;

export class SaleQueue {
  constructor(api, banner, texts) {
    this.api = api;
    this.banner = banner;
    this.texts = texts;
    this.flushing = null;
    this.waiting = 0;
  }

  start() {
    this.flush();
    setInterval(() => this.flush(), RETRY_MS);
    window.addEventListener("online", () => this.flush());
  }

  async add(entry) {
    await queueSale(entry);
    this.waiting += 1;
    this.show();
  }

  flush() {
    if (!this.flushing) {
      this.flushing = this.sendAll().finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  async sendAll() {
    const pending = await pendingSales();
    this.waiting = pending.length;
    this.show();
    for (const entry of pending) {
      try {
        const { status, data } = await this.api.sendSale(entry);
        if (status === 200 || status === 201) {
          await confirmSale(entry.key);
          document.dispatchEvent(new CustomEvent("pluskassa:sale", { detail: { key: entry.key, sale: data } }));
        }
        else if (status === 401) break;  // unpaired: keep every sale until a manager pairs again
        else await refuseSale(entry, data);
      } catch (error) {
        if (error instanceof Offline) break;
        throw error;
      }
      this.waiting -= 1;
      this.show();
    }
    document.dispatchEvent(new CustomEvent("pluskassa:queue", { detail: { waiting: this.waiting } }));
  }

  show() {
    this.banner.hidden = this.waiting === 0;
    this.banner.textContent = this.waiting === 1
      ? this.texts.waiting_one
      : fill(this.texts.waiting_many, { count: this.waiting });
  }
}
