import { batchProductsWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PlanInput } from "../../mappings/plan-catalog-changes"
import { addProductOptionValuesStep } from "./steps/add-product-option-values"
import { loadCatalogStateStep } from "./steps/load-catalog-state"
import { planCatalogChangesStep } from "./steps/plan-catalog"
import { saveCatalogLinksStep } from "./steps/save-catalog-links"
import { setOnlineStockStep } from "./steps/set-online-stock"
import { setVariantPricesStep } from "./steps/set-variant-prices"

export const upsertTradegeckoProductsWorkflowId = "upsert-tradegecko-products"

/**
 * Creates or updates one batch of TradeGecko products in Medusa (never deletes):
 * load links → plan (pure) → new option values → Medusa's batchProductsWorkflow →
 * the plugin's own prices of existing variants → save links → set stock.
 * Any failure compensates every step, so a batch is all-or-nothing.
 */
export const upsertTradegeckoProductsWorkflow = createWorkflow(upsertTradegeckoProductsWorkflowId, (input: PlanInput) => {
  const state = loadCatalogStateStep({ products: input.products, variants: input.variants })
  const plan = planCatalogChangesStep({ input, state })

  addProductOptionValuesStep(transform({ plan }, ({ plan }) => plan.optionValues))
  const batch = transform({ plan }, ({ plan }) => ({ create: plan.create, update: plan.update }))
  batchProductsWorkflow.runAsStep({ input: batch })
  setVariantPricesStep(transform({ plan }, ({ plan }) => ({ variants: plan.prices })))

  const links = saveCatalogLinksStep({ plan })
  const stock = transform({ links }, ({ links }) => ({
    items: links.variants.map((v) => ({ inventory_item_id: v.inventory_item_id, stock: v.stock })),
  }))
  setOnlineStockStep(stock)

  return new WorkflowResponse({ plan, productIds: links.productIds })
})
