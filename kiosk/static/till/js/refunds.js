// Refunds and voids at the shop till: a staff member picks a recent sale (or scans its receipt),
// taps the lines that come back, says where the goods go, and confirms with their PIN. A void
// ("Vergissing") undoes the whole sale just made, from the change screen. The server checks the
// PIN and the role (kiosk/api/refunds.py); the screens are in refund_screens.js. It is loaded on
// first use by refund_entry.js, which holds the buttons that lead here.

import { Offline, isStaff, rungUpAt, who } from "./api.js";
import { newKey } from "./basket.js";
import { RefundScreens } from "./refund_screens.js";

const MAX_GAP_MS = 80;
const RECEIPT = /^[A-Z0-9]{1,12}-\d{4,}$/;

// A receipt's barcode holds its number ("HW1-000042"): letters, digits and a dash, then Enter.
function listenForReceipts(onCode) {
  let text = "";
  let last = 0;
  document.addEventListener("keydown", (event) => {
    const now = event.timeStamp;  // when the key was pressed, not when a busy tablet handled it
    if (now - last > MAX_GAP_MS) text = "";
    last = now;
    if (event.key.length === 1) text += event.key.toUpperCase();
    else if (event.key === "Enter" && RECEIPT.test(text)) {
      const code = text;
      text = "";
      onCode(code);
    }
  });
}

export class Refunds {
  constructor(till, entry) {
    this.till = till;
    this.entry = entry;  // refund_entry.js: the buttons, and the sale that may be voided
    this.texts = till.texts;
    this.view = new RefundScreens(till, this);
    this.state = null;
    this.sending = false;
  }

  get api() {
    return this.till.queue.api;
  }

  install() {
    this.view.install();
    listenForReceipts((code) => this.scanned(code));
  }

  // -- a refund -------------------------------------------------------------------------------
  start() {
    if (!isStaff(this.till.operator)) return;
    this.state = { reason: "retour", key: newKey() };
    this.showSales();
  }

  async showSales() {
    this.view.sales(null);
    try {
      const { status, data } = await this.api.recentSales();
      if (this.till.root.dataset.screen !== "refund-sales") return;
      if (status === 200) this.view.sales(data.sales);
      else this.view.salesMessage(data.message);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.view.salesMessage(this.texts.refund_offline);
    }
  }

  async scanned(code) {
    if (this.till.root.dataset.screen !== "refund-sales") return;
    try {
      const { status, data } = await this.api.lookUpReceipt(code);
      if (status === 200) this.pickSale(data);
      else this.view.salesMessage(data.message);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.view.salesMessage(this.texts.refund_offline);
    }
  }

  pickSale(sale) {
    this.state.sale = sale;
    this.state.chosen = new Set();
    this.view.lines(sale, this.state.chosen);
  }

  toggleLine(line) {
    const { chosen } = this.state;
    if (chosen.has(line.id)) chosen.delete(line.id);
    else chosen.add(line.id);
    this.view.lines(this.state.sale, chosen);
  }

  chooseAll() {
    this.state.chosen = new Set(this.state.sale.lines.filter((line) => !line.refunded).map((line) => line.id));
    this.view.lines(this.state.sale, this.state.chosen);
  }

  linesChosen() {
    if (this.state.chosen.size === 0) {
      this.view.linesMessage(this.texts.refund_choose_lines);
      return;
    }
    this.view.stock();
  }

  chooseStock(stock) {
    this.state.stock = stock;
    this.askStaff();
  }

  // -- a void of the sale just made ----------------------------------------------------------
  voidLastSale() {
    const sale = this.entry.lastSale;
    if (!sale) return;
    this.state = {
      reason: "vergissing", key: newKey(), stock: "return", sale, chosen: null, fromChange: true,
    };
    this.askStaff();
  }

  // -- who confirms -------------------------------------------------------------------------
  askStaff() {
    if (isStaff(this.till.operator)) this.askPin(this.till.operator);
    else this.view.staff(this.till.catalog.operators.filter(isStaff));
  }

  askPin(staff) {
    this.state.staff = staff;
    this.view.pin(staff);
  }

  async confirm(pin) {
    if (this.sending || !this.state?.staff) return;
    this.sending = true;
    const { sale, chosen, stock, reason, staff, key } = this.state;
    const proof = staff.id === this.till.operator?.id ? this.till.proof : null;
    const body = { ...who(staff.id, proof), pin, stock, reason, rung_up_at: rungUpAt() };
    if (chosen) body.line_ids = [...chosen];
    try {
      const { status, data } = await this.api.refund(sale.id, key, body);
      if (status === 200 || status === 201) {
        this.state = null;
        if (reason === "vergissing") this.entry.lastSale = null;
        this.view.done(data);
      } else {
        this.view.pinMessage(data.message);
      }
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.view.pinMessage(this.texts.refund_offline);
    } finally {
      this.sending = false;
    }
  }

  // -- Terug ----------------------------------------------------------------------------------
  back(screen) {
    const state = this.state;
    if (screen === "refund-sales") this.till.choose();
    else if (screen === "refund-lines") this.showSales();
    else if (screen === "refund-stock") this.view.lines(state.sale, state.chosen);
    else if ((screen === "refund-staff" || screen === "refund-pin") && state?.fromChange) {
      if (screen === "refund-pin" && !isStaff(this.till.operator)) this.askStaff();
      else this.view.backToChange();
    } else if (screen === "refund-staff") this.view.stock();
    else if (screen === "refund-pin") this.backFromPin();
    else return false;
    return true;
  }

  backFromPin() {
    if (isStaff(this.till.operator)) this.view.stock();
    else this.askStaff();
  }
}
