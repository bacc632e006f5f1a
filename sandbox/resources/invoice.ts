// Invoices, invoice line items and payments (/invoices, /invoice_line_items,
// /payments; spec §3.16–3.17). An invoice must embed invoice_line_items, else
// 422 {"errors":{"base":["Cannot create invoice without line items"]}}.
import { baseError, Errors } from "../conventions/errors"
import { amountPaid, createInvoice, invoiceTotal, paymentStatus, type ItemInput } from "../domain/orders"
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
  invoice_number: "string",
  invoiced_at: "date",
  due_at: "date",
  payment_term_id: "int",
  billing_address_id: "int",
  shipping_address_id: "int",
  notes: "string",
  exchange_rate: "decimal",
}

const orderOf = (ctx: Ctx, row: Row) => ctx.store.get("orders", row.order_id)

export const invoice = define({
  name: "invoice",
  plural: "invoices",
  klass: "Invoice",
  idBase: 940001,
  ops: ["list", "show", "create", "update", "delete"],
  writable: attrs,
  create: (input, ctx) => {
    const errors = new Errors()
    const order = isBlank(input.order_id) ? undefined : ctx.store.get("orders", input.order_id)
    if (isBlank(input.order_id)) errors.add("order_id", "can't be blank")
    else if (!order) errors.add("order_id", "is invalid")
    const fields: Record<string, unknown> = {}
    assignFields(fields, input, attrs, errors, "create")
    errors.throwIfAny()
    const items = asArray(input.invoice_line_items, "invoice_line_items") as unknown as ItemInput[]
    if (!items.length) throw baseError("Cannot create invoice without line items")
    return createInvoice(ctx, order as Row, items, fields)
  },
  destroy: (row, ctx) => {
    if (row.status === "archived") return
    row.status = "archived"
    ctx.store.touch(row)
    ctx.store.emit("invoice.destroy", "invoices", row.id)
  },
  filters: {
    order_id: { type: "int" },
    shipping_address_id: { type: "int" },
    billing_address_id: { type: "int" },
    payment_term_id: { type: "int" },
    invoice_number: { type: "string" },
    payment_status: (row, values, ctx) =>
      values.includes(paymentStatus(invoiceTotal(ctx.store, row), amountPaid(ctx.store, row))),
    company_id: (row, values, ctx) => values.includes(String(orderOf(ctx, row)?.company_id)),
    currency_id: (row, values, ctx) => values.includes(String(orderOf(ctx, row)?.currency_id)),
  },
  search: ["invoice_number", "notes"],
  includes: {
    invoice_line_items: hasMany("invoice_line_items", "invoice_id"),
    payments: hasMany("payments", "invoice_id"),
    order: belongsTo("orders", "order_id"),
    orders: belongsTo("orders", "order_id"),
  },
  defaultIncludes: ["invoice_line_items"],
  serialize: (r, ctx) => {
    const order = orderOf(ctx, r)
    const total = invoiceTotal(ctx.store, r)
    return {
      ...stamps(r),
      document_url: `${ctx.baseUrl}/d/invoice-${r.id}`,
      destination_url: null, // 2014 field, always null here
      order_id: r.order_id,
      shipping_address_id: r.shipping_address_id,
      billing_address_id: r.billing_address_id,
      payment_term_id: r.payment_term_id,
      due_at: r.due_at,
      exchange_rate: dec(r.exchange_rate),
      invoice_number: r.invoice_number,
      invoiced_at: r.invoiced_at,
      notes: r.notes,
      cached_total: dec(total),
      total: dec(total),
      payment_status: paymentStatus(total, amountPaid(ctx.store, r)),
      order_number: order?.order_number ?? null,
      company_id: order?.company_id ?? null,
      currency_id: order?.currency_id ?? null,
      status: r.status,
      invoice_line_item_ids: [...ctx.store.where("invoice_line_items", "invoice_id", r.id)]
        .sort(byPosition)
        .map((l) => l.id),
      payment_ids: ctx.store.where("payments", "invoice_id", r.id).map((p) => p.id),
      refund_ids: [],
    }
  },
})

export const invoiceLineItem = define({
  name: "invoice_line_item",
  plural: "invoice_line_items",
  klass: "InvoiceLineItem",
  idBase: 950001,
  ops: ["list", "show"],
  positioned: true,
  filters: { invoice_id: { type: "int" }, order_line_item_id: { type: "int" } },
  serialize: (r) => ({
    ...stamps(r),
    invoice_id: r.invoice_id,
    order_line_item_id: r.order_line_item_id,
    ledger_account_id: r.ledger_account_id,
    position: r.position,
    quantity: dec(r.quantity),
  }),
})

export const payment = define({
  name: "payment",
  plural: "payments",
  klass: "Payment",
  idBase: 960001,
  ops: ["list", "show", "create", "delete"],
  writable: {
    amount: "decimal",
    reference: "string",
    paid_at: "datetime",
    exchange_rate: "decimal",
    payment_method_id: "int",
  },
  createOnly: { invoice_id: "int" },
  required: ["invoice_id", "amount"],
  defaults: (ctx) => ({
    reference: null,
    paid_at: ctx.store.now(),
    exchange_rate: 1,
    payment_method_id: null,
    status: "active",
  }),
  validate: (d, ctx, errors) => {
    if (!isBlank(d.invoice_id)) {
      const inv = ctx.store.get("invoices", d.invoice_id)
      if (!inv || inv.status !== "active") errors.add("invoice_id", "is invalid")
    }
    if (typeof d.amount === "number" && d.amount <= 0) errors.add("amount", "must be greater than 0")
    if (d.payment_method_id && !ctx.store.get("payment_methods", d.payment_method_id))
      errors.add("payment_method_id", "is invalid")
  },
  events: { create: "payment.create" },
  filters: { invoice_id: { type: "int" }, payment_method_id: { type: "int" } },
  serialize: (r) => ({
    ...stamps(r),
    invoice_id: r.invoice_id,
    amount: dec(r.amount),
    reference: r.reference,
    paid_at: ts(r.paid_at),
    status: r.status,
    exchange_rate: dec(r.exchange_rate),
    payment_method_id: r.payment_method_id,
  }),
})
