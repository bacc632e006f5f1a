import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"

/** POST /admin/tradegecko/disconnect — forget the connection made on the settings page. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  await tradegecko.disconnect()
  res.json({ connection: await tradegecko.getConnection() })
}
