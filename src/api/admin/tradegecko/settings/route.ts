import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import type { SettingsUpdate } from "../../../../modules/tradegecko/options"
import { maskOptions } from "../helpers"

/** The options the settings page lets the merchant change (the rest come from medusa-config). */
const EDITABLE = [
  "syncFromTag", "defaultPriceList", "defaultStockLocationId", "locationMap",
  "checkoutFreshnessSeconds", "orderSyncLevel", "checkoutWhenUnreachable", "orderSyncFrom",
]

async function describe(tradegecko: TradegeckoModuleService) {
  const connection = await tradegecko.getConnection()
  const effective = await tradegecko.getSettings()
  return {
    connection,
    options: maskOptions(effective as unknown as Record<string, unknown>),
    editable: EDITABLE,
  }
}

/**
 * GET /admin/tradegecko/settings — connection (kind, account name, never the credential),
 * the options in force with secrets masked, and which of them the page may change.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ settings: await describe(req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)) })
}

/** POST /admin/tradegecko/settings — save overrides (null returns a setting to its plugin option). */
export async function POST(req: MedusaRequest<SettingsUpdate>, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  await tradegecko.saveSettings(req.validatedBody)
  res.json({ settings: await describe(tradegecko) })
}
