// Order line item (/order_line_items; spec §3.13). Also used for the
// order_line_items embedded in POST/PUT /orders (PUT appends, spec §3.12).
// Custom lines: freeform:true + label, no variant_id (SMAUG-ISS #16).
import { baseError, Errors } from "../conventions/errors"
import { invoicedQty, isShippable, packedQty } from "../domain/lines"
import { dec } from "../format"
import type { Row } from "../store"
import type { JsonObject } from "../types"
import { assignFields, belongsTo, define, isBlank, requirePresent, stamps, type Ctx, type FieldType } from "./define"
import { imageUrl } from "./image"
import { variantPrice } from "./variant"

const editable: Record<string, FieldType> = {
  quantity: "decimal",
  price: "decimal",
  discount: "decimal",
  discount_amount: "decimal",
  tax_type_id: "int",
  tax_rate_override: "decimal",
  tax_rate: "decimal", // deprecated name of tax_rate_override (spec §7.15)
  label: "string",
  line_type: "string",
  position: "int",
}
const LINE_TYPES = ["product", "discount", "shipping", "rounding", "fee", "gift_wrap"]

function checkLine(d: Row, ctx: Ctx, errors: Errors): void {
  if (d.tax_rate !== undefined) {
    if (d.tax_rate !== null) d.tax_rate_override = d.tax_rate
    delete d.tax_rate
  }
  requirePresent(d, ["quantity"], errors)
  if (typeof d.quantity === "number" && d.quantity <= 0) errors.add("quantity", "must be greater than 0")
  if (d.discount !== null && (d.discount < -100 || d.discount > 100))
    errors.add("discount", "must be between -100 and 100")
  if (d.line_type !== null && !LINE_TYPES.includes(d.line_type)) errors.add("line_type", "is not included in the list")
  if (d.tax_type_id !== null && !ctx.store.get("tax_types", d.tax_type_id)) errors.add("tax_type_id", "is invalid")
}

/**
 * Validates one line for `order` (an existing order or a draft) and returns the
 * row to insert. Messages are added to `errors` under `prefix` when given.
 * price defaults to the variant's price on the order's price list;
 * tax_type_id to the account's default sales tax type.
 */
export function prepareLine(ctx: Ctx, order: Row, input: JsonObject, errors: Errors, prefix?: string): Row {
  const account = ctx.store.all("accounts")[0]
  const d = {
    variant_id: null,
    quantity: null,
    price: null,
    discount: null,
    discount_amount: null,
    tax_type_id: account?.default_sales_order_tax_type_id ?? null,
    tax_rate_override: null,
    freeform: false,
    label: null,
    line_type: null,
    position: null,
  } as unknown as Row
  const sub = new Errors()
  assignFields(d, input, { ...editable, variant_id: "int", freeform: "bool" }, sub, "create")
  if (d.freeform) {
    d.variant_id = null
    if (isBlank(d.label)) sub.add("label", "can't be blank")
  } else if (isBlank(d.variant_id)) {
    sub.add("variant_id", "can't be blank")
  } else {
    const variant = ctx.store.get("variants", d.variant_id)
    if (!variant) sub.add("variant_id", "is invalid")
    else if (d.price === null)
      d.price = variantPrice(variant, order.default_price_list_id ?? account?.default_order_price_list_id) ?? 0
  }
  d.price ??= 0
  checkLine(d, ctx, sub)
  errors.addAll(sub, prefix)
  return d
}

export function insertLines(ctx: Ctx, order: Row, drafts: Row[]): Row[] {
  let next = ctx.store.where("order_line_items", "order_id", order.id).length
  return drafts.map((d) =>
    ctx.store.insert("order_line_items", { ...d, order_id: order.id, position: d.position ?? next++ })
  )
}

function assertEditableOrder(order: Row | undefined): asserts order is Row {
  if (!order) throw baseError("Order not found")
  if (["void", "deleted", "fulfilled"].includes(order.status))
    throw baseError(`Cannot change the line items of a ${order.status} order`)
}

export const orderLineItem = define({
  name: "order_line_item",
  plural: "order_line_items",
  klass: "OrderLineItem",
  idBase: 800001,
  ops: ["list", "show", "create", "update", "delete"],
  create: (input, ctx) => {
    const errors = new Errors()
    if (isBlank(input.order_id)) errors.add("order_id", "can't be blank")
    const order = ctx.store.get("orders", input.order_id)
    if (!isBlank(input.order_id) && !order) errors.add("order_id", "is invalid")
    errors.throwIfAny()
    assertEditableOrder(order)
    const draft = prepareLine(ctx, order, input, errors)
    errors.throwIfAny()
    const [row] = insertLines(ctx, order, [draft])
    ctx.store.touch(order)
    return row
  },
  update: (row, input, ctx) => {
    const order = ctx.store.get("orders", row.order_id)
    assertEditableOrder(order)
    const before = JSON.stringify(row)
    const d = { ...row } as Row
    const errors = new Errors()
    assignFields(d, input, editable, errors, "update")
    checkLine(d, ctx, errors)
    const floor = Math.max(isShippable(row) ? packedQty(ctx.store, row.id) : 0, invoicedQty(ctx.store, row.id))
    if (typeof d.quantity === "number" && d.quantity < floor)
      errors.add("quantity", `cannot be less than the ${floor} already packed or invoiced`)
    errors.throwIfAny()
    if (JSON.stringify(d) !== before) {
      Object.assign(row, d)
      ctx.store.touch(row)
      ctx.store.touch(order)
    }
  },
  destroy: (row, ctx) => {
    const order = ctx.store.get("orders", row.order_id)
    assertEditableOrder(order)
    const used =
      ctx.store.where("fulfillment_line_items", "order_line_item_id", row.id).length > 0 ||
      ctx.store.where("invoice_line_items", "order_line_item_id", row.id).length > 0
    if (used) throw baseError("Cannot delete a line item that has been packed, fulfilled or invoiced")
    ctx.store.delete("order_line_items", row.id)
    ctx.store.touch(order)
  },
  positioned: true,
  filters: {
    order_id: { type: "int" },
    variant_id: { type: "int" },
    tax_type_id: { type: "int" },
    order_status: (row, values, ctx) => values.includes(ctx.store.get("orders", row.order_id)?.status),
  },
  includes: {
    variant: belongsTo("variants", "variant_id"),
    variants: belongsTo("variants", "variant_id"),
    order: belongsTo("orders", "order_id"),
  },
  serialize: (r, ctx) => {
    const variant = r.variant_id ? ctx.store.get("variants", r.variant_id) : undefined
    const image = variant ? ctx.store.all("images").find((i) => i.variant_ids.includes(Number(variant.id))) : undefined
    return {
      ...stamps(r),
      order_id: r.order_id,
      variant_id: r.variant_id,
      tax_type_id: r.tax_type_id,
      discount: dec(r.discount),
      discount_amount: dec(r.discount_amount),
      freeform: r.freeform,
      image_url: image ? imageUrl(ctx, image, "thumbnail") : null,
      label: r.label,
      line_type: r.line_type,
      position: r.position,
      price: dec(r.price),
      quantity: dec(r.quantity),
      tax_rate_override: dec(r.tax_rate_override),
      tax_rate: dec(r.tax_rate_override),
      shippable: isShippable(r),
      fulfillment_line_item_ids: ctx.store.where("fulfillment_line_items", "order_line_item_id", r.id).map((x) => x.id),
      fulfillment_return_line_item_ids: ctx.store
        .where("fulfillment_return_line_items", "order_line_item_id", r.id)
        .map((x) => x.id),
      invoice_line_item_ids: ctx.store.where("invoice_line_items", "order_line_item_id", r.id).map((x) => x.id),
    }
  },
})
