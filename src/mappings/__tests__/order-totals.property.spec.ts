/**
 * Property: for every cart, the total TradeGecko computes for the pushed order equals the
 * total Medusa charged, rounded to the currency's decimals (chargedAmount: Medusa's total as
 * its API and payment providers use it, a number, rounded half up).
 *
 *  - Medusa's side is Medusa's own code: the promotion module's computeActions helpers
 *    (getComputedActionsForItems / getComputedActionsForShippingMethods, what
 *    PromotionModuleService.computeActions runs) give the adjustments, and decorateCartTotals
 *    (what the cart and order modules use) gives the total.
 *  - TradeGecko's side is the plugin's real mapping (mapMedusaOrderToTradegecko) posted to the
 *    real sandbox over HTTP, whose order total is read back.
 *
 * Carts come from a seeded PRNG: 1–4 items, tax-exclusive, tax-inclusive and mixed prices, no,
 * one or two tax lines, 0–2 shipping methods with and without tax, 0–3 promotions (percentage
 * and fixed; items, shipping or order; each and across; tax-inclusive or not), currencies with
 * 0, 2 and 3 decimals (JPY, USD, EUR, KWD).
 */
import { decorateCartTotals, MathBN } from "@medusajs/framework/utils"
import { prng, pick, int, type Prng } from "../../../sandbox/prng"
import { startSandbox, type SandboxHandle } from "../../../sandbox"
import {
  chargedAmount,
  mapMedusaOrderToTradegecko,
  tradegeckoTotal,
  type MedusaOrderForTradegecko,
} from "../medusa-order-to-tradegecko"
// The promotion module's own computation (its package has no exports map; this is its dist).

const computeActions = require("@medusajs/promotion/dist/utils/compute-actions") as {
  getComputedActionsForItems: (
    promotion: any,
    items: any[],
    applied: Map<string, any>,
    allocationOverride?: string
  ) => any[]
  getComputedActionsForShippingMethods: (promotion: any, methods: any[], applied: Map<string, any>) => any[]
}

const CARTS = 3000
const SEED = 20261201
const CURRENCIES = [
  { code: "usd", decimals: 2 },
  { code: "eur", decimals: 2 },
  { code: "jpy", decimals: 0 },
  { code: "kwd", decimals: 3 },
]
const RATES: number[][] = [[0], [5], [7.25], [8.875], [10], [19], [20], [21], [5, 9.975], []]

interface GeneratedCart {
  currency: { code: string; decimals: number }
  items: any[]
  shipping_methods: any[]
  promotions: any[]
}

const money = (rand: Prng, decimals: number, maxUnits: number, extraDecimal = false) => {
  const scale = 10 ** (decimals + (extraDecimal ? 1 : 0))
  return int(rand, 1, maxUnits * scale) / scale
}

function generateCart(rand: Prng, n: number): GeneratedCart {
  const currency = pick(rand, CURRENCIES)
  const big = currency.decimals === 0 ? 20_000 : 400
  const mode = pick(rand, ["exclusive", "exclusive", "inclusive", "inclusive", "mixed"])
  const inclusiveFlag = () => (mode === "mixed" ? rand() < 0.5 : mode === "inclusive")
  const taxLines = () => pick(rand, RATES).map((rate, i) => ({ rate, code: `T${i}` }))
  const items = Array.from({ length: int(rand, 1, 4) }, (_, i) => ({
    id: `item_${n}_${i}`,
    title: `Item ${i}`,
    variant_id: `variant_${i}`,
    quantity: rand() < 0.85 ? int(rand, 1, 5) : int(rand, 6, 25),
    unit_price: money(rand, currency.decimals, big, rand() < 0.05),
    is_tax_inclusive: inclusiveFlag(),
    tax_lines: taxLines(),
    adjustments: [] as any[],
  }))
  const shipping_methods = Array.from({ length: pick(rand, [0, 1, 1, 1, 2]) }, (_, i) => ({
    id: `ship_${n}_${i}`,
    name: `Ship ${i}`,
    amount: rand() < 0.1 ? 0 : money(rand, currency.decimals, currency.decimals === 0 ? 2_000 : 30),
    is_tax_inclusive: inclusiveFlag(),
    tax_lines: taxLines(),
    adjustments: [] as any[],
  }))
  const promotions = Array.from({ length: pick(rand, [0, 1, 1, 1, 2, 3]) }, (_, i) => {
    const target = pick(rand, ["items", "items", "items", "shipping_methods", "order"])
    const percentage = rand() < 0.6
    const allocation = target === "order" ? "across" : pick(rand, ["each", "across"])
    return {
      id: `promo_${n}_${i}`,
      code: `P${i}${percentage ? "PCT" : "FIX"}`,
      type: "standard",
      is_tax_inclusive: rand() < 0.3,
      application_method: {
        type: percentage ? "percentage" : "fixed",
        target_type: target,
        allocation,
        value: percentage
          ? pick(rand, [5, 10, 12.5, 15, 20, 33, 33.333, 7.77])
          : money(rand, currency.decimals, currency.decimals === 0 ? 3_000 : 40),
        max_quantity: allocation === "each" ? int(rand, 1, 10) : null,
        currency_code: currency.code,
        target_rules: [],
        buy_rules: [],
      },
      rules: [],
    }
  })
  return { currency, items, shipping_methods, promotions }
}

/** Medusa's computation: promotion adjustments as the promotion module computes them, then the cart total. */
function medusaTotals(cart: GeneratedCart) {
  const base = () => ({
    currency_code: cart.currency.code,
    items: cart.items.map((i) => ({ ...i, tax_lines: i.tax_lines.map((t: any) => ({ ...t })), adjustments: [] })),
    shipping_methods: cart.shipping_methods.map((s) => ({
      ...s,
      tax_lines: s.tax_lines.map((t: any) => ({ ...t })),
      adjustments: [],
    })),
  })
  // the context computeActions receives: the cart's items and shipping methods with their totals
  const context = decorateCartTotals(base()) as any
  const applied = new Map<string, any>()
  const actions: any[] = []
  const byValue = [...cart.promotions].sort((a, b) => b.application_method.value - a.application_method.value)
  for (const promotion of byValue) {
    const target = promotion.application_method.target_type
    if (target === "items" || target === "order")
      actions.push(
        ...computeActions.getComputedActionsForItems(
          promotion,
          context.items,
          applied,
          target === "order" ? "across" : undefined
        )
      )
    else
      actions.push(...computeActions.getComputedActionsForShippingMethods(promotion, context.shipping_methods, applied))
  }
  const final = base() as any
  for (const a of actions) {
    if (a.action === "addItemAdjustment")
      final.items
        .find((i: any) => i.id === a.item_id)
        .adjustments.push({ amount: a.amount, code: a.code, is_tax_inclusive: a.is_tax_inclusive })
    else if (a.action === "addShippingMethodAdjustment")
      final.shipping_methods
        .find((s: any) => s.id === a.shipping_method_id)
        .adjustments.push({ amount: a.amount, code: a.code })
  }
  decorateCartTotals(final)
  return { order: final, total: MathBN.convert(final.total), adjustments: actions.length }
}

/** The order as the push step reads it (query.graph gives Medusa's amounts as numbers). */
function asQueriedOrder(
  cart: GeneratedCart,
  order: any,
  total: ReturnType<typeof MathBN.convert>,
  n: number
): MedusaOrderForTradegecko {
  return {
    id: `order_${n}`,
    display_id: n,
    email: `buyer${n}@example.com`,
    currency_code: cart.currency.code,
    created_at: "2026-12-01T10:00:00Z",
    total: total.toNumber(),
    items: order.items.map((i: any) => ({
      id: i.id,
      title: i.title,
      variant_id: i.variant_id,
      quantity: Number(i.quantity),
      unit_price: Number(i.unit_price),
      is_tax_inclusive: i.is_tax_inclusive,
      tax_lines: i.tax_lines.map((t: any) => ({ rate: Number(t.rate) })),
      adjustments: i.adjustments.map((a: any) => ({
        amount: MathBN.convert(a.amount).toNumber(),
        code: a.code,
        is_tax_inclusive: a.is_tax_inclusive,
      })),
    })),
    shipping_methods: order.shipping_methods.map((s: any) => ({
      name: s.name,
      amount: Number(s.amount),
      is_tax_inclusive: s.is_tax_inclusive,
      tax_lines: s.tax_lines.map((t: any) => ({ rate: Number(t.rate) })),
      adjustments: s.adjustments.map((a: any) => ({ amount: MathBN.convert(a.amount).toNumber(), code: a.code })),
    })),
    shipping_address: {
      first_name: "Pat",
      last_name: "Buyer",
      address_1: "1 Main St",
      city: "Springfield",
      country_code: "us",
    },
  }
}

let sandbox: SandboxHandle
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${sandbox.credentials.privilegedToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as any }
}

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    seed: { products: 2, variantsPerProduct: 2, seed: 1 },
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
  })
  // the merchant's TradeGecko account sells in these currencies too
  for (const c of [
    { iso: "JPY", name: "Japanese Yen", symbol: "¥", precision: 0 },
    { iso: "KWD", name: "Kuwaiti Dinar", symbol: "KD", precision: 3 },
  ])
    expect((await api("POST", "/currencies", { currency: c })).status).toBe(201)
})
afterAll(() => sandbox?.close())

jest.setTimeout(600_000)

describe("Orders → TradeGecko: the order total equals Medusa's for every cart (property)", () => {
  it(`${CARTS} generated carts (seed ${SEED}): 0 mismatches`, async () => {
    const rand = prng(SEED)
    const mismatches: string[] = []
    const seen = { jpy: 0, kwd: 0, usd: 0, eur: 0, inclusive: 0, mixed: 0, promoted: 0, shippingTaxed: 0, rounding: 0 }
    for (let n = 1; n <= CARTS; n++) {
      const cart = generateCart(rand, n)
      const { order, total, adjustments } = medusaTotals(cart)
      // Medusa's exact total as its API and payment providers use it (a number), rounded half up
      const charged = chargedAmount(total.toNumber(), cart.currency.decimals)
      const mapped = mapMedusaOrderToTradegecko(asQueriedOrder(cart, order, total, n), {
        variantMap: { variant_0: 200001, variant_1: 200002 },
        companyId: null,
        status: "draft",
      })
      const res = await api("POST", "/orders", { order: mapped.body })
      if (res.status !== 201) {
        mismatches.push(`cart ${n}: TradeGecko answered ${res.status} ${JSON.stringify(res.json)}`)
        continue
      }
      const tgTotal = MathBN.convert(res.json.order.total)
      if (!tgTotal.eq(charged))
        mismatches.push(
          `cart ${n} (${cart.currency.code}): Medusa ${charged.toFixed()} (exact ${total.toFixed()}), TradeGecko ${tgTotal.toFixed()}; ${JSON.stringify(mapped.body.order_line_items)}`
        )
      seen[cart.currency.code as keyof typeof seen]++
      if (mapped.body.tax_treatment === "inclusive") seen.inclusive++
      if (new Set(cart.items.map((i) => i.is_tax_inclusive)).size > 1) seen.mixed++
      if (adjustments > 0) seen.promoted++
      if (cart.shipping_methods.some((s) => s.amount > 0 && s.tax_lines.some((t: any) => t.rate > 0)))
        seen.shippingTaxed++
      if (mapped.body.order_line_items.some((l) => l.line_type === "rounding")) seen.rounding++
    }
    expect(mismatches.slice(0, 5)).toEqual([])
    expect(mismatches).toHaveLength(0)
    // the carts covered what they should
    for (const k of [
      "jpy",
      "kwd",
      "usd",
      "eur",
      "inclusive",
      "mixed",
      "promoted",
      "shippingTaxed",
      "rounding",
    ] as const)
      expect(seen[k]).toBeGreaterThan(CARTS / 50)
  })

  it("the rounding line is needed: without it, many carts would be off (so the property above can fail)", () => {
    const rand = prng(SEED)
    let off = 0
    for (let n = 1; n <= 500; n++) {
      const cart = generateCart(rand, n)
      const { order, total } = medusaTotals(cart)
      const { body } = mapMedusaOrderToTradegecko(asQueriedOrder(cart, order, total, n), {
        variantMap: {},
        companyId: null,
        status: "draft",
      })
      const withoutRounding = body.order_line_items.filter((l) => l.line_type !== "rounding")
      if (
        !tradegeckoTotal(withoutRounding, body.tax_treatment as "exclusive" | "inclusive", cart.currency.decimals).eq(
          chargedAmount(total.toNumber(), cart.currency.decimals)
        )
      )
        off++
    }
    expect(off).toBeGreaterThan(10)
  })
})
