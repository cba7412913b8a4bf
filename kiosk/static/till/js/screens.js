// Drawing the till's screens. The Till (till.js) decides; this module shows.

import { Offline } from "./api.js";
import {
  TAPPABLE_PIECES, cashRound, changePieces, formatEuro, lineAmount, pieceFile, pieceLabel, piecesToTake,
} from "./money.js";
import { click, speak } from "./speech.js";
import { load, save } from "./store.js";
import { el, fill, picture, setStep, settle, showScreen } from "./ui.js";
import { amountInWords } from "./words.js";

const PER_PAGE = 12;
const MAX_GRAMS = 99999;
const ALL = "all";  // the "Alle soorten" tile: every product

// Which action-bar buttons each screen shows; the rest are hidden, never moved.
const BAR = {
  loading: [],
  operator: ["back"],
  pin: ["back"],
  choose: ["back", "undo", "pay"],
  weigh: ["back", "undo"],
  method: ["back", "undo"],
  card: ["back", "undo"],
  cash: ["back", "undo", "done"],
  change: ["back", "next-customer"],
};
const ENABLED = { operator: [], change: ["next-customer"], method: ["back"], card: ["back"] };

export class Screens {
  constructor(till) {
    this.till = till;
    window.addEventListener("resize", () => this.repage?.());  // a tablet turned: fit the tiles again
    this.root = till.root;
    this.texts = till.texts;
    this.moneyUrl = this.root.dataset.moneyUrl;
    this.page = 0;
    this.category = null;
    this.grams = "";
    this.weighing = null;
  }

  euro(cents) {
    return `${formatEuro(cents)} €`;
  }

  words(cents) {
    return amountInWords(cents);
  }

  say(text) {
    click(this.till.operator?.sound);
    speak(text, this.till.operator?.speech);
  }

  flash(message) {
    const why = this.root.querySelector("#done-why");
    why.textContent = message;
    setTimeout(() => { if (why.textContent === message) why.textContent = ""; }, 4000);
  }

  show(name, step) {
    showScreen(this.root, name);
    setStep(this.root, step);
    const visible = BAR[name];
    const enabled = ENABLED[name];
    for (const id of ["back", "undo", "pay", "done", "next-customer"]) {
      const button = this.root.querySelector(`#${id}`);
      button.hidden = !visible.includes(id);
      button.disabled = enabled ? !enabled.includes(id) : false;
    }
    this.root.querySelector("#done-why").textContent = "";
    const inShift = !["operator", "pin", "loading"].includes(name);
    this.root.querySelector("#stop").hidden = !inShift;
    const operatorButton = this.root.querySelector("#operator-button");
    operatorButton.hidden = !inShift || !this.till.operator;
    if (this.till.operator) {
      operatorButton.querySelector("img").src = this.till.operator.photo_url;
      operatorButton.querySelector("span").textContent = this.till.operator.name;
    }
  }

  // -- operators and PIN --------------------------------------------------------------------
  operators() {
    this.show("operator", null);
    this.paged(this.root.querySelector("#screen-operator"), this.till.catalog.operators, (operator) =>
      el("button", { type: "button", class: "tile operator", onclick: () => this.pickOperator(operator) },
        picture(operator.photo_url, 96), el("span", { class: "tile-name" }, operator.name)));
  }

  pickOperator(operator) {
    if (operator.has_pin) this.pin(operator);
    else this.till.setOperator(operator);
  }

  pin(operator) {
    this.show("pin", null);
    let digits = "";
    const screen = this.root.querySelector("#screen-pin");
    const dots = screen.querySelector(".pin-dots");
    const message = screen.querySelector(".message");
    message.textContent = "";
    const redraw = () => { dots.textContent = "●".repeat(digits.length) || "\u00a0"; };
    redraw();
    const check = async () => {
      if (await this.pinMatches(operator, digits)) this.till.setOperator(operator);
      else {
        message.textContent = this.texts.wrong_pin;
        digits = "";
        redraw();
      }
    };
    this.keypad(screen.querySelector(".pin-keypad"), (key) => {
      if (key === "back") digits = digits.slice(0, -1);
      else if (key === "ok") { check(); return; } else if (digits.length < 6) digits += key;
      redraw();
    }, true);
  }

  async pinMatches(operator, pin) {
    const remembered = load(`pin.${operator.id}`);
    const digest = await sha256(`${operator.id}:${pin}`);
    try {
      const { status } = await this.till.queue.api.verifyPin(operator.id, pin);
      if (status === 200) save(`pin.${operator.id}`, digest);
      return status === 200;
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      return remembered !== null && remembered === digest;  // offline: the last code that worked
    }
  }

  keypad(container, onKey, withOk = false) {
    const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", withOk ? "ok" : null];
    container.replaceChildren(...keys.filter(Boolean).map((key) => {
      const label = key === "back" ? this.texts.delete_digit : key === "ok" ? "OK" : key;
      const symbol = key === "back" ? "⌫" : key === "ok" ? "✔" : key;
      return el("button", { type: "button", class: `key key-${key}`, "aria-label": label, onclick: () => onKey(key) },
        el("span", { "aria-hidden": "true" }, symbol));
    }));
  }

  // -- choosing -----------------------------------------------------------------------------
  choose() {
    this.show("choose", "choose");
    this.renderTiles();
    this.renderBasket();
  }

  chooseBack() {
    if (this.category !== null && this.till.catalog.products.length > PER_PAGE) {
      this.category = null;
      this.page = 0;
      this.renderTiles();
    } else {
      this.till.stop();
    }
  }

  renderTiles() {
    const screen = this.root.querySelector("#screen-choose");
    const { products, categories } = this.till.catalog;
    if (products.length > PER_PAGE && this.category === null) {
      const used = categories.filter((c) => products.some((p) => p.category_id === c.id));
      // A product without a category (or with one not in the catalog) is found under "Alle soorten".
      if (products.some((p) => !used.some((c) => c.id === p.category_id))) {
        used.push({ id: ALL, name: this.texts.all_categories, pictogram_url: this.root.dataset.productPicture });
      }
      this.paged(screen, used, (category) => el("button", {
        type: "button", class: "tile category",
        onclick: () => { this.category = category.id; this.page = 0; this.renderTiles(); },
      }, picture(category.pictogram_url), el("span", { class: "tile-name" }, category.name)));
      return;
    }
    const shown = products.filter((p) => [null, ALL, p.category_id].includes(this.category));
    this.paged(screen, shown, (product) => el("button", {
      type: "button", class: "tile product", "aria-label": product.name,
      "aria-describedby": `price-${product.id}`, onclick: () => this.till.tapProduct(product),
    }, picture(product.pictogram_url), el("span", { class: "tile-name" }, product.name),
    el("span", { class: "tile-price", id: `price-${product.id}` },
      product.unit === "kg" ? `${this.euro(product.price_cents)} / kg` : this.euro(product.price_cents))));
  }

  // At most 12 tiles a page, and a row less while a full page (or its page arrows) would fall off
  // the screen (big tiles, a short landscape screen): nothing on a till screen needs scrolling.
  paged(screen, items, makeTile, perPage = this.fitPage(screen, items, makeTile)) {
    const tiles = screen.querySelector(".tiles");
    const previous = screen.querySelector(".page-prev");
    const next = screen.querySelector(".page-next");
    const pages = Math.max(1, Math.ceil(items.length / perPage));
    this.page = Math.min(this.page, pages - 1);
    settle(this.root);
    tiles.replaceChildren(...items.slice(this.page * perPage, (this.page + 1) * perPage).map(makeTile));
    previous.hidden = next.hidden = pages === 1;
    previous.disabled = this.page === 0;
    next.disabled = this.page >= pages - 1;
    previous.onclick = () => { this.page -= 1; this.paged(screen, items, makeTile, perPage); };
    next.onclick = () => { this.page += 1; this.paged(screen, items, makeTile, perPage); };
    this.repage = () => this.paged(screen, items, makeTile);
  }

  fitPage(screen, items, makeTile) {
    const tiles = screen.querySelector(".tiles");
    const next = screen.querySelector(".page-next");
    const columns = getComputedStyle(tiles).gridTemplateColumns.split(" ").length;
    let perPage = PER_PAGE;
    for (; perPage > columns; perPage -= columns) {
      const paging = items.length > perPage;
      tiles.replaceChildren(...items.slice(0, perPage).map(makeTile));
      next.hidden = !paging;
      if (fitsOnScreen(paging ? next : tiles)) break;
    }
    return perPage;
  }

  renderBasket() {
    const { basket, products } = this.till;
    const list = this.root.querySelector(".basket-lines");
    list.replaceChildren(...basket.lines.map((line, index) => {
      const product = products.get(line.productId);
      const quantity = line.weighed ? `${(line.quantityMilli / 1000).toFixed(3).replace(".", ",")} kg`
        : `× ${line.quantityMilli / 1000}`;
      return el("li", { class: "basket-line" },
        picture(product.pictogram_url, 56),
        el("span", { class: "line-name" }, product.name),
        el("span", { class: "line-quantity" }, quantity),
        el("span", { class: "line-amount" }, this.euro(lineAmount(product.price_cents, line.quantityMilli))),
        el("button", { type: "button", class: "line-minus", "aria-label": fill(this.texts.remove_one, { name: product.name }),
          onclick: () => { basket.decrease(index); this.renderBasket(); } }, el("span", { "aria-hidden": "true" }, "−")),
        line.weighed ? null : el("button", { type: "button", class: "line-plus",
          "aria-label": fill(this.texts.add_one, { name: product.name }),
          onclick: () => { basket.increase(index); this.renderBasket(); } }, el("span", { "aria-hidden": "true" }, "+")));
    }));
    const total = basket.total(products);
    this.root.querySelector(".basket-empty").hidden = !basket.isEmpty();
    this.root.querySelector(".total-amount").textContent = this.euro(total);
    this.root.querySelector(".total-pieces").replaceChildren(...(total ? this.pieces(piecesToTake(total), 48) : []));
    const pay = this.root.querySelector("#pay");
    pay.disabled = basket.isEmpty();
    pay.setAttribute("aria-describedby", "done-why");
    this.root.querySelector("#done-why").textContent = basket.isEmpty() ? this.texts.empty_basket : "";
    this.root.querySelector("#undo").disabled = !basket.canUndo();
  }

  pieces(pieces, size) {
    return pieces.map(({ value, count }) => el("span", { class: "piece" },
      picture(this.moneyUrl + pieceFile(value), size),
      el("span", { class: "piece-count" }, `× ${count}`),
      el("span", { class: "piece-label" }, pieceLabel(value, this.texts))));
  }

  // -- weighing -----------------------------------------------------------------------------
  weigh(product) {
    this.weighing = product;
    this.grams = "";
    this.show("weigh", "choose");
    const screen = this.root.querySelector("#screen-weigh");
    screen.querySelector("#weigh-title").replaceChildren(picture(product.pictogram_url, 64), ` ${product.name}`);
    this.keypad(screen.querySelector(".grams-keypad"), (key) => {
      if (key === "back") this.grams = this.grams.slice(0, -1);
      else if (Number(this.grams + key) <= MAX_GRAMS) this.grams = (this.grams + key).replace(/^0+/, "");
      this.renderWeigh();
    });
    screen.querySelector(".weigh-add").onclick = () => {
      if (Number(this.grams) > 0) this.till.addWeighed(product, Number(this.grams));
    };
    this.say(`${product.name}, ${this.words(product.price_cents)} per kilo`);
    this.renderWeigh();
  }

  weighUndo() {
    this.grams = this.grams.slice(0, -1);
    this.renderWeigh();
  }

  renderWeigh() {
    const screen = this.root.querySelector("#screen-weigh");
    const grams = Number(this.grams || 0);
    screen.querySelector(".grams").textContent = grams;
    screen.querySelector(".weigh-price").textContent = this.euro(lineAmount(this.weighing.price_cents, grams));
    screen.querySelector(".weigh-add").disabled = grams === 0;
    this.root.querySelector("#undo").disabled = grams === 0;
  }

  // -- paying -------------------------------------------------------------------------------
  summary(screen) {
    const { basket, products } = this.till;
    let strip = screen.querySelector(".summary");
    if (!strip) {
      strip = el("ul", { class: "summary", "aria-label": this.texts.total });
      screen.prepend(strip);
    }
    strip.replaceChildren(...basket.lines.map((line) => {
      const product = products.get(line.productId);
      const count = line.weighed ? `${(line.quantityMilli / 1000).toFixed(3).replace(".", ",")} kg` : `× ${line.quantityMilli / 1000}`;
      return el("li", {}, picture(product.pictogram_url, 40), el("span", {}, `${product.name} ${count}`));
    }));
  }

  method() {
    this.show("method", "pay");
    const screen = this.root.querySelector("#screen-method");
    this.summary(screen);
    const total = this.till.total();
    screen.querySelector(".due").textContent = `${this.texts.due}: ${this.euro(total)}`;
    const accepted = this.till.catalog.payment_methods;
    for (const button of screen.querySelectorAll(".method")) {
      button.hidden = !accepted.includes(button.dataset.method);
      button.onclick = () => this.till.chooseMethod(button.dataset.method);
    }
    this.say(`${this.texts.due} ${this.words(total)}`);
  }

  card() {
    this.show("card", "pay");
    const screen = this.root.querySelector("#screen-card");
    this.summary(screen);
    const total = this.till.total();
    screen.querySelector(".card-instruction").textContent = fill(this.texts.card_instruction, { amount: this.euro(total) });
    for (const button of screen.querySelectorAll(".answer")) {
      button.onclick = () => this.till.cardAnswered(button.dataset.answer === "yes");
    }
  }

  cash() {
    this.show("cash", "pay");
    const screen = this.root.querySelector("#screen-cash");
    this.summary(screen);
    screen.querySelector(".money-buttons").replaceChildren(...TAPPABLE_PIECES.map((value) => el("button", {
      type: "button", class: `money ${value >= 500 ? "note" : "coin"}`, "aria-label": pieceLabel(value, this.texts),
      onclick: () => this.till.tapMoney(value),
    }, picture(this.moneyUrl + pieceFile(value), value >= 500 ? 120 : 72),
    el("span", { "aria-hidden": "true" }, pieceLabel(value, this.texts)))));
    this.renderCash();
  }

  renderCash() {
    const screen = this.root.querySelector("#screen-cash");
    const due = cashRound(this.till.total());
    const received = this.till.receivedTotal();
    screen.querySelector(".cash-due").textContent = this.euro(due);
    screen.querySelector(".cash-received").textContent = this.euro(received);
    const enough = received >= due;
    const counts = new Map();
    for (const value of this.till.received) counts.set(value, (counts.get(value) || 0) + 1);
    const pieces = [...counts].sort((a, b) => b[0] - a[0]).map(([value, count]) => ({ value, count }));
    screen.querySelector(".received-pieces").replaceChildren(...this.pieces(pieces, 48));
    const state = screen.querySelector(".cash-enough");
    state.hidden = !enough;  // what is missing is said beside "Klaar" (#done-why)
    state.textContent = enough ? `✔ ${this.texts.enough}` : "";
    const done = this.root.querySelector("#done");
    done.disabled = !enough || this.till.submitting;
    this.root.querySelector("#done-why").textContent = enough ? ""
      : fill(this.texts.not_enough, { amount: this.euro(due - received) });
    this.root.querySelector("#undo").disabled = this.till.received.length === 0;
  }

  change(changeCents) {
    this.show("change", "change");
    const screen = this.root.querySelector("#screen-change");
    const title = screen.querySelector("#change-title");
    const amount = screen.querySelector(".change-amount");
    const list = screen.querySelector(".change-pieces");
    if (changeCents === null) {
      title.textContent = `✔ ${this.texts.card_done}`;
      amount.textContent = "";
      list.replaceChildren();
    } else {
      title.textContent = changeCents ? fill(this.texts.give_back, { amount: this.euro(changeCents) }) : this.texts.no_change;
      amount.textContent = this.euro(changeCents);
      list.replaceChildren(...this.pieces(changePieces(changeCents), 96).map((piece) => el("li", {}, piece)));
      this.say(changeCents ? fill(this.texts.give_back, { amount: this.words(changeCents) }) : this.texts.no_change);
    }
    this.saleState(null);  // till.js fills it in once the queue has tried to send the sale
    this.root.querySelector("#screen-change .receipt-state").hidden = true;
  }

  receiptState(state, retry) {
    const box = this.root.querySelector("#screen-change .receipt-state");
    box.hidden = state !== "failed" && state !== "printed";
    box.querySelector(".receipt-message").textContent = state === "printed" ? this.texts.receipt_printed
      : this.texts.receipt_failed;
    box.classList.toggle("stop", state === "failed");
    const button = box.querySelector("button");
    button.hidden = state !== "failed";
    button.onclick = () => { button.disabled = true; retry(); setTimeout(() => { button.disabled = false; }, 2000); };
  }

  // state: "saved", "queued", "refused" or null (not sent yet)
  saleState(state) {
    const line = this.root.querySelector("#screen-change .sale-state");
    line.textContent = state ? `${state === "refused" ? "✖ " : ""}${this.texts[`sale_${state}`]}` : "";
    line.classList.toggle("stop", state === "refused");
  }
}

function fitsOnScreen(element) {
  const main = element.closest("main");
  const bottom = element.getBoundingClientRect().bottom - main.getBoundingClientRect().top + main.scrollTop;
  return bottom <= main.clientHeight - parseFloat(getComputedStyle(main).paddingBottom);
}

async function sha256(text) {
  if (!crypto.subtle) return text;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
