/**
 * The acceptance rule (from Koongo's "order acceptance"): an order goes to TradeGecko
 * finalized, ready to ship, only when
 *   - every item is a TradeGecko variant (no freeform product line),
 *   - each variant is in stock there (available ≥ ordered; variants that do not track
 *     stock always pass), and
 *   - each line's price after its discounts is at least `threshold` × the variant's
 *     price-list price.
 * Otherwise it goes as a draft, and the reasons (in words) are recorded for review.
 * Pure; unit-tested in __tests__/order-acceptance.spec.ts.
 */
export interface AcceptanceLine {
  label: string
  /** TradeGecko variant id; absent for items TradeGecko does not know. */
  variant_id?: number
  quantity: number
  /** Unit price actually charged, after the line's discounts. */
  net_unit_price: number
}

export interface AcceptanceVariant {
  id: number
  sku?: string | null
  available_stock?: string | number | null
  manage_stock?: boolean | null
  retail_price?: string | number | null
  variant_prices?: Array<{ price_list_id: string | number; value: string | number | null }> | null
}

export function priceListPrice(variant: AcceptanceVariant, priceListId: string): number | null {
  const listed = (variant.variant_prices ?? []).find((p) => String(p.price_list_id) === priceListId)
  const value = listed?.value ?? (priceListId === "retail" ? variant.retail_price : null)
  return value === null || value === undefined || value === "" ? null : Number(value)
}

export function orderAcceptanceReasons(
  lines: AcceptanceLine[],
  variants: AcceptanceVariant[],
  opts: { threshold: number; priceListId: string }
): string[] {
  const byId = new Map(variants.map((v) => [v.id, v]))
  const reasons: string[] = []
  for (const line of lines) {
    if (line.variant_id === undefined) {
      reasons.push(`${line.label} is not a TradeGecko variant`)
      continue
    }
    const variant = byId.get(line.variant_id)
    if (!variant) {
      reasons.push(`${line.label}: TradeGecko variant ${line.variant_id} not found`)
      continue
    }
    const name = variant.sku ? `${line.label} (${variant.sku})` : line.label
    if (variant.manage_stock !== false) {
      const available = Number(variant.available_stock ?? 0)
      if (available < line.quantity)
        reasons.push(`${name}: ${line.quantity} ordered, ${available} available in TradeGecko`)
    }
    const listPrice = priceListPrice(variant, opts.priceListId)
    if (listPrice !== null && line.net_unit_price + 1e-9 < opts.threshold * listPrice) {
      reasons.push(
        `${name}: price ${line.net_unit_price.toFixed(2)} is below ${Math.round(opts.threshold * 100)} % of the ` +
          `${opts.priceListId} price ${listPrice.toFixed(2)}`
      )
    }
  }
  return reasons
}
