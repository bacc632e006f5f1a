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
 *    country's rates); tax-free items carry 0, and shipping is untaxed when no item is taxed;
 *    when Medusa has no tax region for the shipping country at all, lines carry the
 *    account's default tax type (`tax_type_id`) instead;
 *  - decimals as strings with cents ("25.00"), the order's currency by ISO code;
 *  - addresses go with every order; the customer's company by id when known, else
 *    embedded (TradeGecko creates it).
 */
export interface MedusaOrderForTradegecko {
  id: string
  display_id: number | string
  email: string | null
  currency_code: string
  created_at: string | Date
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
    adjustments?: Array<{ amount: number | string; code?: string | null }>
  }>
  shipping_methods?: Array<{
    name?: string | null
    amount: number | string
    tax_lines?: Array<{ rate: number | string }>
    adjustments?: Array<{ amount: number | string; code?: string | null }>
  }>
  shipping_address?: MedusaAddress | null
  billing_address?: MedusaAddress | null
  customer?: { first_name?: string | null; last_name?: string | null; company_name?: string | null } | null
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
  defaultTaxTypeId?: number | null
}

export interface TradegeckoOrderLineDraft {
  variant_id?: number
  freeform?: boolean
  label?: string
  line_type?: "product" | "shipping" | "discount"
  quantity: string
  price: string
  tax_rate_override?: string
  tax_type_id?: number
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
export const money = (n: number) => (Math.round(n * 100) / 100).toFixed(2)
const rateOf = (lines?: Array<{ rate: number | string }>) => (lines ?? []).reduce((sum, l) => sum + num(l.rate), 0)
const rateStr = (r: number) => String(Math.round(r * 10000) / 10000)

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
export function acceptanceLinesOf(order: MedusaOrderForTradegecko, variantMap: Record<string, number>): AcceptanceLine[] {
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
  const useDefaultTaxType = ctx.defaultTaxTypeId !== undefined && ctx.defaultTaxTypeId !== null
  /** Medusa's rate, or the account's default tax type when Medusa has no rates for the country. */
  const tax = (rate: number, hasTaxLines: boolean) =>
    useDefaultTaxType && !hasTaxLines ? { tax_type_id: ctx.defaultTaxTypeId as number } : { tax_rate_override: rateStr(rate) }
  const discounts = new Map<string, { code: string; rate: number; hasTaxLines: boolean; amount: number }>()
  let anyTaxed = false

  for (const item of order.items) {
    const rate = rateOf(item.tax_lines)
    const hasTaxLines = (item.tax_lines ?? []).length > 0
    if (rate > 0 || (useDefaultTaxType && !hasTaxLines)) anyTaxed = true
    const tgVariant = item.variant_id ? ctx.variantMap[item.variant_id] : undefined
    const label = itemLabel(item)
    lines.push({
      ...(tgVariant ? { variant_id: tgVariant } : { freeform: true, label: item.variant_sku ? `${label} (${item.variant_sku})` : label }),
      line_type: "product",
      quantity: String(num(item.quantity)),
      price: money(num(item.unit_price)),
      ...tax(rate, hasTaxLines),
      medusa_line_item_id: item.id,
    })
    for (const adj of item.adjustments ?? []) {
      const code = adj.code || "Discount"
      const key = `${code}|${rate}|${hasTaxLines}`
      const d = discounts.get(key) ?? { code, rate, hasTaxLines, amount: 0 }
      d.amount += num(adj.amount)
      discounts.set(key, d)
    }
  }

  for (const sm of order.shipping_methods ?? []) {
    const rate = anyTaxed ? rateOf(sm.tax_lines) : 0
    // Untaxed shipping stays untaxed when no item is taxed, whatever the default tax type.
    const hasTaxLines = !anyTaxed || (sm.tax_lines ?? []).length > 0
    lines.push({
      freeform: true,
      line_type: "shipping",
      label: `Shipping: ${sm.name ?? "Shipping"}`,
      quantity: "1",
      price: money(num(sm.amount)),
      ...tax(rate, hasTaxLines),
    })
    for (const adj of sm.adjustments ?? []) {
      const code = adj.code || "Shipping discount"
      const key = `${code}|${rate}|${hasTaxLines}`
      const d = discounts.get(key) ?? { code, rate, hasTaxLines, amount: 0 }
      d.amount += num(adj.amount)
      discounts.set(key, d)
    }
  }

  for (const d of discounts.values()) {
    if (d.amount === 0) continue
    lines.push({
      freeform: true,
      line_type: "discount",
      label: `Promotion ${d.code}`,
      quantity: "1",
      price: money(-d.amount),
      ...tax(d.rate, d.hasTaxLines),
    })
  }

  const inclusive = order.items.length > 0 && order.items.every((i) => i.is_tax_inclusive)
  const who = order.billing_address ?? order.shipping_address
  const name =
    order.customer?.company_name ||
    [order.customer?.first_name || who?.first_name, order.customer?.last_name || who?.last_name].filter(Boolean).join(" ") ||
    order.email ||
    "Online customer"
  const issued = new Date(order.created_at).toISOString().slice(0, 10)

  return {
    body: {
      ...(ctx.companyId ? { company_id: ctx.companyId } : { company: { name, email: order.email, company_type: "consumer" } }),
      email: order.email,
      currency_iso: order.currency_code.toUpperCase(),
      issued_at: issued,
      reference_number: `#${order.display_id}`,
      status: ctx.status,
      tax_treatment: inclusive ? "inclusive" : "exclusive",
      tags: ["medusa", ...(order.sales_channel_id ? [`medusa:${order.sales_channel_id}`] : [])],
      notes: `Medusa order ${order.id}`,
      // Address labels are unique per company in TradeGecko: one pair per order.
      shipping_address: address(order.shipping_address ?? order.billing_address, order.email, `Order #${order.display_id} shipping`),
      billing_address: address(order.billing_address ?? order.shipping_address, order.email, `Order #${order.display_id} billing`),
      order_line_items: lines.map(({ medusa_line_item_id: _m, ...l }) => l),
    },
    lines,
  }
}
