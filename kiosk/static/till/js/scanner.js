// A USB barcode scanner types digits fast and ends with Enter, wherever the focus is. The gap
// between keys is judged by when each key was pressed (the event's own time), not by when a busy
// tablet got round to handling it, so a scan is never cut in two by a slow moment.
// Scale labels are EAN-13 codes starting with 2: product code in digits 1-7, price in cents in
// digits 8-12 (the shop's own numbering, see the README).

const MAX_GAP_MS = 80;

export function listenForScans(onCode) {
  let digits = "";
  let last = 0;
  document.addEventListener("keydown", (event) => {
    const now = event.timeStamp;
    if (now - last > MAX_GAP_MS) digits = "";
    last = now;
    if (/^[0-9]$/.test(event.key)) {
      digits += event.key;
      if (document.activeElement?.tagName !== "INPUT") event.preventDefault();
    } else if (event.key === "Enter" && digits.length >= 8) {
      event.preventDefault();
      const code = digits;
      digits = "";
      onCode(code);
    }
  });
}

export function isValidEan13(code) {
  if (!/^\d{13}$/.test(code)) return false;
  const sum = [...code.slice(0, 12)].reduce((total, d, i) => total + Number(d) * (i % 2 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(code[12]);
}

// Find what a scanned code means: {product, quantityMilli} or null.
export function lookUpCode(code, products, lineAmount) {
  const exact = products.find((p) => p.barcode === code);
  if (exact) return { product: exact, quantityMilli: exact.unit === "kg" ? null : 1000 };
  if (!(code.length === 13 && code.startsWith("2") && isValidEan13(code))) return null;
  const product = products.find((p) => p.unit === "kg" && p.barcode?.slice(0, 7) === code.slice(0, 7));
  if (!product) return null;
  const priceCents = Number(code.slice(7, 12));
  return { product, quantityMilli: gramsForPrice(product.price_cents, priceCents, lineAmount) };
}

// The weight in grams whose price is the label's price (the scale rounded the same way).
export function gramsForPrice(pricePerKg, priceCents, lineAmount) {
  const guess = Math.round((priceCents * 1000) / pricePerKg);
  for (const delta of [0, -1, 1, -2, 2, -3, 3]) {
    const grams = guess + delta;
    if (grams > 0 && lineAmount(pricePerKg, grams) === priceCents) return grams;
  }
  return Math.max(1, guess);
}
