import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { tradegeckoConnected } from "../../../../lib/scheduled-tick"
import { ensureTradegeckoWebhooks } from "../../../../workflows/webhooks/steps/ensure-tradegecko-webhooks"
import { answeringTradegeckoFailures } from "../tradegecko-unavailable"

/**
 * GET /admin/tradegecko/webhooks — TradeGecko subscriptions and their last delivery;
 * `connected: false` and no subscriptions while the store is not connected (was a 500).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  if (!(await tradegeckoConnected(req.scope))) {
    res.json({ webhooks: [], connected: false })
    return
  }
  res.json({ webhooks: await ensureTradegeckoWebhooks(req.scope, { register: false }), connected: true })
}

/** POST /admin/tradegecko/webhooks — register the missing subscriptions now. */
export const POST = answeringTradegeckoFailures(async (req: MedusaRequest, res: MedusaResponse) => {
  res.json({ webhooks: await ensureTradegeckoWebhooks(req.scope, { register: true }), connected: true })
})
