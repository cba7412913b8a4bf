// Customer orders at the shop till (README, "Bestellingen and the round"): today's orders as tiles
// with the customer's first name; an order's items ticked off one by one, weighed items weighed on
// the till's own keypad (screens.js, weigh), then "Klaar" marks it prepared at the server. A
// prepared order is paid through the till's own paying screens (paying.js) and queued like a sale
// (queue.js), so it is sent exactly once. The delivery round: the day's delivery orders, kept on the
// tablet whenever they are loaded, paid in cash also without the server. order_screens.js draws.

import { Offline, rungUpAt, today, who } from "./api.js";
import { newKey } from "./basket.js";
import { OrderScreens } from "./order_screens.js";
import { OrderTaking } from "./order_taking.js";
import { load, refusedSales, save } from "./store.js";

export class Orders {
  constructor(till) {
    this.till = till;
    this.texts = till.texts;
    this.view = new OrderScreens(till, this);
    this.taking = new OrderTaking(till, this);  // "Nieuwe bestelling", staff only
    this.day = today();  // the day the Bestellingen screen lists
    this.order = null;  // the order on screen
    this.onRound = false;  // reached from the round: back goes there, and it is paid in cash
    this.weighing = null;  // what the weighing screen weighs for an order line
    this.sending = false;
    this.picks = load("order_picks", {});  // order id → {ticked: [line ids], grams: {line id: g}, history}
    this.paidHere = load("order_payments", {});  // order id → the Idempotency-Key of its queued payment
    document.addEventListener("pluskassa:refused", (event) => this.refused(event.detail.key));
    refusedSales().then((entries) => entries.forEach((entry) => this.refused(entry.key)));  // before a reload
  }

  get api() {
    return this.till.queue.api;
  }

  // "paid" once this tablet queued its payment, before the server has it
  statusOf(order) {
    return this.paidHere[order.id] ? "paid" : order.status;
  }

  // A day's orders from the server (today's by default); today's delivery ones are kept for the round.
  async fetchToday(day = today()) {
    const { status, data } = await this.api.orders(day);
    if (status !== 200) return { message: data.message };
    for (const order of data.orders) {
      if (order.status === "paid") delete this.paidHere[order.id];
      if (order.status !== "open") delete this.picks[order.id];  // prepared elsewhere: no ticks left
    }
    save("order_payments", this.paidHere);
    save("order_picks", this.picks);
    if (day === today()) save("round", { day, orders: data.orders.filter((order) => order.fulfilment === "delivery") });
    return { orders: data.orders };
  }

  // -- Bestellingen -----------------------------------------------------------------------------
  // A day's orders (today's, or the day of an order just taken here, with what became of it).
  async open(day = today(), notice = "") {
    this.onRound = false;
    this.day = day;
    this.view.orderList(null);
    this.view.message("orders", notice);
    let answer;
    try {
      answer = await this.fetchToday(day);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      answer = { message: this.texts.orders_offline };
    }
    if (this.till.root.dataset.screen !== "orders") return;
    if (answer.orders) this.view.orderList(answer.orders);
    else this.view.message("orders", answer.message);
  }

  // -- the round: what was kept at once, then the server's list if it answers ----------------------
  async round() {
    this.onRound = true;
    this.view.round(this.keptRound(), false);
    let offline = false;
    try {
      offline = !(await this.fetchToday()).orders;
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      offline = true;
    }
    if (this.till.root.dataset.screen === "round") this.view.round(this.keptRound(), offline);
  }

  keptRound() {
    const kept = load("round", null);
    return kept?.day === today() ? kept.orders : [];
  }

  // -- one order: ticking off, weighing, Klaar ---------------------------------------------------
  pick(order) {
    this.order = order;
    this.view.order(order);
  }

  pickOf(order) {
    this.picks[order.id] ??= { ticked: [], grams: {}, history: [] };
    return this.picks[order.id];
  }

  picking() {
    return Boolean(this.order) && !this.onRound && this.statusOf(this.order) === "open";
  }

  allTicked(order) {
    const { ticked } = this.pickOf(order);
    return order.lines.every((line) => ticked.includes(line.id));
  }

  change(work) {
    const pick = this.pickOf(this.order);
    pick.history.push(JSON.stringify({ ticked: pick.ticked, grams: pick.grams }));
    work(pick);
    save("order_picks", this.picks);
    this.view.order(this.order);
  }

  // A tap ticks a line off or takes the tick back; a weighed line is weighed first.
  tapLine(line) {
    if (!this.picking()) return;
    this.till.screens.say(line.name);
    const { ticked } = this.pickOf(this.order);
    if (ticked.includes(line.id)) {
      this.change((pick) => {
        pick.ticked = pick.ticked.filter((id) => id !== line.id);
        delete pick.grams[line.id];
      });
    } else if (line.unit === "kg") {
      this.weighing = { name: line.name, pictogram_url: this.view.pictureOf(line), price_cents: line.price_cents };
      this.till.screens.weigh(this.weighing, (grams) => this.weighed(line, grams));
    } else {
      this.change((pick) => { pick.ticked = [...pick.ticked, line.id]; });
    }
  }

  weighed(line, grams) {
    this.weighing = null;
    this.change((pick) => {
      pick.ticked = [...pick.ticked, line.id];
      pick.grams = { ...pick.grams, [line.id]: grams };
    });
  }

  gramsOf(order, line) {
    return this.pickOf(order).grams[line.id] ?? null;
  }

  async prepare() {
    const order = this.order;
    if (!this.picking() || !this.allTicked(order) || this.sending) return;
    this.sending = true;
    const { grams } = this.pickOf(order);
    const lines = order.lines.filter((line) => line.unit === "kg")
      .map((line) => ({ id: line.id, quantity: (grams[line.id] / 1000).toFixed(3) }));
    try {
      const { status, data } = await this.api.orderPrepared(order.id, lines);
      if (status === 200) {
        delete this.picks[order.id];
        save("order_picks", this.picks);
        this.pick(data);
        this.view.prepared();
      } else {
        this.view.message("order", data.message);
      }
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.view.message("order", this.texts.orders_offline);
    } finally {
      this.sending = false;
    }
  }

  // -- paying: the till's own screens, the payment queued like a sale -----------------------------
  pay() {
    const order = this.order;
    if (this.statusOf(order) !== "prepared" || order.payment !== "on_collection") return;
    this.till.payBill({
      totalCents: order.total_cents,
      cashOnly: this.onRound,  // the delivery bike has no card terminal
      summaryItems: order.lines.map((line) => ({
        pictureUrl: this.view.pictureOf(line), text: `${line.name} ${this.view.quantity(order, line)}`,
      })),
      saleEntry: (payments, paidAt) => ({
        key: this.paidHere[order.id] ?? newKey(),
        path: `/orders/${order.id}/sale`,
        createdAt: paidAt.getTime(),
        // stamped once and queued with it, as a sale: a payment sent later counts on its own day
        body: { ...who(this.till.operator.id, this.till.proof), payments, rung_up_at: rungUpAt(paidAt) },
      }),
      queued: (entry) => {
        this.paidHere[order.id] = entry.key;
        save("order_payments", this.paidHere);
      },
      next: () => (this.onRound ? this.round() : this.open()),
    });
  }

  // The server refused a queued payment (the till says so): the order may be paid again.
  refused(key) {
    for (const [id, paidWith] of Object.entries(this.paidHere)) if (paidWith === key) delete this.paidHere[id];
    save("order_payments", this.paidHere);
  }

  // -- the action bar: true when it was for an order -------------------------------------------------
  back(screen) {
    if (this.taking.back(screen)) return true;
    if (screen === "orders") this.till.choose();
    else if (screen === "round") this.open();
    else if (screen === "order") this.leaveOrder();
    else if (screen === "weigh" && this.weighing && this.till.screens.weighing === this.weighing) this.pick(this.order);
    else if (this.till.bill && (screen === "method" || (screen === "cash" && this.till.bill.cashOnly))) {
      this.till.bill = null;
      this.pick(this.order);
    } else return false;
    return true;
  }

  leaveOrder() {
    if (this.onRound) this.round();
    else this.open();
  }

  undo(screen) {
    if (screen !== "order" || !this.picking()) return false;
    const pick = this.pickOf(this.order);
    if (pick.history.length) {
      Object.assign(pick, JSON.parse(pick.history.pop()));
      save("order_picks", this.picks);
      this.view.order(this.order);
    }
    return true;
  }

  done(screen) {
    if (screen !== "order") return false;
    this.prepare();
    return true;
  }
}
