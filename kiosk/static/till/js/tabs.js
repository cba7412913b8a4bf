// A table's tab at the till: the floor of tables, the tab's items (added, taken off, noted, sent to
// the kitchen, moved to another table). The tab lives on the server; every tap shows at once and
// goes to the server through the tab queue (tab_queue.js), so nothing is lost while it is away.
// Paying a tab, in parts or not, is bistro.js.

import { Offline } from "./api.js";
import { newKey } from "./basket.js";
import { Till } from "./selling.js";
import { load, save } from "./store.js";
import { TabQueue } from "./tab_queue.js";
import { tabView } from "./tab_view.js";

const FLOOR_REFRESH_MS = 15000;
const NEW_TAB = "nieuw-";  // a table's tab before the server opened it: a local key

export class TabTill extends Till {
  constructor(root, texts, api, catalog, tables) {
    super(root, texts, api, catalog);
    this.api = api;
    this.tables = tables;
    this.tabs = new TabQueue(api, root.querySelector("#tab-queue"), texts);
    this.tabs.beforeSend = () => this.proofs.proveLate(this.operator);
    this.proofs.proveQueuedChanges = (operatorId, proof) => this.tabs.prove(operatorId, proof);
    const saved = load("bistro.current", {});
    this.current = saved.tab ?? null;  // the tab on screen: the server's id, or a local key
    this.currentTable = saved.table ?? null;
    this.split = saved.split ?? null;  // equal parts being paid (bistro.js): {tab, parts, part}
    this.consumption = this.defaultConsumption();
    this.history = [];  // what "Ongedaan maken" takes back on the tab, last first
  }

  defaultConsumption() {
    return this.catalog.consumption === "takeaway" ? "takeaway" : "eat_in";
  }

  begin() {
    document.addEventListener("pluskassa:tab", (event) => this.tabChanged(event.detail));
    document.addEventListener("pluskassa:tab-refused", (event) => this.tabRefused(event.detail));
    document.addEventListener("pluskassa:tab-queue", () => this.tabQueueChanged());
    this.root.querySelector("#kitchen").addEventListener("click", () => this.sendToKitchen());
    this.tabs.start();
    setInterval(() => { if (this.root.dataset.screen === "floor") this.refreshTables(); }, FLOOR_REFRESH_MS);
    super.begin();
  }

  remember() {
    save("bistro.current", { tab: this.current, table: this.currentTable, split: this.split });
  }

  // -- the floor ----------------------------------------------------------------------------
  choose() {
    if (this.current === null) this.floor();
    else this.screens.choose();
  }

  floor() {
    this.current = null;
    this.currentTable = null;
    this.remember();
    this.screens.floor();
    this.refreshTables();
  }

  async refreshTables() {
    try {
      const { status, data } = await this.api.tables();
      if (status !== 200) return;
      this.tables = data.tables;
      save("tables", data.tables);
      this.tabs.keepOnly(new Set(data.tables.filter((t) => t.tab).map((t) => t.tab.id)));
      if (this.root.dataset.screen === "floor") this.screens.refreshFloor();
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    }
  }

  // The tabs this tablet still has changes for, as it sees them.
  waitingTabs() {
    const refs = [];
    for (const op of this.tabs.ops) if (!refs.some((ref) => this.tabs.same(ref, op.tab))) refs.push(op.tab);
    return refs.map((ref) => ({ ref, view: this.viewOf(ref) }));
  }

  // Each table with what is on it: {table, ref, total, openedAt, count} (ref null: free). A tab
  // paid on this tablet leaves its table free at once, even before the server has the payment.
  floorTables() {
    const waiting = this.waitingTabs();
    const paid = (ref, view) => view.unpaid === 0 && this.tabs.pendingFor(ref).some((op) => op.kind === "pay");
    return this.tables.map((table) => {
      const mine = waiting.find(({ ref, view }) => view.tableId === table.id && !paid(ref, view));
      if (mine) {
        const doc = this.tabs.doc(mine.ref);
        const serverTab = table.tab && table.tab.id === this.tabs.tabId(mine.ref) ? table.tab : null;
        return { table, ref: this.tabs.tabId(mine.ref) ?? mine.ref, total: mine.view.total,
          openedAt: doc?.opened_at ?? table.tab?.opened_at ?? null, count: mine.view.open.length,
          ready: Boolean(serverTab?.ready) && mine.view.unsent === 0 };
      }
      const movedAway = table.tab && waiting.some(({ ref, view }) => this.tabs.tabId(ref) === table.tab.id
        && (view.tableId !== table.id || paid(ref, view)));
      if (!table.tab || movedAway) return { table, ref: null };
      return { table, ref: table.tab.id, total: table.tab.total_cents, openedAt: table.tab.opened_at,
        count: table.tab.item_count, ready: Boolean(table.tab.ready) };
    });
  }

  // A free table shows an empty tab; the server opens it with the first item.
  async openTable({ table, ref }) {
    this.current = ref ?? `${NEW_TAB}${newKey()}`;
    this.currentTable = table.id;
    this.history = [];
    this.consumption = this.defaultConsumption();
    this.remember();
    this.screens.category = null;
    this.screens.firstPage("screen-choose");
    this.screens.tabMessage("");
    this.screens.choose();
    this.screens.say(table.name);
    if (typeof this.current !== "number") return;
    try {
      const { status, data } = await this.api.tab(this.current);
      const here = this.tabs.same(this.current, ref) && this.root.dataset.screen === "choose";
      if (status === 200) this.tabs.remember(data);
      if (here && (status === 404 || (status === 200 && data.state !== "open"))) this.floor();  // paid elsewhere
      else if (here && status === 200) this.screens.renderBasket();
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    }
  }

  // -- the tab ------------------------------------------------------------------------------
  viewOf(ref) {
    const view = tabView(this.tabs.doc(ref), this.tabs.pendingFor(ref), this.products,
      this.tabs.same(ref, this.current) ? this.currentTable : null);
    return view;
  }

  view() {
    return this.viewOf(this.current);
  }

  tableName(tableId) {
    return this.tables.find((table) => table.id === tableId)?.name ?? "";
  }

  change(kind, fields) {
    return this.tabs.add({ kind, tab: this.current, operatorId: this.operator.id, proof: this.proof, ...fields });
  }

  // The first item on a fresh table: the server opens its tab first (in the same queue).
  ensureOpen() {
    const ref = this.current;
    if (typeof ref === "number" || this.tabs.tabId(ref) !== null) return;
    if (!this.tabs.ops.some((op) => op.kind === "open" && op.tab === ref)) {
      this.change("open", { tableId: this.currentTable });
    }
  }

  tapProduct(product) {
    if (product.unit === "kg") {
      this.screens.weigh(product);
      return;
    }
    this.addItem(product, 1000);
  }

  addWeighed(product, grams) {
    this.addItem(product, grams);
    this.choose();
  }

  addItem(product, quantityMilli, { consumption = this.consumption, note = "" } = {}, undoing = false) {
    this.ensureOpen();
    const order = {
      client_key: newKey(),
      product_id: product.id,
      quantity: product.unit === "kg" ? (quantityMilli / 1000).toFixed(3) : String(quantityMilli / 1000),
      consumption,
    };
    if (note) order.note = note;
    this.change("add", { items: [order] });
    if (!undoing) this.history.push({ kind: "add", key: order.client_key });
    this.screens.say(`${product.name}, ${this.screens.words(product.price_cents)}`);
    this.screens.renderBasket();
    return order.client_key;
  }

  cancelItem(item, undoing = false) {
    this.change("cancel", { clientKey: item.key });
    if (!undoing) this.history.push({ kind: "cancel", item });
    this.screens.renderBasket();
  }

  // The same product again, as a new item: a cancelled item stays cancelled on the server.
  copyItem(item) {
    const product = this.products.get(item.productId) ?? { id: item.productId, name: item.name, unit: item.unit, price_cents: 0 };
    return this.addItem(product, item.quantityMilli, { consumption: item.consumption, note: item.note }, true);
  }

  undo() {
    if (this.root.dataset.screen !== "choose") {
      super.undo();
      return;
    }
    const last = this.history.pop();
    if (!last) return;
    const items = this.view().items;
    if (last.kind === "add" || last.kind === "replace") {
      const added = items.find((item) => item.key === (last.kind === "add" ? last.key : last.to));
      if (added && !added.cancelled && !added.paid) this.cancelItem(added, true);
    }
    if (last.kind === "cancel" || last.kind === "replace") {
      const gone = last.kind === "cancel" ? last.item : last.from;
      const back = this.copyItem(gone);
      // the copy stands in for the item: earlier steps that added it now take back the copy
      for (const step of this.history) {
        if (step.key === gone.key) step.key = back;
        if (step.to === gone.key) step.to = back;
      }
    }
    this.screens.renderBasket();
  }

  setConsumption(consumption) {
    this.consumption = consumption;
    this.screens.renderConsumption();
  }

  // -- notes, the kitchen, another table ------------------------------------------------------
  noteItem(item) {
    this.noting = { item, words: new Set(item.note ? item.note.split(", ") : []) };
    this.screens.notes();
  }

  toggleNote(word) {
    const { words } = this.noting;
    if (words.has(word)) words.delete(word);
    else words.add(word);
    this.screens.renderNotes();
  }

  // An item's note can change until it went to the kitchen: the item is ordered again with it.
  notesDone() {
    const { item, words } = this.noting;
    const typed = this.screens.typedNote();
    const note = this.screens.noteWords().filter((word) => words.has(word))
      .concat(typed === null ? this.screens.typedWords([...words]) : [typed])
      .filter(Boolean).join(", ");
    this.noting = null;
    if (note !== item.note && !item.sent) {
      this.cancelItem(item, true);
      const to = this.copyItem({ ...item, note });
      this.history.push({ kind: "replace", from: item, to });
    }
    this.screens.choose();
  }

  cashDone() {
    if (this.root.dataset.screen === "notes") this.notesDone();
    else super.cashDone();
  }

  sendToKitchen() {
    if (this.view().unsent === 0) {
      this.screens.kitchenState("nothing");
      return;
    }
    this.sending = this.change("send", {}).key;
    this.screens.kitchenState("sending");
    this.screens.renderBasket();
  }

  moveTo(table) {
    if (typeof this.current === "number" || this.tabs.tabId(this.current) !== null
      || this.tabs.ops.some((op) => op.tab === this.current)) {
      this.change("move", { tableId: table.id });
    }
    this.currentTable = table.id;
    this.remember();
    this.screens.choose();
    this.screens.tabMessage(`✔ ${this.texts.moved.replace("%(table)s", table.name)}`, true);
  }

  // -- what the server said -------------------------------------------------------------------
  tabChanged({ op, sale, tab }) {
    if (op.kind === "pay") this.saleConfirmed({ key: op.key, sale });
    if (op.key === this.sending) {
      this.sending = null;
      this.screens.kitchenOutcome(tab?.stations);  // only what happened at each station
    }
    const screen = this.root.dataset.screen;
    if (screen === "change") this.screens.renderRest();
    else if (screen === "choose" && this.current !== null && this.tabs.same(op.tab, this.current)) this.screens.renderBasket();
    else if (screen === "floor") this.screens.refreshFloor();
  }

  tabRefused({ op, error }) {
    if (op.kind === "pay") {
      this.saleRefused({ key: op.key });
      return;
    }
    if (op.key === this.sending) this.sending = null;
    const message = `✖ ${op.kind === "move" && error?.message ? error.message : this.texts.tab_refused}`;
    if (this.root.dataset.screen === "choose") {
      this.screens.renderBasket();
      this.screens.tabMessage(message);
    } else {
      this.screens.flash(message);
    }
    if (op.kind === "move" || op.kind === "open") this.refreshTables();
  }

  tabQueueChanged() {
    if (this.lastSaleKey && !this.lastSaleDone && this.tabs.waiting(this.lastSaleKey)) this.screens.saleState("queued");
    if (this.sending && this.tabs.waiting(this.sending)) this.screens.kitchenState("queued");
  }
}
