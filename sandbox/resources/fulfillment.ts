// Fulfillments / shipments (/fulfillments, /fulfillment_line_items; spec §3.14).
// Create embeds fulfillment_line_items:[{order_line_item_id, quantity}] (all
// open quantities when omitted), status "packed" (default) or "fulfilled".
// PUT status "fulfilled" ships it: stock on hand is deducted and committed stock
// released ([I] §4.1). Lists always sideload the line items (spec §2.1).
import { baseError, Errors } from "../conventions/errors"
import { cancelFulfillment, createFulfillment, markFulfilled, type ItemInput } from "../domain/orders"
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
  shipping_address_id: "int",
  billing_address_id: "int",
  stock_location_id: "int",
  delivery_type: "string",
  tracking_number: "string",
  tracking_url: "string",
  tracking_company: "string",
  service: "string",
  notes: "string",
  exchange_rate: "decimal",
  packed_at: "date",
  shipped_at: "datetime",
  receipt: "any",
}

const orderOf = (ctx: Ctx, row: Row) => ctx.store.get("orders", row.order_id)

export const fulfillment = define({
  name: "fulfillment",
  plural: "fulfillments",
  klass: "Fulfillment",
  idBase: 900001,
  ops: ["list", "show", "create", "update", "delete"],
  create: (input, ctx) => {
    const errors = new Errors()
    const order = isBlank(input.order_id) ? undefined : ctx.store.get("orders", input.order_id)
    if (isBlank(input.order_id)) errors.add("order_id", "can't be blank")
    else if (!order) errors.add("order_id", "is invalid")
    const fields: Record<string, unknown> = {}
    assignFields(fields, input, attrs, errors, "create")
    const status = input.status ?? "packed"
    if (status !== "packed" && status !== "fulfilled") errors.add("status", "is not included in the list")
    if (fields.stock_location_id && !ctx.store.get("locations", fields.stock_location_id))
      errors.add("stock_location_id", "is invalid")
    const items = asArray(input.fulfillment_line_items, "fulfillment_line_items") as unknown as ItemInput[]
    errors.throwIfAny()
    return createFulfillment(ctx, order as Row, items, status as "packed" | "fulfilled", fields)
  },
  update: (row, input, ctx) => {
    const errors = new Errors()
    const d = { ...row }
    const before = JSON.stringify(row)
    assignFields(d, input, attrs, errors, "update")
    const status = input.status ?? row.status
    if (!["packed", "fulfilled", "void"].includes(String(status))) errors.add("status", "is not included in the list")
    else if (row.status === "fulfilled" && status === "packed")
      errors.add("status", "cannot go back from fulfilled to packed")
    else if ((row.status === "void" || row.status === "deleted") && status !== row.status)
      errors.add("status", `cannot change a ${row.status} fulfillment`)
    errors.throwIfAny()
    Object.assign(row, d)
    if (JSON.stringify(row) !== before) ctx.store.touch(row)
    if (status === "fulfilled") markFulfilled(ctx, row)
    if (status === "void") cancelFulfillment(ctx, row, "void")
  },
  destroy: (row, ctx) => {
    const returns = ctx.store
      .where("fulfillment_returns", "order_id", row.order_id)
      .filter((r) => !["void", "deleted"].includes(r.status))
    if (row.status === "fulfilled" && returns.length)
      throw baseError("Cannot delete a fulfillment that has fulfillment returns")
    cancelFulfillment(ctx, row, "deleted")
  },
  hiddenStatuses: ["void", "deleted"],
  filters: {
    order_id: { type: "int" },
    shipping_address_id: { type: "int" },
    billing_address_id: { type: "int" },
    stock_location_id: { type: "int" },
    company_id: (row, values, ctx) => values.includes(String(orderOf(ctx, row)?.company_id)),
  },
  search: ["tracking_number", "notes"],
  listMeta: true,
  includes: {
    fulfillment_line_items: hasMany("fulfillment_line_items", "fulfillment_id"),
    order: belongsTo("orders", "order_id"),
    orders: belongsTo("orders", "order_id"),
  },
  defaultIncludes: ["fulfillment_line_items"],
  serialize: (r, ctx) => {
    const order = orderOf(ctx, r)
    return {
      ...stamps(r),
      order_id: r.order_id,
      shipping_address_id: r.shipping_address_id,
      billing_address_id: r.billing_address_id,
      stock_location_id: r.stock_location_id,
      delivery_type: r.delivery_type,
      exchange_rate: dec(r.exchange_rate),
      notes: r.notes,
      packed_at: r.packed_at,
      receipt: r.receipt ?? {},
      destination_url: null, // 2014 field (3PL destination), always null here
      received_at: ts(r.received_at),
      service: r.service,
      shipped_at: ts(r.shipped_at),
      status: r.status,
      tracking_company: r.tracking_company,
      tracking_number: r.tracking_number,
      tracking_url: r.tracking_url,
      order_number: order?.order_number ?? null,
      company_id: order?.company_id ?? null,
      fulfillment_line_item_ids: [...ctx.store.where("fulfillment_line_items", "fulfillment_id", r.id)]
        .sort(byPosition)
        .map((l) => l.id),
    }
  },
})

export const fulfillmentLineItem = define({
  name: "fulfillment_line_item",
  plural: "fulfillment_line_items",
  klass: "FulfillmentLineItem",
  idBase: 910001,
  ops: ["list", "show"],
  positioned: true,
  filters: { fulfillment_id: { type: "int" }, order_line_item_id: { type: "int" } },
  serialize: (r, ctx) => {
    const line = ctx.store.get("order_line_items", r.order_line_item_id)
    const variant = line?.variant_id ? ctx.store.get("variants", line.variant_id) : undefined
    return {
      ...stamps(r),
      fulfillment_id: r.fulfillment_id,
      order_line_item_id: r.order_line_item_id,
      base_price: dec(r.base_price),
      position: r.position,
      quantity: dec(r.quantity),
      variant_id: variant?.id ?? null,
      variant_sku: variant?.sku ?? null,
    }
  },
})
