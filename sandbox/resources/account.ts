// Account (GET/PUT /accounts/current; spec §3.21). One account per sandbox.
import { effectiveRate } from "../domain/lines"
import type { Row } from "../store"
import { define, stamps, type Ctx } from "./define"

export const account = define({
  name: "account",
  plural: "accounts",
  klass: "Account",
  ops: ["list", "show", "update"],
  writable: {
    name: "string",
    contact_email: "string",
    contact_mobile: "string",
    contact_phone: "string",
    country: "string",
    industry: "string",
    website: "string",
    tax_number: "string",
    tax_label: "string",
    tax_number_label: "string",
    time_zone: "string",
    default_order_price_list_id: "string",
    default_purchase_order_price_list_id: "string",
    default_sales_ledger_account_on: "string",
    default_tax_treatment: "string",
    stock_level_warn: "bool",
    primary_location_id: "int",
    primary_billing_location_id: "int",
    default_currency_id: "int",
    default_payment_method_id: "int",
    default_payment_term_id: "int",
    default_sales_order_tax_type_id: "int",
    default_purchase_order_tax_type_id: "int",
    default_tax_exempt_id: "int",
  },
  required: ["name", "country"],
  events: { update: "account.update" },
  serialize: (r, ctx) => ({
    ...stamps(r),
    contact_email: r.contact_email,
    contact_mobile: r.contact_mobile,
    contact_phone: r.contact_phone,
    country: r.country,
    default_order_price_list_id: r.default_order_price_list_id,
    default_purchase_order_price_list_id: r.default_purchase_order_price_list_id,
    default_sales_ledger_account_on: r.default_sales_ledger_account_on,
    default_tax_treatment: r.default_tax_treatment,
    default_document_theme_id: 1,
    industry: r.industry,
    logo_url: null,
    // document texts printed on invoices / orders / quotes
    invoice_details: null,
    order_details: null,
    quote_details: null,
    name: r.name,
    stock_level_warn: r.stock_level_warn,
    tax_label: r.tax_label,
    tax_number: r.tax_number,
    tax_number_label: r.tax_number_label,
    time_zone: r.time_zone,
    website: r.website,
    primary_location_id: r.primary_location_id,
    primary_billing_location_id: r.primary_billing_location_id,
    default_currency_id: r.default_currency_id,
    default_payment_method_id: r.default_payment_method_id,
    default_payment_term_id: r.default_payment_term_id,
    billing_contact_id: 1,
    default_sales_order_tax_type_id: r.default_sales_order_tax_type_id,
    default_purchase_order_tax_type_id: r.default_purchase_order_tax_type_id,
    default_tax_exempt_id: r.default_tax_exempt_id,
    // deprecated echoes (spec §7.15); default_tax_rate is a JSON number in recorded traffic
    default_tax_rate: defaultTaxRate(ctx, r),
    default_tax_type: r.default_tax_treatment,
    default_tax_type_id: r.default_sales_order_tax_type_id,
    default_order_price_type_id: r.default_order_price_list_id,
    default_purchase_order_price_type_id: r.default_purchase_order_price_list_id,
    location_ids: ctx.store
      .all("locations")
      .filter((l) => l.status === "active")
      .map((l) => l.id),
    user_ids: ctx.store.all("users").map((u) => u.id),
  }),
})

/** Rate (a JSON number, e.g. 10.0) of the account's default sales tax type. */
function defaultTaxRate(ctx: Ctx, account: Row): number {
  const type = ctx.store.get("tax_types", account.default_sales_order_tax_type_id)
  return type ? effectiveRate(ctx.store, type) : 0
}
