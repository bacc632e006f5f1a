import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import { oauthRedirectUri } from "../helpers"
import type { PostConnectBodyType } from "../validators"
import { answeringTradegeckoFailures } from "../tradegecko-unavailable"

/**
 * POST /admin/tradegecko/connect
 *  - `{ "type": "oauth" }` → `{ authorize_url }`: the admin sends the merchant to TradeGecko's
 *    consent screen, which redirects back to /tradegecko/oauth/callback.
 *  - `{ "type": "privileged_token", "token": "…" }` → checks the token with TradeGecko and
 *    saves it; answers the connection (never the token).
 */
export const POST = answeringTradegeckoFailures(
  async (req: MedusaRequest<PostConnectBodyType>, res: MedusaResponse) => {
    const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const body = req.validatedBody
    if (body.type === "oauth") {
      const { webhookBaseUrl } = tradegecko.getOptions()
      res.json({ authorize_url: tradegecko.oauthAuthorizeUrl(oauthRedirectUri(webhookBaseUrl, req)) })
      return
    }
    await tradegecko.connectWithPrivilegedToken(body.token)
    res.json({ connection: await tradegecko.getConnection() })
  }
)
