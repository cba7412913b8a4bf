// The bistro's till: a floor of tables, a table's tab and how a table pays. One file, so a
// bistro's tablet downloads it at once (the shop's till never does). Its parts, in order:
// what a tab looks like on this tablet (the server's word with the waiting changes over it),
// splitting in equal parts, the queue of tab changes, the tab's screens, how a table pays on
// screen, the tab at the till (TabTill) and the bistro's till (BistroTill).

import { Offline, rungUpAt, who } from "./api.js";
import { newKey } from "./basket.js";
import { formatQuantity, lineAmount, parseMilli, piecesToTake } from "./money.js";
import { oneAtATime } from "./queue.js";
import { Screens } from "./screens.js";
import { Till } from "./selling.js";
import { load, save } from "./store.js";
import { el, fill, picture } from "./ui.js";

// =================================================================================================
// What a bistro tab looks like on this tablet: the server's last word on it, with the changes that
// are still on their way laid over it, so every tap shows at once, online or not.

// An item as the server describes it, in the tablet's words.
function fromServer(item) {
  return {
    key: item.client_key,
    id: item.id,
    productId: item.product_id,
    name: item.description,
    unit: item.unit,
    quantityMilli: parseMilli(item.quantity),
    amount: item.amount_cents,
    consumption: item.consumption,
    note: item.note || "",
    sent: item.sent,
    cancelled: item.cancelled,
    paid: item.paid,
    waiting: false,
  };
}

// An item added on this tablet that the server has not confirmed yet.
function fromOrder(order, products) {
  const product = products.get(order.product_id);
  const quantityMilli = parseMilli(order.quantity);
  return {
    key: order.client_key,
    id: null,
    productId: order.product_id,
    name: product?.name ?? "?",
    unit: product?.unit ?? "piece",
    quantityMilli,
    amount: lineAmount(product?.price_cents ?? 0, quantityMilli),
    consumption: order.consumption,
    note: order.note || "",
    sent: false,
    cancelled: false,
    paid: false,
    waiting: true,
  };
}

// The tab: {tableId, items (cancelled ones included), unpaid, total}. `ops` are this tab's
// waiting changes, oldest first (TabQueue).
function tabView(doc, ops, products, tableId = null) {
  const items = (doc?.items ?? []).map(fromServer);
  const byKey = new Map(items.map((item) => [item.key, item]));
  let unpaid = doc?.unpaid_cents ?? 0;
  let table = doc?.table_id ?? tableId;
  for (const op of ops) {
    if (op.kind === "open" || op.kind === "move") {
      table = op.tableId;
    } else if (op.kind === "add") {
      for (const order of op.items) {
        if (byKey.has(order.client_key)) continue;
        const item = fromOrder(order, products);
        items.push(item);
        byKey.set(item.key, item);
        unpaid += item.amount;
      }
    } else if (op.kind === "cancel") {
      const item = byKey.get(op.clientKey);
      if (item && !item.cancelled && !item.paid) {
        item.cancelled = true;
        unpaid -= item.amount;
      }
    } else if (op.kind === "send") {
      for (const item of items) if (!item.cancelled) item.sent = true;
    } else if (op.kind === "pay") {
      unpaid -= payOver(items, byKey, op, unpaid);
    }
  }
  const open = items.filter((item) => !item.cancelled && !item.paid);
  return {
    tableId: table,
    items,
    open,
    unpaid: Math.max(0, unpaid),
    total: items.filter((item) => !item.cancelled).reduce((sum, item) => sum + item.amount, 0),
    unsent: open.filter((item) => !item.sent).length,
  };
}

// Mark what a waiting payment pays; return how much it takes off the unpaid amount.
function payOver(items, byKey, op, unpaid) {
  const { split } = op;
  if (split.kind === "equal") return op.amount;
  const paying = split.kind === "all" ? items.filter((item) => !item.cancelled && !item.paid)
    : split.clientKeys.map((key) => byKey.get(key)).filter((item) => item && !item.cancelled && !item.paid);
  for (const item of paying) item.paid = true;
  return split.kind === "all" ? unpaid : paying.reduce((sum, item) => sum + item.amount, 0);
}

// =================================================================================================
// Splitting a table's bill in equal parts, the way the server does (kiosk/operations/tab_payments.py):
// with M parts left and R cents unpaid, the next part pays R // M cents, plus one cent while the
// leftover cents last (the earliest parts take them), and the last part pays what is left. Parts
// are paid in order on the tablet, so this part is always the first of those left.

// What part `part` of `parts` pays on a tab view (tabView) whose earlier parts are paid.
function equalPart(view, parts, part) {
  const left = parts - part + 1;
  if (left <= 1) return view.unpaid;
  return Math.floor(view.unpaid / left) + (view.unpaid % left > 0 ? 1 : 0);
}

// =================================================================================================
// Changes to bistro tabs waiting for the server: an item, a cancel, "Naar keuken", a move, a
// payment. Each is kept on the tablet first (localStorage, so a reload or a crash loses nothing),
// then sent in order and retried until the server answers. The items' client keys and the
// payments' Idempotency-Keys make every retry safe: a replay adds nothing and pays nothing twice.

const RETRY_MS = 3000;
const STORE = "bistro";

class TabQueue {
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
    op.at ??= Date.now();
    this.ops.push(op);
    this.persist();
    this.flush();
    return op;
  }

  // The payments the server refused: the guests paid, the sale was not stored (refused.js shows
  // them to staff on "Niet aanvaard").
  refusedPayments() {
    return this.refused.filter((op) => op.kind === "pay");
  }

  // A refused change queued again under a new key (the old one is spent), maybe in another name.
  again(op, changes = {}) {
    this.refused = this.refused.filter((kept) => kept.key !== op.key);
    const { error, reportKey, ...change } = op;
    this.add({ ...change, ...changes, key: newKey(), at: Date.now() });
  }

  // The Idempotency-Key of the report that a refused change was wiped, kept with it once made.
  reportKey(op) {
    const kept = this.refused.find((found) => found.key === op.key) ?? op;
    kept.reportKey ??= newKey();
    this.persist();
    return kept.reportKey;
  }

  forgetRefused(key) {
    this.refused = this.refused.filter((op) => op.key !== key);
    this.persist();
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

// =================================================================================================
// Drawing a table's screens: the floor of tables, a table's tab (the shop's product tiles with the
// tab beside them), notes and another table. How a table pays is BistroScreens.

// The notes a care user can put on an item; the words go to the kitchen as they are.
const NOTES = [
  { word: "zonder ui", text: "note_no_onion", picture: "onion", without: true },
  { word: "extra warm", text: "note_extra_hot", picture: "hot" },
  { word: "zonder ijs", text: "note_no_ice", picture: "ice", without: true },
  { word: "klein", text: "note_small", picture: "small" },
];
const COLOUR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;

class TabScreens extends Screens {
  constructor(till) {
    super(till);
    this.pictures = JSON.parse(this.root.dataset.bistroPictures);
    this.pages = {};
    Object.assign(this.bars, {
      floor: ["back"],
      choose: ["back", "undo", "kitchen", "pay"],
      notes: ["back", "done"],
      move: ["back"],
      split: ["back"],
      items: ["back", "pay"],
      equal: ["back", "pay"],
    });
    Object.assign(this.enabledOn, { floor: ["back"], notes: ["back", "done"], move: ["back"], split: ["back"] });
  }

  $(selector) {
    return this.root.querySelector(selector);
  }

  // Each screen keeps its own page of tiles: the floor's page is not the products' page.
  paged(screen, items, makeTile, perPage) {
    if (this.pagedScreen !== screen.id) {
      if (this.pagedScreen) this.pages[this.pagedScreen] = this.page;
      this.page = this.pages[screen.id] ?? 0;
      this.pagedScreen = screen.id;
    }
    super.paged(screen, items, makeTile, perPage);
  }

  firstPage(screenId) {
    this.pages[screenId] = 0;
    if (this.pagedScreen === screenId) this.page = 0;
  }

  // -- the floor ----------------------------------------------------------------------------
  floor() {
    this.show("floor", "choose");
    this.firstPage("screen-floor");
    this.paged(this.$("#screen-floor"), this.till.floorTables(), (spot) =>
      this.tableTile(spot, () => this.till.openTable(this.spotOf(spot.table.id))));
  }

  spotOf(tableId) {
    return this.till.floorTables().find((spot) => spot.table.id === tableId);
  }

  // New totals and minutes in place: the tiles never move under a finger.
  refreshFloor() {
    const spots = this.till.floorTables();
    const tiles = [...this.$("#screen-floor .tiles").children];
    if (tiles.some((tile) => !spots.some((spot) => String(spot.table.id) === tile.dataset.tableId))) {
      this.floor();
      return;
    }
    for (const tile of tiles) {
      const spot = spots.find((s) => String(s.table.id) === tile.dataset.tableId);
      tile.classList.toggle("busy", spot.ref !== null);
      tile.querySelector(".table-state").replaceWith(this.tableState(spot));
    }
  }

  tableTile(spot, onTap) {
    const { table } = spot;
    const colour = COLOUR.test(table.colour || "") ? table.colour : "#1f6f3f";
    return el("button", {
      // named by what it shows, "Tafel 2 Bezet 12,00 € 5 min" (the table's name first); the state
      // is its description as well, read on its own when it changes
      type: "button", class: `tile table${spot.ref !== null ? " busy" : ""}`,
      "aria-describedby": `table-state-${table.id}`, dataset: { tableId: table.id }, onclick: onTap,
    }, el("span", { class: "table-picture", "aria-hidden": "true", style: `background: ${colour}; color: ${ink(colour)}` },
      String(table.number)),
    el("span", { class: "tile-name" }, table.name), this.tableState(spot));
  }

  tableState({ table, ref, total, openedAt, ready }) {
    const id = `table-state-${table.id}`;
    if (ref === null) {
      return el("span", { class: "table-state free", id },
        el("span", { class: "state-line" }, el("span", { "aria-hidden": "true" }, "✔ "), this.texts.free));
    }
    return el("span", { class: "table-state", id },
      el("span", { class: "state-line" }, picture(this.pictures.plate, 28), ` ${this.texts.busy}`),
      el("span", { class: "state-line table-total" }, this.euro(total ?? 0)),
      el("span", { class: "state-line" }, picture(this.pictures.time, 28), ` ${this.minutes(openedAt)}`),
      // the kitchen or bar tapped "Klaar" on its screen: the order can be served
      ready ? el("span", { class: "state-line table-ready" }, picture(this.pictures.ready, 28), ` ${this.texts.ready}`) : null);
  }

  // How long a tab is open, as a word: "35 min", "1 u 20 min". Shown, never counted down.
  minutes(openedAt) {
    const since = openedAt ? Math.max(0, Math.floor((Date.now() - Date.parse(openedAt)) / 60000)) : 0;
    if (since < 60) return fill(this.texts.minutes, { count: since });
    return fill(this.texts.hours_minutes, { hours: Math.floor(since / 60), minutes: since % 60 });
  }

  // -- the tab ------------------------------------------------------------------------------
  choose() {
    this.show("choose", "choose");
    for (const part of this.root.querySelectorAll(".bistro-only")) part.hidden = false;
    this.$("#screen-choose").classList.add("bistro");
    this.$("#move-table").onclick = () => this.move();
    this.renderConsumption();
    this.renderTiles();
    this.renderBasket();
  }

  chooseBack() {
    if (this.category !== null && this.till.catalog.products.length > 12) super.chooseBack();
    else this.till.floor();
  }

  renderConsumption() {
    for (const button of this.root.querySelectorAll(".consumption-choice")) {
      const pressed = button.dataset.consumption === this.till.consumption;
      button.setAttribute("aria-pressed", String(pressed));
      button.querySelector(".pressed-mark").textContent = pressed ? "✔" : "";
      button.onclick = () => this.till.setConsumption(button.dataset.consumption);
    }
  }

  renderBasket() {
    const { till } = this;
    const view = till.view();
    this.$("#basket-title").textContent = till.tableName(view.tableId);
    this.$(".basket-lines").replaceChildren(...view.open.map((item) => this.tabLine(item)));
    this.$(".basket-empty").hidden = view.open.length > 0;
    this.$(".total-amount").textContent = this.euro(view.unpaid);
    this.$(".total-pieces").replaceChildren(...(view.unpaid ? this.pieces(piecesToTake(view.unpaid), 48) : []));
    const pay = this.$("#pay");
    pay.disabled = view.unpaid === 0;
    pay.setAttribute("aria-describedby", "done-why");
    const why = this.$("#done-why");  // why "Betalen" waits, without wiping a message shown there
    if (!view.unpaid) why.textContent = this.texts.empty_basket;
    else if (why.textContent === this.texts.empty_basket) why.textContent = "";
    const kitchen = this.$("#kitchen");
    kitchen.disabled = view.unsent === 0;
    this.$("#undo").disabled = till.history.length === 0;
  }

  tabLine(item) {
    const product = this.till.products.get(item.productId);
    const eatIn = item.consumption === "eat_in";
    return el("li", { class: "basket-line tab-line" },
      picture(product?.pictogram_url ?? this.root.dataset.productPicture, 48),
      el("span", { class: "line-name" }, item.name),
      el("span", { class: "line-amount" }, this.euro(item.amount)),
      el("span", { class: "line-info" },
        el("span", { class: "line-quantity" }, formatQuantity(item.quantityMilli, item.unit === "kg")),
        el("span", { class: "line-consumption" }, picture(eatIn ? this.pictures.plate : this.pictures.bag, 28),
          el("span", {}, eatIn ? this.texts.eat_in : this.texts.takeaway)),
        item.note ? el("span", { class: "line-note" }, picture(this.pictures.note, 28), el("span", {}, this.noteText(item.note))) : null,
        item.sent ? el("span", { class: "line-sent" }, el("span", { "aria-hidden": "true" }, "✔"), el("span", {}, this.texts.sent)) : null),
      item.sent ? null : el("button", {
        type: "button", class: "line-note-button", "aria-label": fill(this.texts.note_for, { name: item.name }),
        onclick: () => this.till.noteItem(item),
      }, picture(this.pictures.note, 32), el("span", { "aria-hidden": "true" }, this.texts.note)),
      el("button", {
        type: "button", class: "line-minus", "aria-label": fill(this.texts.remove_one, { name: item.name }),
        onclick: () => this.till.cancelItem(item),
      }, el("span", { "aria-hidden": "true" }, "−")));
  }

  noteWords() {
    return NOTES.map((note) => note.word);
  }

  noteText(note) {
    return note.split(", ").map((word) => {
      const known = NOTES.find((n) => n.word === word);
      return known ? this.texts[known.text] : word;
    }).join(", ");
  }

  kitchenState(state) {
    this.tabMessage(state ? this.texts[`kitchen_${state}`] : "", state === "sent");
  }

  // What "Naar keuken" really did, per station (the answer's `stations`): printed, on a screen,
  // or not delivered — then with a warning picture and what to do next.
  kitchenOutcome(stations) {
    if (!stations?.length) {
      this.tabMessage(this.texts.kitchen_no_station_items, true);
      return;
    }
    const lines = stations.map((outcome) => {
      const station = this.texts[`station_${outcome.station}`];
      if (outcome.state !== "sent") {
        return { ok: false, text: fill(this.texts[`kitchen_${outcome.state}`], { station }) };
      }
      const how = outcome.printed && outcome.on_screen ? "both" : outcome.printed ? "printed" : "screen";
      return { ok: true, text: fill(this.texts[`kitchen_sent_${how}`], { station }) };
    });
    const line = this.$("#tab-state");
    const allOk = lines.every((one) => one.ok);
    line.replaceChildren(...lines.map((one) => el("span", { class: `station-line${one.ok ? " ok" : " problem"}` },
      one.ok ? el("span", { "aria-hidden": "true" }, "✔ ") : picture(this.pictures.attention, 32),
      el("span", {}, one.text))));
    line.classList.toggle("ok", allOk);
    line.classList.toggle("problem", !allOk);
  }

  // What just happened to the tab, under its total: sent to the kitchen, moved, refused.
  tabMessage(text, ok = false) {
    const line = this.$("#tab-state");
    line.textContent = text;
    line.classList.toggle("ok", ok);
    line.classList.remove("problem");
  }

  // -- notes and another table --------------------------------------------------------------
  notes() {
    const { item } = this.till.noting;
    this.show("notes", "choose");
    this.$("#notes-title").textContent = fill(this.texts.note_for, { name: item.name });
    // Staff may type a note of their own; a care user never types (the field stays hidden).
    this.$("#screen-notes .typed-note").hidden = this.till.operator.role === "care";
    this.$("#typed-note").value = this.typedWords([...this.till.noting.words]).join(", ");
    this.renderNotes();
  }

  // The words of a note that are not one of the pictures: what staff typed.
  typedWords(words) {
    const pictured = this.noteWords();
    return words.filter((word) => !pictured.includes(word));
  }

  // What staff typed on the notes screen; null when the field is not shown (a care user).
  typedNote() {
    if (this.$("#screen-notes .typed-note").hidden) return null;
    return this.$("#typed-note").value.replace(/\s+/g, " ").trim();
  }

  renderNotes() {
    const { words } = this.till.noting;
    this.$("#screen-notes .tiles").replaceChildren(...NOTES.map((note) => el("button", {
      type: "button", class: "tile note", "aria-pressed": String(words.has(note.word)),
      onclick: () => this.till.toggleNote(note.word),
    }, el("span", { class: `note-picture${note.without ? " without" : ""}` }, picture(this.pictures[note.picture], 72),
      note.without ? picture(this.pictures.no, 72) : null),
    el("span", { class: "tile-name" }, this.texts[note.text]),
    el("span", { class: "pressed-mark", "aria-hidden": "true" }, words.has(note.word) ? "✔" : ""))));
  }

  move() {
    const here = this.till.view().tableId;
    const free = this.till.floorTables().filter((spot) => spot.ref === null && spot.table.id !== here);
    this.show("move", "choose");
    this.firstPage("screen-move");
    this.$("#screen-move .move-none").hidden = free.length > 0;
    this.paged(this.$("#screen-move"), free, (spot) => this.tableTile(spot, () => this.till.moveTo(spot.table)));
  }
}

// Black or white digits, whichever reads better on the table's colour.
function ink(colour) {
  const hex = colour.length === 4 ? colour.replace(/[0-9a-f]/gi, (c) => c + c) : colour;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

// =================================================================================================
// Drawing how a table pays: all together, per person (what each had) or in equal parts; then the
// shop till's own payment screens (paying.js) for that part, and after it what is left to pay.
// The BistroTill decides; BistroScreens shows.

const PEOPLE = [2, 3, 4, 5, 6, 7, 8];

class BistroScreens extends TabScreens {
  // -- how the table pays -------------------------------------------------------------------
  splitChoice() {
    this.show("split", "pay");
    const screen = this.$("#screen-split");
    screen.querySelector(".rest").textContent = fill(this.texts.rest, { amount: this.euro(this.till.view().unpaid) });
    for (const button of screen.querySelectorAll("[data-split]")) {
      button.onclick = () => this.till.chooseSplit(button.dataset.split);
    }
  }

  items() {
    this.show("items", "pay");
    this.firstPage("screen-items");
    this.paged(this.$("#screen-items"), this.till.view().open, (item) => el("button", {
      type: "button", class: "tile product pick",
      "aria-pressed": String(this.till.chosen.has(item.key)), dataset: { key: item.key },
      onclick: () => this.till.toggleChosen(item),
    }, picture(this.till.products.get(item.productId)?.pictogram_url ?? this.root.dataset.productPicture),
    el("span", { class: "tile-name" }, item.name),
    el("span", { class: "tile-price" }, this.euro(item.amount)),
    el("span", { class: "pressed-mark", "aria-hidden": "true" }, "")));
    this.renderItems();
  }

  // What this person had: marked in place, the tiles stay where they are.
  renderItems() {
    for (const tile of this.root.querySelectorAll("#screen-items .tiles .tile")) {
      const chosen = this.till.chosen.has(tile.dataset.key);
      tile.setAttribute("aria-pressed", String(chosen));
      tile.querySelector(".pressed-mark").textContent = chosen ? "✔" : "";
    }
    const items = this.till.chosenItems();
    const amount = items.reduce((sum, item) => sum + item.amount, 0);
    this.$("#screen-items .part-total").textContent = fill(this.texts.person_total, { amount: this.euro(amount) });
    this.$("#pay").disabled = items.length === 0;
    this.$("#done-why").textContent = items.length ? "" : this.texts.choose_items;
  }

  equal() {
    this.show("equal", "pay");
    this.$("#screen-equal .tiles").replaceChildren(...PEOPLE.map((count) => el("button", {
      type: "button", class: "tile people", dataset: { count },
      onclick: () => this.till.chooseParts(count),
    }, el("span", { class: "people-pictures" }, Array.from({ length: count }, () => picture(this.pictures.person, 32))),
    el("span", { class: "tile-name" }, fill(this.texts.people, { count })),
    el("span", { class: "pressed-mark", "aria-hidden": "true" }, ""))));
    this.renderEqual();
  }

  renderEqual() {
    const { split } = this.till;
    const started = split && split.part > 1;
    for (const tile of this.root.querySelectorAll("#screen-equal .tiles .tile")) {
      const chosen = Number(tile.dataset.count) === split?.parts;
      tile.setAttribute("aria-pressed", String(chosen));
      tile.disabled = Boolean(started && !chosen);
      tile.querySelector(".pressed-mark").textContent = chosen ? "✔" : "";
    }
    const status = this.$("#screen-equal .part-total");
    status.textContent = split ? fill(this.texts.part_of, {
      part: split.part, parts: split.parts, amount: this.euro(this.till.partAmount()),
    }) : "";
    this.$("#pay").disabled = !split;
    this.$("#done-why").textContent = split ? "" : this.texts.choose_people;
  }

  summaryItems() {
    const { paying } = this.till;
    if (!paying) return [];
    if (paying.split.kind === "equal") {
      const { part, parts } = paying.split;
      return [{ pictureUrl: this.pictures.person, text: fill(this.texts.part_short, { part, parts }) }];
    }
    return paying.items.map((item) => ({
      pictureUrl: this.till.products.get(item.productId)?.pictogram_url ?? this.root.dataset.productPicture,
      text: item.name,
    }));
  }

  change(changeCents) {
    super.change(changeCents);
    this.renderRest();
  }

  // After a part: what the table still has to pay, or that it is all paid.
  renderRest() {
    const view = this.till.view();
    const rest = this.$("#screen-change .tab-rest");
    rest.hidden = false;
    rest.classList.toggle("ok", view.unpaid === 0);
    rest.querySelector("span").textContent = view.unpaid > 0 ? fill(this.texts.rest, { amount: this.euro(view.unpaid) })
      : `✔ ${fill(this.texts.all_paid, { table: this.till.tableName(view.tableId) })}`;
  }
}

// =================================================================================================
// A table's tab at the till: the floor of tables, the tab's items (added, taken off, noted, sent to
// the kitchen, moved to another table). The tab lives on the server; every tap shows at once and
// goes to the server through the tab queue (TabQueue), so nothing is lost while it is away.
// Paying a tab, in parts or not, is BistroTill.

const FLOOR_REFRESH_MS = 15000;
const NEW_TAB = "nieuw-";  // a table's tab before the server opened it: a local key

class TabTill extends Till {
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
    this.split = saved.split ?? null;  // equal parts being paid (BistroTill): {tab, parts, part}
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

// =================================================================================================
// The bistro: the shop till with a floor of tables first (TabTill), and a table that pays all at
// once, per person (what each had) or in equal parts, each part through the shop till's own
// payment screens, its own sale and ticket number.

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

  // What this payment pays, as [name, quantity] lines: the items, or the part of the bill.
  paidLines() {
    const { split, items } = this.paying;
    if (split.kind === "equal") return [[fill(this.texts.part_short, split), "1"]];
    return items.map(({ name, unit, quantityMilli }) => [
      name, unit === "kg" ? (quantityMilli / 1000).toFixed(3) : String(quantityMilli / 1000),
    ]);
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
      const summary = { lines: this.paidLines(), total_cents: amount };  // for "Niet aanvaard"
      const op = this.change("pay", { split, amount, payments, summary, rungUpAt: rungUpAt() });
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
