import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { isTradegeckoError } from "../../../modules/tradegecko/client"

/**
 * Wraps an admin route that calls TradeGecko: when TradeGecko fails (5xx, timeout,
 * unreachable, rate limited after retries) the admin gets 502 with the reason in words
 * instead of Medusa's "An unknown error occurred" 500. Other errors go to Medusa's handler.
 */
export function answeringTradegeckoFailures<Req extends MedusaRequest<any>>(
  handler: (req: Req, res: MedusaResponse) => Promise<void>
) {
  return async (req: Req, res: MedusaResponse) => {
    try {
      await handler(req, res)
    } catch (e) {
      const err = e as { status?: number; name?: string; message?: string }
      const upstream =
        (isTradegeckoError(e) || /^Tradegecko/.test(err.name ?? "")) &&
        (err.status === undefined || err.status >= 500 || err.status === 429) &&
        !/Validation|BadRequest|NotFound|Unauthorized|Forbidden|Conflict/.test(err.name ?? "")
      if (!upstream || res.headersSent) throw e
      res
        .status(502)
        .json({ type: "tradegecko_unavailable", message: `TradeGecko did not answer as expected: ${err.message}` })
    }
  }
}
