// Talk to the PlusKassa API with the till's token; a network failure is an answer too. Also the
// moment, the business day and the operator as the server takes them (rungUpAt, today, who).

import { load, save } from "./store.js";

export class Offline extends Error {}

// The moment the customer pays, as the server takes it: ISO 8601 with the tablet's own offset
// ("2026-12-05T23:58:12+01:00"). It is stamped once and kept with a queued sale, so a sale sent
// after midnight still counts on the day it was rung up.
export function rungUpAt(moment = new Date()) {
  const offset = -moment.getTimezoneOffset();
  const two = (number) => String(Math.abs(number)).padStart(2, "0");
  const local = new Date(moment.getTime() + offset * 60000).toISOString().slice(0, 19);
  return `${local}${offset < 0 ? "-" : "+"}${two(Math.trunc(offset / 60))}:${two(offset % 60)}`;
}

// Today's business day as the server counts it ("2026-12-07"): the Brussels calendar day, whatever
// the tablet's own time zone.
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Brussels" }).format(new Date());
}

// Who makes a change: the operator, and for a person with a PIN the operator_proof the server's
// PIN check gave at this till today. The proof goes with every sale, refund and tab change, also
// inside the offline queues, so a change made before midnight is accepted when it arrives later.
export function who(operatorId, proof = null) {
  return proof ? { operator_id: operatorId, operator_proof: proof } : { operator_id: operatorId };
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(method, path, body, headers = {}) {
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.token}`,
          ...(body ? { "Content-Type": "application/json" } : {}),
          ...headers,
        },
        body: body ? JSON.stringify(body) : undefined,
        cache: "no-store",
      });
    } catch (error) {
      throw new Offline(String(error));
    }
    if (response.status === 304) return { status: 304, data: null };
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (response.status >= 500 || data === null) throw new Offline(`HTTP ${response.status}`);
    // The token no longer works (revoked or renewed): the till goes back to pairing.
    if (response.status === 401) document.dispatchEvent(new CustomEvent("pluskassa:unpaired"));
    return { status: response.status, data, etag: response.headers.get("ETag") };
  }

  // The catalog, kept on the tablet with its ETag: a 304 answers with the kept copy. A 200 is kept.
  async catalog() {
    const kept = load("catalog");
    const etag = kept && load("catalog_etag");
    const answer = await this.request("GET", "/catalog", null, etag ? { "If-None-Match": etag } : {});
    if (answer.status === 304) return { status: 200, data: kept };
    if (answer.status === 200) {
      save("catalog", answer.data);
      save("catalog_etag", answer.etag);
    }
    return answer;
  }

  // A sale from the basket, or an order's payment (entry.path: /orders/<id>/sale)
  sendSale(entry) {
    return this.request("POST", entry.path ?? "/sales", entry.body, { "Idempotency-Key": entry.key });
  }

  receipt(saleId) {
    return this.request("GET", `/sales/${saleId}/receipt`);
  }

  retryReceipt(saleId) {
    return this.request("POST", `/sales/${saleId}/receipt`);
  }

  verifyPin(operatorId, pin) {
    return this.request("POST", `/operators/${operatorId}/pin`, { pin });
  }

  // -- paying by QR (kiosk/api/qr_payments.py) -----------------------------------------------
  qrReference() {
    return this.request("GET", "/qr-payment/reference");
  }

  // The QR code's picture: {ok, blob} or {ok: false, message}; an <img> cannot send the token.
  async qrPicture(amountCents, reference) {
    const query = `amount_cents=${amountCents}&reference=${encodeURIComponent(reference)}`;
    let response;
    try {
      response = await fetch(`/api/v1/qr-payment.png?${query}`, {
        headers: { Authorization: `Bearer ${this.token}` }, cache: "no-store",
      });
    } catch (error) {
      throw new Offline(String(error));
    }
    if (response.status >= 500) throw new Offline(`HTTP ${response.status}`);
    if (response.ok) return { ok: true, blob: await response.blob() };
    const data = await response.json().catch(() => ({}));
    return { ok: false, message: data.message || "" };
  }

  // -- refunds and voids (kiosk/api/refunds.py) ----------------------------------------------
  recentSales() {
    return this.request("GET", "/sales/recent");
  }

  lookUpReceipt(receiptNumber) {
    return this.request("GET", `/sales/lookup?receipt=${encodeURIComponent(receiptNumber)}`);
  }

  refund(saleId, key, body) {
    return this.request("POST", `/sales/${saleId}/refunds`, body, { "Idempotency-Key": key });
  }

  // -- customer orders (kiosk/api/customer_orders.py) -----------------------------------------
  orders(day) {
    return this.request("GET", `/orders?day=${day}`);
  }

  // lines: the weights of the weighed lines; none: no body at all
  orderPrepared(orderId, lines) {
    return this.request("POST", `/orders/${orderId}/prepared`, lines.length ? { lines } : null);
  }

  // -- the bistro: tables and their tabs (kiosk/api/bistro.py) --------------------------------
  tables() {
    return this.request("GET", "/tables");
  }

  // `by` is who(...): the operator and their proof
  openTab(tableId, by) {
    return this.request("POST", `/tables/${tableId}/tab`, by);
  }

  tab(tabId) {
    return this.request("GET", `/tabs/${tabId}`);
  }

  addItems(tabId, by, items) {
    return this.request("POST", `/tabs/${tabId}/items`, { ...by, items });
  }

  cancelItem(tabId, itemId, by) {
    return this.request("POST", `/tabs/${tabId}/items/${itemId}/cancel`, by);
  }

  sendTab(tabId, by) {
    return this.request("POST", `/tabs/${tabId}/send`, by);
  }

  moveTab(tabId, tableId, by) {
    return this.request("POST", `/tabs/${tabId}/move`, { ...by, table_id: tableId });
  }

  payTab(tabId, key, body) {
    return this.request("POST", `/tabs/${tabId}/payments`, body, { "Idempotency-Key": key });
  }
}

const STAFF = ["staff", "manager"];

// Staff and managers may refund, take orders, confirm QR payments and handle refused sales.
export function isStaff(operator) {
  return Boolean(operator) && STAFF.includes(operator.role);
}
