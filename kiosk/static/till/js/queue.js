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

  // The banner shows once a send has failed, not for the moment a sale is on its way.
  async add(entry) {
    await queueSale(entry);
    this.waiting += 1;
  }

  flush() {
    if (this.flushing) {
      this.again = true;  // a sale added while sending: send it right after, not in 3 s
      return this.flushing;
    }
    this.flushing = this.sendAll().finally(() => {
      this.flushing = null;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
    return this.flushing;
  }

  async sendAll() {
    const pending = await pendingSales();
    this.waiting = pending.length;
    for (const entry of pending) {
      try {
        const { status, data } = await this.api.sendSale(entry);
        if (status === 200 || status === 201) {
          await confirmSale(entry.key);
          this.tell("pluskassa:sale", { key: entry.key, sale: data });
        } else if (status === 401) {
          break;  // unpaired: keep every sale until a manager pairs again
        } else {
          await refuseSale(entry, data);
          this.tell("pluskassa:refused", { key: entry.key, error: data });
        }
      } catch (error) {
        if (error instanceof Offline) break;
        throw error;
      }
      this.waiting -= 1;
      this.show();
    }
    this.show();
    this.tell("pluskassa:queue", { waiting: this.waiting });
  }

  tell(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  show() {
    this.banner.hidden = this.waiting === 0;
    this.banner.textContent = this.waiting === 1
      ? this.texts.waiting_one
      : fill(this.texts.waiting_many, { count: this.waiting });
  }
}
