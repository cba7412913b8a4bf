// Belgian money rules for the till screen, the same as kiosk/money.py (integer cents only).

export const EURO_PIECES = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];
// What a care user taps to enter cash received: notes and coins down to 5 cent.
export const TAPPABLE_PIECES = [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5];

// Round to the nearest 5 cents: 1, 2, 6, 7 down; 3, 4, 8, 9 up.
export function cashRound(cents) {
  const sign = cents < 0 ? -1 : 1;
  return sign * Math.floor((Math.abs(cents) + 2) / 5) * 5;
}

// The fewest notes and coins, largest first: [{value, count}].
export function changePieces(cents) {
  const pieces = [];
  let rest = cents;
  for (const value of EURO_PIECES) {
    const count = Math.floor(rest / value);
    if (count > 0) {
      pieces.push({ value, count });
      rest -= count * value;
    }
  }
  return pieces;
}

// Price a line: unit price × quantity in thousandths, rounded half-up to the cent.
export function lineAmount(unitPriceCents, quantityMilli) {
  return Math.floor((unitPriceCents * quantityMilli + 500) / 1000);
}

// The notes to take for a total: the smallest single note or coin that covers it, else a few.
export function piecesToTake(cents) {
  const covering = [...EURO_PIECES].reverse().find((value) => value >= cents && value >= 500);
  if (covering) return [{ value: covering, count: 1 }];
  return changePieces(Math.ceil(cents / 500) * 500);
}

// 1234 → "12,34"; the euro sign is added by the caller where it fits.
export function formatEuro(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${sign}${euros},${String(abs % 100).padStart(2, "0")}`;
}

// A note's or coin's picture under money/: its view in the one file of them all (one download).
export function pieceFile(value) {
  return `pieces.svg#${value >= 500 ? `note-${value / 100}` : `coin-${value}`}`;
}

export function pieceLabel(value, texts) {
  return value >= 100
    ? texts.piece_euro.replace("%(value)s", value / 100)
    : texts.piece_cent.replace("%(value)s", value);
}

// "2" → 2000, "0.250" → 250: the API's decimal quantities in thousandths, without floats.
export function parseMilli(text) {
  const [whole, fraction = ""] = String(text).split(".");
  return Number(whole) * 1000 + Number(fraction.padEnd(3, "0").slice(0, 3));
}

// A basket line's quantity: "0,250 kg" when weighed, "× 2" for pieces.
export function formatQuantity(quantityMilli, weighed) {
  return weighed ? `${(quantityMilli / 1000).toFixed(3).replace(".", ",")} kg` : `× ${quantityMilli / 1000}`;
}
