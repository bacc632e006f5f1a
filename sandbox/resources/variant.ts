// Variant (/variants; spec §3.2, sample §8.2).
//
// * Stock fields are read-only: PUT silently ignores them (204, nothing changes).
// * initial_stock_level / initial_stock_location_id / initial_cost_price are create-only.
// * The three default price lists are set through retail_price/wholesale_price/
//   buy_price only; variant_prices writes custom lists (entries for the built-in
//   lists are ignored, SMAUG-ISS #27).
// * Deprecated prices / stock_levels / committed_stock_levels are still emitted.
import { primaryLocationId, setOnHand, variantStock } from "../domain/stock"
import { dec, qty } from "../format"
import type { Row } from "../store"
import type { Json } from "../types"
import { belongsTo, define, isBlank, type Ctx } from "./define"
import { imagesOfVariant } from "./image"
import { isBuiltInPriceList } from "./price-list"

/** Applies variant_prices input to the custom price map; built-in lists are ignored. */
function applyVariantPrices(ctx: Ctx, draft: Row, value: Json, addError: (msg: string) => void): void {
  if (value === undefined || value === null) return
  if (!Array.isArray(value)) return addError("is invalid")
  const prices: Record<string, number | null> = { ...(draft._custom_prices ?? {}) }
  for (const entry of value) {
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) return addError("is invalid")
    const id = String(entry.price_list_id ?? "")
    if (isBuiltInPriceList(id)) continue
    if (!ctx.store.get("price_lists", id)) return addError(`price list ${id} does not exist`)
    const raw = entry.value
    const n = raw === null || raw === "" ? null : Number(raw)
    if (n !== null && !Number.isFinite(n)) return addError("is not a number")
    prices[id] = n
  }
  draft._custom_prices = prices
}

function variantPrices(ctx: Ctx, r: Row): { price_list_id: string; value: string | null }[] {
  const out: { price_list_id: string; value: string | null }[] = []
  for (const id of ["retail", "wholesale", "buy"]) {
    const v = r[`${id}_price`]
    if (v !== null && v !== undefined) out.push({ price_list_id: id, value: dec(v) })
  }
  const custom = (r._custom_prices ?? {}) as Record<string, number | null>
  for (const id of Object.keys(custom).sort((a, b) => Number(a) - Number(b))) {
    if (custom[id] !== null && ctx.store.get("price_lists", id)) out.push({ price_list_id: id, value: dec(custom[id]) })
  }
  return out
}

/** Price of a variant on a price list id ("retail", "wholesale", "buy" or a custom id). */
export function variantPrice(variant: Row, priceListId: unknown): number | null {
  const id = String(priceListId ?? "retail")
  if (["retail", "wholesale", "buy"].includes(id)) return variant[`${id}_price`] ?? null
  return variant._custom_prices?.[id] ?? null
}

export const variant = define({
  name: "variant",
  plural: "variants",
  klass: "Variant",
  idBase: 200001,
  ops: ["list", "show", "create", "update", "delete"],
  writable: {
    name: "string",
    description: "string",
    sku: "string",
    upc: "string",
    supplier_code: "string",
    opt1: "string",
    opt2: "string",
    opt3: "string",
    retail_price: "decimal",
    wholesale_price: "decimal",
    buy_price: "decimal",
    variant_prices: "any",
    manage_stock: "bool",
    keep_selling: "bool",
    max_online: "decimal",
    online_ordering: "bool",
    sellable: "bool",
    purchasable: "bool",
    taxable: "bool",
    weight: "string",
    weight_unit: "string",
    weight_value: "string",
    hs_code: "string",
    country_of_origin: "string",
    position: "int",
    default_ledger_account_id: "int",
  },
  createOnly: {
    product_id: "int",
    composite: "bool",
    initial_stock_level: "decimal",
    initial_stock_location_id: "int",
    initial_cost_price: "decimal",
  },
  required: ["product_id"],
  defaults: (ctx, input) => ({
    name: null,
    description: null,
    sku: null,
    upc: null,
    supplier_code: null,
    opt1: null,
    opt2: null,
    opt3: null,
    retail_price: null,
    wholesale_price: null,
    buy_price: null,
    manage_stock: true,
    keep_selling: false,
    max_online: null,
    online_ordering: false,
    sellable: true,
    purchasable: true,
    taxable: true,
    composite: false,
    weight: null,
    weight_unit: null,
    weight_value: null,
    hs_code: null,
    country_of_origin: null,
    default_ledger_account_id: null,
    position: ctx.store.where("variants", "product_id", Number(input.product_id)).length + 1,
    status: "active",
    _custom_prices: {},
    _stock: [],
  }),
  validate: (d, ctx, errors, existing, input) => {
    const product = d.product_id ? ctx.store.get("products", d.product_id) : undefined
    if (!isBlank(d.product_id) && !product) errors.add("product_id", "is invalid")
    if (d.variant_prices !== undefined) {
      applyVariantPrices(ctx, d, input.variant_prices, (m) => errors.add("variant_prices", m))
      delete d.variant_prices
    }
    if (d.max_online !== null && d.max_online < 0) errors.add("max_online", "must be greater than or equal to 0")
    if (!existing && d.initial_stock_location_id) {
      const loc = ctx.store.get("locations", d.initial_stock_location_id)
      if (!loc) errors.add("initial_stock_location_id", "is invalid")
    }
  },
  afterCreate: (row, _input, ctx) => {
    const level = row.initial_stock_level
    const location = row.initial_stock_location_id ?? primaryLocationId(ctx.store)
    if (level !== undefined && level !== null) setOnHand(ctx.store, row, location, level)
    row.last_cost_price = row.initial_cost_price ?? row.buy_price ?? null
    row.moving_average_cost = row.last_cost_price
    for (const k of ["initial_stock_level", "initial_stock_location_id", "initial_cost_price"]) delete row[k]
  },
  events: { create: "variant.create" },
  filters: {
    product_id: { type: "int" },
    sku: { type: "string" },
    upc: { type: "string" },
    supplier_code: { type: "string" },
  },
  search: ["name", "sku", "upc"],
  listMeta: true,
  includes: {
    product: belongsTo("products", "product_id"),
    products: belongsTo("products", "product_id"),
    images: { resource: "images", rows: (primary, ctx) => primary.flatMap((v) => imagesOfVariant(ctx, v.id)) },
  },
  serialize: (r, ctx) => {
    const product = ctx.store.get("products", r.product_id)
    const stock = variantStock(ctx.store, r)
    const prices = variantPrices(ctx, r)
    return {
      id: r.id,
      created_at: new Date(r.created_at).toISOString(),
      updated_at: new Date(r.updated_at).toISOString(),
      product_id: r.product_id,
      default_ledger_account_id: r.default_ledger_account_id,
      default_cost_of_goods_ledger_id: null,
      buy_price: dec(r.buy_price),
      committed_stock: qty(stock.committed),
      available_stock: qty(stock.available),
      production_committed_stock: "0",
      incoming_stock: qty(stock.incoming),
      production_incoming_stock: "0",
      hs_code: r.hs_code,
      country_of_origin: r.country_of_origin,
      composite: r.composite,
      description: r.description,
      is_online: r.is_online ?? false,
      keep_selling: r.keep_selling,
      last_cost_price: dec(r.last_cost_price),
      manage_stock: r.manage_stock,
      max_online: qty(r.max_online),
      moving_average_cost: qty(r.moving_average_cost),
      name: r.name,
      online_ordering: r.online_ordering,
      opt1: r.opt1,
      opt2: r.opt2,
      opt3: r.opt3,
      packsize: false,
      position: r.position,
      product_name: product?.name ?? null,
      product_status: product?.status ?? null,
      product_type: product?.product_type ?? null,
      purchasable: r.purchasable,
      manufacturable: false,
      retail_price: dec(r.retail_price),
      sellable: r.sellable,
      sku: r.sku,
      status: r.status,
      stock_on_hand: qty(stock.onHand),
      supplier_code: r.supplier_code,
      taxable: r.taxable,
      upc: r.upc,
      weight: r.weight,
      weight_unit: r.weight_unit,
      weight_value: r.weight_value,
      wholesale_price: dec(r.wholesale_price),
      volume: r.volume ?? null,
      volume_unit: r.volume_unit ?? null,
      moq: r.moq ?? 0,
      stock_batchable: false,
      initial_cost_price_confirmed: true,
      total_committed_stock: qty(stock.committed),
      total_incoming_stock: qty(stock.incoming),
      current_version_variant_id: null,
      // deprecated since the Jan 2016 renames but still sent (spec §7.15)
      online_id: r.online_id ?? null,
      reorder_point: stock.locations.find((l) => l.location_id === primaryLocationId(ctx.store))?.reorder_point ?? null,
      image_ids: imagesOfVariant(ctx, r.id).map((i) => i.id),
      variant_prices: prices,
      locations: stock.locations.map((l) => ({
        location_id: l.location_id,
        bin_location: l.bin_location,
        reorder_point: l.reorder_point,
        lead_time: null,
        safety_stock: null,
        stock_cover: null,
        stock_on_hand: qty(l.stock_on_hand),
        // Recorded types (2014 and 2020 traffic): committed is a string decimal, or
        // null where no order ever committed stock at that location; incoming and
        // the production_* figures are integers.
        committed: l.committedSeen ? qty(l.committed) : null,
        production_committed: 0,
        incoming: l.incoming,
        production_incoming: 0,
        available: qty(l.stock_on_hand - l.committed),
      })),
      prices: Object.fromEntries(prices.map((p) => [p.price_list_id, p.value])),
      stock_levels: Object.fromEntries(stock.locations.map((l) => [String(l.location_id), dec(l.stock_on_hand)])),
      committed_stock_levels: Object.fromEntries(stock.locations.map((l) => [String(l.location_id), dec(l.committed)])),
      incoming_stock_levels: Object.fromEntries(
        stock.locations.filter((l) => l.incoming).map((l) => [String(l.location_id), dec(l.incoming)])
      ),
    }
  },
})

/** GET /stock_levels (read-only, spec §3.3): a stock view over variants; id = variant id. */
export const stockLevel = define({
  name: "stock_level",
  plural: "stock_levels",
  klass: "StockLevel",
  ops: ["list", "show"],
  rows: (ctx) => ctx.store.all("variants"),
  find: (id, ctx) => ctx.store.get("variants", id),
  filters: {
    variant_id: { field: "id", type: "int" },
    product_id: { type: "int" },
    sku: { type: "string" },
  },
  serialize: (r, ctx) => {
    const stock = variantStock(ctx.store, r)
    return {
      variant_id: r.id,
      committed_stock: qty(stock.committed),
      locations: stock.locations.map((l) => ({
        location_id: l.location_id,
        committed: l.committedSeen ? qty(l.committed) : null,
        incoming: l.incoming,
        stock_on_hand: qty(l.stock_on_hand),
      })),
      stock_on_hand: qty(stock.onHand),
      available_stock: qty(stock.available),
      incoming_stock: qty(stock.incoming),
    }
  },
})
