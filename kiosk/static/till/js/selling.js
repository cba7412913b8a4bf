// The shop till for care users: who is at the till, choosing, paying, change. See the README, "The till".
// The bistro (bistro.js) is this till with tables and tabs.

import { Offline, rungUpAt, who } from "./api.js";
import { Basket } from "./basket.js";
import { cashRound, lineAmount } from "./money.js";
import { listenForScans, lookUpCode } from "./scanner.js";
import { SaleQueue } from "./queue.js";
import { Screens } from "./screens.js";
import { OperatorProof } from "./operator_proof.js";
import { forget, load, save } from "./store.js";

const RECEIPT_CHECKS = 8;
const RECEIPT_CHECK_MS = 1500;

// The token was revoked or renewed: back to pairing. The basket (localStorage) and the sales
// waiting in IndexedDB stay; they are sent once a manager pairs the tablet again.
export function unpair(root) {
  forget("token");
  window.location.replace(`${root.dataset.pairUrl}?revoked=1`);
}

// Fetch every picture the catalog uses once, so the service worker has them when offline.
function warmPictureCache(catalog) {
  const urls = new Set([...catalog.products, ...catalog.categories].map((item) => item.pictogram_url)
    .concat(catalog.operators.map((operator) => operator.photo_url)).filter(Boolean));
  for (const url of urls) fetch(url).catch(() => {});
}

// Every product, category and person has a picture: a general one when none was chosen.
export function withPictures(root, catalog) {
  const { productPicture, personPicture } = root.dataset;
  for (const item of [...catalog.products, ...catalog.categories]) item.pictogram_url ||= productPicture;
  for (const operator of catalog.operators) operator.photo_url ||= personPicture;
  return catalog;
}

export class Till {
  constructor(root, texts, api, catalog) {
    this.root = root;
    this.texts = texts;
    this.catalog = catalog;
    this.products = new Map(catalog.products.map((p) => [p.id, p]));
    this.basket = new Basket();
    this.basket.keepKnown(this.products);
    this.queue = new SaleQueue(api, root.querySelector("#queue"), texts);
    this.screens = this.makeScreens();
    this.received = [];
    this.submitting = false;
    this.operator = this.findOperator(load("operator"));
    this.proofs = new OperatorProof(api, this.operator);  // from the PIN check; dropped at Stop
    this.queue.beforeSend = () => this.proofs.proveLate(this.operator);
    this.refunds = null;  // refund_entry.js, set by till.js on the shop till
    this.orders = null;  // order_entry.js, set by till.js on the shop till
    this.bill = null;  // a customer order being paid instead of the basket (orders.js)
    this.qr = null;  // qr_paying.js, set by till.js on the shop till
    this.refused = null;  // refused.js, set by till.js on the shop till
  }

  makeScreens() {
    return new Screens(this);
  }

  findOperator(id) {
    return this.catalog.operators.find((o) => o.id === id) || null;
  }

  begin() {
    this.bindActionBar();
    document.addEventListener("pluskassa:queue", (event) => this.queueChanged(event.detail.waiting));
    document.addEventListener("pluskassa:sale", (event) => this.saleConfirmed(event.detail));
    document.addEventListener("pluskassa:refused", (event) => this.saleRefused(event.detail));
    document.addEventListener("pluskassa:unpaired", () => this.unpaired());
    warmPictureCache(this.catalog);
    listenForScans((code) => this.scanned(code));
    this.refunds?.install();
    this.orders?.install();
    this.refused?.install();
    this.queue.start();
    this.applySettings(this.operator);
    if (this.operator) this.choose();
    else this.screens.operators();
  }

  bindActionBar() {
    const $ = (id) => this.root.querySelector(id);
    $("#back").addEventListener("click", () => this.back());
    $("#undo").addEventListener("click", () => this.undo());
    $("#pay").addEventListener("click", () => this.pay());
    $("#done").addEventListener("click", () => this.cashDone());
    $("#next-customer").addEventListener("click", () => this.nextCustomer());
    $("#stop").addEventListener("click", () => this.stop());
    $("#operator-button").addEventListener("click", () => this.stop());
  }

  // -- who is at the till -------------------------------------------------------------------
  // The proof the person's PIN check gave, sent with everything they do at the till.
  get proof() {
    return this.proofs.value;
  }

  setOperator(operator, proof = null, unprovenPin = null) {
    this.operator = operator;
    this.proofs.keep(proof, unprovenPin);
    save("operator", operator.id);
    this.applySettings(operator);
    this.choose();
  }

  // The person's tile size and large digits (amounts, PIN); with nobody, the till's own.
  applySettings(person) {
    document.documentElement.style.setProperty("--tile", `${person?.tile_size || 160}px`);
    document.documentElement.classList.toggle("large-digits", Boolean(person?.large_digits));
  }

  stop() {
    this.operator = null;
    this.bill = null;  // an order being paid waits for the next person, unpaid
    this.proofs.drop();
    save("operator", null);
    this.screens.operators();
  }

  // -- choosing -----------------------------------------------------------------------------
  choose() {
    this.screens.choose();
  }

  tapProduct(product) {
    if (product.unit === "kg") {
      this.screens.weigh(product);
      return;
    }
    this.basket.add(product.id);
    this.screens.say(`${product.name}, ${this.screens.words(product.price_cents)}`);
    this.screens.renderBasket();
  }

  addWeighed(product, grams) {
    this.basket.addWeighed(product.id, grams);
    this.screens.say(`${product.name}, ${this.screens.words(lineAmount(product.price_cents, grams))}`);
    this.choose();
  }

  scanned(code) {
    if (!this.operator || !["choose", "operator"].includes(this.root.dataset.screen)) return;
    const found = lookUpCode(code, this.catalog.products, lineAmount);
    if (!found) {
      this.screens.flash(this.texts.unknown_barcode);
      return;
    }
    if (found.quantityMilli === null) this.screens.weigh(found.product);
    else if (found.product.unit === "kg") this.addWeighed(found.product, found.quantityMilli);
    else this.tapProduct(found.product);
  }

  // -- paying -------------------------------------------------------------------------------
  total() {
    return this.bill ? this.bill.totalCents : this.basket.total(this.products);
  }

  pay() {
    if (this.basket.isEmpty()) return;
    this.received = [];
    this.screens.method();
  }

  // Pay a customer order (orders.js) through the same screens; the basket waits meanwhile.
  payBill(bill) {
    this.bill = bill;
    this.received = [];
    if (bill.cashOnly) this.screens.cash();
    else this.screens.method();
  }

  chooseMethod(method) {
    if (method === "card") this.screens.card();
    else if (method === "qr") this.qr?.start();
    else this.screens.cash();
  }

  cashDue() {
    return cashRound(this.total());
  }

  receivedTotal() {
    return this.received.reduce((sum, value) => sum + value, 0);
  }

  tapMoney(value) {
    this.received.push(value);
    this.screens.renderCash();
    this.screens.say(this.screens.words(this.receivedTotal()));
  }

  cardAnswered(success) {
    if (!success) {
      this.screens.method();
      return;
    }
    this.complete([{ method: "card", amount_cents: this.total() }], 0);
  }

  cashDone() {
    if (this.orders?.done(this.root.dataset.screen)) return;  // "Klaar" after picking an order
    const due = this.cashDue();
    const received = this.receivedTotal();
    if (received < due) return;
    this.complete([{ method: "cash", amount_cents: received }], received - due);
  }

  // The sale is stored on the tablet first, then sent; a double tap makes one sale.
  // `confirmation`: a QR payment's confirmed_by (qr_paying.js), queued with the sale.
  async complete(payments, change, confirmation = {}) {
    if (this.submitting) return;
    this.submitting = true;
    this.root.querySelector("#done").disabled = true;
    const paidAt = new Date();
    const entry = this.bill ? this.bill.saleEntry(payments, paidAt) : {
      key: this.basket.key,
      createdAt: paidAt.getTime(),
      body: {
        ...who(this.operator.id, this.proof),  // queued with the sale: it keeps its proof
        lines: this.basket.orderLines(),
        payments,
        rung_up_at: rungUpAt(paidAt),  // stored in the queue with the sale: never re-stamped
        ...confirmation,
      },
    };
    entry.summary = this.summary(entry.body.lines);
    try {
      await this.queue.add(entry);
      this.lastSaleKey = entry.key;
      this.lastSaleDone = false;
      const cash = payments[0].method === "cash";
      if (this.bill) this.bill.queued(entry);
      else this.basket.clear();
      this.received = [];
      this.screens.change(cash ? change : null, payments[0].method);
      this.queue.flush();
    } finally {
      this.submitting = false;
    }
  }

  // What a queued sale or order was, kept with it for the "Niet aanvaard" screen (refused.js):
  // the names as the catalog has them now, also once a product is switched off.
  summary(lines = []) {
    return {
      lines: lines.map(({ product_id: id, quantity }) => [this.products.get(id)?.name ?? `#${id}`, quantity]),
      total_cents: this.total(),
    };
  }

  // What became of the last sale, on the change screen: saved, waiting for the server, refused.
  queueChanged(waiting) {
    if (this.lastSaleKey && !this.lastSaleDone && waiting > 0) this.screens.saleState("queued");
  }

  saleRefused({ key }) {
    if (key !== this.lastSaleKey) return;
    this.lastSaleDone = true;
    this.screens.saleState("refused");
  }

  // Not in the middle of giving change: the care user finishes with this customer first.
  unpaired() {
    this.unpairedAt ??= Date.now();
    if (this.root.dataset.screen !== "change") unpair(this.root);
  }

  // Follow the receipt of the sale on screen: "Bon niet geprint" with a button to try again.
  async saleConfirmed({ key, sale }) {
    if (key !== this.lastSaleKey) return;
    if (!this.bill) this.refunds?.saleSaved(sale);  // no "Vergissing" for an order: it would stay paid
    if (!this.lastSaleDone) {
      this.lastSaleDone = true;
      this.screens.saleState("saved");
    }
    for (let attempt = 0; attempt < RECEIPT_CHECKS && key === this.lastSaleKey; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, RECEIPT_CHECK_MS));
      let state;
      try {
        state = (await this.queue.api.receipt(sale.id)).data.state;
      } catch (error) {
        if (error instanceof Offline) return;
        throw error;
      }
      if (key !== this.lastSaleKey) return;
      this.screens.receiptState(state, () => this.retryReceipt(sale.id, key));
      if (state !== "pending") return;
    }
  }

  async retryReceipt(saleId, key) {
    try {
      await this.queue.api.retryReceipt(saleId);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    }
    this.saleConfirmed({ key, sale: { id: saleId } });
  }

  nextCustomer() {
    this.lastSaleKey = null;
    if (this.unpairedAt) {
      unpair(this.root);
      return;
    }
    if (this.bill) {  // an order was paid: back to the orders or the round
      const bill = this.bill;
      this.bill = null;
      bill.next();
      return;
    }
    this.screens.startOver();
    this.choose();
    this.refreshCatalog();
  }

  // Pick up price and product changes between customers, never in the middle of a sale.
  async refreshCatalog() {
    try {
      const { status, data } = await this.queue.api.catalog();
      if (status !== 200 || !this.basket.isEmpty()) return;
      this.catalog = withPictures(this.root, data);
      this.products = new Map(data.products.map((p) => [p.id, p]));
      this.operator = this.findOperator(this.operator?.id) || this.operator;
      if (this.operator) this.applySettings(this.operator);
      if (this.root.dataset.screen === "choose") this.screens.choose();
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    }
  }

  // -- the action bar -------------------------------------------------------------------------
  back() {
    const screen = this.root.dataset.screen;
    if (this.orders?.back(screen)) return;
    if (screen === "choose") this.screens.chooseBack();
    else if (screen === "weigh" || screen === "method") this.choose();
    else if (screen === "card" || screen === "cash") this.screens.method();
    else if (screen === "pin") this.screens.operators();
    else if (screen === "refused") this.choose();
    else if (!this.qr?.back(screen)) this.refunds?.back(screen);
  }

  undo() {
    const screen = this.root.dataset.screen;
    if (screen === "cash") {
      this.received.pop();
      this.screens.renderCash();
    } else if (screen === "weigh") {
      this.screens.weighUndo();
    } else if (screen === "choose" && this.basket.undo()) {
      this.screens.renderBasket();
    } else {
      this.orders?.undo(screen);
    }
  }
}
