// Paying by QR on the shop till: the EPC QR code for the amount, big, with the receipt number the
// sale will get as the transfer's remittance text; the customer pays with their bank app; a staff
// member sees the money arrive, taps "Geld ontvangen" and enters their own PIN; the sale then
// completes as any sale, paid "qr", with the reference and the staff member's proof.
// The QR screen needs the server (the reference is the till's next receipt number), and no sale
// may wait in the queue: a waiting sale would take that number first.

import { Offline, isStaff } from "./api.js";
import { el, fill, picture } from "./ui.js";

const SCREENS = { qr: ["back"], "qr-staff": ["back"], "qr-pin": ["back"] };

export class QrPaying {
  constructor(till) {
    this.till = till;
    this.texts = till.texts;
    this.state = null;  // {amount, reference, staff}
    this.sending = false;
    Object.assign(till.screens.bars, SCREENS);
    this.$("#screen-qr .qr-received").addEventListener("click", () => this.received());
  }

  get api() {
    return this.till.queue.api;
  }

  get screens() {
    return this.till.screens;
  }

  $(selector) {
    return this.till.root.querySelector(selector);
  }

  message(screen, text) {
    this.$(`#screen-${screen} .message`).textContent = text;
  }

  async start() {
    const amount = this.till.total();
    this.state = { amount, reference: null, staff: null };
    this.screens.show("qr", "pay");
    const screen = this.$("#screen-qr");
    const code = screen.querySelector(".qr-code");
    if (code.src) URL.revokeObjectURL(code.src);
    code.hidden = true;
    code.removeAttribute("src");
    screen.querySelector(".qr-amount").textContent = this.screens.euro(amount);
    screen.querySelector(".qr-reference").textContent = "";
    screen.querySelector(".qr-received").disabled = true;
    this.message("qr", "");
    this.screens.say(`${this.texts.due} ${this.screens.words(amount)}`);
    if (this.till.queue.waiting > 0) {
      this.message("qr", this.texts.qr_waiting);
      return;
    }
    try {
      const { status, data } = await this.api.qrReference();
      if (status !== 200) {
        this.message("qr", data.message);
        return;
      }
      const png = await this.api.qrPicture(amount, data.reference);
      if (this.state?.amount !== amount || this.till.root.dataset.screen !== "qr") return;
      if (!png.ok) {
        this.message("qr", png.message);
        return;
      }
      this.state.reference = data.reference;
      code.src = URL.createObjectURL(png.blob);
      code.hidden = false;
      screen.querySelector(".qr-reference").textContent = fill(this.texts.qr_reference, { reference: data.reference });
      screen.querySelector(".qr-received").disabled = false;
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.message("qr", this.texts.qr_offline);
    }
  }

  // "Geld ontvangen": the staff member at the till confirms with their PIN, else one is chosen.
  received() {
    if (!this.state?.reference) return;
    const staff = this.till.catalog.operators.filter((person) => isStaff(person) && person.has_pin);
    const here = this.till.operator;
    if (isStaff(here) && here.has_pin) this.askPin(here);
    else if (staff.length === 0) this.message("qr", this.texts.qr_no_staff);
    else this.chooseStaff(staff);
  }

  chooseStaff(staff) {
    this.state.staff = null;
    this.screens.show("qr-staff", "pay");
    this.screens.page = 0;
    this.screens.paged(this.$("#screen-qr-staff"), staff, (person) => el("button", {
      type: "button", class: "tile operator", onclick: () => this.askPin(person),
    }, picture(person.photo_url, 96), el("span", { class: "tile-name" }, person.name)));
  }

  askPin(person) {
    this.state.staff = person;
    this.screens.show("qr-pin", "pay");
    this.message("qr-pin", "");
    const screen = this.$("#screen-qr-pin");
    screen.querySelector("#qr-pin-title").textContent = fill(this.texts.qr_pin, { name: person.name });
    this.screens.pinEntry(screen, (digits) => this.confirm(digits));
  }

  // The PIN gives the staff member's proof; the sale goes into the queue like any other.
  async confirm(pin) {
    if (this.sending || !this.state?.staff) return;
    this.sending = true;
    const { amount, reference, staff } = this.state;
    try {
      const { status, data } = await this.api.verifyPin(staff.id, pin);
      if (status !== 200) {
        this.message("qr-pin", data.message ?? this.texts.wrong_pin);
        return;
      }
      this.state = null;
      await this.till.complete([{ method: "qr", amount_cents: amount, reference }], null,
        { confirmed_by: { operator_id: staff.id, operator_proof: data.operator_proof } });
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      this.message("qr-pin", this.texts.qr_offline);
    } finally {
      this.sending = false;
    }
  }

  // Terug: from the PIN to who confirms (or the QR code), from the QR code to how to pay.
  back(screen) {
    if (screen === "qr") this.screens.method();
    else if (screen === "qr-staff") this.start();
    else if (screen === "qr-pin") {
      if (isStaff(this.till.operator) && this.till.operator.has_pin) this.start();
      else this.received();
    } else return false;
    return true;
  }
}
