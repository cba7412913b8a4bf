// The way into customer orders on the shop till: "Bestellingen" beside "Betalen" on the choose
// screen. orders.js and its screens load on the first tap (import()); the service worker keeps
// them for the delivery round, which must open without the server (README, "Bestellingen").

const SCREENS = { orders: ["back"], order: ["back", "undo", "done"], round: ["back"] };

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
  }

  async use(action) {
    this.loading ||= import("./orders.js").then(({ Orders }) => new Orders(this.till));
    try {
      this.orders = await this.loading;
    } catch {
      this.loading = null;  // not kept on this tablet and no server: the next tap tries again
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
