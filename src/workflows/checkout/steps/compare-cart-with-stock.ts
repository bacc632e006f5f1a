import { ContainerRegistrationKeys, getVariantAvailability } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { lineName, type CartLike, type CartStockCheck, type CartStockShortage } from "../../../lib/checkout-stock"
import { refreshVariantStockWorkflow } from "../refresh-variant-stock"
import type { RefreshVariantStockInput } from "./read-and-write-variant-stock"

export interface CheckCartStockInput {
  cart: CartLike
  /** Compare only the lines just refreshed (the completion hook) or every linked line (before completion). */
  compare?: "refreshed" | "all"
}

/**
 * Reads the stock situation of a cart without changing the cart. Re-reads every
 * TradeGecko-linked line whose stock is older than `checkoutFreshnessSeconds` with one
 * batched call (refreshVariantStockWorkflow, run on its own: the stock read stays whatever
 * the checkout decides), so Medusa's availability is TradeGecko's available stock minus
 * only the orders TradeGecko does not know yet. Then compares each line with Medusa's
 * availability: only the refreshed lines (`compare: "refreshed"`) or every linked line
 * (`"all"`; a fresh line that looks short is re-read first, so a shortage is always based
 * on stock just read from TradeGecko). Lines that sell past zero always pass.
 * TradeGecko unreachable: returned as `unreachable` (handleCheckoutUnreachableStep decides).
 */
export const checkCartStockStep = createStep(
  "check-tradegecko-cart-stock",
  async (input: CheckCartStockInput, { container }) => {
    const { cart } = input
    const items = (cart.items ?? []).filter((i) => i.variant_id)
    const result: CartStockCheck = { refreshed: [], calls: 0, shortages: [] }
    if (!items.length) return new StepResponse(result)
    const refresh = async (i: RefreshVariantStockInput) =>
      (await refreshVariantStockWorkflow(container).run({ input: i })).result

    let linked: string[]
    try {
      const r = await refresh({ variantIds: items.map((i) => i.variant_id!), forCheckout: true })
      result.refreshed = r.refreshed
      result.calls = r.calls
      linked = [...r.refreshed, ...r.fresh]
    } catch (e) {
      return new StepResponse({ ...result, unreachable: errorMessage(e) })
    }
    const toCompare = input.compare === "all" ? linked : result.refreshed
    if (!toCompare.length || !cart.sales_channel_id) return new StepResponse(result)
    result.shortages = await shortagesOf(container, items, toCompare, cart.sales_channel_id)

    // Never take a line out on stock the guard has not just read: a fresh line that looks
    // short (e.g. stock written by another path) is re-read from TradeGecko first.
    const unconfirmed = [
      ...new Set(result.shortages.map((s) => s.variant_id).filter((id) => !result.refreshed.includes(id))),
    ]
    if (unconfirmed.length) {
      try {
        const again = await refresh({ variantIds: unconfirmed, maxAgeSeconds: 0, forCheckout: true })
        result.refreshed.push(...again.refreshed)
        result.calls += again.calls
      } catch (e) {
        result.shortages = result.shortages.filter((s) => result.refreshed.includes(s.variant_id))
        return new StepResponse({ ...result, unreachable: errorMessage(e) })
      }
      result.shortages = await shortagesOf(container, items, toCompare, cart.sales_channel_id)
    }
    return new StepResponse(result)
  }
)

const errorMessage = (e: unknown) => (e as Error)?.message ?? String(e)

/** Lines of `items` (among `variantIds`) that Medusa's availability cannot serve as wanted. */
async function shortagesOf(
  container: MedusaContainer,
  items: NonNullable<CartLike["items"]>,
  variantIds: string[],
  salesChannelId: string
): Promise<CartStockShortage[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "manage_inventory", "allow_backorder"],
    filters: { id: variantIds },
  })
  const limited = (variants as any[]).filter((v) => v.manage_inventory && !v.allow_backorder).map((v) => v.id as string)
  if (!limited.length) return []
  const availability = await getVariantAvailability(query as never, {
    variant_ids: limited,
    sales_channel_id: salesChannelId,
  })

  const shortages: CartStockShortage[] = []
  const remaining = new Map(limited.map((id) => [id, Math.max(0, Number(availability[id]?.availability ?? 0))]))
  for (const item of items) {
    const left = remaining.get(item.variant_id!)
    if (left === undefined) continue
    const wanted = Number(item.quantity)
    if (wanted <= left) {
      remaining.set(item.variant_id!, left - wanted)
      continue
    }
    remaining.set(item.variant_id!, 0)
    shortages.push({
      line_item_id: item.id,
      variant_id: item.variant_id!,
      name: lineName(item),
      wanted,
      available: left,
      action: left > 0 ? "lowered" : "removed",
    })
  }
  return shortages
}
