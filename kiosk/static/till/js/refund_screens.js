// The refund screens (refunds.js decides, this module shows): recent sales as pictures, the lines
// to tap, where the goods go, who confirms with a PIN, and the money to give back as pictures.

import { formatQuantity, parseMilli } from "./money.js";
import { el, fill, picture } from "./ui.js";

export class RefundScreens {
  constructor(till, refunds) {
    this.till = till;
    this.refunds = refunds;
    this.root = till.root;
    this.texts = till.texts;
  }

  get screens() {
    return this.till.screens;
  }

  $(selector) {
    return this.root.querySelector(selector);
  }

  install() {
    for (const button of this.root.querySelectorAll("#screen-refund-stock .method")) {
      button.addEventListener("click", () => this.refunds.chooseStock(button.dataset.stock));
    }
    this.$("#screen-refund-lines .refund-all").addEventListener("click", () => this.refunds.chooseAll());
    this.$("#screen-refund-lines .refund-next").addEventListener("click", () => this.refunds.linesChosen());
  }

  show(name) {
    this.screens.show(name, null);
    const message = this.$(`#screen-${name} .message`);
    if (message) message.textContent = "";
  }

  // -- which sale -----------------------------------------------------------------------------
  sales(list) {
    this.show("refund-sales");
    const screen = this.$("#screen-refund-sales");
    screen.querySelector(".refund-loading").hidden = list !== null;
    this.screens.page = 0;
    this.screens.paged(screen, list || [], (sale) => this.saleTile(sale));
  }

  saleTile(sale) {
    const done = sale.refundable_cents === 0;
    const time = new Date(sale.created_at).toLocaleTimeString("nl-BE", { hour: "2-digit", minute: "2-digit" });
    // named by what it shows: "10:42 26,60 € ticket HW1-000001", the ticket as on the receipt
    return el("button", {
      type: "button", class: "tile refund-sale", disabled: done, onclick: () => this.refunds.pickSale(sale),
    },
    el("span", { class: "refund-pictures" }, sale.lines.slice(0, 3).map((line) => this.linePicture(line, 48))),
    el("span", { class: "tile-name" }, time),
    el("span", { class: "tile-price" }, this.screens.euro(sale.total_cents)),
    el("span", { class: "tile-ticket" }, fill(this.texts.refund_ticket, { receipt: sale.receipt_number })),
    done ? el("span", { class: "refund-done-mark" }, `✔ ${this.texts.refund_already}`) : null);
  }

  linePicture(line, size) {
    return picture(line.pictogram_url || this.root.dataset.productPicture, size);
  }

  salesMessage(message) {
    const screen = this.$("#screen-refund-sales");
    screen.querySelector(".refund-loading").hidden = true;
    screen.querySelector(".message").textContent = message;
  }

  // -- which lines ----------------------------------------------------------------------------
  lines(sale, chosen) {
    if (this.root.dataset.screen !== "refund-lines") {
      this.show("refund-lines");
      this.screens.page = 0;
    }
    const screen = this.$("#screen-refund-lines");
    screen.querySelector(".refund-receipt").textContent = fill(this.texts.refund_of, { receipt: sale.receipt_number });
    const total = sale.lines.filter((line) => chosen.has(line.id)).reduce((sum, line) => sum + line.amount_cents, 0);
    screen.querySelector(".refund-total").textContent = fill(this.texts.refund_total, { amount: this.screens.euro(total) });
    this.screens.paged(screen, sale.lines, (line) => el("button", {
      type: "button", class: "tile product refund-line",
      "aria-pressed": chosen.has(line.id) ? "true" : "false", disabled: line.refunded,
      onclick: () => this.refunds.toggleLine(line),
    }, this.linePicture(line, 72), el("span", { class: "tile-name" }, line.description),
    el("span", { class: "tile-price" }, `${formatQuantity(parseMilli(line.quantity), line.unit === "kg")} · ${this.screens.euro(line.amount_cents)}`),
    line.refunded ? el("span", { class: "refund-done-mark" }, `✔ ${this.texts.refund_already}`) : null));
  }

  linesMessage(message) {
    this.$("#screen-refund-lines .message").textContent = message;
  }

  stock() {
    this.show("refund-stock");
  }

  // -- who confirms ---------------------------------------------------------------------------
  staff(people) {
    this.show("refund-staff");
    this.screens.page = 0;
    this.screens.paged(this.$("#screen-refund-staff"), people, (person) => el("button", {
      type: "button", class: "tile operator", onclick: () => this.refunds.askPin(person),
    }, picture(person.photo_url, 96), el("span", { class: "tile-name" }, person.name)));
  }

  pin(person) {
    this.show("refund-pin");
    const screen = this.$("#screen-refund-pin");
    screen.querySelector("#refund-pin-title").textContent = fill(this.texts.refund_pin, { name: person.name });
    this.screens.pinEntry(screen, (digits) => this.refunds.confirm(digits));
  }

  pinMessage(message) {
    this.$("#screen-refund-pin .message").textContent = message;
  }

  backToChange() {
    this.screens.show("change", "change");
    this.refunds.entry.showVoid(Boolean(this.refunds.entry.lastSale));
  }

  // -- done: the money to give back ------------------------------------------------------------
  done(refund) {
    this.show("refund-done");
    const screen = this.$("#screen-refund-done");
    const cash = refund.cash_back_cents;
    const back = (method) => -refund.payments.filter((p) => p.method === method).reduce((sum, p) => sum + p.amount_cents, 0);
    const [card, transfer] = [back("card"), back("qr")];  // a QR payment goes back by transfer
    const title = refund.refund_reason === "vergissing" ? this.texts.void_done : this.texts.refund_done;
    screen.querySelector("#refund-done-title").textContent = title;
    screen.querySelector(".refund-card").textContent = [
      card ? `✔ ${fill(this.texts.refund_card, { amount: this.screens.euro(card) })}` : "",
      transfer ? fill(this.texts.refund_transfer, { amount: this.screens.euro(transfer) }) : "",
    ].filter(Boolean).join(" ");
    screen.querySelector(".refund-cash-title").textContent = cash ? fill(this.texts.give_back, { amount: this.screens.euro(cash) }) : "";
    screen.querySelector(".change-amount").textContent = cash ? this.screens.euro(cash) : "";
    const pieces = refund.cash_back.map(({ value_cents: value, count }) => ({ value, count }));
    screen.querySelector(".change-pieces").replaceChildren(...this.screens.pieces(pieces, 96).map((piece) => el("li", {}, piece)));
    screen.querySelector(".refund-receipt").textContent = fill(this.texts.refund_receipt, {
      receipt: refund.receipt_number, original: refund.refund_of,
    });
    this.screens.say(cash ? fill(this.texts.give_back, { amount: this.screens.words(cash) }) : title);
  }
}
