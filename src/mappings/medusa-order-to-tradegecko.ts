import { defaultCurrencies, MathBN } from "@medusajs/framework/utils"
import type { AcceptanceLine } from "./order-acceptance"

/**
 * A Medusa order as a TradeGecko sales-order create body. Pure; unit-tested in
 * __tests__/medusa-order-to-tradegecko.spec.ts.
 *
 *  - variants linked by the catalog sync go as variant lines; anything else as a
 *    freeform line (so the order history is complete);
 *  - shipping and each promotion go as freeform lines (`line_type` shipping / discount);
 *    a promotion is split per tax rate so tax stays right;
 *  - each line carries Medusa's own tax rate (`tax_rate_override`, from the shipping
 *    country's rates); tax-free items carry 0, shipping its own rate; where Medusa has no
 *    tax region for the shipping country, it charged no tax, so the lines carry 0 too
 *    (TradeGecko's total is what the customer paid, never more);
 *  - prices as strings in the currency's decimals ("25.00", JPY "1500", KWD "12.345"),
 *    the order's currency by ISO code; an order whose items are all tax-inclusive goes
 *    `tax_treatment: inclusive`, any other exclusive (amounts of the other kind converted);
 *  - totals to the cent: Medusa's amounts are exact (a 15 % promotion on 19.99 is 2.9985),
 *    TradeGecko's prices have the currency's decimals, so the rounding left over goes as a
 *    `rounding` line (untaxed) making TradeGecko's total (see tradegeckoTotal) equal
 *    Medusa's order total rounded to the currency's decimals;
 *  - addresses go with every order; the customer's company by id when known, else
 *    embedded (TradeGecko creates it).
 */
export interface MedusaOrderForTradegecko {
  id: string
  display_id: number | string
  email: string | null
  currency_code: string
  created_at: string | Date
  /** Medusa's order total (what the customer was charged); with it the TradeGecko total is made equal. */
  total?: unknown
  sales_channel_id?: string | null
  items: Array<{
    id: string
    title?: string | null
    product_title?: string | null
    variant_title?: string | null
    variant_id?: string | null
    variant_sku?: string | null
    quantity: number | string
    unit_price: number | string
    is_tax_inclusive?: boolean
    tax_lines?: Array<{ rate: number | string }>
    adjustments?: MedusaAdjustment[]
  }>
  shipping_methods?: Array<{
    name?: string | null
    amount: number | string
    is_tax_inclusive?: boolean
    tax_lines?: Array<{ rate: number | string }>
    adjustments?: MedusaAdjustment[]
  }>
  shipping_address?: MedusaAddress | null
  billing_address?: MedusaAddress | null
  customer?: { first_name?: string | null; last_name?: string | null; company_name?: string | null } | null
}

/** A promotion's amount on an item or shipping method; tax-inclusive when the promotion is. */
interface MedusaAdjustment {
  amount: number | string
  code?: string | null
  is_tax_inclusive?: boolean | null
}

interface MedusaAddress {
  first_name?: string | null
  last_name?: string | null
  company?: string | null
  address_1?: string | null
  address_2?: string | null
  city?: string | null
  province?: string | null
  postal_code?: string | null
  country_code?: string | null
  phone?: string | null
}

export interface OrderMappingContext {
  /** Medusa variant id → TradeGecko variant id (catalog links). */
  variantMap: Record<string, number>
  /** The TradeGecko company already known for this customer's e-mail. */
  companyId: number | null
  /** Line status to create the order in ("active", or "draft" for review). */
  status: "draft" | "active" | "finalized"
  /** Set when Medusa has no tax region for the shipping country: the account's default tax type. */
}

export interface TradegeckoOrderLineDraft {
  variant_id?: number
  freeform?: boolean
  label?: string
  line_type?: "product" | "shipping" | "discount" | "rounding"
  quantity: string
  price: string
  tax_rate_override?: string
  /** Medusa line item this line stands for (not sent). */
  medusa_line_item_id?: string
}

/** Medusa amounts arrive as numbers, strings or BigNumber objects ({ numeric_, value }). */
const num = (v: unknown): number => {
  if (v === null || v === undefined || v === "") return 0
  if (typeof v === "object") {
    const o = v as { numeric_?: unknown; value?: unknown }
    return num(o.numeric_ ?? o.value)
  }
  return Number(v)
}
const rateOf = (lines?: Array<{ rate: number | string }>) => (lines ?? []).reduce((sum, l) => sum + num(l.rate), 0)
const rateStr = (r: number) => String(Math.round(r * 10000) / 10000)

/** Exact decimals (Medusa's own BigNumber maths). */
type Dec = ReturnType<typeof MathBN.convert>
const ROUND_HALF_UP = 4 // bignumber.js: half away from zero
/** A Medusa amount (number, string, BigNumber or its raw { value }) as an exact decimal. */
const dec = (v: unknown): Dec => {
  if (v === null || v === undefined || v === "") return MathBN.convert(0)
  if (typeof v === "object") {
    const o = v as { raw_?: { value?: unknown }; value?: unknown; numeric_?: unknown }
    return dec(o.raw_?.value ?? o.value ?? o.numeric_)
  }
  return MathBN.convert(typeof v === "number" ? String(v) : (v as string))
}
/** The currency's decimals as Medusa knows them (2 when unknown). */
export const currencyDecimals = (code: string) =>
  (defaultCurrencies as Record<string, { decimal_digits?: number }>)[code.toUpperCase()]?.decimal_digits ?? 2

/**
 * TradeGecko's total for these lines (sandbox/README.md, "Order and invoice totals"):
 * quantity × price, plus the line's tax rate when the order is tax-exclusive, added exactly
 * and rounded once, half up, to the currency's decimals.
 */
export function tradegeckoTotal(
  lines: Array<Pick<TradegeckoOrderLineDraft, "quantity" | "price" | "tax_rate_override">>,
  taxTreatment: "exclusive" | "inclusive",
  decimals: number
) {
  let total = MathBN.convert(0)
  for (const l of lines) {
    let amount = MathBN.mult(dec(l.quantity), dec(l.price))
    if (taxTreatment === "exclusive")
      amount = MathBN.mult(amount, MathBN.add(1, MathBN.div(dec(l.tax_rate_override ?? 0), 100)))
    total = MathBN.add(total, amount)
  }
  return total.decimalPlaces(decimals, ROUND_HALF_UP)
}

function address(a: MedusaAddress | null | undefined, email: string | null, label: string) {
  if (!a) return undefined
  return {
    label,
    first_name: a.first_name ?? null,
    last_name: a.last_name ?? null,
    company_name: a.company ?? null,
    address1: a.address_1 ?? "",
    address2: a.address_2 ?? null,
    city: a.city ?? null,
    state: a.province ?? null,
    zip_code: a.postal_code ?? null,
    country: (a.country_code ?? "").toUpperCase() || null,
    phone_number: a.phone ?? null,
    email,
  }
}

/** How an order item is named on TradeGecko lines and in review reasons. */
const itemLabel = (item: MedusaOrderForTradegecko["items"][number]) =>
  [item.product_title, item.variant_title].filter(Boolean).join(" / ") || item.title || "Item"

/** The order's items as the acceptance rule sees them: price charged per unit after the line's discounts. */
export function acceptanceLinesOf(
  order: MedusaOrderForTradegecko,
  variantMap: Record<string, number>
): AcceptanceLine[] {
  return order.items.map((item) => {
    const quantity = num(item.quantity)
    const discount = (item.adjustments ?? []).reduce((sum, a) => sum + num(a.amount), 0)
    const unit = num(item.unit_price)
    return {
      label: itemLabel(item),
      variant_id: item.variant_id ? variantMap[item.variant_id] : undefined,
      quantity,
      net_unit_price: quantity > 0 ? unit - discount / quantity : unit,
    }
  })
}

export function mapMedusaOrderToTradegecko(order: MedusaOrderForTradegecko, ctx: OrderMappingContext) {
  const lines: TradegeckoOrderLineDraft[] = []
  const decimals = currencyDecimals(order.currency_code)
  const inclusive = order.items.length > 0 && order.items.every((i) => i.is_tax_inclusive)
  const priceStr = (v: Dec) => v.toFixed(decimals, ROUND_HALF_UP)
  /** Medusa's own rate on the line (0 where it charged no tax). */
  const tax = (rate: number) => ({ tax_rate_override: rateStr(rate) })
  /** An amount taxed at `rate`, inclusive of it or not, as the order's tax treatment counts it. */
  const asOrderCounts = (amount: Dec, amountInclusive: boolean, rate: Dec) => {
    if (Boolean(amountInclusive) === inclusive) return amount
    const factor = MathBN.add(1, MathBN.div(rate, 100))
    return amountInclusive ? MathBN.div(amount, factor) : MathBN.mult(amount, factor)
  }
  /** Every line's exact amount (before prices are rounded), as TradeGecko will count it. */
  let exact = MathBN.convert(0)
  const count = (quantity: Dec, unit: Dec, rate: Dec) => {
    const amount = MathBN.mult(quantity, unit)
    exact = MathBN.add(exact, inclusive ? amount : MathBN.mult(amount, MathBN.add(1, MathBN.div(rate, 100))))
  }
  const rateDec = (taxLines?: Array<{ rate: number | string }>) =>
    (taxLines ?? []).reduce((sum: Dec, l) => MathBN.add(sum, dec(l.rate)), MathBN.convert(0))
  const discounts = new Map<string, { code: string; rate: number; rateExact: Dec; amount: Dec }>()
  const addDiscounts = (
    adjustments: MedusaAdjustment[] | undefined,
    fallbackCode: string,
    rate: number,
    rateExact: Dec
  ) => {
    for (const adj of adjustments ?? []) {
      const code = adj.code || fallbackCode
      const key = `${code}|${rate}`
      const d = discounts.get(key) ?? { code, rate, rateExact, amount: MathBN.convert(0) }
      d.amount = MathBN.add(d.amount, asOrderCounts(dec(adj.amount), Boolean(adj.is_tax_inclusive), rateExact))
      discounts.set(key, d)
    }
  }

  for (const item of order.items) {
    const rate = rateOf(item.tax_lines)
    const rateExact = rateDec(item.tax_lines)
    const tgVariant = item.variant_id ? ctx.variantMap[item.variant_id] : undefined
    const label = itemLabel(item)
    const unit = asOrderCounts(dec(item.unit_price), Boolean(item.is_tax_inclusive), rateExact)
    count(dec(item.quantity), unit, rateExact)
    lines.push({
      ...(tgVariant
        ? { variant_id: tgVariant }
        : { freeform: true, label: item.variant_sku ? `${label} (${item.variant_sku})` : label }),
      line_type: "product",
      quantity: String(num(item.quantity)),
      price: priceStr(unit),
      ...tax(rate),
      medusa_line_item_id: item.id,
    })
    addDiscounts(item.adjustments, "Discount", rate, rateExact)
  }

  for (const sm of order.shipping_methods ?? []) {
    const rate = rateOf(sm.tax_lines)
    const rateExact = rateDec(sm.tax_lines)
    const amount = asOrderCounts(dec(sm.amount), Boolean(sm.is_tax_inclusive), rateExact)
    count(MathBN.convert(1), amount, rateExact)
    lines.push({
      freeform: true,
      line_type: "shipping",
      label: `Shipping: ${sm.name ?? "Shipping"}`,
      quantity: "1",
      price: priceStr(amount),
      ...tax(rate),
    })
    addDiscounts(sm.adjustments, "Shipping discount", rate, rateExact)
  }

  for (const d of discounts.values()) {
    if (d.amount.isZero()) continue
    count(MathBN.convert(1), MathBN.mult(d.amount, -1), d.rateExact)
    lines.push({
      freeform: true,
      line_type: "discount",
      label: `Promotion ${d.code}`,
      quantity: "1",
      price: priceStr(MathBN.mult(d.amount, -1)),
      ...tax(d.rate),
    })
  }

  // What rounding the prices to the currency's decimals left over. Only when every line
  // carries its rate (TradeGecko's default tax type is not known here) and the lines account
  // for Medusa's whole total (to within one unit of the currency): a larger gap is not rounding.
  const treatment = inclusive ? "inclusive" : "exclusive"
  const rounding = roundingLine(order, lines, treatment, decimals, exact)
  if (rounding) lines.push(rounding)

  const who = order.billing_address ?? order.shipping_address
  const name =
    order.customer?.company_name ||
    [order.customer?.first_name || who?.first_name, order.customer?.last_name || who?.last_name]
      .filter(Boolean)
      .join(" ") ||
    order.email ||
    "Online customer"
  const issued = new Date(order.created_at).toISOString().slice(0, 10)

  return {
    body: {
      ...(ctx.companyId
        ? { company_id: ctx.companyId }
        : { company: { name, email: order.email, company_type: "consumer" } }),
      email: order.email,
      currency_iso: order.currency_code.toUpperCase(),
      issued_at: issued,
      reference_number: `#${order.display_id}`,
      status: ctx.status,
      tax_treatment: treatment,
      tags: ["medusa", ...(order.sales_channel_id ? [`medusa:${order.sales_channel_id}`] : [])],
      notes: `Medusa order ${order.id}`,
      // Address labels are unique per company in TradeGecko: one pair per order.
      shipping_address: address(
        order.shipping_address ?? order.billing_address,
        order.email,
        `Order #${order.display_id} shipping`
      ),
      billing_address: address(
        order.billing_address ?? order.shipping_address,
        order.email,
        `Order #${order.display_id} billing`
      ),
      order_line_items: lines.map(({ medusa_line_item_id: _m, ...l }) => l),
    },
    lines,
  }
}

/**
 * What the customer is charged for a Medusa total: Medusa keeps totals to 20 significant
 * digits (a 96.165 can be 96.1649999999999999999954 after a division by 1.19); its API
 * and its payment providers use the number (Stripe's getSmallestUnit: Math.round of the
 * numeric value in minor units), so that number is rounded, half up, to the currency's decimals.
 */
export const chargedAmount = (total: unknown, decimals: number) =>
  dec(num(total)).decimalPlaces(decimals, ROUND_HALF_UP)

function roundingLine(
  order: MedusaOrderForTradegecko,
  lines: TradegeckoOrderLineDraft[],
  treatment: "exclusive" | "inclusive",
  decimals: number,
  exact: Dec
): TradegeckoOrderLineDraft | null {
  if (order.total === undefined || order.total === null) return null
  const charged = chargedAmount(order.total, decimals)
  const unit = MathBN.convert(1).shiftedBy(-decimals)
  if (MathBN.sub(charged, exact).abs().isGreaterThan(unit)) return null
  const diff = MathBN.sub(charged, tradegeckoTotal(lines, treatment, decimals))
  if (diff.isZero()) return null
  return {
    freeform: true,
    line_type: "rounding",
    label: "Rounding",
    quantity: "1",
    price: diff.toFixed(decimals),
    tax_rate_override: "0",
  }
}
