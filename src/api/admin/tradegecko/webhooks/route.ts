import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ensureTradegeckoWebhooks } from "../../../../workflows/steps/ensure-tradegecko-webhooks"
import { answeringTradegeckoFailures } from "../tradegecko-unavailable"

/** GET /admin/tradegecko/webhooks — TradeGecko subscriptions and their last delivery. */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ webhooks: await ensureTradegeckoWebhooks(req.scope, { register: false }) })
}

/** POST /admin/tradegecko/webhooks — register the missing subscriptions now. */
export const POST = answeringTradegeckoFailures(async (req: MedusaRequest, res: MedusaResponse) => {
  res.json({ webhooks: await ensureTradegeckoWebhooks(req.scope, { register: true }) })
})
