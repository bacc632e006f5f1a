import { defineMiddlewares, validateAndTransformBody } from "@medusajs/framework/http"
import { guardCartCompletion } from "./store/carts/guard-cart-completion"
import { PostCatalogSyncBody, PostConnectBody, PostRetryOrdersBody } from "./admin/tradegecko/validators"

export default defineMiddlewares({
  routes: [
    {
      // TradeGecko signs the raw body: keep it for the HMAC check. A notification is a few
      // hundred bytes; anything over 64 kB is answered 413 by the body parser (JSON error,
      // before the route runs, nothing written).
      matcher: "/hooks/tradegecko",
      methods: ["POST"],
      bodyParser: { preserveRawBody: true, sizeLimit: "64kb" },
    },
    {
      // Checkout stock guard: fixes the cart with Medusa's cart workflows BEFORE completion
      // (src/workflows/prepare-cart-for-completion.ts); the completion hook only re-checks.
      matcher: "/store/carts/:id/complete",
      methods: ["POST"],
      middlewares: [guardCartCompletion],
    },
    {
      matcher: "/admin/tradegecko/sync",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(PostCatalogSyncBody)],
    },
    // POST /admin/tradegecko/settings validates its body itself (settings/route.ts): the
    // middleware's message would leave out the field of a custom rule.
    {
      matcher: "/admin/tradegecko/connect",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(PostConnectBody)],
    },
    {
      matcher: "/admin/tradegecko/orders/retry",
      methods: ["POST"],
      middlewares: [validateAndTransformBody(PostRetryOrdersBody)],
    },
  ],
})
