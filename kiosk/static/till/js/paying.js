// Paying, shared by the shop till and the bistro: how the customer pays, card, cash as pictures of
// notes and coins, and the change as the fewest pieces. The amount is the till's total(): the whole
// basket in the shop, the part being paid at a bistro table.

import { ScreenBase } from "./screen_base.js";
import { TAPPABLE_PIECES, cashRound, changePieces, pieceFile, pieceLabel } from "./money.js";
import { el, fill, picture } from "./ui.js";

export class PaymentScreens extends ScreenBase {
  // What is being paid, as small pictures with words: [{pictureUrl, text}]
  summaryItems() {
    return [];
  }

  summary(screen) {
    let strip = screen.querySelector(".summary");
    if (!strip) {
      strip = el("ul", { class: "summary", "aria-label": this.texts.total });
      screen.prepend(strip);
    }
    strip.replaceChildren(...this.summaryItems().map(({ pictureUrl, text }) =>
      el("li", {}, picture(pictureUrl, 40), el("span", {}, text))));
  }

  method() {
    this.show("method", "pay");
    const screen = this.root.querySelector("#screen-method");
    this.summary(screen);
    const total = this.till.total();
    screen.querySelector(".due").textContent = `${this.texts.due}: ${this.euro(total)}`;
    const accepted = this.till.catalog.payment_methods;
    for (const button of screen.querySelectorAll(".method")) {
      // QR: the shop till only, which has the QR screens (qr_paying.js)
      const offered = button.dataset.method !== "qr" || Boolean(this.till.qr);
      button.hidden = !accepted.includes(button.dataset.method) || !offered;
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

  // changeCents null: paid by card or QR (`method`), which give no change
  change(changeCents, method = "card") {
    this.show("change", "change");
    const screen = this.root.querySelector("#screen-change");
    const title = screen.querySelector("#change-title");
    const amount = screen.querySelector(".change-amount");
    const list = screen.querySelector(".change-pieces");
    // a card or QR payment: its picture with a tick, never an empty change box
    screen.querySelector(".change").hidden = changeCents === null;
    screen.querySelector(".card-paid:not(.qr-paid)").hidden = changeCents !== null || method === "qr";
    screen.querySelector(".qr-paid").hidden = changeCents !== null || method !== "qr";
    if (changeCents === null) {
      title.textContent = `✔ ${method === "qr" ? this.texts.qr_done : this.texts.card_done}`;
      amount.textContent = "";
      list.replaceChildren();
    } else {
      title.textContent = changeCents ? fill(this.texts.give_back, { amount: this.euro(changeCents) }) : this.texts.no_change;
      amount.textContent = this.euro(changeCents);
      list.replaceChildren(...this.pieces(changePieces(changeCents), 96).map((piece) => el("li", {}, piece)));
      this.say(changeCents ? fill(this.texts.give_back, { amount: this.words(changeCents) }) : this.texts.no_change);
    }
    this.saleState(null);  // the till fills it in once the queue has tried to send the sale
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
