// Every workflow of the plugin, importable by host apps as
// `import { ... } from "medusa-plugin-tradegecko/workflows"`.
import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import type { CartLike } from "../lib/checkout-stock"
import { validateCartStockWorkflow } from "./checkout/validate-cart-stock"
import { prepareCartForCompletionWorkflow } from "./checkout/prepare-cart-for-completion"
import { refreshVariantStockWorkflow } from "./checkout/refresh-variant-stock"
import { checkCartStockWorkflow } from "./checkout/check-cart-stock"
import type { RefreshVariantStockInput } from "./checkout/steps/read-and-write-variant-stock"

export * from "./catalog/sync-tradegecko-catalog"
// runs syncTradegeckoCatalogWorkflow in the background, as the admin and the schedule do
export { startCatalogSync, type CatalogSyncRequest } from "../lib/start-catalog-sync"
export * from "./catalog/upsert-tradegecko-products"
export * from "./catalog/list-failed-products"
export * from "./checkout/validate-cart-stock"
export * from "./checkout/prepare-cart-for-completion"
export * from "./checkout/refresh-variant-stock"
export * from "./checkout/refresh-cart-stock"
export * from "./checkout/check-cart-stock"
export { refreshVariantStockStep } from "./checkout/steps/read-and-write-variant-stock"
export { checkCartStockStep } from "./checkout/steps/compare-cart-with-stock"
export type { CartLike, CartStockCheck, CartStockShortage } from "../lib/checkout-stock"
export * from "./orders/push-order-to-tradegecko"
export * from "./orders/forward-order-action-to-tradegecko"
export * from "./orders/send-order-status-change"
export * from "./orders/send-waiting-order-status-changes"
export * from "./orders/find-orders-due-for-push"
export * from "./orders/find-order-status-changes-due"
export * from "./orders/apply-tradegecko-order-status"
export * from "./orders/reconcile-tradegecko-orders"
export * from "./webhooks/process-tradegecko-webhook"
export * from "./webhooks/ensure-tradegecko-webhooks"
export * from "./webhooks/receive-tradegecko-webhook"

// Earlier names of the checkout guard, kept for host apps: each runs the workflow above.

/** validateCartStockWorkflow: throws the store-API error when items are gone; never changes the cart. */
export async function validateCartStock(container: MedusaContainer, cart: CartLike) {
  return (await validateCartStockWorkflow(container).run({ input: { cart } })).result
}

/** prepareCartForCompletionWorkflow, throwing its refusal as the store-API error (`not_allowed`). */
export async function prepareCartForCompletion(container: MedusaContainer, cartId: string) {
  const { result } = await prepareCartForCompletionWorkflow(container).run({ input: { cart_id: cartId } })
  if (result.refusal) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, result.refusal)
  return result
}

/** checkCartStockWorkflow: refreshes and reports, never changes the cart. */
export async function checkCartStock(
  container: MedusaContainer,
  cart: CartLike,
  opts: { compare?: "refreshed" | "all" } = {}
) {
  return (await checkCartStockWorkflow(container).run({ input: { cart, compare: opts.compare } })).result
}

/** refreshVariantStockWorkflow's result. */
export async function refreshVariantStock(container: MedusaContainer, input: RefreshVariantStockInput) {
  return (await refreshVariantStockWorkflow(container).run({ input })).result
}
