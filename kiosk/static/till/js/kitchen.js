// The kitchen screen: the open orders of this tablet's station (kitchen or bar), oldest first and
// the newest last, each with its table, its notes and a big "Klaar". The last list and the "Klaar"
// taps not yet confirmed are kept on the tablet, so a reload loses nothing; a tap made while the
// server is away waits in that queue and is sent once, with its own Idempotency-Key, when the
// server answers again (the server marks an order ready once however often a tap arrives).

import { Api, Offline } from "./api.js";
import { newKey } from "./basket.js";
import { oneAtATime } from "./queue.js";
import { forget, load, save } from "./store.js";
import { el, fill, installTapFeedback, picture, registerServiceWorker, settle } from "./ui.js";

const POLL_MS = 4000;
const root = document.getElementById("kitchen");
const texts = JSON.parse(root.dataset.texts);
const pictures = JSON.parse(root.dataset.pictures);

class KitchenScreen {
  constructor(api) {
    this.api = api;
    this.station = load("kitchen.station", null);
    this.orders = load("kitchen.orders", []);
    this.waiting = load("kitchen.ready", []);  // the taps not yet confirmed: [{ key, orderId }]
    this.shown = null;
    this.flush = oneAtATime(() => this.sync());
  }

  begin() {
    installTapFeedback(root);
    settle(root);  // a new screen: taps in its first half second are ignored, and it says so
    this.render();
    this.flush();
    setInterval(() => this.flush(), POLL_MS);
    window.addEventListener("online", () => this.flush());
  }

  keep() {
    save("kitchen.station", this.station);
    save("kitchen.orders", this.orders);
    save("kitchen.ready", this.waiting);
  }

  // "Klaar": the order leaves the screen at once; the tap is kept until the server has it.
  ready(order) {
    if (this.waiting.some((entry) => entry.orderId === order.id)) return;  // a double tap
    this.waiting.push({ key: newKey(), orderId: order.id });
    this.keep();
    this.render();
    this.flush();
  }

  // The waiting taps first, in order, then the list as the server has it now.
  async sync() {
    try {
      while (this.waiting.length) {
        const [entry] = this.waiting;
        const { status } = await this.api.request("POST", `/kitchen/orders/${entry.orderId}/ready`,
          null, { "Idempotency-Key": entry.key });
        if (status === 401 || status === 403) return this.notHere(status);
        this.waiting.shift();  // ready now, or the order is gone (404): this tap is done
        this.keep();
      }
      const { status, data } = await this.api.request("GET", "/kitchen/orders");
      if (status === 401 || status === 403) return this.notHere(status);
      if (status === 200) {
        this.station = data.station;
        this.orders = data.orders;
        this.keep();
      }
      this.offline(false);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.offline(true);
    }
    this.render();
  }

  // Unpaired: back to pairing. A till's token: this tablet is a till, not a screen.
  notHere(status) {
    if (status === 401) {
      forget("token");
      window.location.replace(`${root.dataset.pairUrl}?revoked=1`);
    } else {
      window.location.replace(root.dataset.tillUrl);
    }
  }

  offline(away) {
    const line = root.querySelector("#kitchen-offline");
    line.hidden = !away;
    if (away && !line.childElementCount) line.append(picture(pictures.attention, 32), el("span", {}, texts.offline));
  }

  render() {
    const name = root.querySelector("#station-name");
    if (this.station) {
      name.textContent = texts[this.station];
      root.querySelector("#station-picture").src = this.station === "bar" ? pictures.bar : pictures.cook;
    }
    const done = new Set(this.waiting.map((entry) => entry.orderId));
    const open = this.orders.filter((order) => !done.has(order.id));
    // Redrawn only when the orders change, so a card never moves away under a finger.
    const shown = JSON.stringify(open.map((order) => [order.id, order.table_name]));
    if (shown !== this.shown) {
      this.shown = shown;
      root.querySelector(".order-list").replaceChildren(...open.map((order) => this.card(order)));
    }
    root.querySelector(".orders-empty").hidden = open.length > 0;
    const queue = root.querySelector("#kitchen-queue");
    queue.hidden = this.waiting.length === 0;
    queue.textContent = this.waiting.length === 1 ? texts.waiting_one
      : fill(texts.waiting_many, { count: this.waiting.length });
  }

  card(order) {
    const time = new Date(order.sent_at).toLocaleTimeString("nl-BE",
      { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Brussels" });
    return el("li", { class: "order-card", dataset: { orderId: order.id } },
      el("h3", {}, el("span", {}, order.table_name), el("span", { class: "order-time" }, fill(texts.sent_at, { time }))),
      order.cancel ? el("p", { class: "order-cancel" }, picture(pictures.attention, 32), el("span", {}, texts.cancel)) : null,
      el("ul", { class: "order-lines" }, order.items.map((line) => el("li", { class: "order-line" },
        el("span", {}, `${line.quantity} × ${line.name}`),
        line.notes ? el("span", { class: "order-note" }, picture(pictures.note, 28), el("span", {}, line.notes)) : null))),
      // named "Klaar Tafel 3 om 10:42": the word first, as it is read
      el("button", { type: "button", class: "ready-button", onclick: () => this.ready(order) },
        picture(pictures.ready, 48), el("span", {}, texts.ready),
        el("span", { class: "visually-hidden" }, ` ${order.table_name} ${fill(texts.sent_at, { time })}`)));
  }
}

const token = load("token");
if (!token) {
  window.location.replace(root.dataset.pairUrl);
} else {
  registerServiceWorker(root, "kitchen");
  new KitchenScreen(new Api(token)).begin();
}
