// Quantities per order line item, derived from the child documents
// (fulfillments, invoices, returns). Everything is computed from the store so
// the figures can never drift from the records clients can read.
import type { Row, Store } from "../store"

const sum = (rows: Row[], f: (r: Row) => number) => rows.reduce((acc, r) => acc + f(r), 0)

export function orderLines(store: Store, orderId: unknown): Row[] {
  return [...store.where("order_line_items", "order_id", orderId)].sort(
    (a, b) => a.position - b.position || Number(a.id) - Number(b.id),
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

export function returnedQty(store: Store, lineId: unknown, statuses: readonly string[] = ["returning", "received"]): number {
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

/** Money for `quantity` units of a line, tax added when the order is tax-exclusive. */
export function lineAmount(store: Store, line: Row, quantity: number, taxTreatment: string): number {
  const net = quantity * unitPrice(line)
  return taxTreatment === "exclusive" ? net * (1 + taxRate(store, line) / 100) : net
}

export const round2 = (n: number) => Math.round(n * 100) / 100
