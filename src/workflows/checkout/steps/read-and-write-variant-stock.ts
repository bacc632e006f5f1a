import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { onlineStock } from "../../../mappings/tradegecko-product-to-medusa"
import { committedReservations } from "../../../lib/committed-reservations"
import { resolveCatalogContext } from "../../catalog/steps/resolve-catalog-context"
import { undoOnlineStock, writeOnlineStock } from "../../catalog/steps/set-online-stock"

export interface RefreshVariantStockInput {
  /** Medusa variant ids; only those linked to TradeGecko and older than the window are refreshed. */
  variantIds: string[]
  /** Refresh stock older than this many seconds (default: the checkoutFreshnessSeconds setting). */
  maxAgeSeconds?: number
  /** Use the short-timeout checkout client. */
  forCheckout?: boolean
}

export interface RefreshVariantStockResult {
  /** Linked variants whose stock was stale and has been re-read. */
  refreshed: string[]
  /** Linked variants that were fresh enough (no call). */
  fresh: string[]
  /** TradeGecko calls made (0 or 1 for up to 100 variants). */
  calls: number
}

interface RefreshUndo {
  levels: Awaited<ReturnType<typeof writeOnlineStock>>["undo"]
  /** Variant link id → its stock_synced_at before (ISO, or null). */
  syncedAt: Array<{ id: string; stock_synced_at: string | null }>
}

/**
 * Re-reads the stock of stale TradeGecko-linked variants with ONE batched call
 * (`GET /variants?ids[]=…`, up to 100 ids) and writes it to Medusa as absolute
 * quantities, applying the catalog's location map and max_online cap. A cart whose
 * lines are all fresh costs one indexed query and no TradeGecko call.
 * Compensation: the previous inventory levels and read times are restored.
 */
export const refreshVariantStockStep = createStep(
  "refresh-tradegecko-variant-stock",
  async (input: RefreshVariantStockInput, { container }) => {
    const none = (fresh: string[] = []) =>
      new StepResponse<RefreshVariantStockResult, RefreshUndo | null>({ refreshed: [], fresh, calls: 0 }, null)
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const ids = [...new Set(input.variantIds)]
    if (!ids.length) return none()
    const links = await tradegecko.listTradegeckoVariantLinks({ variant_id: ids })
    if (!links.length) return none()

    const maxAge = input.maxAgeSeconds ?? (await tradegecko.getSettings()).checkoutFreshnessSeconds
    const cutoff = Date.now() - maxAge * 1000
    const stale = links.filter((l) => !l.stock_synced_at || l.stock_synced_at.getTime() < cutoff)
    const fresh = links.filter((l) => !stale.includes(l)).map((l) => l.variant_id)
    if (!stale.length) return none(fresh)

    const client = input.forCheckout ? tradegecko.getCheckoutClient() : tradegecko.getClient()
    // Stamped with when the stock was read (before the call), never with the write time.
    const readAt = new Date()
    const before = client.stats().requests
    const variants = await client.variants.getMany(
      stale.map((l) => l.tradegecko_variant_id),
      { params: { status: ["active", "archived"] } }
    )
    const calls = client.stats().requests - before
    const context = await resolveCatalogContext(container)
    const byTg = new Map(variants.map((v) => [v.id, v]))
    // Like with like: TradeGecko's available stock already excludes the lines of orders pushed
    // there, which Medusa also still reserves; those reservations are added back.
    const held = await committedReservations(container, stale.map((l) => l.inventory_item_id ?? "").filter(Boolean))
    const items = stale.map((l) => {
      const v = byTg.get(l.tradegecko_variant_id)
      // Gone, archived or not managed → nothing to sell from stock (backorders are the product's rule).
      const stock =
        v && v.status !== "archived" && v.manage_stock !== false
          ? onlineStock(v, context)
          : Object.fromEntries(Object.keys(onlineStock({ locations: [] } as never, context)).map((k) => [k, 0]))
      if (l.inventory_item_id)
        for (const loc of Object.keys(stock)) stock[loc] += held.get(`${l.inventory_item_id}:${loc}`) ?? 0
      return { inventory_item_id: l.inventory_item_id ?? null, stock }
    })
    const { undo } = await writeOnlineStock(container, { items })
    await tradegecko.updateTradegeckoVariantLinks(stale.map((l) => ({ id: l.id, stock_synced_at: readAt })))
    return new StepResponse<RefreshVariantStockResult, RefreshUndo | null>(
      { refreshed: stale.map((l) => l.variant_id), fresh, calls },
      {
        levels: undo,
        syncedAt: stale.map((l) => ({
          id: l.id,
          stock_synced_at: l.stock_synced_at ? l.stock_synced_at.toISOString() : null,
        })),
      }
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    await undoOnlineStock(container, undo.levels)
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    await tradegecko.updateTradegeckoVariantLinks(
      undo.syncedAt.map((l) => ({ id: l.id, stock_synced_at: l.stock_synced_at ? new Date(l.stock_synced_at) : null }))
    )
  }
)
