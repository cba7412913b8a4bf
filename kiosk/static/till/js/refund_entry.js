// The way into refunds and voids on the shop till: the "Terugbetalen" and "Vergissing" buttons.
// refunds.js and its screens load on the first tap (import()), so a till whose staff never refund
// downloads none of it; without a connection they cannot load, and the till says so (a refund
// needs the server anyway).

import { isStaff } from "./api.js";

const SCREENS = {
  "refund-sales": ["back"],
  "refund-lines": ["back"],
  "refund-stock": ["back"],
  "refund-staff": ["back"],
  "refund-pin": ["back"],
  "refund-done": ["next-customer"],
};

export class RefundEntry {
  constructor(till) {
    this.till = till;
    this.lastSale = null;  // the sale on the change screen, once the server has it: it may be voided
    this.refunds = null;
    this.loading = null;
  }

  $(selector) {
    return this.till.root.querySelector(selector);
  }

  install() {
    Object.assign(this.till.screens.bars, SCREENS);
    this.$("#refund-button").addEventListener("click", () => this.use((refunds) => refunds.start()));
    this.$("#screen-change .void-sale").addEventListener("click", () => this.use((refunds) => refunds.voidLastSale()));
  }

  async use(action) {
    this.loading ||= import("./refunds.js").then(({ Refunds }) => {
      const refunds = new Refunds(this.till, this);
      refunds.install();
      return refunds;
    });
    try {
      this.refunds = await this.loading;
    } catch {
      this.loading = null;  // offline: the next tap tries again
      this.till.screens.show("refund-sales", null);
      this.$("#screen-refund-sales .refund-loading").hidden = true;
      this.$("#screen-refund-sales .message").textContent = this.till.texts.refund_offline;
      return;
    }
    action(this.refunds);
  }

  // Called on every screen change (screen_base.js): the entry and the void button.
  shown(name) {
    this.$("#refund-button").hidden = !(isStaff(this.till.operator) && name === "choose");
    if (name === "change") this.showVoid(false);
  }

  showVoid(visible) {
    this.$("#screen-change .void-sale").hidden = !visible;
  }

  // The sale on the change screen reached the server: it may now be voided.
  saleSaved(sale) {
    this.lastSale = sale;
    if (this.till.root.dataset.screen === "change") this.showVoid(true);
  }

  back(screen) {
    if (this.refunds) return this.refunds.back(screen);
    if (screen !== "refund-sales") return false;
    this.till.choose();
    return true;
  }
}
