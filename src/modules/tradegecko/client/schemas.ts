/**
 * Every TradeGecko payload the client reads or writes, as zod schemas, in one place.
 *
 * Conventions (see the API notes in the project docs):
 *  - Records are `z.looseObject`: fields we do not model pass through untouched.
 *  - Money, quantities and stock arrive as JSON strings ("10.0", "-5.0"); some fields
 *    occasionally arrive as integers or `null` for the same key (`committed: null`,
 *    `incoming: 0`). `decimal` accepts all three and always yields `string | null`, so
 *    the TypeScript types stay "decimal string" and nothing is lost to float rounding.
 *    Use `parseDecimal()` when a number is really needed.
 *  - IDs are integers, except the three built-in price lists ("retail", "wholesale", "buy").
 *  - Almost every field is optional + nullable: the API's field set changed over the
 *    years and a sync must not die because an old or new field is missing.
 *  - Request bodies ("…CreateSchema"/"…UpdateSchema") are types only; the server is the
 *    authority on validation (its 422 errors are mapped to TradegeckoValidationError).
 */
import { z } from "zod"

// ---------------------------------------------------------------------------------------
// Primitive helpers
// ---------------------------------------------------------------------------------------

/** Integer record id. */
export const idSchema = z.number().int()
/** Optional foreign key (`<name>_id`), may be null. */
const fk = idSchema.nullable().optional()
/** Array of foreign keys (`<singular>_ids`). */
const fkArray = z.array(idSchema).nullable().optional()

/**
 * Decimal value as the API sends it: a string, sometimes a number, sometimes null.
 * Numbers are converted to their string form so the output type is `string | null`.
 */
export const decimalSchema = z
  .union([z.string(), z.number().transform((n) => String(n))])
  .nullable()
  .optional()

/** A decimal accepted in request bodies: string or number. */
export const decimalInputSchema = z.union([z.string(), z.number()])

/** Booleans; older payloads used 0/1 or "true"/"false". */
const bool = z
  .union([z.boolean(), z.number().transform((n) => n !== 0), z.enum(["true", "false"]).transform((s) => s === "true")])
  .nullable()
  .optional()

const str = z.string().nullable().optional()
/** ISO-8601 timestamp or a `YYYY-MM-DD` business date, kept as the string the API sent. */
const timestamp = z.string().nullable().optional()
/** Integer that is sometimes sent as a numeric string. */
const looseInt = z
  .union([z.number(), z.string().transform((s) => Number(s))])
  .nullable()
  .optional()
/**
 * Tags: a comma-separated string on products ("candy,chocolate"), a string array on
 * orders and companies. Both shapes are tolerated everywhere; see `parseTags()`.
 */
const tags = z
  .union([z.string(), z.array(z.string())])
  .nullable()
  .optional()
/** Price list id: "retail" | "wholesale" | "buy" or an integer (sometimes as a string). */
export const priceListIdSchema = z.union([z.string(), z.number()])

/** Fields shared by all records. */
const base = {
  id: idSchema,
  created_at: timestamp,
  updated_at: timestamp,
}

// ---------------------------------------------------------------------------------------
// Decimal / tag helpers
// ---------------------------------------------------------------------------------------

/** Decimal string (or number/null) → number; `null` when absent or not a number. */
export function parseDecimal(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null
  if (typeof value === "number") return Number.isFinite(value) ? value : null
  const trimmed = value.trim()
  if (trimmed === "") return null
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : null
}

/** Like `parseDecimal`, with a fallback (default 0) instead of null. */
export function decimalOr(value: string | number | null | undefined, fallback = 0): number {
  const n = parseDecimal(value)
  return n === null ? fallback : n
}

/** Number → decimal string as TradeGecko expects in request bodies ("12.5"). */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite decimal: ${value}`)
  return String(value)
}

/** Normalises product/order/company tags (comma string or array) to a trimmed array. */
export function parseTags(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return []
  const list = Array.isArray(value) ? value : value.split(",")
  return list.map((t) => t.trim()).filter((t) => t.length > 0)
}

// ---------------------------------------------------------------------------------------
// Envelope / header payloads
// ---------------------------------------------------------------------------------------

/** `X-Pagination` header (JSON). `total_*` may be missing for `ids[]` lookups. */
export const PaginationSchema = z.looseObject({
  total_records: z.number().int().nonnegative().optional(),
  total_pages: z.number().int().nonnegative().optional(),
  first_page: z.boolean().optional(),
  last_page: z.boolean().optional(),
  out_of_bounds: z.boolean().optional(),
  offset: z.number().int().nonnegative().optional(),
})
export type Pagination = z.output<typeof PaginationSchema>

/** Legacy `meta` key on some list responses (`{"total": N}`); do not rely on it. */
export const MetaSchema = z.looseObject({ total: z.number().optional() })
export type Meta = z.output<typeof MetaSchema>

/** 422 body: `{"errors":{"name":["can't be blank"]}}` (field → messages; `base` = record-level). */
export const ValidationErrorBodySchema = z.looseObject({
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])),
})

/** 400/404/409/429 body: `{"type":"Not Found","message":"Couldn't find …"}`. */
export const TypeMessageErrorBodySchema = z.looseObject({
  type: z.string().optional(),
  message: z.string().optional(),
})

/** OAuth endpoint error: `{"error":"invalid_request","error_description":"…"}`. */
export const OAuthErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
})

/** `POST /oauth/token` success body. */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  created_at: z.number().optional(),
})
export type TokenResponse = z.output<typeof TokenResponseSchema>

// ---------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------

/** Event names from the final (2020) documentation. `event` stays a plain string in payloads. */
export const WEBHOOK_EVENTS = [
  "account.update",
  "address.create",
  "address.update",
  "channel.destroy",
  "company.create",
  "company.update",
  "company.destroy",
  "contact.create",
  "contact.update",
  "document_theme.update",
  "fulfillment.create",
  "fulfillment.fulfilled",
  "fulfillment_return.create",
  "fulfillment_return.received",
  "image.create",
  "invoice.create",
  "invoice.destroy",
  "location.create",
  "location.update",
  "order.create",
  "order.finalized",
  "order.fulfilled",
  "payment.create",
  "procurement.create",
  "product.create",
  "product.destroy",
  "purchase_order.create",
  "purchase_order.received",
  "stock_adjustment.create",
  "stock_transfer.create",
  "variant.create",
  "variant.stock_level_update",
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/**
 * Thin webhook notification body:
 * `{"object_id":1234567,"event":"fulfillment.create","timestamp":1546272000,"resource_url":"…/fulfillments/1234567.json"}`.
 * `object_id` tolerates a numeric string; `timestamp` is Unix seconds.
 */
export const WebhookNotificationSchema = z.looseObject({
  object_id: z.union([
    z.number().int(),
    z
      .string()
      .regex(/^\d+$/)
      .transform((s) => Number(s)),
  ]),
  event: z.string().min(1),
  timestamp: z.union([
    z.number(),
    z
      .string()
      .regex(/^\d+$/)
      .transform((s) => Number(s)),
  ]),
  resource_url: z.string().min(1),
})
export type WebhookNotification = z.output<typeof WebhookNotificationSchema>

export const WebhookSchema = z.looseObject({
  ...base,
  event: z.string(),
  address: z.string(),
  oauth_application_id: fk,
})
export type Webhook = z.output<typeof WebhookSchema>
export const WebhookCreateSchema = z.looseObject({
  event: z.string(),
  address: z.string(),
})
export type WebhookCreate = z.input<typeof WebhookCreateSchema>
export type WebhookUpdate = Partial<WebhookCreate>

// ---------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------

export const ProductSchema = z.looseObject({
  ...base,
  name: str,
  description: str,
  product_type: str,
  brand: str,
  supplier: str,
  supplier_ids: fkArray,
  vendor: str,
  opt1: str,
  opt2: str,
  opt3: str,
  tags,
  status: str,
  image_url: str,
  quantity: decimalSchema,
  variant_ids: fkArray,
  image_ids: fkArray,
})
export type Product = z.output<typeof ProductSchema>
export const ProductCreateSchema = z.looseObject({
  name: z.string(),
  description: z.string().nullable().optional(),
  product_type: z.string().nullable().optional(),
  brand: z.string().nullable().optional(),
  opt1: z.string().nullable().optional(),
  opt2: z.string().nullable().optional(),
  opt3: z.string().nullable().optional(),
  tags: z
    .union([z.string(), z.array(z.string())])
    .nullable()
    .optional(),
  status: z.enum(["active", "disabled", "archived"]).optional(),
  image_ids: z.array(idSchema).optional(),
})
export type ProductCreate = z.input<typeof ProductCreateSchema>
export type ProductUpdate = Partial<ProductCreate>

export const VariantLocationSchema = z.looseObject({
  location_id: idSchema,
  stock_on_hand: decimalSchema,
  committed: decimalSchema,
  incoming: decimalSchema,
  available: decimalSchema,
  bin_location: str,
  reorder_point: decimalSchema,
})
export type VariantLocation = z.output<typeof VariantLocationSchema>

export const VariantPriceSchema = z.looseObject({
  price_list_id: priceListIdSchema,
  value: decimalSchema,
})
export type VariantPrice = z.output<typeof VariantPriceSchema>

export const VariantSchema = z.looseObject({
  ...base,
  product_id: idSchema,
  name: str,
  description: str,
  sku: str,
  upc: str,
  supplier_code: str,
  opt1: str,
  opt2: str,
  opt3: str,
  retail_price: decimalSchema,
  wholesale_price: decimalSchema,
  buy_price: decimalSchema,
  variant_prices: z.array(VariantPriceSchema).nullable().optional(),
  prices: z.record(z.string(), decimalSchema).nullable().optional(),
  last_cost_price: decimalSchema,
  moving_average_cost: decimalSchema,
  stock_on_hand: decimalSchema,
  committed_stock: decimalSchema,
  incoming_stock: decimalSchema,
  available_stock: decimalSchema,
  locations: z.array(VariantLocationSchema).nullable().optional(),
  stock_levels: z.record(z.string(), decimalSchema).nullable().optional(),
  committed_stock_levels: z.record(z.string(), decimalSchema).nullable().optional(),
  manage_stock: bool,
  keep_selling: bool,
  max_online: decimalSchema,
  online_ordering: bool,
  sellable: bool,
  purchasable: bool,
  taxable: bool,
  composite: bool,
  packsize: bool,
  weight: decimalSchema,
  weight_unit: str,
  weight_value: decimalSchema,
  hs_code: str,
  country_of_origin: str,
  position: looseInt,
  product_name: str,
  product_status: str,
  product_type: str,
  status: str,
  image_ids: fkArray,
  default_ledger_account_id: fk,
})
export type Variant = z.output<typeof VariantSchema>
export const VariantCreateSchema = z.looseObject({
  product_id: idSchema,
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  sku: z.string().nullable().optional(),
  upc: z.string().nullable().optional(),
  supplier_code: z.string().nullable().optional(),
  opt1: z.string().nullable().optional(),
  opt2: z.string().nullable().optional(),
  opt3: z.string().nullable().optional(),
  retail_price: decimalInputSchema.nullable().optional(),
  wholesale_price: decimalInputSchema.nullable().optional(),
  buy_price: decimalInputSchema.nullable().optional(),
  variant_prices: z.array(z.object({ price_list_id: priceListIdSchema, value: decimalInputSchema })).optional(),
  manage_stock: z.boolean().optional(),
  keep_selling: z.boolean().optional(),
  max_online: decimalInputSchema.nullable().optional(),
  online_ordering: z.boolean().optional(),
  sellable: z.boolean().optional(),
  purchasable: z.boolean().optional(),
  taxable: z.boolean().optional(),
  composite: z.boolean().optional(),
  weight: decimalInputSchema.nullable().optional(),
  weight_unit: z.enum(["kg", "g", "oz", "lb"]).optional(),
  weight_value: decimalInputSchema.nullable().optional(),
  hs_code: z.string().nullable().optional(),
  country_of_origin: z.string().nullable().optional(),
  position: z.number().int().optional(),
  image_ids: z.array(idSchema).optional(),
  initial_stock_level: decimalInputSchema.optional(),
  initial_cost_price: decimalInputSchema.optional(),
  initial_stock_location_id: idSchema.optional(),
})
export type VariantCreate = z.input<typeof VariantCreateSchema>
/** Stock fields are read-only on variants: a PUT with them returns 204 and changes nothing. */
export type VariantUpdate = Partial<
  Omit<VariantCreate, "product_id" | "initial_stock_level" | "initial_cost_price" | "initial_stock_location_id">
>

export const StockLevelSchema = z.looseObject({
  id: idSchema.optional(),
  variant_id: idSchema,
  stock_on_hand: decimalSchema,
  committed_stock: decimalSchema,
  incoming_stock: decimalSchema,
  available_stock: decimalSchema,
  locations: z
    .array(
      z.looseObject({
        location_id: idSchema,
        stock_on_hand: decimalSchema,
        committed: decimalSchema,
        incoming: decimalSchema,
        available: decimalSchema,
      })
    )
    .nullable()
    .optional(),
})
export type StockLevel = z.output<typeof StockLevelSchema>

export const ImageSchema = z.looseObject({
  ...base,
  product_id: fk,
  variant_id: fk,
  variant_ids: fkArray,
  uploader_id: fk,
  name: str,
  position: looseInt,
  base_path: str,
  file_name: str,
  versions: z.array(z.string()).nullable().optional(),
  image_processing: bool,
})
export type Image = z.output<typeof ImageSchema>
export const ImageCreateSchema = z.looseObject({
  product_id: idSchema,
  variant_ids: z.array(idSchema).optional(),
  url: z.string(),
  name: z.string().optional(),
})
export type ImageCreate = z.input<typeof ImageCreateSchema>

/** Full image URL: `base_path + "/" + file_name` (thumbnail: `…/thumbnail_<file_name>`). */
export function imageUrl(image: Pick<Image, "base_path" | "file_name">, version?: string): string | null {
  if (!image.base_path || !image.file_name) return null
  const prefix = version ? `${version}_` : ""
  return `${image.base_path.replace(/\/+$/, "")}/${prefix}${image.file_name}`
}

export const PriceListSchema = z.looseObject({
  id: priceListIdSchema,
  created_at: timestamp,
  updated_at: timestamp,
  code: str,
  name: str,
  is_cost: bool,
  is_default: bool,
  currency_id: fk,
  currency_symbol: str,
  currency_iso: str,
  position: looseInt,
})
export type PriceList = z.output<typeof PriceListSchema>
export const PriceListCreateSchema = z.looseObject({
  code: z.string().optional(),
  name: z.string(),
  currency_id: idSchema.optional(),
  is_cost: z.boolean().optional(),
})
export type PriceListCreate = z.input<typeof PriceListCreateSchema>

export const LocationSchema = z.looseObject({
  ...base,
  label: str,
  address1: str,
  address2: str,
  suburb: str,
  city: str,
  state: str,
  zip_code: str,
  country: str,
  holds_stock: bool,
  status: str,
})
export type Location = z.output<typeof LocationSchema>
export const LocationCreateSchema = z.looseObject({
  label: z.string(),
  address1: z.string(),
  address2: z.string().nullable().optional(),
  suburb: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  zip_code: z.string().nullable().optional(),
  country: z.string(),
  holds_stock: z.boolean().optional(),
})
export type LocationCreate = z.input<typeof LocationCreateSchema>

// ---------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------

export const CompanySchema = z.looseObject({
  ...base,
  name: str,
  company_type: str,
  company_code: str,
  description: str,
  email: str,
  phone_number: str,
  fax: str,
  website: str,
  tax_number: str,
  tags,
  status: str,
  assignee_id: fk,
  default_price_list_id: priceListIdSchema.nullable().optional(),
  default_tax_type_id: fk,
  default_payment_term_id: fk,
  default_payment_method_id: fk,
  default_stock_location_id: fk,
  default_ledger_account_id: fk,
  default_discount_rate: decimalSchema,
  address_ids: fkArray,
  contact_ids: fkArray,
  note_ids: fkArray,
})
export type Company = z.output<typeof CompanySchema>
export const CompanyCreateSchema = z.looseObject({
  name: z.string(),
  company_type: z.enum(["business", "supplier", "consumer"]),
  company_code: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone_number: z.string().nullable().optional(),
  website: z.string().nullable().optional(),
  tax_number: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  status: z.enum(["active", "disabled", "archived"]).optional(),
  default_price_list_id: priceListIdSchema.nullable().optional(),
  default_tax_type_id: idSchema.nullable().optional(),
  default_payment_term_id: idSchema.nullable().optional(),
  default_stock_location_id: idSchema.nullable().optional(),
  default_discount_rate: decimalInputSchema.nullable().optional(),
})
export type CompanyCreate = z.input<typeof CompanyCreateSchema>
export type CompanyUpdate = Partial<CompanyCreate>

export const AddressSchema = z.looseObject({
  ...base,
  company_id: fk,
  address1: str,
  address2: str,
  suburb: str,
  city: str,
  state: str,
  zip_code: str,
  country: str,
  country_code: str,
  label: str,
  company_name: str,
  first_name: str,
  last_name: str,
  phone_number: str,
  email: str,
  status: str,
})
export type Address = z.output<typeof AddressSchema>
const addressFields = {
  address1: z.string(),
  address2: z.string().nullable().optional(),
  suburb: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  state: z.string().nullable().optional(),
  zip_code: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  country_code: z.string().nullable().optional(),
  label: z.string().nullable().optional(),
  company_name: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  phone_number: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
}
export const AddressCreateSchema = z.looseObject({ company_id: idSchema, ...addressFields })
export type AddressCreate = z.input<typeof AddressCreateSchema>
export type AddressUpdate = Partial<Omit<AddressCreate, "company_id">>
/** Address embedded in an order create (`shipping_address: {...}`), no company_id needed. */
export const EmbeddedAddressSchema = z.looseObject(addressFields)

export const ContactSchema = z.looseObject({
  ...base,
  company_id: fk,
  first_name: str,
  last_name: str,
  email: str,
  phone_number: str,
  mobile: str,
  fax: str,
  position: str,
  location: str,
  notes: str,
  online_ordering: bool,
  status: str,
})
export type Contact = z.output<typeof ContactSchema>
export const ContactCreateSchema = z.looseObject({
  company_id: idSchema,
  first_name: z.string(),
  last_name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  phone_number: z.string().nullable().optional(),
  mobile: z.string().nullable().optional(),
  position: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
})
export type ContactCreate = z.input<typeof ContactCreateSchema>
export type ContactUpdate = Partial<Omit<ContactCreate, "company_id">>

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

export const CurrencySchema = z.looseObject({
  ...base,
  iso: str,
  name: str,
  rate: decimalSchema,
  symbol: str,
  separator: str,
  delimiter: str,
  precision: looseInt,
  format: str,
  status: str,
  subunit: looseInt,
})
export type Currency = z.output<typeof CurrencySchema>
export const CurrencyCreateSchema = z.looseObject({
  iso: z.string().length(3),
  name: z.string().optional(),
  rate: decimalInputSchema.optional(),
  symbol: z.string().optional(),
  separator: z.string().optional(),
  delimiter: z.string().optional(),
  precision: z.number().int().optional(),
  format: z.string().optional(),
})
export type CurrencyCreate = z.input<typeof CurrencyCreateSchema>

export const TaxComponentSchema = z.looseObject({
  ...base,
  tax_type_id: fk,
  position: looseInt,
  label: str,
  rate: decimalSchema,
  compound: bool,
})
export type TaxComponent = z.output<typeof TaxComponentSchema>

export const TaxTypeSchema = z.looseObject({
  ...base,
  name: str,
  code: str,
  status: str,
  imported_from: str,
  effective_rate: decimalSchema,
  tax_component_ids: fkArray,
})
export type TaxType = z.output<typeof TaxTypeSchema>
export const TaxTypeCreateSchema = z.looseObject({
  name: z.string(),
  code: z.string().optional(),
  tax_components: z
    .array(
      z.looseObject({
        position: z.number().int().optional(),
        label: z.string(),
        rate: decimalInputSchema,
        compound: z.boolean().optional(),
      })
    )
    .optional(),
})
export type TaxTypeCreate = z.input<typeof TaxTypeCreateSchema>

export const AccountSchema = z.looseObject({
  ...base,
  name: str,
  country: str,
  default_order_price_list_id: priceListIdSchema.nullable().optional(),
  default_purchase_order_price_list_id: priceListIdSchema.nullable().optional(),
  default_tax_treatment: str,
  default_sales_order_tax_type_id: fk,
  default_currency_id: fk,
  primary_location_id: fk,
  primary_billing_location_id: fk,
  default_payment_term_id: fk,
  default_payment_method_id: fk,
  time_zone: str,
  tax_label: str,
  location_ids: fkArray,
  user_ids: fkArray,
})
export type Account = z.output<typeof AccountSchema>
export type AccountUpdate = Record<string, unknown>

// ---------------------------------------------------------------------------------------
// Sales
// ---------------------------------------------------------------------------------------

export const OrderSchema = z.looseObject({
  ...base,
  order_number: str,
  status: str,
  payment_status: str,
  invoice_status: str,
  packed_status: str,
  fulfillment_status: str,
  return_status: str,
  returning_status: str,
  shippability_status: str,
  backordering_status: str,
  issued_at: timestamp,
  ship_at: timestamp,
  company_id: fk,
  shipping_address_id: fk,
  billing_address_id: fk,
  contact_id: fk,
  assignee_id: fk,
  stock_location_id: fk,
  user_id: fk,
  currency_id: fk,
  default_price_list_id: priceListIdSchema.nullable().optional(),
  tax_treatment: str,
  tax_label: str,
  email: str,
  phone_number: str,
  notes: str,
  reference_number: str,
  source_url: str,
  source_id: z.union([z.string(), z.number()]).nullable().optional(),
  tags,
  total: decimalSchema,
  document_url: str,
  tracking_number: str,
  order_line_item_ids: fkArray,
  fulfillment_ids: fkArray,
  fulfillment_return_ids: fkArray,
  invoice_ids: fkArray,
  payment_ids: fkArray,
  refund_ids: fkArray,
})
export type Order = z.output<typeof OrderSchema>

export const OrderLineItemSchema = z.looseObject({
  ...base,
  order_id: idSchema,
  variant_id: fk,
  tax_type_id: fk,
  quantity: decimalSchema,
  price: decimalSchema,
  discount: decimalSchema,
  discount_amount: decimalSchema,
  tax_rate_override: decimalSchema,
  tax_rate: decimalSchema,
  freeform: bool,
  label: str,
  line_type: str,
  position: looseInt,
  image_url: str,
  shippable: bool,
  fulfillment_line_item_ids: fkArray,
  fulfillment_return_line_item_ids: fkArray,
  invoice_line_item_ids: fkArray,
})
export type OrderLineItem = z.output<typeof OrderLineItemSchema>

const lineItemInputFields = {
  variant_id: idSchema.nullable().optional(),
  quantity: decimalInputSchema,
  price: decimalInputSchema.optional(),
  discount: decimalInputSchema.nullable().optional(),
  discount_amount: decimalInputSchema.nullable().optional(),
  tax_type_id: idSchema.nullable().optional(),
  tax_rate_override: decimalInputSchema.nullable().optional(),
  freeform: z.boolean().optional(),
  label: z.string().nullable().optional(),
  line_type: z.enum(["product", "discount", "shipping", "rounding", "fee", "gift_wrap"]).optional(),
  position: z.number().int().optional(),
}
/** Line item embedded in an order create/append (`order_line_items: [...]`). */
export const EmbeddedOrderLineItemSchema = z.looseObject(lineItemInputFields)
export const OrderLineItemCreateSchema = z.looseObject({ order_id: idSchema, ...lineItemInputFields })
export type OrderLineItemCreate = z.input<typeof OrderLineItemCreateSchema>
export type OrderLineItemUpdate = Partial<Omit<OrderLineItemCreate, "order_id">>

export const OrderCreateSchema = z.looseObject({
  company_id: idSchema.optional(),
  company: CompanyCreateSchema.partial().optional(),
  shipping_address_id: idSchema.optional(),
  shipping_address: EmbeddedAddressSchema.optional(),
  billing_address_id: idSchema.optional(),
  billing_address: EmbeddedAddressSchema.optional(),
  issued_at: z.string(),
  ship_at: z.string().nullable().optional(),
  status: z.enum(["draft", "active", "finalized"]).optional(),
  order_number: z.string().nullable().optional(),
  contact_id: idSchema.nullable().optional(),
  assignee_id: idSchema.nullable().optional(),
  stock_location_id: idSchema.nullable().optional(),
  currency_id: idSchema.optional(),
  /** Write-only convenience: the API matches an existing currency by ISO code. */
  currency_iso: z.string().optional(),
  default_price_list_id: priceListIdSchema.optional(),
  tax_treatment: z.enum(["exclusive", "inclusive"]).optional(),
  email: z.string().nullable().optional(),
  phone_number: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
  reference_number: z.string().nullable().optional(),
  source_url: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  order_line_items: z.array(EmbeddedOrderLineItemSchema).optional(),
})
export type OrderCreate = z.input<typeof OrderCreateSchema>
/**
 * Order update. NB: `order_line_items` in a PUT **appends** lines (it does not replace
 * them), so such a PUT is not idempotent: the client only retries it when it carries an
 * Idempotency-Key. Change existing lines through `/order_line_items/:id`.
 */
export type OrderUpdate = Partial<Omit<OrderCreate, "status">> & {
  status?: "draft" | "active" | "finalized" | (string & {})
}

export const ORDER_ACTIONS = ["invoice", "pay", "pack", "fulfil", "void"] as const
export type OrderAction = (typeof ORDER_ACTIONS)[number]

const fulfillmentActionFields = z.looseObject({
  tracking_number: z.string().optional(),
  tracking_company: z.string().optional(),
  tracking_url: z.string().optional(),
  service: z.string().optional(),
  notes: z.string().optional(),
})
/** Optional bodies of `POST /orders/:id/actions/:action`, by action. */
export const OrderActionBodySchemas = {
  invoice: z.looseObject({
    invoice: z
      .looseObject({ due_at: z.string().optional(), invoiced_at: z.string().optional(), notes: z.string().optional() })
      .optional(),
  }),
  pay: z.looseObject({
    payment: z.looseObject({ payment_method_name: z.string().optional(), paid_at: z.string().optional() }).optional(),
  }),
  pack: z.looseObject({ fulfillment: fulfillmentActionFields.optional() }),
  fulfil: z.looseObject({ fulfillment: fulfillmentActionFields.optional() }),
  void: z.looseObject({}),
} satisfies Record<OrderAction, z.ZodType>
export type OrderActionBody<A extends OrderAction> = z.input<(typeof OrderActionBodySchemas)[A]>

// ---------------------------------------------------------------------------------------
// Fulfilment, returns, invoicing, payments
// ---------------------------------------------------------------------------------------

export const FulfillmentLineItemSchema = z.looseObject({
  ...base,
  fulfillment_id: fk,
  order_line_item_id: fk,
  quantity: decimalSchema,
  base_price: decimalSchema,
  position: looseInt,
  variant_id: fk,
  variant_sku: str,
})
export type FulfillmentLineItem = z.output<typeof FulfillmentLineItemSchema>

export const FulfillmentSchema = z.looseObject({
  ...base,
  order_id: fk,
  shipping_address_id: fk,
  billing_address_id: fk,
  stock_location_id: fk,
  status: str,
  packed_at: timestamp,
  shipped_at: timestamp,
  received_at: timestamp,
  delivery_type: str,
  tracking_number: str,
  tracking_url: str,
  tracking_company: str,
  service: str,
  notes: str,
  exchange_rate: decimalSchema,
  order_number: str,
  company_id: fk,
  fulfillment_line_item_ids: fkArray,
})
export type Fulfillment = z.output<typeof FulfillmentSchema>
export const FulfillmentCreateSchema = z.looseObject({
  order_id: idSchema,
  shipping_address_id: idSchema.optional(),
  billing_address_id: idSchema.optional(),
  stock_location_id: idSchema.optional(),
  status: z.enum(["packed", "fulfilled"]).optional(),
  packed_at: z.string().optional(),
  shipped_at: z.string().optional(),
  delivery_type: z.string().optional(),
  tracking_number: z.string().nullable().optional(),
  tracking_url: z.string().nullable().optional(),
  tracking_company: z.string().nullable().optional(),
  service: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
  fulfillment_line_items: z
    .array(z.looseObject({ order_line_item_id: idSchema, quantity: decimalInputSchema }))
    .optional(),
})
export type FulfillmentCreate = z.input<typeof FulfillmentCreateSchema>
export type FulfillmentUpdate = Partial<Omit<FulfillmentCreate, "order_id" | "fulfillment_line_items">> & {
  status?: "packed" | "fulfilled" | (string & {})
}

export const FulfillmentReturnLineItemSchema = z.looseObject({
  ...base,
  fulfillment_return_id: fk,
  order_line_item_id: fk,
  quantity: decimalSchema,
  base_price: decimalSchema,
  position: looseInt,
  ledger_account_id: fk,
})
export type FulfillmentReturnLineItem = z.output<typeof FulfillmentReturnLineItemSchema>

export const FulfillmentReturnSchema = z.looseObject({
  ...base,
  order_id: fk,
  location_id: fk,
  status: str,
  delivery_type: str,
  tracking_number: str,
  tracking_url: str,
  tracking_company: str,
  notes: str,
  exchange_rate: decimalSchema,
  received_at: timestamp,
  credit_note_number: str,
  order_number: str,
  company_id: fk,
  fulfillment_return_line_item_ids: fkArray,
})
export type FulfillmentReturn = z.output<typeof FulfillmentReturnSchema>
export const FulfillmentReturnCreateSchema = z.looseObject({
  order_id: idSchema,
  location_id: idSchema.optional(),
  status: z.string().optional(),
  notes: z.string().nullable().optional(),
  received_at: z.string().optional(),
  fulfillment_return_line_items: z.array(z.looseObject({ order_line_item_id: idSchema, quantity: decimalInputSchema })),
})
export type FulfillmentReturnCreate = z.input<typeof FulfillmentReturnCreateSchema>

export const InvoiceLineItemSchema = z.looseObject({
  ...base,
  invoice_id: fk,
  order_line_item_id: fk,
  quantity: decimalSchema,
  position: looseInt,
  ledger_account_id: fk,
})
export type InvoiceLineItem = z.output<typeof InvoiceLineItemSchema>

export const InvoiceSchema = z.looseObject({
  ...base,
  order_id: fk,
  invoice_number: str,
  invoiced_at: timestamp,
  due_at: timestamp,
  payment_term_id: fk,
  billing_address_id: fk,
  shipping_address_id: fk,
  notes: str,
  exchange_rate: decimalSchema,
  status: str,
  payment_status: str,
  total: decimalSchema,
  cached_total: decimalSchema,
  order_number: str,
  company_id: fk,
  currency_id: fk,
  document_url: str,
  invoice_line_item_ids: fkArray,
  payment_ids: fkArray,
  refund_ids: fkArray,
})
export type Invoice = z.output<typeof InvoiceSchema>
export const InvoiceCreateSchema = z.looseObject({
  order_id: idSchema,
  invoice_number: z.string().optional(),
  invoiced_at: z.string().optional(),
  due_at: z.string().optional(),
  payment_term_id: idSchema.optional(),
  notes: z.string().nullable().optional(),
  /** Required by the API: 422 "Cannot create invoice without line items" otherwise. */
  invoice_line_items: z.array(z.looseObject({ order_line_item_id: idSchema, quantity: decimalInputSchema })),
})
export type InvoiceCreate = z.input<typeof InvoiceCreateSchema>

export const PaymentSchema = z.looseObject({
  ...base,
  invoice_id: fk,
  amount: decimalSchema,
  reference: str,
  paid_at: timestamp,
  status: str,
  exchange_rate: decimalSchema,
  payment_method_id: fk,
})
export type Payment = z.output<typeof PaymentSchema>
export const PaymentCreateSchema = z.looseObject({
  invoice_id: idSchema,
  amount: decimalInputSchema,
  reference: z.string().nullable().optional(),
  paid_at: z.string().optional(),
  payment_method_id: idSchema.optional(),
  exchange_rate: decimalInputSchema.optional(),
})
export type PaymentCreate = z.input<typeof PaymentCreateSchema>

// ---------------------------------------------------------------------------------------
// Sideloads: extra top-level plural keys next to the primary root key
// ---------------------------------------------------------------------------------------

/** Schema per sideloaded (plural) key. Keys not listed here are returned unparsed. */
export const SIDELOAD_SCHEMAS = {
  products: ProductSchema,
  variants: VariantSchema,
  images: ImageSchema,
  price_lists: PriceListSchema,
  locations: LocationSchema,
  stock_levels: StockLevelSchema,
  companies: CompanySchema,
  addresses: AddressSchema,
  contacts: ContactSchema,
  currencies: CurrencySchema,
  tax_types: TaxTypeSchema,
  tax_components: TaxComponentSchema,
  orders: OrderSchema,
  order_line_items: OrderLineItemSchema,
  fulfillments: FulfillmentSchema,
  fulfillment_line_items: FulfillmentLineItemSchema,
  fulfillment_returns: FulfillmentReturnSchema,
  fulfillment_return_line_items: FulfillmentReturnLineItemSchema,
  invoices: InvoiceSchema,
  invoice_line_items: InvoiceLineItemSchema,
  payments: PaymentSchema,
  webhooks: WebhookSchema,
} as const

export type KnownSideloads = {
  -readonly [K in keyof typeof SIDELOAD_SCHEMAS]?: Array<z.output<(typeof SIDELOAD_SCHEMAS)[K]>>
}
/** Sideloaded records by plural key; unknown keys are passed through as received. */
export type Sideloaded = KnownSideloads & { [key: string]: unknown }

/** Singular root key → schema, for responses whose root is not the requested resource (order actions). */
export const SINGULAR_SCHEMAS = {
  order: OrderSchema,
  invoice: InvoiceSchema,
  payment: PaymentSchema,
  fulfillment: FulfillmentSchema,
  fulfillment_return: FulfillmentReturnSchema,
} as const
