// Taking a customer's order at the shop till, in staff mode (README, "Bestellingen and the round"):
// "Nieuwe bestelling" on the Bestellingen screen shows for staff and managers only; the person
// proves themselves with their PIN (checked at the server, as for a refund), then the till's own
// basket (built on the choose screen, weighed products on the grams keypad) becomes the order's
// lines. Pickup or delivery, the day, a slot, the customer and the way to pay are chosen on one
// screen, and "Bestelling bewaren" queues `POST /api/v1/orders` with its Idempotency-Key like a
// sale (queue.js), so it is sent exactly once, also after a dropped connection. Loaded with orders.js.

import { Offline, isStaff, today } from "./api.js";
import { newKey } from "./basket.js";
import { formatQuantity } from "./money.js";
import { confirmSale } from "./store.js";
import { el, fill, picture } from "./ui.js";

const SLOTS = ["09:00-12:00", "12:00-15:00", "15:00-18:00"];
const DAYS = 5;  // today, tomorrow and the next three days by their weekday's name

// A calendar day `count` days after `day` ("2026-12-07"), counted at noon UTC so no clock change moves it.
export function dayAfter(day, count) {
  const moment = new Date(`${day}T12:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() + count);
  return moment.toISOString().slice(0, 10);
}

// Resolves with what became of a queued order: saved, refused (with the server's answer), or queued.
function outcomeOf(key) {
  return new Promise((resolve) => {
    const handlers = {
      "pluskassa:sale": ({ detail }) => detail.key === key && finish({ state: "saved" }),
      "pluskassa:refused": ({ detail }) => detail.key === key && finish({ state: "refused", error: detail.error }),
      "pluskassa:queue": ({ detail }) => detail.waiting > 0 && finish({ state: "queued" }),
    };
    const finish = (outcome) => {
      for (const [name, handler] of Object.entries(handlers)) document.removeEventListener(name, handler);
      resolve(outcome);
    };
    for (const [name, handler] of Object.entries(handlers)) document.addEventListener(name, handler);
  });
}

export class OrderTaking {
  constructor(till, orders) {
    this.till = till;
    this.orders = orders;
    this.texts = till.texts;
    this.state = null;
    this.sending = false;
    this.screen = till.root.querySelector("#screen-order-new");
    till.root.querySelector("#screen-orders .new-order").addEventListener("click", () => this.start());
    this.screen.querySelector(".save-order").addEventListener("click", () => this.save());
  }

  get screens() {
    return this.till.screens;
  }

  // Shown on the Bestellingen screen to staff and managers only.
  showEntry() {
    this.till.root.querySelector("#screen-orders .new-order").hidden = !isStaff(this.till.operator);
  }

  start() {
    const person = this.till.operator;
    if (!isStaff(person)) return;
    this.screens.show("order-pin", null);
    const pinScreen = this.till.root.querySelector("#screen-order-pin");
    pinScreen.querySelector("#order-pin-title").textContent = fill(this.texts.refund_pin, { name: person.name });
    pinScreen.querySelector(".message").textContent = "";
    this.screens.pinEntry(pinScreen, (pin) => this.prove(person, pin));
  }

  async prove(person, pin) {
    if (this.sending) return;
    this.sending = true;
    const message = this.till.root.querySelector("#screen-order-pin .message");
    try {
      const { status, data } = await this.orders.api.verifyPin(person.id, pin);
      if (status !== 200) message.textContent = data.message;
      else {
        this.state ??= { fulfilment: "pickup", day: today(), slot: null, payment: "on_collection", key: newKey() };
        this.show();
      }
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      message.textContent = this.texts.orders_offline;
    } finally {
      this.sending = false;
    }
  }

  // -- the order's screen: the basket's lines, then each choice as big buttons --------------------
  show() {
    if (this.till.root.dataset.screen !== "order-new") {
      this.screens.show("order-new", null);
      this.message("");
    }
    const { products, basket } = this.till;
    this.screen.querySelector(".order-new-lines").textContent = basket.isEmpty() ? this.texts.order_empty_basket
      : basket.lines.map((line) => `${products.get(line.productId).name} ${formatQuantity(line.quantityMilli, line.weighed)}`).join(", ");
    const { pictures } = this.orders.view;
    this.choices(".order-fulfilment", "fulfilment", ["pickup", "delivery"].map((value) => ({
      value, label: this.texts[`order_${value}`], picture: pictures[value],
    })));
    this.choices(".order-days", "day", Array.from({ length: DAYS }, (_, count) => {
      const value = dayAfter(today(), count);
      return { value, label: this.dayName(value) };
    }));
    this.choices(".order-slots", "slot", [...SLOTS, null].map((value) => ({
      value, label: value ?? this.texts.order_no_slot, picture: value && pictures.clock,
    })));
    this.choices(".order-payments", "payment", ["on_collection", "qr"].map((value) => ({
      value, label: this.texts[`order_pay_${value}`],
    })));
    this.screen.querySelector(".order-new-address").hidden = this.state.fulfilment !== "delivery";
    this.screen.querySelector(".save-order").disabled = basket.isEmpty();
  }

  // "Vandaag", "Morgen", then the weekday's name ("woensdag")
  dayName(day) {
    const count = [0, 1].find((after) => dayAfter(today(), after) === day);
    if (count !== undefined) return [this.texts.order_today, this.texts.order_tomorrow][count];
    const weekday = new Intl.DateTimeFormat(document.documentElement.lang || "nl-BE", { weekday: "long", timeZone: "UTC" });
    return weekday.format(new Date(`${day}T12:00:00Z`));
  }

  // One big button a choice, the chosen one pressed.
  choices(selector, field, options) {
    this.screen.querySelector(selector).replaceChildren(...options.map(({ value, label, picture: src }) => el("button", {
      type: "button", class: "consumption-choice", "aria-pressed": String(this.state[field] === value),
      onclick: () => {
        this.state[field] = value;
        this.show();
      },
    }, src ? picture(src, 40) : null, label)));
  }

  message(text) {
    this.screen.querySelector(".message").textContent = text;
  }

  body() {
    const typed = (name) => this.screen.querySelector(`input[name="${name}"]`).value.trim();
    const { fulfilment, day, slot, payment } = this.state;
    const body = {
      customer: { name: typed("name"), phone: typed("phone") },
      fulfilment, day, payment, lines: this.till.basket.orderLines(),
    };
    if (slot) body.slot = slot;
    if (fulfilment === "delivery") body.address = typed("address");
    return body;
  }

  // -- Bestelling bewaren: queued like a sale; a refusal keeps everything on screen ----------------
  async save() {
    if (this.sending || !this.state || this.till.basket.isEmpty()) return;
    this.sending = true;
    const entry = { key: this.state.key, path: "/orders", createdAt: Date.now(), body: this.body() };
    entry.summary = this.till.summary(entry.body.lines);
    const outcome = outcomeOf(entry.key);
    try {
      await this.till.queue.add(entry);
      this.till.queue.flush();
      const { state, error } = await outcome;
      if (state === "refused") {
        await confirmSale(entry.key);  // answered here, on screen: not kept for "Niet aanvaard"
        this.till.refused?.refresh();
        this.state.key = newKey();  // the next try is a new request
        this.message(error?.message ?? this.texts.orders_offline);
        return;
      }
      this.till.basket.clear();
      this.state = null;
      for (const input of this.screen.querySelectorAll("input")) input.value = "";
      await this.orders.open(entry.body.day, state === "queued" ? this.texts.order_queued : "");
    } finally {
      this.sending = false;
    }
  }

  // Terug: from the PIN to the orders, from the order to the orders (what was chosen is kept).
  back(screen) {
    if (screen !== "order-pin" && screen !== "order-new") return false;
    this.orders.open();
    return true;
  }
}
