import { batchProductsWorkflow, emitEventStep } from "@medusajs/medusa/core-flows"
import { ProductWorkflowEvents } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PlanInput } from "../../mappings/plan-catalog-changes"
import { addProductOptionValuesStep } from "./steps/add-product-option-values"
import { createCatalogProductsStep } from "./steps/create-catalog-products"
import { planCatalogBatchStep } from "./steps/plan-catalog"
import { saveCatalogLinksStep } from "./steps/save-catalog-links"
import { setOnlineStockStep } from "./steps/set-online-stock"
import { setVariantPricesStep } from "./steps/set-variant-prices"

export const upsertTradegeckoProductsWorkflowId = "upsert-tradegecko-products"

/**
 * Creates or updates one batch of TradeGecko products in Medusa (never deletes):
 * load links and plan (pure) → new products in bulk (one call per module) → for existing
 * products: new option values and the plugin's own prices of existing variants, then
 * updates through Medusa's batchProductsWorkflow → save links → set stock.
 * Any failure compensates every step, so a batch is all-or-nothing.
 */
export const upsertTradegeckoProductsWorkflow = createWorkflow(
  upsertTradegeckoProductsWorkflowId,
  (input: PlanInput) => {
    const plan = planCatalogBatchStep(input)

    const created = createCatalogProductsStep(transform({ plan }, ({ plan }) => ({ create: plan.create })))
    emitEventStep({
      eventName: ProductWorkflowEvents.CREATED,
      data: transform({ created }, ({ created }) => Object.values(created.productIds).map((id) => ({ id }))),
    })
    // Existing products only: none on a first import, where one check costs one copy of the plan instead of three
    when({ plan }, ({ plan }) => plan.optionValues.length + plan.prices.length > 0).then(() => {
      addProductOptionValuesStep(transform({ plan }, ({ plan }) => plan.optionValues))
      setVariantPricesStep(transform({ plan }, ({ plan }) => ({ variants: plan.prices })))
    })
    // (after the option values its variants may use)
    when({ plan }, ({ plan }) => plan.update.length > 0).then(() => {
      batchProductsWorkflow.runAsStep({ input: transform({ plan }, ({ plan }) => ({ update: plan.update })) })
    })

    const links = saveCatalogLinksStep({ plan, created })
    const stock = transform({ links }, ({ links }) => ({
      items: links.variants.map((v) => ({
        inventory_item_id: v.inventory_item_id,
        stock: v.stock,
        created: v.created,
      })),
    }))
    setOnlineStockStep(stock)

    return new WorkflowResponse({ plan, productIds: links.productIds })
  }
)
