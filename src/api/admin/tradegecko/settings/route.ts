import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import type { SettingsUpdate } from "../../../../modules/tradegecko/options"
import { maskOptions } from "../helpers"
import { resolveCatalogContext } from "../../../../workflows/steps/resolve-catalog-context"

/** The options the settings page lets the merchant change (the rest come from medusa-config). */
const EDITABLE = [
  "syncFromTag", "defaultPriceList", "priceLists", "salesChannelId", "defaultStockLocationId", "locationMap",
  "checkoutFreshnessSeconds", "orderSyncLevel", "checkoutWhenUnreachable", "orderSyncFrom",
]

/**
 * Where the next import would put products and which prices it would write, with what
 * is wrong in words (a price list in a currency the store lacks, an unlinked location...).
 * Writes nothing.
 */
async function describeCatalog(container: MedusaRequest["scope"]) {
  try {
    const context = await resolveCatalogContext(container, { dryRun: true, prices: true })
    return {
      sales_channel_id: context.salesChannelId,
      stock_location_id: context.defaultStockLocationId || null,
      price_lists: context.priceLists.map((l) => ({ price_list_id: l.priceListId, currency_code: l.currencyCode })),
      warnings: context.warnings,
    }
  } catch (e) {
    return { sales_channel_id: null, stock_location_id: null, price_lists: [], warnings: [(e as Error).message] }
  }
}

async function describe(tradegecko: TradegeckoModuleService, container: MedusaRequest["scope"]) {
  const connection = await tradegecko.getConnection()
  const effective = await tradegecko.getSettings()
  return {
    connection,
    options: maskOptions(effective as unknown as Record<string, unknown>),
    editable: EDITABLE,
    catalog: connection.connected ? await describeCatalog(container) : null,
  }
}

/**
 * GET /admin/tradegecko/settings — connection (kind, account name, never the credential),
 * the options in force with secrets masked, which of them the page may change, and the
 * catalog target (sales channel, stock location, price lists per currency, warnings).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ settings: await describe(req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE), req.scope) })
}

/** POST /admin/tradegecko/settings — save overrides (null returns a setting to its plugin option). */
export async function POST(req: MedusaRequest<SettingsUpdate>, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  await tradegecko.saveSettings(req.validatedBody)
  res.json({ settings: await describe(tradegecko, req.scope) })
}
