// Drawing customer orders (orders.js decides, this module shows): today's orders as tiles with the
// customer's first name, one order's items as pictures × count to tick off, the amount to collect
// as the till's money pictures, and the delivery round's stops in slot order.

import { today } from "./api.js";
import { cashRound, formatQuantity, parseMilli, piecesToTake } from "./money.js";
import { el, fill, picture } from "./ui.js";

export class OrderScreens {
  constructor(till, orders) {
    this.till = till;
    this.orders = orders;
    this.root = till.root;
    this.texts = till.texts;
    this.pictures = JSON.parse(this.root.dataset.orderPictures);
    this.ordersTitle = this.$("#orders-title").textContent;
    this.root.querySelector("#screen-orders .round-button").addEventListener("click", () => orders.round());
    this.root.querySelector("#screen-order .pay-order").addEventListener("click", () => orders.pay());
  }

  get screens() {
    return this.till.screens;
  }

  $(selector) {
    return this.root.querySelector(selector);
  }

  // A new screen starts on its first page with no message; redrawing the same one keeps both.
  showOnce(name) {
    if (this.root.dataset.screen === name) return;
    this.screens.show(name, null);
    this.screens.page = 0;
    this.message(name, "");
  }

  message(name, text) {
    this.$(`#screen-${name} .message`).textContent = text;
    const loading = this.$(`#screen-${name} .orders-loading`);
    if (loading && text) loading.hidden = true;
  }

  // the customer's first name (null once their data was erased: the order's number then)
  nameOf(order) {
    return order.customer.first_name || `#${order.id}`;
  }

  pictureOf(line) {
    return line.pictogram_url || this.root.dataset.productPicture;
  }

  // "× 2", "0,512 kg" once weighed here, or the order's estimate ("± 0,500 kg") until then
  quantity(order, line) {
    if (line.unit !== "kg") return formatQuantity(parseMilli(line.quantity), false);
    const grams = this.orders.gramsOf(order, line);
    if (grams !== null) return formatQuantity(grams, true);
    return `${line.weighed ? "" : "± "}${formatQuantity(parseMilli(line.quantity), true)}`;
  }

  // -- the lists of orders ------------------------------------------------------------------------
  // null: still loading
  orderList(list) {
    this.showOnce("orders");
    const screen = this.$("#screen-orders");
    this.orders.taking.showEntry();
    // another day than today (an order just taken for it): its date beside the title
    this.$("#orders-title").textContent = this.orders.day === today() ? this.ordersTitle : `${this.ordersTitle} ${this.orders.taking.dayName(this.orders.day).toLowerCase()}`;
    screen.querySelector(".orders-loading").hidden = list !== null;
    screen.querySelector(".orders-none").hidden = !list || list.length > 0;
    this.screens.paged(screen, list || [], (order) => this.orderTile(order));
  }

  round(stops, offline) {
    this.showOnce("round");
    const screen = this.$("#screen-round");
    this.message("round", offline ? this.texts.round_offline : "");
    screen.querySelector(".orders-none").hidden = stops.length > 0;
    this.screens.paged(screen, stops, (order) => this.orderTile(order));
  }

  // Named by what it shows: "Marie 10:00-11:00 Afhalen ✔ Klaar"
  orderTile(order) {
    const status = this.orders.statusOf(order);
    return el("button", { type: "button", class: "tile order", onclick: () => this.orders.pick(order) },
      picture(this.pictures[order.fulfilment]),
      el("span", { class: "tile-name" }, this.nameOf(order)),
      order.slot ? el("span", { class: "order-slot" }, picture(this.pictures.clock, 28), order.slot) : null,
      el("span", { class: "order-kind" }, this.texts[`order_${order.fulfilment}`]),
      status === "open" ? null : el("span", { class: "pressed-mark" }, `✔ ${this.texts[`order_${status}`]}`));
  }

  // -- one order ------------------------------------------------------------------------------
  order(order) {
    this.showOnce("order");
    const screen = this.$("#screen-order");
    const status = this.orders.statusOf(order);
    const picking = this.orders.picking();
    screen.querySelector("#order-title").replaceChildren(picture(this.pictures[order.fulfilment], 56), ` ${this.nameOf(order)}`);
    const address = screen.querySelector(".order-address");
    address.hidden = !order.customer.address;
    address.querySelector("span").textContent = order.customer.address ?? "";
    this.amount(screen, order, status);
    this.screens.paged(screen, order.lines, (line) => (picking ? this.tickTile(order, line) : this.lineTile(order, line)));
    const done = this.$("#done");
    const undo = this.$("#undo");
    done.hidden = undo.hidden = !picking;
    done.disabled = !this.orders.allTicked(order) || this.orders.sending;
    undo.disabled = !this.orders.pickOf(order).history.length;
    this.$("#done-why").textContent = picking && done.disabled ? this.texts.order_tick_all : "";
  }

  // What to collect (as the notes to take) and the way to pay, or why there is nothing to pay.
  amount(screen, order, status) {
    const payable = status === "prepared" && order.payment === "on_collection";
    const due = this.orders.onRound ? cashRound(order.total_cents) : order.total_cents;
    // an order paid by QR transfer was confirmed by staff in the back office: say how it was paid
    const paid = order.payment === "qr" ? this.texts.order_paid_qr : this.texts.order_paid;
    const state = status === "paid" ? `✔ ${paid}`
      : status === "open" && this.orders.onRound ? this.texts.order_not_prepared
        : status === "prepared" && !payable ? this.texts.order_nothing_to_collect : "";
    const line = screen.querySelector(".order-state");
    line.textContent = state;
    line.classList.toggle("ok", status === "paid");
    screen.querySelector(".order-due").textContent = payable ? fill(this.texts.order_collect, { amount: this.screens.euro(due) }) : "";
    screen.querySelector(".order-pieces").replaceChildren(...(payable ? this.screens.pieces(piecesToTake(due), 48) : []));
    screen.querySelector(".order-pay").hidden = !payable;
  }

  // Said once, right after "Klaar": the order is prepared.
  prepared() {
    const line = this.$("#screen-order .order-state");
    line.textContent = `✔ ${this.texts.order_prepared}`;
    line.classList.add("ok");
  }

  // A line to tick off: "Eieren × 2", then "Eieren × 2 ✔ afgevinkt"; a weighed one shows a scale.
  tickTile(order, line) {
    const ticked = this.orders.pickOf(order).ticked.includes(line.id);
    return el("button", {
      type: "button", class: "tile product pick", "aria-pressed": String(ticked),
      onclick: () => this.orders.tapLine(line),
    }, picture(this.pictureOf(line)), el("span", { class: "tile-name" }, line.name),
    el("span", { class: "tile-price" }, this.quantity(order, line)),
    line.unit === "kg" && !ticked ? el("span", { class: "order-weigh" }, picture(this.pictures.scale, 28), this.texts.order_weigh) : null,
    el("span", { class: "pressed-mark" }, ticked ? `✔ ${this.texts.order_ticked}` : ""));
  }

  lineTile(order, line) {
    return el("div", { class: "tile product" }, picture(this.pictureOf(line)),
      el("span", { class: "tile-name" }, line.name), el("span", { class: "tile-price" }, this.quantity(order, line)));
  }
}
