import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import { oauthRedirectUri } from "../../../admin/tradegecko/helpers"

/**
 * GET /tradegecko/oauth/callback?code=&state= — where TradeGecko's consent screen sends
 * the merchant's browser back. Not under /admin: a redirect carries no admin token, so
 * the signed, expiring `state` made by POST /admin/tradegecko/connect is the proof
 * instead. Ends on the admin's TradeGecko page with the outcome in the query.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const adminPath = (req.scope.resolve("configModule") as any).admin?.path ?? "/app"
  const back = (params: Record<string, string>) =>
    res.redirect(302, `${adminPath}/tradegecko?${new URLSearchParams(params)}`)
  const { code, state, error } = req.query as Record<string, string | undefined>
  if (error) return back({ oauth_error: error === "access_denied" ? "Access was denied on TradeGecko" : error })
  if (typeof code !== "string" || typeof state !== "string")
    return back({ oauth_error: "TradeGecko sent no authorization code" })
  try {
    await tradegecko.completeOAuth({
      code,
      state,
      redirectUri: oauthRedirectUri(tradegecko.getOptions().webhookBaseUrl, req),
    })
  } catch (e) {
    return back({ oauth_error: (e as Error).message })
  }
  back({ connected: "oauth" })
}
