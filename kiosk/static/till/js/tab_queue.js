// Changes to bistro tabs waiting for the server: an item, a cancel, "Naar keuken", a move, a
// payment. Each is kept on the tablet first (localStorage, so a reload or a crash loses nothing),
// then sent in order and retried until the server answers. The items' client keys and the
// payments' Idempotency-Keys make every retry safe: a replay adds nothing and pays nothing twice.

import { Offline, who } from "./api.js";
import { newKey } from "./basket.js";
import { oneAtATime } from "./queue.js";
import { load, save } from "./store.js";
import { fill } from "./ui.js";

const RETRY_MS = 3000;
const STORE = "bistro";

export class TabQueue {
  constructor(api, banner, texts) {
    this.api = api;
    this.banner = banner;
    this.texts = texts;
    const saved = load(STORE, {});
    this.ops = saved.ops ?? [];  // waiting, oldest first
    this.ids = saved.ids ?? {};  // a tab opened while the server was away: its local key → its id
    this.docs = saved.docs ?? {};  // the server's last word on the tabs this tablet works on
    this.refused = saved.refused ?? [];  // kept for a manager, never silently dropped
    this.flush = oneAtATime(() => this.sendAll());
    this.beforeSend = async () => {};  // the till proves a PIN accepted offline (selling.js)
  }

  persist() {
    save(STORE, { ops: this.ops, ids: this.ids, docs: this.docs, refused: this.refused });
  }

  start() {
    this.flush();
    setInterval(() => this.flush(), RETRY_MS);
    window.addEventListener("online", () => this.flush());
  }

  // A tab is known by the server's id, or by a local key until the server has opened it.
  tabId(ref) {
    return typeof ref === "number" ? ref : this.ids[ref] ?? null;
  }

  same(ref, other) {
    return ref === other || (this.tabId(ref) !== null && this.tabId(ref) === this.tabId(other));
  }

  doc(ref) {
    const id = this.tabId(ref);
    return id === null ? null : this.docs[id] ?? null;
  }

  remember(tab) {
    this.docs[tab.id] = tab;
    this.persist();
  }

  // Forget tabs that are no longer open (paid elsewhere, say), unless a change for them waits.
  keepOnly(openIds) {
    for (const id of Object.keys(this.docs)) {
      if (!openIds.has(Number(id)) && !this.ops.some((op) => this.tabId(op.tab) === Number(id))) delete this.docs[id];
    }
    this.persist();
  }

  pendingFor(ref) {
    return this.ops.filter((op) => this.same(op.tab, ref));
  }

  waiting(key) {
    return this.ops.some((op) => op.key === key);
  }

  add(op) {
    op.key ??= newKey();
    this.ops.push(op);
    this.persist();
    this.flush();
    return op;
  }

  // Give the proof of a PIN check to the changes this person queued without one.
  prove(operatorId, proof) {
    for (const op of this.ops) if (op.operatorId === operatorId && !op.proof) op.proof = proof;
    this.persist();
  }

  async sendAll() {
    await this.beforeSend();
    while (this.ops.length) {
      const op = this.ops[0];
      let answer;
      try {
        answer = await this.send(op);
      } catch (error) {
        if (error instanceof Offline) break;
        throw error;
      }
      if (answer.status === 401) break;  // unpaired: keep everything until a manager pairs again
      if (answer.data?.error === "conflict") break;  // another tablet changed the tab just then: retry
      this.ops.shift();
      if (answer.tab) this.docs[answer.tab.id] = answer.tab;
      if (answer.status >= 300) this.refused.push({ ...op, error: answer.data });
      this.persist();
      const name = answer.status < 300 ? "pluskassa:tab" : "pluskassa:tab-refused";
      this.tell(name, { op, tab: answer.tab, sale: answer.sale, error: answer.data });
    }
    this.show();
    this.tell("pluskassa:tab-queue", { waiting: this.ops.length });
  }

  async send(op) {
    const operator = who(op.operatorId, op.proof);  // the proof the change was made with
    if (op.kind === "open") {
      const answer = await this.api.openTab(op.tableId, operator);
      if (answer.status < 300) this.ids[op.tab] = answer.data.id;
      return withTab(answer);
    }
    const tabId = this.tabId(op.tab);
    if (tabId === null) return { status: 409, data: { error: "no_tab", message: "" } };  // its opening was refused
    if (op.kind === "add") return withTab(await this.api.addItems(tabId, operator, op.items));
    if (op.kind === "send") return withTab(await this.api.sendTab(tabId, operator));
    if (op.kind === "move") return withTab(await this.api.moveTab(tabId, op.tableId, operator));
    if (op.kind === "cancel") {
      const itemId = await this.itemId(tabId, op.clientKey);
      if (itemId === null) return { status: 200, data: null, tab: this.docs[tabId] ?? null };  // never arrived
      return withTab(await this.api.cancelItem(tabId, itemId, operator));
    }
    if (op.kind === "pay") {
      const split = op.split.kind === "items"
        ? { kind: "items", item_ids: await Promise.all(op.split.clientKeys.map((key) => this.itemId(tabId, key))) }
        : op.split;
      const body = { ...operator, split, payments: op.payments, rung_up_at: op.rungUpAt };
      const answer = await this.api.payTab(tabId, op.key, body);
      const ok = answer.status < 300;
      return { ...answer, tab: ok ? answer.data.tab : null, sale: ok ? answer.data.sale : null };
    }
    throw new Error(`unknown tab change ${op.kind}`);
  }

  // The server's id of an item this tablet added, by its client key.
  async itemId(tabId, clientKey) {
    const find = () => this.docs[tabId]?.items.find((item) => item.client_key === clientKey)?.id ?? null;
    if (find() === null) {
      const answer = await this.api.tab(tabId);
      if (answer.status === 200) this.docs[tabId] = answer.data;
    }
    return find();
  }

  tell(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  // Shown once a send has failed, not for the moment a change is on its way.
  show() {
    const waiting = this.ops.length;
    this.banner.hidden = waiting === 0;
    this.banner.textContent = waiting === 1 ? this.texts.tab_waiting_one
      : fill(this.texts.tab_waiting_many, { count: waiting });
  }
}

function withTab(answer) {
  return { ...answer, tab: answer.status < 300 ? answer.data : null };
}
