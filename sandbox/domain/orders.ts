// Sales-order lifecycle (spec §4): derived statuses, documents created from an
// order (fulfillments, invoices, payments, returns), the order actions and voiding.
//
// Derived statuses (packed/fulfillment/invoice/payment/return) are recomputed by
// syncOrders() after every mutating request; an order whose derived state
// changes gets updated_at bumped, so polling with updated_at_min sees shipments
// and payments. A fully shipped active/finalized order becomes "fulfilled"
// (order.fulfilled event).
import { baseError } from "../conventions/errors"
import { dateOnly } from "../format"
import type { Ctx } from "../resources/define"
import type { Row, Store } from "../store"
import type { JsonObject } from "../types"
import {
  currencyPrecision,
  invoicedQty,
  isShippable,
  linesTotal,
  orderLines,
  packedQty,
  returnedQty,
  shippedQty,
  sumRounded,
} from "./lines"
import { adjustOnHand, moveFulfillmentStock, primaryLocationId, variantStock } from "./stock"

export type Tri = "none" | "partial" | "all"

function tri(total: number, done: number): Tri {
  if (done <= 0 || total <= 0) return "none"
  return done >= total ? "all" : "partial"
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** Order total: line amounts added exactly, rounded once (half up) to the currency's precision. */
export function orderTotal(store: Store, order: Row): number {
  const items = orderLines(store, order.id).map((line) => ({ line, quantity: line.quantity }))
  return linesTotal(store, items, order.tax_treatment, currencyPrecision(store, order.currency_id))
}

const invoicePrecision = (store: Store, invoice: Row) =>
  currencyPrecision(store, store.get("orders", invoice.order_id)?.currency_id)

export function invoiceTotal(store: Store, invoice: Row): number {
  const order = store.get("orders", invoice.order_id)
  const items = store
    .where("invoice_line_items", "invoice_id", invoice.id)
    .map((ili) => ({ line: store.get("order_line_items", ili.order_line_item_id), quantity: ili.quantity }))
    .filter((i): i is { line: Row; quantity: number } => Boolean(i.line))
  return linesTotal(store, items, order?.tax_treatment ?? "exclusive", invoicePrecision(store, invoice))
}

export function amountPaid(store: Store, invoice: Row): number {
  const active = store.where("payments", "invoice_id", invoice.id).filter((p) => p.status === "active")
  return sumRounded(
    active.map((p) => p.amount),
    invoicePrecision(store, invoice)
  )
}

export function paymentStatus(total: number, paid: number): string {
  if (paid <= 0) return "unpaid"
  return paid >= total ? "paid" : "partial"
}

export const activeInvoices = (store: Store, order: Row) =>
  store.where("invoices", "order_id", order.id).filter((i) => i.status === "active")

/** The statuses TradeGecko derives from an order's documents (spec §3.12). */
export function orderState(store: Store, order: Row) {
  const lines = orderLines(store, order.id)
  const ship = lines.filter(isShippable)
  const shipQty = sum(ship.map((l) => l.quantity))
  const allQty = sum(lines.map((l) => l.quantity))
  const shipped = sum(ship.map((l) => shippedQty(store, l.id)))
  const total = orderTotal(store, order)
  const paid = sum(activeInvoices(store, order).map((i) => amountPaid(store, i)))
  const names = (t: Tri, none: string, partial: string, all: string) => ({ none, partial, all })[t]
  return {
    packed_status: names(tri(shipQty, sum(ship.map((l) => packedQty(store, l.id)))), "unpacked", "partial", "packed"),
    fulfillment_status: names(tri(shipQty, shipped), "unshipped", "partial", "shipped"),
    invoice_status: names(
      tri(allQty, sum(lines.map((l) => invoicedQty(store, l.id)))),
      "uninvoiced",
      "partial",
      "invoiced"
    ),
    payment_status: paymentStatus(total, paid),
    return_status: names(
      tri(shipped, sum(ship.map((l) => returnedQty(store, l.id, ["received"])))),
      "unreturned",
      "partial",
      "returned"
    ),
    returning_status: names(
      tri(shipped, sum(ship.map((l) => returnedQty(store, l.id, ["returning"])))),
      "unreturning",
      "partial",
      "returning"
    ),
    total,
  }
}

/** Live stock check for the open lines (shippability/backordering statuses). */
export function shippability(store: Store, order: Row) {
  const location = order.stock_location_id ?? primaryLocationId(store)
  const open = orderLines(store, order.id)
    .filter(isShippable)
    .map((l) => ({ line: l, open: l.quantity - shippedQty(store, l.id) }))
    .filter((x) => x.open > 0)
  const ok = open.filter(({ line, open }) => {
    const variant = store.get("variants", line.variant_id)
    if (!variant || variant.manage_stock === false) return true
    const loc = variantStock(store, variant).locations.find((l) => l.location_id === location)
    return (loc?.stock_on_hand ?? 0) >= open
  }).length
  const t = open.length === 0 ? "all" : tri(open.length, ok)
  return {
    shippability_status: { none: "not_shippable", partial: "partially_shippable", all: "shippable" }[t],
    backordering_status: { none: "backordered", partial: "partially_backordered", all: "not_backordered" }[t],
  }
}

const DERIVED = [
  "packed_status",
  "fulfillment_status",
  "invoice_status",
  "payment_status",
  "return_status",
  "returning_status",
  "total",
] as const

/** Stores derived statuses on the row without touching it (new orders). */
export function applyOrderState(store: Store, order: Row): void {
  Object.assign(order, orderState(store, order))
}

/** Recomputes derived statuses of `orders`; bumps updated_at and fires order.fulfilled on change. */
export function syncOrders(store: Store, orders: Iterable<Row>): void {
  for (const order of orders) {
    const state = orderState(store, order)
    let changed = DERIVED.some((k) => order[k] !== state[k])
    Object.assign(order, state)
    if (["active", "finalized"].includes(order.status) && state.fulfillment_status === "shipped") {
      order.status = "fulfilled"
      changed = true
      store.emit("order.fulfilled", "orders", order.id)
    } else if (order.status === "fulfilled" && state.fulfillment_status !== "shipped") {
      order.status = "finalized"
      changed = true
    }
    if (changed) store.touch(order)
  }
}

// ---------------------------------------------------------------------------
// Numbering

export function nextNumber(store: Store, table: string, field: string, prefix: string): string {
  let max = 0
  for (const row of store.all(table)) {
    const value: unknown = row[field]
    if (typeof value !== "string" || !value.startsWith(prefix)) continue
    const rest = value.slice(prefix.length)
    if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest))
  }
  return prefix + String(max + 1).padStart(4, "0")
}

// ---------------------------------------------------------------------------
// Preconditions ([I] spec §4.2 — documented in README)

export type DocumentKind = "invoice" | "pay" | "pack" | "fulfil" | "return"

/** Throws 422 unless documents can be created for this order. Pure: no writes. */
export function assertOpen(order: Row, what: DocumentKind): void {
  if (order.status === "void" || order.status === "deleted") throw baseError(`Cannot ${what} a ${order.status} order`)
  if (order.status === "draft")
    throw baseError(`Cannot ${what} a draft order, set its status to active or finalized first`)
  if (what === "return" && order.status === "active")
    throw baseError("Cannot return items of an order that has not shipped")
}

/** Creating documents on an active order finalizes it first (as the TradeGecko UI did). */
export function finalizeIfActive(ctx: Ctx, order: Row): void {
  if (order.status !== "active") return
  order.status = "finalized"
  ctx.store.touch(order)
  ctx.store.emit("order.finalized", "orders", order.id)
}

export interface ItemInput {
  order_line_item_id: unknown
  quantity?: unknown
}

interface PlannedItem {
  line: Row
  quantity: number
}

/**
 * Validates requested {order_line_item_id, quantity} items against what is
 * still open on each line; with no items, plans everything still open.
 */
export function planItems(
  store: Store,
  order: Row,
  items: ItemInput[] | undefined,
  remaining: (line: Row) => number,
  eligible: (line: Row) => boolean,
  field: string
): PlannedItem[] {
  if (!items || items.length === 0) {
    return orderLines(store, order.id)
      .filter(eligible)
      .map((line) => ({ line, quantity: remaining(line) }))
      .filter((p) => p.quantity > 0)
  }
  return items.map((item, i) => {
    const line = store.get("order_line_items", item.order_line_item_id)
    if (!line || String(line.order_id) !== String(order.id))
      throw baseError(
        `Couldn't find OrderLineItem with 'id'=${String(item.order_line_item_id)} on this order (${field}[${i}])`
      )
    if (!eligible(line)) throw baseError(`Order line item ${line.id} cannot be used in ${field}`)
    const left = remaining(line)
    const quantity =
      item.quantity === undefined || item.quantity === null || item.quantity === "" ? left : Number(item.quantity)
    if (!Number.isFinite(quantity) || quantity <= 0) throw baseError(`${field}[${i}] quantity must be greater than 0`)
    if (quantity > left)
      throw baseError(`${field}[${i}] quantity ${quantity} exceeds the ${left} remaining on order line item ${line.id}`)
    return { line, quantity }
  })
}

// ---------------------------------------------------------------------------
// Fulfillments

export interface FulfillmentAttrs {
  [key: string]: unknown
}

export function createFulfillment(
  ctx: Ctx,
  order: Row,
  items: ItemInput[] | undefined,
  status: "packed" | "fulfilled",
  attrs: FulfillmentAttrs = {}
): Row {
  const { store } = ctx
  assertOpen(order, status === "fulfilled" ? "fulfil" : "pack")
  const planned = planItems(
    store,
    order,
    items,
    (l) => l.quantity - packedQty(store, l.id),
    isShippable,
    "fulfillment_line_items"
  )
  if (!planned.length) throw baseError("There are no items left to fulfil on this order")
  finalizeIfActive(ctx, order)
  const now = store.now()
  const fulfillment = store.insert("fulfillments", {
    order_id: order.id,
    shipping_address_id: order.shipping_address_id ?? null,
    billing_address_id: order.billing_address_id ?? null,
    stock_location_id: order.stock_location_id ?? primaryLocationId(store),
    delivery_type: null,
    exchange_rate: 1,
    notes: null,
    packed_at: dateOnly(now),
    receipt: {},
    received_at: null,
    service: null,
    shipped_at: null,
    tracking_company: null,
    tracking_number: null,
    tracking_url: null,
    ...attrs,
    status: "packed",
  })
  planned.forEach(({ line, quantity }, i) =>
    store.insert("fulfillment_line_items", {
      fulfillment_id: fulfillment.id,
      order_line_item_id: line.id,
      quantity,
      base_price: line.price ?? null,
      position: i + 1,
    })
  )
  store.emit("fulfillment.create", "fulfillments", fulfillment.id)
  if (status === "fulfilled") markFulfilled(ctx, fulfillment)
  return fulfillment
}

/** packed -> fulfilled: deducts stock on hand (committed is released by the same shipment). */
export function markFulfilled(ctx: Ctx, fulfillment: Row): void {
  if (fulfillment.status === "fulfilled") return
  if (fulfillment.status !== "packed") throw baseError(`Cannot fulfil a ${fulfillment.status} fulfillment`)
  fulfillment.status = "fulfilled"
  fulfillment.shipped_at ??= ctx.store.now()
  moveFulfillmentStock(ctx.store, fulfillment, -1)
  ctx.store.touch(fulfillment)
  ctx.store.emit("fulfillment.fulfilled", "fulfillments", fulfillment.id)
}

/** Voids/deletes a fulfillment, returning shipped stock to the location. */
export function cancelFulfillment(ctx: Ctx, fulfillment: Row, status: "void" | "deleted"): void {
  if (fulfillment.status === "void" || fulfillment.status === "deleted") return
  if (fulfillment.status === "fulfilled") moveFulfillmentStock(ctx.store, fulfillment, +1)
  fulfillment.status = status
  ctx.store.touch(fulfillment)
}

// ---------------------------------------------------------------------------
// Invoices and payments

export function createInvoice(
  ctx: Ctx,
  order: Row,
  items: ItemInput[] | undefined,
  attrs: Record<string, unknown> = {}
): Row {
  const { store } = ctx
  assertOpen(order, "invoice")
  const planned = planItems(
    store,
    order,
    items,
    (l) => l.quantity - invoicedQty(store, l.id),
    () => true,
    "invoice_line_items"
  )
  if (!planned.length) throw baseError("There are no items left to invoice on this order")
  finalizeIfActive(ctx, order)
  const today = dateOnly(store.now())
  const invoice = store.insert("invoices", {
    order_id: order.id,
    shipping_address_id: order.shipping_address_id ?? null,
    billing_address_id: order.billing_address_id ?? null,
    payment_term_id: null,
    invoice_number: nextNumber(store, "invoices", "invoice_number", "INV"),
    invoiced_at: today,
    due_at: null,
    exchange_rate: 1,
    notes: null,
    ...Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined && v !== null)),
    status: "active",
  })
  invoice.due_at ??= invoice.invoiced_at
  planned.forEach(({ line, quantity }, i) =>
    store.insert("invoice_line_items", {
      invoice_id: invoice.id,
      order_line_item_id: line.id,
      quantity,
      position: i + 1,
      ledger_account_id: null,
    })
  )
  store.emit("invoice.create", "invoices", invoice.id)
  return invoice
}

export function createPayment(ctx: Ctx, invoice: Row, amount: number, attrs: Record<string, unknown> = {}): Row {
  const payment = ctx.store.insert("payments", {
    invoice_id: invoice.id,
    amount,
    reference: null,
    paid_at: ctx.store.now(),
    exchange_rate: 1,
    payment_method_id: null,
    ...Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined && v !== null)),
    status: "active",
  })
  ctx.store.emit("payment.create", "payments", payment.id)
  return payment
}

// ---------------------------------------------------------------------------
// Returns

export function receiveReturn(ctx: Ctx, ret: Row): void {
  if (ret.status === "received") return
  const { store } = ctx
  for (const rli of store.where("fulfillment_return_line_items", "fulfillment_return_id", ret.id)) {
    const line = store.get("order_line_items", rli.order_line_item_id)
    const variant = line && store.get("variants", line.variant_id)
    if (variant) adjustOnHand(store, variant, ret.location_id ?? primaryLocationId(store), rli.quantity)
  }
  ret.status = "received"
  ret.received_at ??= store.now()
  store.touch(ret)
  store.emit("fulfillment_return.received", "fulfillment_returns", ret.id)
}

// ---------------------------------------------------------------------------
// Status changes, void, delete

export const SETTABLE_STATUSES = ["draft", "active", "finalized"]

/** PUT /orders/:id {status} rules — only draft/active/finalized are settable (spec §3.12). Pure. */
export function assertStatusChange(ctx: Ctx, order: Row, next: string): void {
  if (next === order.status) return
  if (!SETTABLE_STATUSES.includes(next)) throw baseError(`Status cannot be set to ${next}`)
  if (!SETTABLE_STATUSES.includes(order.status)) throw baseError(`Cannot change the status of a ${order.status} order`)
  const hasDocs =
    ctx.store
      .where("fulfillments", "order_id", order.id)
      .some((f) => f.status === "packed" || f.status === "fulfilled") || activeInvoices(ctx.store, order).length > 0
  if (next !== "finalized" && hasDocs) throw baseError("Cannot revert an order that has shipments or invoices")
}

export function changeStatus(ctx: Ctx, order: Row, next: string): void {
  assertStatusChange(ctx, order, next)
  if (next === order.status) return
  order.status = next
  ctx.store.touch(order)
  if (next === "finalized") ctx.store.emit("order.finalized", "orders", order.id)
}

/** Voids an order: releases committed stock and restocks shipped items (spec §4.1). */
export function voidOrder(ctx: Ctx, order: Row): void {
  if (order.status === "draft") throw baseError("Draft orders cannot be voided, delete them instead")
  if (order.status === "void" || order.status === "deleted") throw baseError(`Cannot void a ${order.status} order`)
  for (const f of ctx.store.where("fulfillments", "order_id", order.id)) cancelFulfillment(ctx, f, "void")
  order.status = "void"
  ctx.store.touch(order)
}

/** DELETE /orders/:id: drafts become "deleted", everything else "void" (spec §2.9). */
export function deleteOrder(ctx: Ctx, order: Row): void {
  if (order.status === "void" || order.status === "deleted") return
  if (order.status === "draft") {
    order.status = "deleted"
    ctx.store.touch(order)
  } else voidOrder(ctx, order)
}

// ---------------------------------------------------------------------------
// POST /orders/:id/actions/:action (spec §4.2)

export interface ActionResult {
  created: Record<string, Row[]>
}

function paymentMethodId(store: Store, name: unknown): number | null {
  if (typeof name !== "string" || !name) return null
  const m = store.all("payment_methods").find((pm) => String(pm.name).toLowerCase() === name.toLowerCase())
  return m ? Number(m.id) : null
}

function trackingAttrs(body: JsonObject | undefined): FulfillmentAttrs {
  const src = body ?? {}
  const out: FulfillmentAttrs = {}
  for (const k of ["tracking_number", "tracking_company", "tracking_url", "service", "notes", "delivery_type"])
    if (typeof src[k] === "string") out[k] = src[k]
  return out
}

export const ACTIONS = ["invoice", "pay", "pack", "fulfil", "void"] as const
export type ActionName = (typeof ACTIONS)[number]

export function runAction(ctx: Ctx, order: Row, action: ActionName, body: JsonObject): ActionResult {
  const { store } = ctx
  const sub = (key: string) => {
    const v = body[key]
    return v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : undefined
  }
  switch (action) {
    case "invoice": {
      const b = sub("invoice") ?? {}
      const inv = createInvoice(ctx, order, undefined, { due_at: b.due_at, invoiced_at: b.invoiced_at, notes: b.notes })
      return { created: { invoices: [inv] } }
    }
    case "pay": {
      assertOpen(order, "pay")
      const b = sub("payment") ?? {}
      const invoices: Row[] = []
      const payments: Row[] = []
      const uninvoiced = orderLines(store, order.id).some((l) => l.quantity - invoicedQty(store, l.id) > 0)
      if (uninvoiced) invoices.push(createInvoice(ctx, order, undefined))
      for (const inv of activeInvoices(store, order)) {
        const due = sumRounded([invoiceTotal(store, inv), -amountPaid(store, inv)], invoicePrecision(store, inv))
        if (due > 0)
          payments.push(
            createPayment(ctx, inv, due, {
              payment_method_id: paymentMethodId(store, b.payment_method_name) ?? b.payment_method_id,
              paid_at:
                typeof b.paid_at === "string" && !Number.isNaN(Date.parse(b.paid_at))
                  ? Date.parse(b.paid_at)
                  : undefined,
              reference: b.reference,
            })
          )
      }
      if (!invoices.length && !payments.length) throw baseError("This order has already been paid")
      return { created: { invoices, payments } }
    }
    case "pack": {
      const f = createFulfillment(ctx, order, undefined, "packed", trackingAttrs(sub("fulfillment")))
      return { created: { fulfillments: [f] } }
    }
    case "fulfil": {
      assertOpen(order, "fulfil")
      const attrs = trackingAttrs(sub("fulfillment"))
      const fulfillments: Row[] = []
      for (const f of store.where("fulfillments", "order_id", order.id).filter((x) => x.status === "packed")) {
        Object.assign(f, attrs)
        markFulfilled(ctx, f)
        fulfillments.push(f)
      }
      const remaining = orderLines(store, order.id).some(
        (l) => isShippable(l) && l.quantity - packedQty(store, l.id) > 0
      )
      if (remaining) fulfillments.push(createFulfillment(ctx, order, undefined, "fulfilled", attrs))
      if (!fulfillments.length) throw baseError("This order has already been fulfilled")
      return { created: { fulfillments } }
    }
    case "void":
      voidOrder(ctx, order)
      return { created: {} }
  }
}
