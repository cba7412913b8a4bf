// The shop till's own screens: who is at the till, choosing products, the basket, weighing.
// The Till (selling.js) decides; this module shows. Paying is shared with the bistro (paying.js).

import { Offline } from "./api.js";
import { formatQuantity, lineAmount, piecesToTake } from "./money.js";
import { PER_PAGE, pageArrows } from "./screen_base.js";
import { PaymentScreens } from "./paying.js";
import { load, save } from "./store.js";
import { el, fill, picture, settle } from "./ui.js";

const MAX_GRAMS = 99999;
const ALL = "all";  // the "Alle soorten" tile: every product
const RAIL_PER_PAGE = 5;  // CARE_UX "few choices": at most 5 categories in the rail at once

export class Screens extends PaymentScreens {
  constructor(till) {
    super(till);
    this.category = null;  // the open category; null: the categories' screen
    this.railPage = 0;
    this.grams = "";
    this.weighing = null;
  }

  summaryItems() {
    if (this.till.bill) return this.till.bill.summaryItems;
    const { basket, products } = this.till;
    return basket.lines.map((line) => {
      const product = products.get(line.productId);
      return { pictureUrl: product.pictogram_url, text: `${product.name} ${formatQuantity(line.quantityMilli, line.weighed)}` };
    });
  }

  // -- operators and PIN --------------------------------------------------------------------
  operators() {
    this.till.applySettings(null);  // nobody at the till yet: its own tile size and digits
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
    this.till.applySettings(operator);  // large digits already on the PIN keypad
    this.show("pin", null);
    let digits = "";
    const screen = this.root.querySelector("#screen-pin");
    const dots = screen.querySelector(".pin-dots");
    const message = screen.querySelector(".message");
    message.textContent = "";
    screen.querySelector(".pin-person img").src = operator.photo_url;  // whose code it asks
    screen.querySelector(".pin-person span").textContent = operator.name;
    const redraw = () => { dots.textContent = "●".repeat(digits.length) || "\u00a0"; };
    redraw();
    const check = async () => {
      const answer = await this.pinMatches(operator, digits);
      if (answer.ok) this.till.setOperator(operator, answer.proof, answer.proof ? null : digits);
      else {
        // the server's own message: too many wrong PINs, ask a staff member
        message.textContent = answer.message ?? this.texts.wrong_pin;
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

  // {ok, proof}: the server's operator_proof, sent with every change this person makes
  async pinMatches(operator, pin) {
    const remembered = load(`pin.${operator.id}`);
    const digest = await sha256(`${operator.id}:${pin}`);
    try {
      const { status, data } = await this.till.queue.api.verifyPin(operator.id, pin);
      if (status === 200) {
        save(`pin.${operator.id}`, digest);
        return { ok: true, proof: data.operator_proof ?? null };
      }
      if (status === 429 && data && data.message) return { ok: false, message: String(data.message) };
      return { ok: false };
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      // offline: the last code that worked; the till asks for the proof when the server is back
      return { ok: remembered !== null && remembered === digest, proof: null };
    }
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

  // The next customer starts at the beginning: the categories' first page, nothing open.
  startOver() {
    this.category = null;
    this.page = 0;
    this.railPage = 0;
  }

  // The categories that have products here; a product without one (or with one not in the
  // catalog) is found under "Alle soorten".
  categoriesInUse() {
    const { products, categories } = this.till.catalog;
    const used = categories.filter((c) => products.some((p) => p.category_id === c.id));
    if (products.some((p) => !used.some((c) => c.id === p.category_id))) {
      used.push({ id: ALL, name: this.texts.all_categories, pictogram_url: this.root.dataset.productPicture });
    }
    return used;
  }

  // Open a category, from the categories' screen or the rail; the rail shows the page it is on.
  openCategory(category, categories) {
    this.category = category.id;
    this.page = 0;
    this.railPage = Math.floor(categories.indexOf(category) / RAIL_PER_PAGE);
    this.renderTiles();
  }

  renderTiles() {
    const screen = this.root.querySelector("#screen-choose");
    const { products } = this.till.catalog;
    const categories = products.length > PER_PAGE ? this.categoriesInUse() : null;
    if (categories && this.category === null) {
      this.renderRail(screen, null);
      this.paged(screen, categories, (category) => el("button", {
        type: "button", class: "tile category", onclick: () => this.openCategory(category, categories),
      }, picture(category.pictogram_url), el("span", { class: "tile-name" }, category.name)));
      return;
    }
    this.renderRail(screen, categories);  // before the tiles: a page holds what fits below it
    const shown = products.filter((p) => [null, ALL, p.category_id].includes(this.category));
    this.paged(screen, shown, (product) => el("button", {
      // named by what it shows, "Boerenbrood 3,80 €": the name first, so it is found by it
      type: "button", class: "tile product", onclick: () => this.till.tapProduct(product),
    }, picture(product.pictogram_url), el("span", { class: "tile-name" }, product.name),
    el("span", { class: "tile-price" },
      product.unit === "kg" ? `${this.euro(product.price_cents)} / kg` : this.euro(product.price_cents))));
  }

  // The category rail above the products: picture and word, the open one pressed (with a tick),
  // at most RAIL_PER_PAGE at once with big arrows; hidden on the categories' screen (null).
  renderRail(screen, categories) {
    const rail = screen.querySelector(".category-rail");
    rail.hidden = !categories;
    if (!categories) return;
    const pages = Math.ceil(categories.length / RAIL_PER_PAGE);
    this.railPage = Math.min(Math.max(this.railPage, 0), pages - 1);
    const first = this.railPage * RAIL_PER_PAGE;
    rail.querySelector(".rail-tiles").replaceChildren(...categories.slice(first, first + RAIL_PER_PAGE).map((category) => {
      const open = category.id === this.category;
      return el("button", {
        type: "button", class: "rail-tile", "aria-pressed": String(open),
        onclick: () => this.openCategory(category, categories),
      }, picture(category.pictogram_url, 32), el("span", { class: "tile-name" }, category.name),
      el("span", { class: "pressed-mark", "aria-hidden": "true" }, open ? "✔" : ""));
    }));
    pageArrows(rail.querySelector(".rail-prev"), rail.querySelector(".rail-next"), this.railPage, pages, (page) => {
      this.railPage = page;
      settle(this.root);
      this.renderRail(screen, categories);
    });
  }

  renderBasket() {
    const { basket, products } = this.till;
    const list = this.root.querySelector(".basket-lines");
    list.replaceChildren(...basket.lines.map((line, index) => {
      const product = products.get(line.productId);
      const quantity = formatQuantity(line.quantityMilli, line.weighed);
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

  // -- weighing -----------------------------------------------------------------------------
  // Weigh a product: into the basket, or (orders.js) onto an order's line.
  weigh(product, onWeighed = (grams) => this.till.addWeighed(product, grams)) {
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
      if (Number(this.grams) > 0) onWeighed(Number(this.grams));
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
}

async function sha256(text) {
  if (!crypto.subtle) return text;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
