import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../../modules/tradegecko/service"
import { pushOrderToTradegeckoWorkflow } from "../../../../../../workflows/orders/push-order-to-tradegecko"

/** POST /admin/tradegecko/orders/:id/retry — push this Medusa order again now (still exactly once). */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: req.params.id })
  if (!link)
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${req.params.id} has no TradeGecko push to retry`)
  const { result: order } = await pushOrderToTradegeckoWorkflow(req.scope).run({ input: { orderId: req.params.id } })
  res.json({ order })
}
