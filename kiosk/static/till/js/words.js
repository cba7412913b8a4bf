// Amounts in Dutch words for speech: 250 → "twee euro vijftig", 50 → "vijftig cent".

const UNITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
  "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien",
  "negentien"];
const TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
  "negentig"];

export function numberInWords(n) {
  if (n < 20) return UNITS[n];
  if (n < 100) {
    const unit = n % 10;
    const tens = TENS[Math.floor(n / 10)];
    if (!unit) return tens;
    const link = UNITS[unit].endsWith("e") ? "ën" : "en";
    return `${UNITS[unit]}${link}${tens}`;
  }
  if (n < 1000) {
    const hundreds = Math.floor(n / 100);
    const rest = n % 100;
    return `${hundreds === 1 ? "" : UNITS[hundreds]}honderd${rest ? numberInWords(rest) : ""}`;
  }
  if (n < 1000000) {
    const thousands = Math.floor(n / 1000);
    const rest = n % 1000;
    const head = thousands === 1 ? "duizend" : `${numberInWords(thousands)}duizend`;
    return rest ? `${head} ${numberInWords(rest)}` : head;
  }
  return String(n);
}

export function amountInWords(cents) {
  const euros = Math.floor(Math.abs(cents) / 100);
  const rest = Math.abs(cents) % 100;
  const sign = cents < 0 ? "min " : "";
  if (!euros) return `${sign}${numberInWords(rest)} cent`;
  const euroWord = euros === 1 ? "één" : numberInWords(euros);
  return `${sign}${euroWord} euro${rest ? ` ${numberInWords(rest)}` : ""}`;
}
