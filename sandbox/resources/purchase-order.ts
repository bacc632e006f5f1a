// Purchase orders received into stock (spec §3.20; recorded 2014 field set).
//
//   POST /purchase_orders {"purchase_order":{company_id (supplier), supplier_address_id, stock_location_id?,
//        status: "draft"|"active", issued_at?, due_at?, notes, reference_number,
//        purchase_order_line_items:[{variant_id, quantity, price?}]}}
//        → PO0001…; status draft by default; fires purchase_order.create.
//        Lines of an **active** PO are incoming stock at stock_location_id
//        (variant incoming_stock / locations[].incoming).
//   PUT  /purchase_orders/:id  notes, reference_number, due_at, and status draft → active
//   POST /purchase_orders/:id/actions/receive → full receipt (as the API had it): one procurement,
//        stock on hand += each line's quantity at stock_location_id, costs updated,
//        status "received", procurement_status "procured";
//        fires procurement.create, purchase_order.received and variant.stock_level_update.
//   DELETE: a draft becomes "deleted", an active PO "void" (incoming released); a received PO cannot be deleted.
// Purchase tax is the account's default purchase tax type (exempt in the seed), so total = Σ quantity × price.
import { baseError, Errors } from "../conventions/errors"
import { nextNumber } from "../domain/orders"
import { adjustOnHand, primaryLocationId, variantStock } from "../domain/stock"
import { dec, money, parseDate, ts } from "../format"
import type { Row, Store } from "../store"
import { asArray, assignFields, byPosition, define, hasMany, isBlank, stamps, type Ctx, type FieldType } from "./define"

const attrs: Record<string, FieldType> = {
  notes: "string",
  reference_number: "string",
  email: "string",
  due_at: "date",
  issued_at: "date",
  payment_due_at: "date",
  tags: "strings",
}

const linesOf = (store: Store, po: Row) =>
  [...store.where("purchase_order_line_items", "purchase_order_id", po.id)].sort(byPosition)

/** Marks every variant on the PO as written, so settle() re-checks its stock (incoming) and fires stock_level_update. */
function touchVariants(store: Store, po: Row): void {
  for (const l of linesOf(store, po)) {
    const v = store.get("variants", l.variant_id)
    if (v) store.markWritten(v, false)
  }
}

function receiveCost(store: Store, variant: Row, quantity: number, price: number): void {
  const onHand = Math.max(0, variantStock(store, variant).onHand)
  const mac = variant.moving_average_cost ?? price
  variant.moving_average_cost = Math.round(((onHand * mac + quantity * price) / (onHand + quantity)) * 10000) / 10000
  variant.last_cost_price = price
}

export function receivePurchaseOrder(ctx: Ctx, po: Row): Row {
  const { store } = ctx
  if (po.status !== "active")
    throw baseError(
      `Cannot receive a ${po.status} purchase order${po.status === "draft" ? " (make it active first)" : ""}`
    )
  const procurement = store.insert("procurements", {
    purchase_order_id: po.id,
    received_at: store.now(),
    stock_location_id: po.stock_location_id,
  })
  for (const l of linesOf(store, po)) {
    const v = store.get("variants", l.variant_id)
    if (!v) continue
    if (l.price !== null) receiveCost(store, v, l.quantity, l.price)
    adjustOnHand(store, v, po.stock_location_id, l.quantity)
    l.procurement_id = procurement.id
    store.markWritten(l)
  }
  po.status = "received"
  po.procurement_status = "procured"
  store.touch(po)
  touchVariants(store, po)
  store.emit("procurement.create", "procurements", procurement.id)
  store.emit("purchase_order.received", "purchase_orders", po.id)
  return procurement
}

export const purchaseOrder = define({
  name: "purchase_order",
  plural: "purchase_orders",
  klass: "PurchaseOrder",
  idBase: 990001,
  ops: ["list", "show", "create", "update", "delete"],
  create: (input, ctx) => {
    const { store } = ctx
    const errors = new Errors()
    const fields: Record<string, unknown> = {}
    assignFields(
      fields,
      input,
      {
        ...attrs,
        order_number: "string",
        company_id: "int",
        supplier_address_id: "int",
        billing_address_id: "int",
        stock_location_id: "int",
        currency_id: "int",
        status: "string",
      },
      errors,
      "create"
    )
    const company = isBlank(fields.company_id) ? undefined : store.get("companies", fields.company_id)
    if (isBlank(fields.company_id)) errors.add("company_id", "can't be blank")
    else if (!company) errors.add("company_id", "is invalid")
    if (isBlank(fields.supplier_address_id)) errors.add("supplier_address_id", "can't be blank")
    else if (store.get("addresses", fields.supplier_address_id)?.company_id !== fields.company_id)
      errors.add("supplier_address_id", "is invalid")
    const location = fields.stock_location_id ?? primaryLocationId(store)
    if (store.get("locations", location)?.status !== "active") errors.add("stock_location_id", "is invalid")
    const status = fields.status ?? "draft"
    if (status !== "draft" && status !== "active") errors.add("status", "is not included in the list")
    const lines = asArray(input.purchase_order_line_items, "purchase_order_line_items")
    const planned: { variant: Row; quantity: number; price: number | null }[] = []
    lines.forEach((l, i) => {
      const at = `purchase_order_line_items[${i}]`
      const variant = isBlank(l.variant_id) ? undefined : store.get("variants", l.variant_id)
      if (!variant) return errors.add(`${at}.variant_id`, isBlank(l.variant_id) ? "can't be blank" : "is invalid")
      const quantity = Number(l.quantity)
      if (isBlank(l.quantity) || !Number.isFinite(quantity) || quantity <= 0)
        return errors.add(`${at}.quantity`, "must be greater than 0")
      const price = isBlank(l.price) ? (variant.buy_price ?? null) : Number(l.price)
      if (price !== null && (!Number.isFinite(price) || price < 0)) return errors.add(`${at}.price`, "is not a number")
      planned.push({ variant, quantity, price })
    })
    errors.throwIfAny()
    const account = store.all("accounts")[0]
    const po = store.insert("purchase_orders", {
      order_number: fields.order_number || nextNumber(store, "purchase_orders", "order_number", "PO"),
      company_id: fields.company_id,
      supplier_address_id: fields.supplier_address_id,
      billing_address_id: fields.billing_address_id ?? null,
      stock_location_id: location,
      currency_id: fields.currency_id ?? account?.default_currency_id ?? 1,
      status: "draft",
      procurement_status: "unprocured",
      reference_number: fields.reference_number ?? null,
      notes: fields.notes ?? null,
      email: fields.email ?? company?.email ?? null,
      issued_at: fields.issued_at ?? parseDate(new Date(store.now()).toISOString()),
      due_at: fields.due_at ?? null,
      payment_due_at: fields.payment_due_at ?? null,
      tags: fields.tags ?? [],
      tax_treatment: account?.default_tax_treatment ?? "exclusive",
      default_price_list_id: account?.default_purchase_order_price_list_id ?? "buy",
    })
    planned.forEach(({ variant, quantity, price }, i) =>
      store.insert("purchase_order_line_items", {
        purchase_order_id: po.id,
        variant_id: variant.id,
        quantity,
        price,
        position: i + 1,
        procurement_id: null,
        tax_type_id: account?.default_purchase_order_tax_type_id ?? null,
      })
    )
    store.emit("purchase_order.create", "purchase_orders", po.id)
    if (status === "active") {
      po.status = "active"
      touchVariants(store, po)
    }
    return po
  },
  update: (row, input, ctx) => {
    const errors = new Errors()
    const d: Record<string, unknown> = { ...row }
    assignFields(d, input, { ...attrs, status: "string" }, errors, "update")
    if (d.status !== row.status && !(row.status === "draft" && d.status === "active"))
      errors.add(
        "status",
        row.status === "active" && d.status === "received"
          ? "use the receive action"
          : `cannot change from ${row.status} to ${String(d.status)}`
      )
    if (row.status === "void" || row.status === "deleted")
      errors.add("base", `Cannot update a ${row.status} purchase order`)
    errors.throwIfAny()
    const before = JSON.stringify(row)
    Object.assign(row, d)
    if (JSON.stringify(row) !== before) ctx.store.touch(row)
    touchVariants(ctx.store, row)
  },
  destroy: (row, ctx) => {
    if (row.status === "received") throw baseError("Cannot delete a received purchase order")
    if (row.status === "void" || row.status === "deleted") return
    row.status = row.status === "draft" ? "deleted" : "void"
    ctx.store.touch(row)
    touchVariants(ctx.store, row)
  },
  hiddenStatuses: ["void", "deleted"],
  filters: {
    company_id: { type: "int" },
    stock_location_id: { type: "int" },
    order_number: { type: "string" },
    procurement_status: { type: "string" },
  },
  search: ["order_number", "reference_number", "notes"],
  includes: { purchase_order_line_items: hasMany("purchase_order_line_items", "purchase_order_id") },
  serialize: (r, ctx) => {
    const lines = linesOf(ctx.store, r)
    const total = money(lines.reduce((s, l) => s + l.quantity * (l.price ?? 0), 0))
    return {
      ...stamps(r),
      document_url: `${ctx.baseUrl}/d/purchase-order-${r.id}`,
      company_id: r.company_id,
      supplier_address_id: r.supplier_address_id,
      billing_address_id: r.billing_address_id,
      stock_location_id: r.stock_location_id,
      currency_id: r.currency_id,
      status: r.status,
      procurement_status: r.procurement_status,
      order_number: r.order_number,
      reference_number: r.reference_number,
      notes: r.notes,
      email: r.email,
      tax_treatment: r.tax_treatment,
      issued_at: r.issued_at,
      due_at: r.due_at,
      payment_due_at: r.payment_due_at,
      tags: r.tags,
      default_price_list_id: r.default_price_list_id,
      destination_url: null,
      total,
      cached_quantity: dec(lines.reduce((s, l) => s + l.quantity, 0)),
      cached_total: total,
      // deprecated echoes (spec §7.15)
      default_price_type_id: r.default_price_list_id,
      tax_type: r.tax_treatment,
      purchase_order_line_item_ids: lines.map((l) => l.id),
      procurement_ids: ctx.store.where("procurements", "purchase_order_id", r.id).map((p) => p.id),
    }
  },
})

export const purchaseOrderLineItem = define({
  name: "purchase_order_line_item",
  plural: "purchase_order_line_items",
  klass: "PurchaseOrderLineItem",
  idBase: 991001,
  ops: ["list", "show"],
  positioned: true,
  filters: { purchase_order_id: { type: "int" }, variant_id: { type: "int" }, procurement_id: { type: "int" } },
  serialize: (r) => ({
    ...stamps(r),
    purchase_order_id: r.purchase_order_id,
    variant_id: r.variant_id,
    procurement_id: r.procurement_id,
    tax_type_id: r.tax_type_id,
    quantity: dec(r.quantity),
    position: r.position,
    tax_rate_override: null,
    price: dec(r.price),
    label: null,
    freeform: false,
    base_price: dec(r.price),
    extra_cost_value: null,
    image_url: null,
    tax_rate: null,
  }),
})

export const procurement = define({
  name: "procurement",
  plural: "procurements",
  klass: "Procurement",
  idBase: 995001,
  ops: ["list", "show"],
  filters: { purchase_order_id: { type: "int" } },
  serialize: (r) => ({
    ...stamps(r),
    purchase_order_id: r.purchase_order_id,
    stock_location_id: r.stock_location_id,
    received_at: ts(r.received_at),
  }),
})
