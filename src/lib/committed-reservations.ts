import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"

/** TradeGecko order states whose lines are committed there (available stock already excludes them). */
const COMMITTED_IN_TRADEGECKO = ["active", "finalized"]

/**
 * Medusa reservations that TradeGecko already counts: reservations of order lines whose
 * order was pushed to TradeGecko as an active or finalized order. TradeGecko's available
 * stock (on hand − committed) already excludes those lines, and Medusa subtracts its
 * reservations again, so the stock written to Medusa adds them back: Medusa's availability
 * (stocked − reserved) then equals TradeGecko's available stock minus only the orders
 * TradeGecko does not know yet (not pushed, pushed as a draft, or failed).
 *
 * Returns quantity per `${inventory_item_id}:${location_id}`. Costs one reservation query,
 * and one order-link query only when some of these items are reserved.
 */
export async function committedReservations(
  container: MedusaContainer,
  inventoryItemIds: string[]
): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const ids = [...new Set(inventoryItemIds.filter(Boolean))]
  if (!ids.length) return out
  const reservations = await container
    .resolve(Modules.INVENTORY)
    .listReservationItems(
      { inventory_item_id: ids },
      { select: ["id", "inventory_item_id", "location_id", "quantity", "line_item_id"] }
    )
  const withLine = reservations.filter((r) => r.line_item_id)
  if (!withLine.length) return out

  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const links = await tradegecko.listTradegeckoOrderLinks(
    { status: "pushed", tradegecko_status: COMMITTED_IN_TRADEGECKO },
    { select: ["id", "line_map"] }
  )
  const committedLines = new Set<string>()
  for (const link of links)
    for (const lineItemId of Object.values((link.line_map ?? {}) as Record<string, string>))
      committedLines.add(lineItemId)

  for (const r of withLine) {
    if (!committedLines.has(r.line_item_id as string)) continue
    const key = `${r.inventory_item_id}:${r.location_id}`
    out.set(key, (out.get(key) ?? 0) + Number(r.quantity))
  }
  return out
}
