// Sales and orders the server refused (queue.js keeps them in IndexedDB, state "refused"): a notice
// on every screen while one is kept, and for staff the screen "Niet aanvaard" (README, "The till"):
// what each was and the server's message, "Opnieuw sturen" (queued again under a new
// Idempotency-Key, the old one is spent) and "Wissen" (after a second tap: staff handled it by
// hand; a report of it is queued for the audit log). Everything comes from the tablet, so it
// works without the server. On a bistro till the list also holds the tabs' payments the server
// refused (bistro.js keeps them with the tab changes, localStorage): the guests paid those too.

import { isStaff, rungUpAt, who } from "./api.js";
import { newKey } from "./basket.js";
import { formatEuro } from "./money.js";
import { WIPED_PATH, isSale } from "./queue.js";
import { confirmSale, queueSale, refusedSales, requeueSale } from "./store.js";
import { fill, settle } from "./ui.js";

// A tab's refused payment (bistro.js) as an entry of this list; `tab` is the change itself.
function tabPayment(op) {
  return {
    key: op.key,
    createdAt: op.at ?? 0,
    path: "/tabs/pay",
    body: { operator_id: op.operatorId, payments: op.payments, rung_up_at: op.rungUpAt },
    summary: op.summary,
    error: op.error,
    tab: op,
  };
}

export class RefusedSales {
  constructor(till) {
    this.till = till;
    this.entries = [];
    this.wiping = null;  // the key of the entry asking "Zeker wissen?"
  }

  $(selector) {
    return this.till.root.querySelector(selector);
  }

  install() {
    this.till.screens.bars.refused = ["back"];
    this.$("#refused-notice").addEventListener("click", () => this.open());
    document.addEventListener("pluskassa:refused", () => this.refresh());
    document.addEventListener("pluskassa:tab-refused", () => this.refresh());
    this.refresh();
  }

  async refresh() {
    const payments = (this.till.tabs?.refusedPayments() ?? []).map(tabPayment);
    this.entries = [...await refusedSales(), ...payments].sort((a, b) => a.createdAt - b.createdAt);
    this.shown(this.till.root.dataset.screen);
    if (this.till.root.dataset.screen === "refused") this.render();
  }

  // Called on every screen change (screen_base.js): everyone sees the notice, staff may open it;
  // not over a PIN's keys, where one more big button would only be in the way.
  shown(name) {
    const notice = this.$("#refused-notice");
    const count = this.entries.length;
    const { texts } = this.till;
    notice.hidden = count === 0 || name === "refused" || name === "pin" || name.endsWith("-pin");
    notice.disabled = !isStaff(this.till.operator);
    notice.querySelector("span").textContent = count === 1 ? texts.refused_one : fill(texts.refused_many, { count });
  }

  open() {
    if (!isStaff(this.till.operator)) return;
    this.wiping = null;
    this.till.screens.show("refused", null);
    this.render();
  }

  render() {
    this.$("#screen-refused .refused-none").hidden = this.entries.length > 0;
    this.$("#screen-refused .refused-list").replaceChildren(...this.entries.map((entry) => this.item(entry)));
  }

  item(entry) {
    const item = this.$("#refused-item").content.firstElementChild.cloneNode(true);
    const part = (name) => item.querySelector(`.refused-${name}`);
    const sure = this.wiping === entry.key;
    part("when").textContent = new Date(entry.createdAt).toLocaleString("nl-BE", {
      weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    });
    part("what").textContent = this.describe(entry);
    part("why").textContent = entry.error?.message || entry.error?.error || "";
    part("sure").hidden = !sure;
    part("resend").hidden = part("wipe").hidden = sure;
    part("wipe-yes").hidden = part("wipe-no").hidden = !sure;
    part("resend").addEventListener("click", () => this.resend(entry));
    part("wipe").addEventListener("click", () => this.askWipe(entry.key));
    part("wipe-no").addEventListener("click", () => this.askWipe(null));
    part("wipe-yes").addEventListener("click", () => this.wipe(entry.key));
    return item;
  }

  // Products and quantities, the total and the way to pay; an order: whose and for which day.
  describe({ path, body, summary }) {
    const { texts } = this.till;
    const lines = (summary?.lines ?? []).map(([name, quantity]) => (
      quantity.includes(".") ? `${quantity.replace(".", ",")} kg ${name}` : `${quantity} × ${name}`
    ));
    const total = summary ? `${texts.total}: ${formatEuro(summary.total_cents)} €` : "";
    const how = path === "/orders"
      ? [fill(texts.refused_order, { name: body.customer.name.split(" ")[0], day: body.day }),
        texts[`order_pay_${body.payment}`]]
      : (body.payments ?? []).map(({ method }) => this.$(`#screen-method [data-method="${method}"] span`)?.textContent ?? method);
    return [...lines, total, ...how].filter(Boolean).join(" · ");
  }

  // The same body under a new key. A person's proof goes with a sale in their name; a sale refused
  // for want of a proof is sent in the name of the staff member at the till, with theirs.
  async resend({ key, error, state, ...entry }) {
    const { operator, proof } = this.till;
    const takeOver = error?.error === "operator_not_proven";
    if (entry.tab) {  // a tab's payment: queued again with the tab's changes, under a new key
      const mine = proof && (takeOver || entry.tab.operatorId === operator.id);
      this.till.tabs.again(entry.tab, mine ? { operatorId: operator.id, proof } : {});
      await this.refresh();
      return;
    }
    const body = proof && (takeOver || entry.body.operator_id === operator.id)
      ? { ...entry.body, ...who(operator.id, proof) } : entry.body;
    await requeueSale(key, { ...entry, key: newKey(), body });
    await this.refresh();
    this.till.queue.flush();
  }

  askWipe(key) {
    this.wiping = key;
    this.render();
    settle(this.till.root);  // a double tap on "Wissen" must not answer "Ja, wissen"
  }

  // Gone from the tablet (staff handled it by hand), and in one step queued as a report for the
  // audit log, so the drawer's difference has a cause: sent once, also when offline now.
  async wipe(key) {
    this.wiping = null;
    const entry = this.entries.find((kept) => kept.key === key);
    if (entry?.tab) {
      // the report's key is kept with the payment first, so wiping it again after a crash in
      // between queues the same report (stored once) instead of a second one
      const report = this.till.tabs.reportKey(entry.tab);
      const { operator, proof } = this.till;
      await queueSale({ key: report, path: WIPED_PATH, body: wipedReport(entry, who(operator.id, proof)), createdAt: Date.now() });
      this.till.tabs.forgetRefused(key);
    } else if (!entry || !isSale(entry)) {
      await confirmSale(key);  // a report the server refused: nothing more to report
    } else {
      const { operator, proof } = this.till;
      const body = wipedReport(entry, who(operator.id, proof));
      await requeueSale(key, { key: newKey(), path: WIPED_PATH, body, createdAt: Date.now() });
    }
    await this.refresh();
    this.till.queue.flush();
  }
}

// What POST /refused-sales needs: who wipes it, its key, when and what it was, and why refused.
export function wipedReport({ key, body, summary, error, createdAt }, staff) {
  const said = (value, longest) => String(value ?? "").slice(0, longest);
  return {
    ...staff,
    refused_key: key,
    rung_up_at: body.rung_up_at ?? rungUpAt(new Date(createdAt)),
    wiped_at: rungUpAt(),  // the staff proof counts for this day, also when the report waits
    summary: {
      lines: (summary?.lines ?? []).map(([name, quantity]) => [said(name, 200), said(quantity, 200)]),
      total_cents: summary?.total_cents ?? 0,
    },
    payments: (body.payments ?? []).map(({ method, amount_cents }) => ({ method, amount_cents })),
    error: { error: said(error?.error, 100), message: said(error?.message, 1000) },
  };
}
