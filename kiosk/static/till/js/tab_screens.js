// Drawing a table's screens: the floor of tables, a table's tab (the shop's product tiles with the
// tab beside them), notes and another table. How a table pays is bistro_screens.js.

import { formatQuantity, piecesToTake } from "./money.js";
import { Screens } from "./screens.js";
import { el, fill, picture } from "./ui.js";

// The notes a care user can put on an item; the words go to the kitchen as they are.
const NOTES = [
  { word: "zonder ui", text: "note_no_onion", picture: "onion", without: true },
  { word: "extra warm", text: "note_extra_hot", picture: "hot" },
  { word: "zonder ijs", text: "note_no_ice", picture: "ice", without: true },
  { word: "klein", text: "note_small", picture: "small" },
];
const COLOUR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;

export class TabScreens extends Screens {
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
