import { defineMiddlewares, validateAndTransformBody } from "@medusajs/framework/http"
import { PostCatalogSyncBody } from "./admin/tradegecko/validators"

export default defineMiddlewares({
  routes: [
    {
      // TradeGecko signs the raw body: keep it for the HMAC check.
      matcher: "/hooks/tradegecko",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true },
    },
    {
      matcher: "/admin/tradegecko/sync",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(PostCatalogSyncBody)],
    },
  ],
})
