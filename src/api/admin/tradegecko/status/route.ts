import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import { credentialKind } from "../../../../modules/tradegecko/options"

/**
 * GET /admin/tradegecko/status — is the plugin configured, against which API,
 * with which kind of credential (never the credential itself), and the latest run.
 * A connection made on the settings page (OAuth or a pasted token) counts, and wins
 * over the bare OAuth application credentials of the options.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const options = tradegecko.getOptions()
  const stored = options.privilegedToken
    ? null
    : ((await tradegecko.getConnection().catch(() => null))?.credential_type ?? null)
  const credential = options.privilegedToken ? "privileged_token" : (stored ?? credentialKind(options))

  res.json({
    configured: credential !== null,
    base_url: options.baseUrl,
    credential_present: credential !== null,
    credential_type: credential,
    order_sync_level: options.orderSyncLevel,
    latest_sync_run: await tradegecko.getLatestSyncRun(),
  })
}
