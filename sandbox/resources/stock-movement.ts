// Stock adjustments and stock transfers: how stock on hand moved in TradeGecko
// (spec §3.18, §3.19; recorded 2021 payloads in the official client's fixtures).
// Variant stock fields are read-only; these are the API's way to change them.
//
//   POST /stock_adjustments {"stock_adjustment":{stock_location_id, reason | stock_adjustment_reason_id, notes,
//        stock_adjustment_line_items:[{variant_id, quantity (+/-), price}]}}
//        → stock on hand at stock_location_id moves by each quantity at once (status "received");
//          a positive line needs a price (the unit cost), a negative one is valued at the moving average cost.
//        No update or delete (TradeGecko had none after 2019).
//   GET  /stock_adjustments/available_identifiers → {"identifier":"SA0002"}
//   POST /stock_transfers {"stock_transfer":{source_location_id, destination_location_id, notes, status?,
//        stock_transfer_line_items:[{variant_id, quantity}]}}
//        → status "active" (in transit): stock leaves the source at once;
//          POST /stock_transfers/:id/actions/receive (or create with status "received") puts it at the destination;
//          POST /stock_transfers/:id/actions/revert undoes the moves made so far → status "void".
// Every variant whose stock moved gets updated_at bumped and variant.stock_level_update
// (settle); stock_adjustment.create / stock_transfer.create fire on create.
import { baseError, Errors } from "../conventions/errors"
import { adjustOnHand, primaryLocationId, variantStock } from "../domain/stock"
import { dec, ts } from "../format"
import type { Row, Store } from "../store"
import type { JsonObject } from "../types"
import { asArray, assignFields, byPosition, define, hasMany, isBlank, stamps, type Ctx } from "./define"
import { nextNumber } from "../domain/orders"

/** Stock adjustment reasons (ids are the sandbox's; labels as TradeGecko showed them). */
export const ADJUSTMENT_REASONS: { id: number; reason: string; label: string }[] = [
  { id: 1, reason: "supplier", label: "Supplier" },
  { id: 2, reason: "customer", label: "Customer" },
  { id: 3, reason: "damaged", label: "Damaged" },
  { id: 4, reason: "shrinkage", label: "Shrinkage" },
  { id: 5, reason: "promotion", label: "Promotion" },
  { id: 6, reason: "production", label: "Production" },
  { id: 7, reason: "stocktake", label: "Stocktake" },
]

interface PlannedLine {
  variant: Row
  quantity: number
  price: number | null
}

function planLines(ctx: Ctx, input: JsonObject, key: string, errors: Errors, opts: { signed: boolean }): PlannedLine[] {
  const lines = asArray(input[key], key)
  if (!lines.length) errors.add(key, "can't be blank")
  const out: PlannedLine[] = []
  lines.forEach((l, i) => {
    const at = `${key}[${i}]`
    const variant = isBlank(l.variant_id) ? undefined : ctx.store.get("variants", l.variant_id)
    if (isBlank(l.variant_id)) return errors.add(`${at}.variant_id`, "can't be blank")
    if (!variant) return errors.add(`${at}.variant_id`, "is invalid")
    if (variant.manage_stock === false)
      return errors.add(`${at}.variant_id`, "does not track stock (manage_stock is false)")
    const quantity = Number(l.quantity)
    if (isBlank(l.quantity) || !Number.isFinite(quantity)) return errors.add(`${at}.quantity`, "is not a number")
    if (opts.signed ? quantity === 0 : quantity <= 0)
      return errors.add(`${at}.quantity`, opts.signed ? "must be other than 0" : "must be greater than 0")
    let price: number | null = null
    if (!isBlank(l.price)) {
      price = Number(l.price)
      if (!Number.isFinite(price) || price < 0) return errors.add(`${at}.price`, "is not a number")
    }
    if (opts.signed && quantity > 0 && price === null)
      return errors.add(`${at}.price`, "can't be blank when adding stock")
    out.push({ variant, quantity, price })
  })
  return out
}

function checkLocation(store: Store, id: unknown, field: string, errors: Errors): void {
  if (isBlank(id)) return void errors.add(field, "can't be blank")
  const loc = store.get("locations", id)
  if (!loc || loc.status !== "active") errors.add(field, "is invalid")
}

/** Moving average cost after receiving `quantity` at `price` (TradeGecko's costing on stock in). */
function receiveCost(store: Store, variant: Row, quantity: number, price: number): void {
  const onHand = Math.max(0, variantStock(store, variant).onHand)
  const mac = variant.moving_average_cost ?? price
  variant.moving_average_cost = Math.round(((onHand * mac + quantity * price) / (onHand + quantity)) * 10000) / 10000
  variant.last_cost_price = price
}

export const stockAdjustment = define({
  name: "stock_adjustment",
  plural: "stock_adjustments",
  klass: "StockAdjustment",
  idBase: 970001,
  ops: ["list", "show", "create"],
  create: (input, ctx) => {
    const { store } = ctx
    const errors = new Errors()
    const fields: Record<string, unknown> = {}
    assignFields(
      fields,
      input,
      {
        adjustment_number: "string",
        notes: "string",
        stock_location_id: "int",
        stock_adjustment_reason_id: "int",
        reason: "string",
      },
      errors,
      "create"
    )
    const locationId = fields.stock_location_id ?? primaryLocationId(store)
    checkLocation(store, locationId, "stock_location_id", errors)
    let reason = ADJUSTMENT_REASONS.find((r) => r.id === fields.stock_adjustment_reason_id)
    if (!isBlank(fields.stock_adjustment_reason_id) && !reason) errors.add("stock_adjustment_reason_id", "is invalid")
    if (!isBlank(fields.reason)) {
      reason = ADJUSTMENT_REASONS.find((r) => r.reason === String(fields.reason).toLowerCase())
      if (!reason)
        errors.add("reason", `is not included in the list (${ADJUSTMENT_REASONS.map((r) => r.reason).join(", ")})`)
    }
    const lines = planLines(ctx, input, "stock_adjustment_line_items", errors, { signed: true })
    errors.throwIfAny()
    const adj = store.insert("stock_adjustments", {
      adjustment_number: fields.adjustment_number || nextNumber(store, "stock_adjustments", "adjustment_number", "SA"),
      notes: fields.notes ?? null,
      stock_location_id: locationId,
      stock_adjustment_reason_id: reason?.id ?? null,
      reason: reason?.reason ?? null,
      status: "received",
    })
    lines.forEach(({ variant, quantity, price }, i) => {
      const unit = quantity > 0 ? (price as number) : (variant.moving_average_cost ?? variant.buy_price ?? 0)
      if (quantity > 0) receiveCost(store, variant, quantity, unit)
      adjustOnHand(store, variant, Number(locationId), quantity)
      store.insert("stock_adjustment_line_items", {
        stock_adjustment_id: adj.id,
        variant_id: variant.id,
        quantity,
        price: unit,
        position: i + 1,
      })
    })
    store.emit("stock_adjustment.create", "stock_adjustments", adj.id)
    return adj
  },
  filters: { stock_location_id: { type: "int" }, adjustment_number: { type: "string" }, reason: { type: "string" } },
  search: ["adjustment_number", "notes"],
  includes: { stock_adjustment_line_items: hasMany("stock_adjustment_line_items", "stock_adjustment_id") },
  serialize: (r, ctx) => {
    const lines = [...ctx.store.where("stock_adjustment_line_items", "stock_adjustment_id", r.id)].sort(byPosition)
    return {
      ...stamps(r),
      stock_location_id: r.stock_location_id,
      stock_adjustment_reason_id: r.stock_adjustment_reason_id,
      adjustment_number: r.adjustment_number,
      notes: r.notes,
      reason: r.reason,
      cached_quantity: dec(lines.reduce((s, l) => s + l.quantity, 0)),
      total: dec(Math.round(lines.reduce((s, l) => s + l.quantity * (l.price ?? 0), 0) * 10000) / 10000),
      reason_label: ADJUSTMENT_REASONS.find((x) => x.id === r.stock_adjustment_reason_id)?.label ?? null,
      status: r.status,
      stock_adjustment_line_item_ids: lines.map((l) => l.id),
    }
  },
})

export const stockAdjustmentLineItem = define({
  name: "stock_adjustment_line_item",
  plural: "stock_adjustment_line_items",
  klass: "StockAdjustmentLineItem",
  idBase: 975001,
  ops: ["list", "show"],
  positioned: true,
  filters: { stock_adjustment_id: { type: "int" }, variant_id: { type: "int" } },
  serialize: (r) => ({
    id: r.id,
    unassigned_stock_trails: [],
    created_at: ts(r.created_at),
    updated_at: ts(r.updated_at),
    stock_adjustment_id: r.stock_adjustment_id,
    variant_id: r.variant_id,
    quantity: dec(r.quantity),
    position: r.position,
    price: dec(r.price),
    stock_trail_ids: [],
  }),
})

function moveTransfer(store: Store, transfer: Row, leg: "send" | "receive", sign: 1 | -1): void {
  const location = leg === "send" ? transfer.source_location_id : transfer.destination_location_id
  const direction = leg === "send" ? -1 : 1
  for (const l of store.where("stock_transfer_line_items", "stock_transfer_id", transfer.id)) {
    const variant = store.get("variants", l.variant_id)
    if (variant) adjustOnHand(store, variant, location, sign * direction * l.quantity)
  }
}

/** POST /stock_transfers/:id/actions/:action */
export function stockTransferAction(ctx: Ctx, transfer: Row, action: string): void {
  const { store } = ctx
  if (action === "receive") {
    if (transfer.status !== "active") throw baseError(`Cannot receive a ${transfer.status} stock transfer`)
    moveTransfer(store, transfer, "receive", 1)
    transfer.status = "received"
    transfer.received_at = store.now()
    store.touch(transfer)
    return
  }
  if (action === "revert") {
    if (transfer.status !== "active" && transfer.status !== "received")
      throw baseError(`Cannot revert a ${transfer.status} stock transfer`)
    if (transfer.status === "received") moveTransfer(store, transfer, "receive", -1)
    moveTransfer(store, transfer, "send", -1)
    transfer.status = "void"
    store.touch(transfer)
    return
  }
  throw baseError(`Unknown action ${action}`)
}

export const STOCK_TRANSFER_ACTIONS = ["receive", "revert"] as const

export const stockTransfer = define({
  name: "stock_transfer",
  plural: "stock_transfers",
  klass: "StockTransfer",
  idBase: 980001,
  ops: ["list", "show", "create", "update"],
  create: (input, ctx) => {
    const { store } = ctx
    const errors = new Errors()
    const fields: Record<string, unknown> = {}
    assignFields(
      fields,
      input,
      {
        adjustment_number: "string",
        notes: "string",
        source_location_id: "int",
        destination_location_id: "int",
        status: "string",
      },
      errors,
      "create"
    )
    checkLocation(store, fields.source_location_id, "source_location_id", errors)
    checkLocation(store, fields.destination_location_id, "destination_location_id", errors)
    if (!isBlank(fields.source_location_id) && fields.source_location_id === fields.destination_location_id)
      errors.add("destination_location_id", "must be different from the source location")
    const status = fields.status ?? "active"
    if (status !== "active" && status !== "received") errors.add("status", "is not included in the list")
    const lines = planLines(ctx, input, "stock_transfer_line_items", errors, { signed: false })
    errors.throwIfAny()
    const transfer = store.insert("stock_transfers", {
      adjustment_number: fields.adjustment_number || nextNumber(store, "stock_transfers", "adjustment_number", "ST"),
      notes: fields.notes ?? null,
      source_location_id: fields.source_location_id,
      destination_location_id: fields.destination_location_id,
      status: "active",
      transacted_at: store.now(),
      received_at: null,
    })
    lines.forEach(({ variant, quantity }, i) =>
      store.insert("stock_transfer_line_items", {
        stock_transfer_id: transfer.id,
        variant_id: variant.id,
        quantity,
        position: i + 1,
      })
    )
    moveTransfer(store, transfer, "send", 1)
    store.emit("stock_transfer.create", "stock_transfers", transfer.id)
    if (status === "received") stockTransferAction(ctx, transfer, "receive")
    return transfer
  },
  update: (row, input, ctx) => {
    // only notes are editable; status changes go through the actions (PUT status "received" = receive)
    const errors = new Errors()
    const d: Record<string, unknown> = {}
    assignFields(d, input, { notes: "string", status: "string" }, errors, "update")
    if (d.status !== undefined && d.status !== row.status && d.status !== "received")
      errors.add("status", "can only change to received (or use the revert action)")
    errors.throwIfAny()
    if (d.notes !== undefined && d.notes !== row.notes) {
      row.notes = d.notes
      ctx.store.touch(row)
    }
    if (d.status === "received" && row.status !== "received") stockTransferAction(ctx, row, "receive")
  },
  hiddenStatuses: ["void"],
  filters: {
    source_location_id: { type: "int" },
    destination_location_id: { type: "int" },
    adjustment_number: { type: "string" },
  },
  search: ["adjustment_number", "notes"],
  includes: { stock_transfer_line_items: hasMany("stock_transfer_line_items", "stock_transfer_id") },
  serialize: (r, ctx) => {
    const lines = [...ctx.store.where("stock_transfer_line_items", "stock_transfer_id", r.id)].sort(byPosition)
    return {
      ...stamps(r),
      source_location_id: r.source_location_id,
      destination_location_id: r.destination_location_id,
      adjustment_number: r.adjustment_number,
      notes: r.notes,
      status: r.status,
      transacted_at: ts(r.transacted_at),
      received_at: ts(r.received_at),
      cached_quantity: dec(lines.reduce((s, l) => s + l.quantity, 0)),
      stock_transfer_line_item_ids: lines.map((l) => l.id),
    }
  },
})

export const stockTransferLineItem = define({
  name: "stock_transfer_line_item",
  plural: "stock_transfer_line_items",
  klass: "StockTransferLineItem",
  idBase: 985001,
  ops: ["list", "show"],
  positioned: true,
  filters: { stock_transfer_id: { type: "int" }, variant_id: { type: "int" } },
  serialize: (r) => ({
    ...stamps(r),
    stock_transfer_id: r.stock_transfer_id,
    variant_id: r.variant_id,
    quantity: dec(r.quantity),
    position: r.position,
    stock_trail_ids: [],
  }),
})
