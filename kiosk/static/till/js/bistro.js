// The bistro: the shop till with a floor of tables first (tabs.js), and a table that pays all at
// once, per person (what each had) or in equal parts, each part through the shop till's own
// payment screens, its own sale and ticket number.

import { rungUpAt } from "./api.js";
import { BistroScreens } from "./bistro_screens.js";
import { equalPart } from "./bistro_split.js";
import { TabTill } from "./tabs.js";

export class BistroTill extends TabTill {
  constructor(root, texts, api, catalog, tables) {
    super(root, texts, api, catalog, tables);
    this.paying = null;  // the part being paid: {split, amount, items, from}
    this.chosen = new Set();  // "Per persoon": the client keys of the items this person had
  }

  makeScreens() {
    return new BistroScreens(this);
  }

  // -- paying a part ---------------------------------------------------------------------------
  total() {
    return this.paying ? this.paying.amount : this.view().unpaid;
  }

  pay() {
    const screen = this.root.dataset.screen;
    if (screen === "items") this.payChosen();
    else if (screen === "equal") this.payPart();
    else if (screen === "choose" && this.view().unpaid > 0) this.startPaying();
  }

  startPaying() {
    this.received = [];
    this.paying = null;
    if (this.split && this.tabs.same(this.split.tab, this.current)) this.screens.equal();
    else this.screens.splitChoice();
  }

  chooseSplit(kind) {
    if (kind === "all") {
      const view = this.view();
      this.paying = { split: { kind: "all" }, amount: view.unpaid, items: view.open, from: "split" };
      this.screens.method();
    } else if (kind === "items") {
      this.chosen = new Set();
      this.screens.items();
    } else {
      this.screens.equal();
    }
  }

  toggleChosen(item) {
    if (this.chosen.has(item.key)) this.chosen.delete(item.key);
    else this.chosen.add(item.key);
    this.screens.renderItems();
  }

  chosenItems() {
    return this.view().open.filter((item) => this.chosen.has(item.key));
  }

  payChosen() {
    const items = this.chosenItems();
    if (!items.length) return;
    const amount = items.reduce((sum, item) => sum + item.amount, 0);
    this.paying = { split: { kind: "items", clientKeys: items.map((item) => item.key) }, amount, items, from: "items" };
    this.received = [];
    this.screens.method();
  }

  chooseParts(parts) {
    if (this.split && this.split.part > 1) return;  // the count is fixed once a part is paid
    this.split = { tab: this.current, parts, part: 1 };
    this.remember();
    this.screens.renderEqual();
  }

  partAmount() {
    return equalPart(this.view(), this.split.parts, this.split.part);
  }

  payPart() {
    if (!this.split) return;
    const { parts, part } = this.split;
    this.paying = { split: { kind: "equal", parts, part }, amount: this.partAmount(), items: this.view().open, from: "equal" };
    this.received = [];
    this.screens.method();
  }

  async complete(payments, change) {
    if (this.submitting) return;
    this.submitting = true;
    this.root.querySelector("#done").disabled = true;
    try {
      const { split, amount } = this.paying;
      const op = this.change("pay", { split, amount, payments, rungUpAt: rungUpAt() });
      this.lastSaleKey = op.key;
      this.lastSaleDone = false;
      if (split.kind === "equal") this.split = split.part < split.parts ? { ...this.split, part: split.part + 1 } : null;
      this.remember();
      this.received = [];
      this.paying = null;
      this.screens.change(payments[0].method === "cash" ? change : null);
    } finally {
      this.submitting = false;
    }
  }

  nextCustomer() {
    this.lastSaleKey = null;
    if (this.unpairedAt) {
      super.nextCustomer();
      return;
    }
    if (this.view().unpaid > 0) this.startPaying();
    else {
      this.split = null;
      this.floor();
      this.refreshCatalog();
    }
  }

  // -- the action bar ---------------------------------------------------------------------------
  back() {
    const screen = this.root.dataset.screen;
    if (screen === "floor") this.stop();
    else if (["notes", "move", "split"].includes(screen)) this.screens.choose();
    else if (screen === "items") this.screens.splitChoice();
    else if (screen === "equal") this.leaveEqual();
    else if (screen === "method") this.backFromMethod();
    else super.back();
  }

  // Once a part is paid the others follow: back to the tab, not to another way of splitting.
  leaveEqual() {
    if (this.split?.part > 1) {
      this.screens.choose();
      return;
    }
    this.split = null;
    this.remember();
    this.screens.splitChoice();
  }

  backFromMethod() {
    const from = this.paying?.from ?? "split";
    this.paying = null;
    if (from === "items") this.screens.items();
    else if (from === "equal") this.screens.equal();
    else this.screens.splitChoice();
  }

  stop() {
    this.current = null;
    this.currentTable = null;
    this.remember();
    super.stop();
  }
}
