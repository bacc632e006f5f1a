import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { configManager } from "@medusajs/framework/config"
import { validateCartStockWorkflow } from "../checkout/validate-cart-stock"

/**
 * Medusa allows one handler per hook. The plugin's stock guard takes
 * completeCartWorkflow.hooks.validate unless the `checkoutGuard: false` option says the
 * app consumes it itself (and runs validateCartStockWorkflow from its own handler).
 *
 * The hook is the guard's last, non-mutating check: the cart is fixed before completion
 * by the middleware of POST /store/carts/:id/complete (prepareCartForCompletionWorkflow), which
 * runs whatever this option says.
 */
function builtInGuardEnabled(): boolean {
  try {
    const config = configManager.config as any
    const entries = [...(config.plugins ?? []), ...Object.values(config.modules ?? {})]
    for (const entry of entries) {
      const resolve = typeof entry === "string" ? entry : entry?.resolve
      if (typeof resolve === "string" && /medusa-plugin-tradegecko|modules\/tradegecko$/.test(resolve)) {
        if (entry.options?.checkoutGuard === false) return false
      }
    }
  } catch {
    // config not loaded (e.g. imported by a script): keep the guard
  }
  return true
}

if (builtInGuardEnabled()) {
  completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
    await validateCartStockWorkflow(container).run({ input: { cart } })
  })
}
