import { batchProductsWorkflow, emitEventStep } from "@medusajs/medusa/core-flows"
import { ProductWorkflowEvents } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PlanInput } from "../../mappings/plan-catalog-changes"
import { addProductOptionValuesStep } from "./steps/add-product-option-values"
import { createCatalogProductsStep } from "./steps/create-catalog-products"
import { loadCatalogStateStep } from "./steps/load-catalog-state"
import { planCatalogChangesStep } from "./steps/plan-catalog"
import { saveCatalogLinksStep } from "./steps/save-catalog-links"
import { setOnlineStockStep } from "./steps/set-online-stock"
import { setVariantPricesStep } from "./steps/set-variant-prices"

export const upsertTradegeckoProductsWorkflowId = "upsert-tradegecko-products"

/**
 * Creates or updates one batch of TradeGecko products in Medusa (never deletes):
 * load links → plan (pure) → new option values → new products in bulk (one call per
 * module) → updates through Medusa's batchProductsWorkflow → the plugin's own prices of
 * existing variants → save links → set stock.
 * Any failure compensates every step, so a batch is all-or-nothing.
 */
export const upsertTradegeckoProductsWorkflow = createWorkflow(
  upsertTradegeckoProductsWorkflowId,
  (input: PlanInput) => {
    const state = loadCatalogStateStep({ products: input.products, variants: input.variants })
    const plan = planCatalogChangesStep({ input, state })

    addProductOptionValuesStep(transform({ plan }, ({ plan }) => plan.optionValues))
    const created = createCatalogProductsStep(transform({ plan }, ({ plan }) => ({ create: plan.create })))
    emitEventStep({
      eventName: ProductWorkflowEvents.CREATED,
      data: transform({ created }, ({ created }) => Object.values(created.productIds).map((id) => ({ id }))),
    })
    when({ plan }, ({ plan }) => plan.update.length > 0).then(() => {
      batchProductsWorkflow.runAsStep({ input: transform({ plan }, ({ plan }) => ({ update: plan.update })) })
    })
    setVariantPricesStep(transform({ plan }, ({ plan }) => ({ variants: plan.prices })))

    const links = saveCatalogLinksStep({ plan, created })
    const stock = transform({ links }, ({ links }) => ({
      items: links.variants.map((v) => ({ inventory_item_id: v.inventory_item_id, stock: v.stock })),
    }))
    setOnlineStockStep(stock)

    return new WorkflowResponse({ plan, productIds: links.productIds })
  }
)
