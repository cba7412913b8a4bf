// What a bistro tab looks like on this tablet: the server's last word on it, with the changes that
// are still on their way laid over it, so every tap shows at once, online or not.

import { lineAmount, parseMilli } from "./money.js";

// An item as the server describes it, in the tablet's words.
function fromServer(item) {
  return {
    key: item.client_key,
    id: item.id,
    productId: item.product_id,
    name: item.description,
    unit: item.unit,
    quantityMilli: parseMilli(item.quantity),
    amount: item.amount_cents,
    consumption: item.consumption,
    note: item.note || "",
    sent: item.sent,
    cancelled: item.cancelled,
    paid: item.paid,
    waiting: false,
  };
}

// An item added on this tablet that the server has not confirmed yet.
function fromOrder(order, products) {
  const product = products.get(order.product_id);
  const quantityMilli = parseMilli(order.quantity);
  return {
    key: order.client_key,
    id: null,
    productId: order.product_id,
    name: product?.name ?? "?",
    unit: product?.unit ?? "piece",
    quantityMilli,
    amount: lineAmount(product?.price_cents ?? 0, quantityMilli),
    consumption: order.consumption,
    note: order.note || "",
    sent: false,
    cancelled: false,
    paid: false,
    waiting: true,
  };
}

// The tab: {tableId, items (cancelled ones included), unpaid, total}. `ops` are this tab's
// waiting changes, oldest first (tab_queue.js).
export function tabView(doc, ops, products, tableId = null) {
  const items = (doc?.items ?? []).map(fromServer);
  const byKey = new Map(items.map((item) => [item.key, item]));
  let unpaid = doc?.unpaid_cents ?? 0;
  let table = doc?.table_id ?? tableId;
  for (const op of ops) {
    if (op.kind === "open" || op.kind === "move") {
      table = op.tableId;
    } else if (op.kind === "add") {
      for (const order of op.items) {
        if (byKey.has(order.client_key)) continue;
        const item = fromOrder(order, products);
        items.push(item);
        byKey.set(item.key, item);
        unpaid += item.amount;
      }
    } else if (op.kind === "cancel") {
      const item = byKey.get(op.clientKey);
      if (item && !item.cancelled && !item.paid) {
        item.cancelled = true;
        unpaid -= item.amount;
      }
    } else if (op.kind === "send") {
      for (const item of items) if (!item.cancelled) item.sent = true;
    } else if (op.kind === "pay") {
      unpaid -= payOver(items, byKey, op, unpaid);
    }
  }
  const open = items.filter((item) => !item.cancelled && !item.paid);
  return {
    tableId: table,
    items,
    open,
    unpaid: Math.max(0, unpaid),
    total: items.filter((item) => !item.cancelled).reduce((sum, item) => sum + item.amount, 0),
    unsent: open.filter((item) => !item.sent).length,
  };
}

// Mark what a waiting payment pays; return how much it takes off the unpaid amount.
function payOver(items, byKey, op, unpaid) {
  const { split } = op;
  if (split.kind === "equal") return op.amount;
  const paying = split.kind === "all" ? items.filter((item) => !item.cancelled && !item.paid)
    : split.clientKeys.map((key) => byKey.get(key)).filter((item) => item && !item.cancelled && !item.paid);
  for (const item of paying) item.paid = true;
  return split.kind === "all" ? unpaid : paying.reduce((sum, item) => sum + item.amount, 0);
}
