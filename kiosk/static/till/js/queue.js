// Sales waiting for the server: stored in IndexedDB first, sent in order, retried until the
// server answers. The server's Idempotency-Key check makes every retry safe. A wiped sale's
// report (entry.path WIPED_PATH) goes the same way, but is never counted or announced as a sale.

import { Offline } from "./api.js";
import { confirmSale, pendingSales, queueSale, refuseSale } from "./store.js";
import { fill } from "./ui.js";

const RETRY_MS = 3000;
//: a refused sale staff wiped, reported for the audit log (refused.js): queued, but no sale
export const WIPED_PATH = "/refused-sales";

export function isSale(entry) {
  return entry.path !== WIPED_PATH;
}

// One send at a time: a flush asked for while sending runs right after it, not at the next retry.
export function oneAtATime(send) {
  let sending = null;
  let again = false;
  const flush = () => {
    if (sending) {
      again = true;
      return sending;
    }
    sending = send().finally(() => {
      sending = null;
      if (again) {
        again = false;
        flush();
      }
    });
    return sending;
  };
  return flush;
}

export class SaleQueue {
  constructor(api, banner, texts) {
    this.api = api;
    this.banner = banner;
    this.texts = texts;
    this.flush = oneAtATime(() => this.sendAll());
    this.waiting = 0;
    this.beforeSend = async () => {};  // the till proves a PIN accepted offline (selling.js)
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

  async sendAll() {
    await this.beforeSend();
    const pending = await pendingSales();
    this.waiting = pending.filter(isSale).length;
    for (const entry of pending) {
      try {
        const { status, data } = await this.api.sendSale(entry);
        if (status === 200 || status === 201) {
          await confirmSale(entry.key);
          if (isSale(entry)) this.tell("pluskassa:sale", { key: entry.key, sale: data });
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
      if (isSale(entry)) this.waiting -= 1;
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
