// Sales order (/orders; spec §3.12, lifecycle §4).
//
// Create may embed order_line_items and company / shipping_address /
// billing_address objects, and may give currency_iso instead of currency_id.
// PUT with order_line_items appends lines. Status is draft/active/finalized
// when written; fulfilled/void/deleted are reached through shipping, actions
// and DELETE. Sideloading works on show only (spec §2.5).
import { baseError, Errors } from "../conventions/errors"
import {
  applyOrderState,
  assertStatusChange,
  changeStatus,
  deleteOrder,
  nextNumber,
  SETTABLE_STATUSES,
  shippability,
} from "../domain/orders"
import { primaryLocationId } from "../domain/stock"
import { dec } from "../format"
import type { Row } from "../store"
import type { JsonObject } from "../types"
import { address } from "./address"
import { company } from "./company"
import {
  asArray,
  asObject,
  assignFields,
  belongsTo,
  define,
  hasMany,
  insertPrepared,
  isBlank,
  prepareRecord,
  stamps,
  type Ctx,
  type FieldType,
} from "./define"
import { insertLines, prepareLine } from "./order-line-item"

const writable: Record<string, FieldType> = {
  order_number: "string",
  phone_number: "string",
  email: "string",
  notes: "string",
  reference_number: "string",
  status: "string",
  tax_treatment: "string",
  issued_at: "date",
  ship_at: "date",
  tags: "strings",
  source_url: "string",
  company_id: "int",
  contact_id: "int",
  shipping_address_id: "int",
  billing_address_id: "int",
  assignee_id: "int",
  stock_location_id: "int",
  currency_id: "int",
  default_price_list_id: "string",
  // pre-2016 names, still accepted (spec §7.15)
  due_at: "date",
  url: "string",
  default_price_type_id: "string",
  tax_type: "string",
}

const LEGACY: Record<string, string> = {
  due_at: "ship_at",
  url: "source_url",
  default_price_type_id: "default_price_list_id",
  tax_type: "tax_treatment",
}

function applyLegacyNames(d: Row, input: JsonObject): void {
  for (const [old, current] of Object.entries(LEGACY)) {
    if (d[old] !== undefined && d[old] !== null && !(current in input)) d[current] = d[old]
    delete d[old]
  }
}

/** Checks shared by create and update; `d` is the would-be order. */
function checkOrder(
  d: Row,
  ctx: Ctx,
  errors: Errors,
  skip: { company?: boolean; shipping?: boolean; billing?: boolean } = {}
) {
  const { store } = ctx
  if (isBlank(d.issued_at)) errors.add("issued_at", "can't be blank")
  if (!["exclusive", "inclusive"].includes(d.tax_treatment)) errors.add("tax_treatment", "is not included in the list")
  const ref = (resource: string, field: string, required: boolean) => {
    if (isBlank(d[field])) {
      if (required) errors.add(field, "can't be blank")
    } else if (!store.get(resource, d[field])) errors.add(field, "is invalid")
  }
  if (!skip.company) ref("companies", "company_id", true)
  if (!skip.shipping) ref("addresses", "shipping_address_id", true)
  if (!skip.billing) ref("addresses", "billing_address_id", false)
  ref("contacts", "contact_id", false)
  ref("users", "assignee_id", false)
  ref("locations", "stock_location_id", false)
  ref("currencies", "currency_id", false)
  ref("price_lists", "default_price_list_id", false)
  if (ctx.options.strictOrderNumbers && d.order_number) {
    const taken = store.where("orders", "order_number", d.order_number).some((o) => o.id !== d.id)
    if (taken) errors.add("order_number", "has already been taken")
  }
}

function createOrder(input: JsonObject, ctx: Ctx): Row {
  const { store } = ctx
  const account = store.all("accounts")[0]
  const errors = new Errors()
  const d = {
    order_number: null,
    phone_number: null,
    email: null,
    notes: null,
    reference_number: null,
    status: "draft", // [I] §3.12: sample JSON shows draft
    tax_treatment: account?.default_tax_treatment ?? "exclusive",
    issued_at: null,
    ship_at: null,
    tags: [],
    source_url: null,
    company_id: null,
    contact_id: null,
    shipping_address_id: null,
    billing_address_id: null,
    assignee_id: null,
    stock_location_id: primaryLocationId(store),
    currency_id: account?.default_currency_id ?? null,
    default_price_list_id: account?.default_order_price_list_id ?? "retail",
    user_id: ctx.caller.userId,
    // the creating OAuth application's id: an integer in recorded traffic (null for UI orders)
    source_id: ctx.caller.applicationId,
  } as unknown as Row
  assignFields(d, input, writable, errors, "create")
  applyLegacyNames(d, input)
  if (!SETTABLE_STATUSES.includes(d.status)) errors.add("status", "is not included in the list")

  // currency_iso: write-only convenience matched against existing currencies (sales guide)
  if (!isBlank(input.currency_iso)) {
    const iso = String(input.currency_iso).toUpperCase()
    const currency = store.all("currencies").find((c) => c.iso === iso && c.status === "active")
    if (currency) d.currency_id = currency.id
    else errors.add("currency_iso", "is not a currency of this account")
  }

  // Embedded company / addresses are validated before anything is written.
  const companyInput = asObject(input.company)
  const companyDraft = companyInput
    ? prepareEmbedded(ctx, company, { company_type: "consumer", ...companyInput }, errors, "company")
    : undefined
  const addressInput = (key: string) => {
    const a = asObject(input[key])
    if (!a) return undefined
    const ownerId = companyDraft ? undefined : d.company_id
    return prepareEmbedded(ctx, address, { ...a, company_id: ownerId ?? 0 }, errors, key, ["company_id"])
  }
  const shippingDraft = addressInput("shipping_address")
  const billingDraft = addressInput("billing_address")
  if (!billingDraft && isBlank(d.billing_address_id) && !shippingDraft) d.billing_address_id = d.shipping_address_id
  checkOrder(d, ctx, errors, { company: !!companyDraft, shipping: !!shippingDraft, billing: !!billingDraft })

  const lineInputs = asArray(input.order_line_items, "order_line_items")
  const lineDrafts = lineInputs.map((l) => prepareLine(ctx, d, l, errors, "order_line_items"))
  errors.throwIfAny()

  // Commit.
  if (companyDraft && companyInput) d.company_id = insertPrepared(company, companyDraft, companyInput, ctx).id
  const insertAddress = (draft: Row | undefined, key: string) => {
    if (!draft) return undefined
    draft.company_id = d.company_id
    return insertPrepared(address, draft, asObject(input[key]) ?? {}, ctx).id
  }
  d.shipping_address_id = insertAddress(shippingDraft, "shipping_address") ?? d.shipping_address_id
  d.billing_address_id = insertAddress(billingDraft, "billing_address") ?? d.billing_address_id ?? d.shipping_address_id
  d.order_number ||= nextNumber(store, "orders", "order_number", "SO")
  const order = store.insert("orders", d)
  insertLines(ctx, order, lineDrafts)
  applyOrderState(store, order)
  store.emit("order.create", "orders", order.id)
  if (order.status === "finalized") store.emit("order.finalized", "orders", order.id)
  return order
}

function prepareEmbedded(
  ctx: Ctx,
  def: typeof company,
  input: JsonObject,
  errors: Errors,
  prefix: string,
  skip: string[] = []
): Row {
  const sub = new Errors()
  const draft = prepareRecord(def, input, ctx, sub)
  errors.addAll(sub, prefix, skip)
  return draft
}

function updateOrder(order: Row, input: JsonObject, ctx: Ctx): void {
  if (order.status === "void" || order.status === "deleted") throw baseError(`Cannot update a ${order.status} order`)
  const before = JSON.stringify(order)
  const errors = new Errors()
  const d = { ...order } as Row
  assignFields(d, input, writable, errors, "update")
  applyLegacyNames(d, input)
  const nextStatus: string = d.status ?? order.status
  d.status = order.status
  checkOrder(d, ctx, errors)
  const lineInputs = asArray(input.order_line_items, "order_line_items").filter((l) => isBlank(l.id))
  if (lineInputs.length && order.status === "fulfilled")
    errors.add("order_line_items", "cannot be added to a fulfilled order")
  const lineDrafts = lineInputs.map((l) => prepareLine(ctx, d, l, errors, "order_line_items"))
  errors.throwIfAny()
  assertStatusChange(ctx, order, nextStatus) // before anything is written
  Object.assign(order, d)
  if (JSON.stringify(order) !== before) ctx.store.touch(order)
  if (lineDrafts.length) {
    insertLines(ctx, order, lineDrafts)
    ctx.store.touch(order)
  }
  changeStatus(ctx, order, nextStatus)
}

const fulfillmentsOf = (ctx: Ctx, order: Row) => ctx.store.where("fulfillments", "order_id", order.id)
const invoicesOf = (ctx: Ctx, order: Row) => ctx.store.where("invoices", "order_id", order.id)
const paymentsOf = (ctx: Ctx, order: Row) =>
  invoicesOf(ctx, order).flatMap((i) => ctx.store.where("payments", "invoice_id", i.id))

export const order = define({
  name: "order",
  plural: "orders",
  klass: "Order",
  idBase: 700001,
  ops: ["list", "show", "create", "update", "delete"],
  create: createOrder,
  update: updateOrder,
  destroy: (row, ctx) => deleteOrder(ctx, row),
  hiddenStatuses: ["void", "deleted"],
  filters: {
    company_id: { type: "int" },
    contact_id: { type: "int" },
    assignee_id: { type: "int" },
    billing_address_id: { type: "int" },
    shipping_address_id: { type: "int" },
    currency_id: { type: "int" },
    stock_location_id: { type: "int" },
    user_id: { type: "int" },
    source_id: { type: "string" },
    order_number: { type: "string" },
    reference_number: { type: "string" },
    email: { type: "string" },
    tags: { type: "array" },
    payment_status: { type: "string" },
    invoice_status: { type: "string" },
    packed_status: { type: "string" },
    fulfillment_status: { type: "string" },
    return_status: { type: "string" },
    returning_status: { type: "string" },
    shippability_status: (row, values, ctx) => values.includes(shippability(ctx.store, row).shippability_status),
    backordering_status: (row, values, ctx) => values.includes(shippability(ctx.store, row).backordering_status),
  },
  search: ["order_number", "reference_number", "email", "notes"],
  listMeta: true,
  includeOnIndex: false,
  includes: {
    order_line_items: hasMany("order_line_items", "order_id"),
    company: belongsTo("companies", "company_id"),
    companies: belongsTo("companies", "company_id"),
    shipping_address: belongsTo("addresses", "shipping_address_id"),
    billing_address: belongsTo("addresses", "billing_address_id"),
    addresses: belongsTo("addresses", "shipping_address_id", "billing_address_id"),
    contact: belongsTo("contacts", "contact_id"),
    currency: belongsTo("currencies", "currency_id"),
    stock_location: belongsTo("locations", "stock_location_id"),
    user: belongsTo("users", "user_id"),
    assignee: belongsTo("users", "assignee_id"),
    fulfillments: hasMany("fulfillments", "order_id"),
    fulfillment_returns: hasMany("fulfillment_returns", "order_id"),
    invoices: hasMany("invoices", "order_id"),
    payments: { resource: "payments", rows: (primary, ctx) => primary.flatMap((o) => paymentsOf(ctx, o)) },
  },
  serialize: (r, ctx) => {
    const fulfillments = fulfillmentsOf(ctx, r)
    const invoices = invoicesOf(ctx, r)
    const ship = shippability(ctx.store, r)
    const account = ctx.store.all("accounts")[0]
    return {
      ...stamps(r),
      document_url: `${ctx.baseUrl}/d/order-${r.id}`,
      assignee_id: r.assignee_id,
      billing_address_id: r.billing_address_id,
      company_id: r.company_id,
      contact_id: r.contact_id,
      currency_id: r.currency_id,
      shipping_address_id: r.shipping_address_id,
      stock_location_id: r.stock_location_id,
      user_id: r.user_id,
      default_price_list_id: r.default_price_list_id,
      email: r.email,
      fulfillment_status: r.fulfillment_status,
      invoice_status: r.invoice_status,
      issued_at: r.issued_at,
      notes: r.notes,
      order_number: r.order_number,
      packed_status: r.packed_status,
      payment_status: r.payment_status,
      phone_number: r.phone_number,
      reference_number: r.reference_number,
      return_status: r.return_status,
      returning_status: r.returning_status,
      shippability_status: ship.shippability_status,
      backordering_status: ship.backordering_status,
      ship_at: r.ship_at,
      source_url: r.source_url,
      status: r.status,
      tax_label: account?.tax_label ?? null,
      tax_override: null,
      tax_treatment: r.tax_treatment,
      total: dec(r.total ?? 0),
      tags: r.tags,
      fulfillment_ids: fulfillments.map((f) => f.id),
      fulfillment_return_ids: ctx.store.where("fulfillment_returns", "order_id", r.id).map((f) => f.id),
      invoice_ids: invoices.map((i) => i.id),
      payment_ids: paymentsOf(ctx, r).map((p) => p.id),
      refund_ids: [],
      cached_total: dec(r.total ?? 0),
      default_price_type_id: r.default_price_list_id,
      source: null,
      tax_type: r.tax_treatment,
      tracking_number: fulfillments.find((f) => f.tracking_number)?.tracking_number ?? null,
      url: r.source_url,
      source_id: r.source_id,
      invoice_numbers: Object.fromEntries(invoices.map((i) => [String(i.id), i.invoice_number])),
      order_line_item_ids: [...ctx.store.where("order_line_items", "order_id", r.id)]
        .sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id))
        .map((l) => l.id),
    }
  },
})
