// Run after every write: recompute derived order statuses, then stock figures,
// for the records the request touched (both may bump updated_at and queue
// webhook events). Only affected orders/variants are looked at, so a write
// costs the same with 50 or 50 000 records.
import type { Row, Store } from "../store"
import { orderLines } from "./lines"
import { syncOrders } from "./orders"
import { syncStock } from "./stock"

/** Follows a written row to the order it belongs to. */
function orderOf(store: Store, table: string, row: Row): Row | undefined {
  const get = (t: string, id: unknown) => store.get(t, id)
  switch (table) {
    case "orders":
      return row
    case "order_line_items":
    case "fulfillments":
    case "invoices":
    case "fulfillment_returns":
      return get("orders", row.order_id)
    case "fulfillment_line_items":
      return get("orders", get("fulfillments", row.fulfillment_id)?.order_id)
    case "invoice_line_items":
      return get("orders", get("invoices", row.invoice_id)?.order_id)
    case "payments":
      return get("orders", get("invoices", row.invoice_id)?.order_id)
    case "fulfillment_return_line_items":
      return get("orders", get("fulfillment_returns", row.fulfillment_return_id)?.order_id)
    default:
      return undefined
  }
}

export function settle(store: Store): void {
  const writes = store.takeWrites()
  const orders = new Map<string, Row>()
  for (const [table, rows] of writes)
    for (const row of rows.values()) {
      const order = orderOf(store, table, row)
      if (order) orders.set(String(order.id), order)
    }
  syncOrders(store, orders.values())

  const variants = new Map<string, Row>(writes.get("variants") ?? [])
  const addVariantOf = (line: Row) => {
    const v = store.get("variants", line.variant_id)
    if (v) variants.set(String(v.id), v)
  }
  for (const order of orders.values()) orderLines(store, order.id).forEach(addVariantOf)
  for (const line of writes.get("order_line_items")?.values() ?? []) addVariantOf(line) // deleted lines too
  for (const product of writes.get("products")?.values() ?? [])
    for (const v of store.where("variants", "product_id", product.id)) variants.set(String(v.id), v)
  syncStock(store, variants.values())
  store.takeWrites() // writes made by the sync itself need no second pass
}
