// The way into customer orders on the shop till: "Bestellingen" beside "Betalen" on the choose
// screen. orders.js and its screens load on the first tap (import()), and at the start of a tablet
// that keeps a round; the service worker keeps them then, so the round opens without the server
// (README, "Bestellingen and the round").

import { load } from "./store.js";

const SCREENS = {
  orders: ["back"], order: ["back", "undo", "done"], round: ["back"], "order-pin": ["back"], "order-new": ["back"],
};

export class OrderEntry {
  constructor(till) {
    this.till = till;
    this.orders = null;
    this.loading = null;
  }

  install() {
    const { bars } = this.till.screens;
    Object.assign(bars, SCREENS);
    bars.choose = [...bars.choose, "orders"];
    this.till.root.querySelector("#orders").addEventListener("click", () => this.use((orders) => orders.open()));
    if (load("round")) this.loadModules().catch(() => {});  // a delivery tablet: kept for this version too
  }

  loadModules() {
    this.loading ||= import("./orders.js").then(({ Orders }) => {
      this.orders = new Orders(this.till);
      return this.orders;
    }).catch((error) => {
      this.loading = null;  // not kept on this tablet and no server: the next tap tries again
      throw error;
    });
    return this.loading;
  }

  async use(action) {
    try {
      await this.loadModules();
    } catch {
      this.till.screens.flash(this.till.texts.orders_offline);
      return;
    }
    action(this.orders);
  }

  // The action bar on the orders' screens (and on weighing and paying for an order): true if handled.
  back(screen) {
    return Boolean(this.orders?.back(screen));
  }

  undo(screen) {
    return Boolean(this.orders?.undo(screen));
  }

  done(screen) {
    return Boolean(this.orders?.done(screen));
  }
}
