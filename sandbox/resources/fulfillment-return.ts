// Fulfillment returns (/fulfillment_returns, /fulfillment_return_line_items; spec §3.15).
// status "returning" (default) or "received"; receiving puts the stock back at location_id.
import { baseError, Errors } from "../conventions/errors"
import { returnedQty, shippedQty, isShippable } from "../domain/lines"
import { assertOpen, nextNumber, planItems, receiveReturn, type ItemInput } from "../domain/orders"
import { primaryLocationId } from "../domain/stock"
import { dec, ts } from "../format"
import type { Row } from "../store"
import {
  asArray,
  assignFields,
  belongsTo,
  byPosition,
  define,
  hasMany,
  isBlank,
  stamps,
  type Ctx,
  type FieldType,
} from "./define"

const attrs: Record<string, FieldType> = {
  location_id: "int",
  delivery_type: "string",
  tracking_number: "string",
  tracking_url: "string",
  tracking_company: "string",
  notes: "string",
  exchange_rate: "decimal",
}

const orderOf = (ctx: Ctx, row: Row) => ctx.store.get("orders", row.order_id)

export const fulfillmentReturn = define({
  name: "fulfillment_return",
  plural: "fulfillment_returns",
  klass: "FulfillmentReturn",
  idBase: 920001,
  ops: ["list", "show", "create", "update", "delete"],
  create: (input, ctx) => {
    const { store } = ctx
    const errors = new Errors()
    const order = isBlank(input.order_id) ? undefined : store.get("orders", input.order_id)
    if (isBlank(input.order_id)) errors.add("order_id", "can't be blank")
    else if (!order) errors.add("order_id", "is invalid")
    const fields: Record<string, unknown> = {}
    assignFields(fields, input, attrs, errors, "create")
    const status = input.status ?? "returning"
    if (status !== "returning" && status !== "received") errors.add("status", "is not included in the list")
    if (fields.location_id && !store.get("locations", fields.location_id)) errors.add("location_id", "is invalid")
    errors.throwIfAny()
    const o = order as Row
    assertOpen(o, "return")
    const items = asArray(
      input.fulfillment_return_line_items,
      "fulfillment_return_line_items"
    ) as unknown as ItemInput[]
    const planned = planItems(
      store,
      o,
      items,
      (l) => shippedQty(store, l.id) - returnedQty(store, l.id),
      isShippable,
      "fulfillment_return_line_items"
    )
    if (!planned.length) throw baseError("There are no shipped items left to return on this order")
    const ret = store.insert("fulfillment_returns", {
      order_id: o.id,
      location_id: o.stock_location_id ?? primaryLocationId(store),
      delivery_type: null,
      exchange_rate: 1,
      notes: null,
      received_at: null,
      tracking_company: null,
      tracking_number: null,
      tracking_url: null,
      ...fields,
      status: "returning",
      credit_note_number: nextNumber(store, "fulfillment_returns", "credit_note_number", "CN"),
    })
    planned.forEach(({ line, quantity }, i) =>
      store.insert("fulfillment_return_line_items", {
        fulfillment_return_id: ret.id,
        order_line_item_id: line.id,
        quantity,
        base_price: line.price ?? null,
        position: i,
        ledger_account_id: null,
      })
    )
    store.emit("fulfillment_return.create", "fulfillment_returns", ret.id)
    if (status === "received") receiveReturn(ctx, ret)
    return ret
  },
  update: (row, input, ctx) => {
    const errors = new Errors()
    const d = { ...row }
    const before = JSON.stringify(row)
    assignFields(d, input, attrs, errors, "update")
    const status = input.status ?? row.status
    if (status !== row.status) {
      if (row.status !== "returning" || !["received", "void"].includes(String(status)))
        errors.add("status", `cannot change from ${row.status} to ${String(status)}`)
    }
    errors.throwIfAny()
    Object.assign(row, d)
    if (JSON.stringify(row) !== before) ctx.store.touch(row)
    if (status === "received") receiveReturn(ctx, row)
    if (status === "void" && row.status !== "void") {
      row.status = "void"
      ctx.store.touch(row)
    }
  },
  destroy: (row, ctx) => {
    if (row.status === "received") throw baseError("Cannot delete a received fulfillment return")
    if (row.status === "deleted") return
    row.status = "deleted"
    ctx.store.touch(row)
  },
  hiddenStatuses: ["void", "deleted"],
  filters: {
    order_id: { type: "int" },
    location_id: { type: "int" },
    company_id: (row, values, ctx) => values.includes(String(orderOf(ctx, row)?.company_id)),
  },
  includes: {
    fulfillment_return_line_items: hasMany("fulfillment_return_line_items", "fulfillment_return_id"),
    order: belongsTo("orders", "order_id"),
  },
  defaultIncludes: ["fulfillment_return_line_items"],
  serialize: (r, ctx) => {
    const order = orderOf(ctx, r)
    return {
      ...stamps(r),
      order_id: r.order_id,
      location_id: r.location_id,
      delivery_type: r.delivery_type,
      exchange_rate: dec(r.exchange_rate),
      notes: r.notes,
      received_at: ts(r.received_at),
      tracking_company: r.tracking_company,
      tracking_number: r.tracking_number,
      tracking_url: r.tracking_url,
      status: r.status,
      credit_note_number: r.credit_note_number,
      order_number: order?.order_number ?? null,
      company_id: order?.company_id ?? null,
      fulfillment_return_line_item_ids: [
        ...ctx.store.where("fulfillment_return_line_items", "fulfillment_return_id", r.id),
      ]
        .sort(byPosition)
        .map((l) => l.id),
    }
  },
})

export const fulfillmentReturnLineItem = define({
  name: "fulfillment_return_line_item",
  plural: "fulfillment_return_line_items",
  klass: "FulfillmentReturnLineItem",
  idBase: 930001,
  ops: ["list", "show"],
  positioned: true,
  filters: { fulfillment_return_id: { type: "int" }, order_line_item_id: { type: "int" } },
  serialize: (r, ctx) => ({
    ...stamps(r),
    fulfillment_return_id: r.fulfillment_return_id,
    // 2014 traffic: the shipment the returned line went out on
    fulfillment_id:
      ctx.store
        .where("fulfillment_line_items", "order_line_item_id", r.order_line_item_id)
        .find((f) => ctx.store.get("fulfillments", f.fulfillment_id)?.status === "fulfilled")?.fulfillment_id ?? null,
    order_line_item_id: r.order_line_item_id,
    base_price: dec(r.base_price),
    position: r.position,
    quantity: dec(r.quantity),
    ledger_account_id: r.ledger_account_id,
    stock_trail_ids: [],
  }),
})
