import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

type Addition = { product_id: string; product_option_id: string; add: string[] }

/**
 * Adds the option values new TradeGecko variants need to an existing Medusa product
 * (e.g. size "XL" appears): creates the value on the option if missing and allows it
 * for this product. Compensation removes them from the product again.
 */
export const addProductOptionValuesStep = createStep(
  "add-product-option-values",
  async (additions: Addition[], { container }) => {
    if (!additions.length) return new StepResponse([], [])
    const product = container.resolve(Modules.PRODUCT)
    await product.updateProductOptionValuesOnProduct(
      additions.map((a) => ({
        product_id: a.product_id,
        product_option_id: a.product_option_id,
        add: a.add.map((value) => ({ value })),
      })) as never
    )
    const options = await product.listProductOptions(
      { id: additions.map((a) => a.product_option_id) },
      { relations: ["values"] }
    )
    const undo = additions.map((a) => {
      const option = options.find((o) => o.id === a.product_option_id)
      const remove = (option?.values ?? []).filter((v) => a.add.includes(v.value)).map((v) => v.id)
      return { product_id: a.product_id, product_option_id: a.product_option_id, remove }
    })
    return new StepResponse(additions, undo)
  },
  async (undo, { container }) => {
    if (!undo?.length) return
    await container.resolve(Modules.PRODUCT).updateProductOptionValuesOnProduct(undo as never)
  }
)
