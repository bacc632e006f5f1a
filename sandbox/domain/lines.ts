// Quantities per order line item, derived from the child documents
// (fulfillments, invoices, returns). Everything is computed from the store so
// the figures can never drift from the records clients can read.
import type { Row, Store } from "../store"

const sum = (rows: Row[], f: (r: Row) => number) => rows.reduce((acc, r) => acc + f(r), 0)

export function orderLines(store: Store, orderId: unknown): Row[] {
  return [...store.where("order_line_items", "order_id", orderId)].sort(
    (a, b) => a.position - b.position || Number(a.id) - Number(b.id)
  )
}

/** Lines that can be packed/shipped: real variants, not freeform (custom/shipping/fee) lines. */
export function isShippable(line: Row): boolean {
  return !line.freeform && line.variant_id !== null && line.variant_id !== undefined
}

function fulfilmentQty(store: Store, lineId: unknown, statuses: readonly string[]): number {
  return sum(store.where("fulfillment_line_items", "order_line_item_id", lineId), (fli) => {
    const f = store.get("fulfillments", fli.fulfillment_id)
    return f && statuses.includes(f.status) ? fli.quantity : 0
  })
}

/** Quantity on fulfillments with status "fulfilled" (shipped; stock deducted). */
export const shippedQty = (store: Store, lineId: unknown) => fulfilmentQty(store, lineId, ["fulfilled"])
/** Quantity on packed or fulfilled fulfillments. */
export const packedQty = (store: Store, lineId: unknown) => fulfilmentQty(store, lineId, ["packed", "fulfilled"])

export function invoicedQty(store: Store, lineId: unknown): number {
  return sum(store.where("invoice_line_items", "order_line_item_id", lineId), (ili) => {
    const inv = store.get("invoices", ili.invoice_id)
    return inv && inv.status === "active" ? ili.quantity : 0
  })
}

export function returnedQty(
  store: Store,
  lineId: unknown,
  statuses: readonly string[] = ["returning", "received"]
): number {
  return sum(store.where("fulfillment_return_line_items", "order_line_item_id", lineId), (rli) => {
    const ret = store.get("fulfillment_returns", rli.fulfillment_return_id)
    return ret && statuses.includes(ret.status) ? rli.quantity : 0
  })
}

/** Unit price after discount_amount or percentage discount (gem Order#discounted_price). */
export function unitPrice(line: Row): number {
  const price = line.price ?? 0
  if (line.discount_amount !== null && line.discount_amount !== undefined) return price - line.discount_amount
  if (line.discount) return price * (1 - line.discount / 100)
  return price
}

export function taxRate(store: Store, line: Row): number {
  if (line.tax_rate_override !== null && line.tax_rate_override !== undefined) return line.tax_rate_override
  const tax = store.get("tax_types", line.tax_type_id)
  return tax ? effectiveRate(store, tax) : 0
}

export function effectiveRate(store: Store, taxType: Row): number {
  return sum(store.where("tax_components", "tax_type_id", taxType.id), (c) => c.rate ?? 0)
}

export const round2 = (n: number) => Math.round(n * 100) / 100

// ---------------------------------------------------------------------------
// Exact money. TradeGecko (Rails, BigDecimal columns) added line amounts exactly and
// rounded the total once, half up, to the order currency's `precision` (0 for JPY,
// 3 for KWD). Floats cannot do that (1.005 * 100 = 100.49999…), so totals are summed
// here as decimals: value = n / 10^s, from each number's shortest decimal form.

interface Dec {
  n: bigint
  s: number
}

function toDec(x: number): Dec {
  if (!Number.isFinite(x)) return { n: 0n, s: 0 }
  const [mantissa, exp = "0"] = String(x).toLowerCase().split("e")
  const [int, frac = ""] = mantissa.split(".")
  let n = BigInt(int + frac)
  let s = frac.length - Number(exp)
  if (s < 0) {
    n *= 10n ** BigInt(-s)
    s = 0
  }
  return { n, s }
}

const scaleTo = (d: Dec, s: number): bigint => d.n * 10n ** BigInt(s - d.s)
const addDec = (a: Dec, b: Dec): Dec => {
  const s = Math.max(a.s, b.s)
  return { n: scaleTo(a, s) + scaleTo(b, s), s }
}
const mulDec = (a: Dec, b: Dec): Dec => ({ n: a.n * b.n, s: a.s + b.s })
/** x / 100, exactly. */
const percent = (d: Dec): Dec => ({ n: d.n, s: d.s + 2 })

/** Rounds half away from zero to `precision` decimals. */
function roundDec(d: Dec, precision: number): number {
  if (d.s <= precision) return Number(d.n) / 10 ** d.s
  const div = 10n ** BigInt(d.s - precision)
  const neg = d.n < 0n
  const abs = neg ? -d.n : d.n
  let q = abs / div
  if ((abs % div) * 2n >= div) q += 1n
  const digits = q.toString().padStart(precision + 1, "0")
  const text = precision === 0 ? digits : `${digits.slice(0, -precision)}.${digits.slice(-precision)}`
  return Number(neg ? `-${text}` : text) + 0 // + 0: no -0
}

/** Sum of `values` rounded half up to `precision` decimals, computed exactly. */
export function sumRounded(values: number[], precision: number): number {
  return roundDec(values.map(toDec).reduce(addDec, { n: 0n, s: 0 }), precision)
}

/** Discounted unit price as an exact decimal (see unitPrice). */
function unitPriceDec(line: Row): Dec {
  const price = toDec(line.price ?? 0)
  if (line.discount_amount !== null && line.discount_amount !== undefined)
    return addDec(price, mulDec(toDec(line.discount_amount), { n: -1n, s: 0 }))
  if (line.discount)
    return percent(mulDec(price, addDec({ n: 100n, s: 0 }, mulDec(toDec(line.discount), { n: -1n, s: 0 }))))
  return price
}

/**
 * Money for `quantity` units of each line (tax added when the order is tax-exclusive),
 * added exactly and rounded once, half up, to `precision` decimals.
 */
export function linesTotal(
  store: Store,
  items: Array<{ line: Row; quantity: number }>,
  taxTreatment: string,
  precision: number
): number {
  let total: Dec = { n: 0n, s: 0 }
  for (const { line, quantity } of items) {
    let amount = mulDec(toDec(quantity), unitPriceDec(line))
    if (taxTreatment === "exclusive")
      amount = percent(mulDec(amount, addDec({ n: 100n, s: 0 }, toDec(taxRate(store, line)))))
    total = addDec(total, amount)
  }
  return roundDec(total, precision)
}

/** Decimals of the order's currency (`precision`; 2 when unknown). */
export function currencyPrecision(store: Store, currencyId: unknown): number {
  const precision = store.get("currencies", currencyId)?.precision
  return typeof precision === "number" && Number.isInteger(precision) && precision >= 0 ? precision : 2
}
