// Deterministic seed data. The same options always produce byte-identical
// records: ids come from fixed per-table ranges, names/prices/stock from a
// seeded PRNG, timestamps from SEED_BASE_TIME + index (never the wall clock).
//
// Reference data (always present, also with seed:false):
//   account 1 "Sandbox Trading Co." (US, USD, tax-exclusive), user 1,
//   currencies 1 USD / 2 EUR, locations 1 "Primary Location" / 2 "Secondary Location",
//   price lists retail / wholesale / buy (+ custom list 1 "Euro Retail", EUR),
//   tax types 1 "Tax Exempt" 0% / 2 "Sales Tax" 10% (the default on orders),
//   payment methods 1 Cash / 2 Credit Card / 3 Bank Transfer,
//   payment terms 1 "Due on receipt" / 2 "Net 30".
// Catalog (seed options): 3 companies with an address and a contact each, and
// N products × M variants where the first eight products cover every stock rule
// (see SPECIAL_PRODUCTS and README "Seed layout").
import { resetStockSnapshot } from "./domain/stock"
import { seedHistory } from "./seed-history"
import { int, pick, prng, type Prng } from "./prng"
import type { Row, Store } from "./store"
import type { SeedOptions } from "./types"

export const SEED_BASE_TIME = Date.UTC(2024, 0, 1, 9, 0, 0) // 2024-01-01T09:00:00.000Z

/** Roles of the first products (index = product position in the catalog). */
export const SPECIAL_PRODUCTS = [
  "images", // two images (one per variant subset), split stock across both locations
  "keep-selling", // first variant: 0 stock, keep_selling true
  "sold-out", // every variant 0 stock, keep_selling false
  "archived", // product + variants archived
  "max-online", // first variant: 40 on hand, max_online 5
  "unmanaged", // first variant: manage_stock false
  "duplicate-sku", // first variant reuses the SKU of product 1's first variant (spec §6)
  "disabled", // status disabled, not tagged online
] as const

const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Alpine",
  "Coastal",
  "Urban",
  "Vintage",
  "Trail",
  "Studio",
  "Harbor",
  "Summit",
  "Meadow",
  "Canyon",
]
const NOUNS: [string, string][] = [
  ["Tee", "Apparel"],
  ["Hoodie", "Apparel"],
  ["Cap", "Accessories"],
  ["Backpack", "Accessories"],
  ["Sneaker", "Footwear"],
  ["Jacket", "Apparel"],
  ["Beanie", "Accessories"],
  ["Tote", "Accessories"],
  ["Boot", "Footwear"],
  ["Mug", "Homeware"],
  ["Bottle", "Homeware"],
  ["Notebook", "Stationery"],
]
const BRANDS = ["Gecko Goods", "Northwind", "Tidewater", "Bright Ember"]
const SIZES = ["S", "M", "L", "XL", "XXL", "3XL"]

/** Timestamp for the n-th seeded record of a series (ms part varies, like real data). */
const at = (minutes: number, seconds = 0) =>
  SEED_BASE_TIME + minutes * 60_000 + seconds * 1000 + ((minutes * 37 + seconds * 101) % 1000)
const round2 = (n: number) => Math.round(n * 100) / 100
const pad = (n: number) => String(n).padStart(4, "0")

export function seedReferenceData(store: Store): void {
  const t = (i: number) => SEED_BASE_TIME - 86_400_000 + i * 1000 + ((i * 211) % 1000)
  store.insert("accounts", {
    id: 1,
    created_at: t(0),
    updated_at: t(0),
    name: "Sandbox Trading Co.",
    contact_email: "owner@sandbox.example",
    contact_mobile: null,
    contact_phone: "+1 555 0100",
    country: "US",
    industry: "Retail",
    website: null,
    tax_number: null,
    tax_label: "Sales Tax",
    tax_number_label: "Tax ID",
    time_zone: "UTC",
    default_order_price_list_id: "retail",
    default_purchase_order_price_list_id: "buy",
    default_sales_ledger_account_on: "company",
    default_tax_treatment: "exclusive",
    stock_level_warn: true,
    primary_location_id: 1,
    primary_billing_location_id: 1,
    default_currency_id: 1,
    default_payment_method_id: 1,
    default_payment_term_id: 1,
    default_sales_order_tax_type_id: 2,
    default_purchase_order_tax_type_id: 1,
    default_tax_exempt_id: 1,
  })
  store.insert("users", {
    id: 1,
    created_at: t(1),
    updated_at: t(1),
    email: "owner@sandbox.example",
    first_name: "Sandy",
    last_name: "Gecko",
    billing_contact: true,
    last_sign_in_at: SEED_BASE_TIME,
    location: null,
    mobile: null,
    phone_number: null,
    position: "Owner",
    permissions: [
      "read_reports",
      "write_stocks",
      "write_orders",
      "write_products",
      "write_settings",
      "write_companies",
      "read_buy_prices",
    ],
    status: "active",
    account_id: 1,
  })
  const currency = (id: number, iso: string, name: string, rate: number, symbol: string) =>
    store.insert("currencies", {
      id,
      created_at: t(1 + id),
      updated_at: t(1 + id),
      iso,
      name,
      rate,
      symbol,
      separator: ".",
      delimiter: ",",
      precision: 2,
      format: "%u%n",
      status: "active",
    })
  currency(1, "USD", "US Dollar", 1, "$")
  currency(2, "EUR", "Euro", 0.92, "€")
  const location = (id: number, label: string, address1: string, city: string) =>
    store.insert("locations", {
      id,
      created_at: t(3 + id),
      updated_at: t(3 + id),
      label,
      address1,
      address2: null,
      suburb: null,
      city,
      state: "CA",
      zip_code: `9400${id}`,
      country: "US",
      holds_stock: true,
      status: "active",
    })
  location(1, "Primary Location", "1 Warehouse Way", "Springfield")
  location(2, "Secondary Location", "99 Overflow Road", "Shelbyville")
  const priceList = (
    id: string | number,
    code: string,
    name: string,
    currencyId: number,
    extra: Record<string, unknown>
  ) =>
    store.insert("price_lists", {
      id,
      created_at: t(6),
      updated_at: t(6),
      code,
      name,
      currency_id: currencyId,
      ...extra,
    })
  priceList("buy", "BUY", "Buy", 1, { is_cost: true, is_default: true, position: null })
  priceList("wholesale", "WHOLE", "Wholesale", 1, { is_cost: false, is_default: true, position: null })
  priceList("retail", "RETAIL", "Retail", 1, { is_cost: false, is_default: true, position: null })
  priceList(1, "EUR-RETAIL", "Euro Retail", 2, { is_cost: false, is_default: null, position: 1 })
  const taxType = (id: number, name: string, code: string, rate: number) => {
    store.insert("tax_types", {
      id,
      created_at: t(7 + id),
      updated_at: t(7 + id),
      name,
      code,
      imported_from: null,
      status: "active",
      quickbooks_online_id: null,
      xero_online_id: null,
    })
    store.insert("tax_components", {
      id,
      created_at: t(7 + id),
      updated_at: t(7 + id),
      tax_type_id: id,
      position: 1,
      label: name,
      rate,
      compound: false,
    })
  }
  taxType(1, "Tax Exempt", "EXEMPT", 0)
  taxType(2, "Sales Tax", "SALES", 10)
  ;["Cash", "Credit Card", "Bank Transfer"].forEach((name, i) =>
    store.insert("payment_methods", {
      id: i + 1,
      created_at: t(10 + i),
      updated_at: t(10 + i),
      name,
      is_default: i === 0,
    })
  )
  store.insert("payment_terms", {
    id: 1,
    created_at: t(13),
    updated_at: t(13),
    name: "Due on receipt",
    due_in_days: 0,
    from: "now",
    status: "active",
  })
  store.insert("payment_terms", {
    id: 2,
    created_at: t(14),
    updated_at: t(14),
    name: "Net 30",
    due_in_days: 30,
    from: "now",
    status: "active",
  })
}

function seedCompanies(store: Store): void {
  const companies: [string, string, string, string | null, string[]][] = [
    ["Walk-in Customer", "consumer", "walkin@sandbox.example", null, []],
    ["Acme Wholesale", "business", "buyer@acme.example", "wholesale", ["wholesale"]],
    ["Gecko Supplies Ltd", "supplier", "sales@geckosupplies.example", "buy", ["supplier"]],
  ]
  companies.forEach(([name, type, email, priceList, tags], i) => {
    const time = at(-60 + i)
    const c = store.insert("companies", {
      created_at: time,
      updated_at: time,
      name,
      company_type: type,
      company_code: `C${pad(i + 1)}`,
      description: null,
      email,
      phone_number: `+1 555 01${10 + i}`,
      fax: null,
      website: null,
      tax_number: null,
      tags,
      status: "active",
      assignee_id: null,
      default_price_list_id: priceList,
      default_tax_type_id: null,
      default_payment_term_id: null,
      default_payment_method_id: null,
      default_stock_location_id: null,
      default_ledger_account_id: null,
      default_discount_rate: null,
    })
    store.insert("addresses", {
      created_at: time,
      updated_at: time,
      company_id: c.id,
      label: i === 2 ? "Office" : "Shipping",
      address1: `${100 + i * 11} Market Street`,
      address2: null,
      suburb: null,
      city: "Springfield",
      state: "CA",
      zip_code: "94010",
      country: "United States",
      country_code: "US",
      company_name: name,
      first_name: "Pat",
      last_name: `Customer${i + 1}`,
      phone_number: null,
      email,
      status: "active",
    })
    store.insert("contacts", {
      created_at: time,
      updated_at: time,
      company_id: c.id,
      first_name: "Pat",
      last_name: `Customer${i + 1}`,
      email,
      phone_number: null,
      mobile: null,
      fax: null,
      position: null,
      location: null,
      notes: null,
      online_ordering: false,
      status: "active",
    })
  })
}

interface VariantPlan {
  stock: [number, number] // on hand at location 1, location 2 (−1 = no stock record)
  keepSelling?: boolean
  maxOnline?: number
  manageStock?: boolean
  sku?: string
}

function seedProducts(store: Store, opts: Required<SeedOptions>): void {
  const rand: Prng = prng(opts.seed)
  const firstSkus: string[] = []
  for (let i = 0; i < opts.products; i++) {
    const role: string = SPECIAL_PRODUCTS[i] ?? "regular"
    const adjective = pick(rand, ADJECTIVES)
    const [noun, productType] = pick(rand, NOUNS)
    const brand = pick(rand, BRANDS)
    const baseRetail = 10 + int(rand, 0, 18) * 5
    const split = i % 3 === 0
    const online = role !== "disabled" && (i < SPECIAL_PRODUCTS.length || i % 2 === 0)
    const created = at(i)
    const product = store.insert("products", {
      created_at: created,
      updated_at: role === "archived" ? at(i + 24 * 60) : created,
      name: `${adjective} ${noun} ${i + 1}`,
      description: `<p>The ${adjective.toLowerCase()} ${noun.toLowerCase()} from ${brand}.</p>`,
      product_type: productType,
      brand,
      supplier: "Gecko Supplies Ltd",
      vendor: "Gecko Supplies Ltd",
      opt1: "Size",
      opt2: null,
      opt3: null,
      tags: [online ? "online" : null, productType.toLowerCase(), role === "images" ? "featured" : null]
        .filter(Boolean)
        .join(","),
      status: role === "archived" ? "archived" : role === "disabled" ? "disabled" : "active",
    })

    const variants: Row[] = []
    for (let j = 0; j < opts.variantsPerProduct; j++) {
      const size = SIZES[j] ?? `Size ${j + 1}`
      const plan: VariantPlan = { stock: [int(rand, 0, 40), split ? int(rand, 1, 20) : -1] }
      if (role === "keep-selling" && j === 0) Object.assign(plan, { stock: [0, -1], keepSelling: true })
      if (role === "sold-out") plan.stock = [0, -1]
      if (role === "max-online" && j === 0) Object.assign(plan, { stock: [40, -1], maxOnline: 5 })
      if (role === "unmanaged" && j === 0) Object.assign(plan, { stock: [0, -1], manageStock: false })
      if (role === "duplicate-sku" && j === 0 && firstSkus[0]) plan.sku = firstSkus[0]
      const retail = baseRetail + j * 2
      const vCreated = at(i, j + 1)
      const sku = plan.sku ?? `SBX-${pad(i + 1)}-${size.replace(/\s+/g, "")}`
      if (j === 0) firstSkus.push(sku)
      const v = store.insert("variants", {
        created_at: vCreated,
        updated_at: role === "archived" ? at(i + 24 * 60) : vCreated,
        product_id: product.id,
        name: `${product.name} - ${size}`,
        description: null,
        sku,
        upc: String(100000000000 + (i + 1) * 100 + j),
        supplier_code: `GS-${pad(i + 1)}-${j + 1}`,
        opt1: size,
        opt2: null,
        opt3: null,
        retail_price: retail,
        wholesale_price: round2(retail * 0.6),
        buy_price: round2(retail * 0.4),
        last_cost_price: round2(retail * 0.4),
        moving_average_cost: round2(retail * 0.4),
        manage_stock: plan.manageStock ?? true,
        keep_selling: plan.keepSelling ?? false,
        max_online: plan.maxOnline ?? null,
        online_ordering: online,
        sellable: true,
        purchasable: true,
        taxable: true,
        composite: false,
        weight: "0.5",
        weight_unit: "kg",
        weight_value: "0.5",
        hs_code: null,
        country_of_origin: "US",
        default_ledger_account_id: null,
        position: j + 1,
        status: role === "archived" ? "archived" : "active",
        _custom_prices: { "1": round2(retail * 0.95) },
        _stock: [
          { location_id: 1, stock_on_hand: plan.stock[0], bin_location: `A${(i % 9) + 1}-${j + 1}`, reorder_point: 5 },
          ...(plan.stock[1] >= 0
            ? [{ location_id: 2, stock_on_hand: plan.stock[1], bin_location: null, reorder_point: null }]
            : []),
        ],
      })
      variants.push(v)
    }

    const images: { variants: Row[] }[] =
      role === "images" ? [{ variants: variants.slice(0, 1) }, { variants }] : i % 5 === 4 ? [{ variants }] : []
    images.forEach((img, k) =>
      store.insert("images", {
        created_at: at(i, 50 + k),
        updated_at: at(i, 50 + k),
        product_id: product.id,
        variant_ids: img.variants.map((v) => Number(v.id)),
        uploader_id: 1,
        name: null,
        position: k + 1,
        base_path: null,
        file_name: `${noun.toLowerCase()}-${i + 1}-${k + 1}.png`,
        _local: true,
      })
    )
  }
}

/** Wipes the store and loads reference data plus the catalog described by `opts` (false = reference data only). */
export function seedStore(store: Store, opts: Required<SeedOptions> | false): void {
  store.reset()
  seedReferenceData(store)
  if (opts) {
    seedCompanies(store)
    seedProducts(store, opts)
    resetStockSnapshot(store)
    if (opts.history) seedHistory(store, SEED_BASE_TIME + 7 * 86_400_000, SPECIAL_PRODUCTS.length)
  }
  store.drainEvents()
  store.takeWrites()
  resetStockSnapshot(store)
}
