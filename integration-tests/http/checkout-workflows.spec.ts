import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import path from "node:path"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { refreshVariantStockStep } from "../../src/workflows/checkout/steps/read-and-write-variant-stock"
import { handleCheckoutUnreachableStep } from "../../src/workflows/checkout/steps/handle-checkout-unreachable"
import { markCartStockAdjustedStep } from "../../src/workflows/checkout/steps/mark-cart-stock-adjusted"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"
import { medusaVariantId } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * The checkout guard's steps that write undo their write when a later step of the same
 * workflow fails (asserted in Postgres). Each test reads the written state between the
 * step and the failure, so an undo that does nothing cannot pass.
 */
const tg = useSandbox({ seed: { products: 2, variantsPerProduct: 1, seed: 1 } })

/** What the step between the write and the failure read. */
let seen: any = null
const readStep = createStep("test-checkout-read-between", async (read: { what: string; id: string }, { container }) => {
  seen = await readState(container, read)
  return new StepResponse(null)
})
const failingStep = createStep("test-checkout-later-step-fails", async () => {
  throw new Error("a later step failed")
})

async function readState(container: any, read: { what: string; id: string }) {
  if (read.what === "stock") {
    const tradegecko = container.resolve("tradegecko")
    const [link] = await tradegecko.listTradegeckoVariantLinks({ variant_id: read.id })
    const levels = await container
      .resolve(Modules.INVENTORY)
      .listInventoryLevels({ inventory_item_id: link.inventory_item_id })
    return {
      stocked: levels.map((l: any) => Number(l.stocked_quantity)).sort(),
      syncedAt: link.stock_synced_at?.toISOString() ?? null,
    }
  }
  if (read.what === "runs")
    return container.resolve("tradegecko").listTradegeckoSyncRuns({ kind: "stock", trigger: "checkout" })
  const [cart] = await container.resolve(Modules.CART).listCarts({ id: read.id })
  return cart.metadata
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ getContainer }) => {
    describe("checkout: compensation", () => {
      it("stock a refresh wrote, and its read time, are put back when a later step fails", async () => {
        const container = getContainer()
        await seedStore(container)
        await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        const variantId = await medusaVariantId(container, 200001)
        const before = await readState(container, { what: "stock", id: variantId })
        const { body } = await tg.api("GET", "/variants/200001")
        await tg.control("POST", "/variants/200001/stock", {
          stock_on_hand: Number(body.variant.stock_on_hand) - 5,
          location_id: 1,
        })

        const wf = createWorkflow("test-refresh-stock-then-fail", (input: { id: string }) => {
          refreshVariantStockStep({ variantIds: [input.id], maxAgeSeconds: 0 } as any)
          readStep({ what: "stock", id: input.id } as any)
          failingStep()
          return new WorkflowResponse(input)
        })
        const { errors } = await wf(container).run({ input: { id: variantId }, throwOnError: false })
        expect(errors.map((e: any) => e.error?.message)).toEqual(["a later step failed"])
        expect(seen.stocked).not.toEqual(before.stocked)
        expect(seen.syncedAt).not.toEqual(before.syncedAt)
        expect(await readState(container, { what: "stock", id: variantId })).toEqual(before)
      })

      it("the failed run recorded for an unreachable TradeGecko is deleted when a later step fails", async () => {
        const container = getContainer()
        const wf = createWorkflow("test-unreachable-then-fail", (input: { cart_id: string }) => {
          handleCheckoutUnreachableStep({ cart_id: input.cart_id, reason: "TradeGecko down" } as any)
          readStep({ what: "runs", id: input.cart_id } as any)
          failingStep()
          return new WorkflowResponse(input)
        })
        const { errors } = await wf(container).run({ input: { cart_id: "cart_unreachable_1" }, throwOnError: false })
        expect(errors).toHaveLength(1)
        expect(seen).toEqual([expect.objectContaining({ status: "failed", scope: { cart_id: "cart_unreachable_1" } })])
        expect(await readState(container, { what: "runs", id: "" })).toEqual([])
      })

      it("the note the guard put on a cart it changed is removed when a later step fails", async () => {
        const container = getContainer()
        const [cart] = await container
          .resolve(Modules.CART)
          .createCarts([{ currency_code: "usd", metadata: { note: "kept" } }])
        const shortage = {
          line_item_id: "li_1",
          variant_id: "var_1",
          name: "Tee / S",
          wanted: 3,
          available: 0,
          action: "removed",
        }
        const wf = createWorkflow("test-mark-adjusted-then-fail", (input: { cart_id: string }) => {
          markCartStockAdjustedStep({
            cart_id: input.cart_id,
            shortages: [shortage],
            previous_total: 30,
            currency_code: "usd",
          } as any)
          readStep({ what: "cart", id: input.cart_id } as any)
          failingStep()
          return new WorkflowResponse(input)
        })
        const { errors } = await wf(container).run({ input: { cart_id: cart.id }, throwOnError: false })
        expect(errors).toHaveLength(1)
        expect(seen).toEqual({
          note: "kept",
          tradegecko_stock_adjusted: expect.objectContaining({ previous_total: 30 }),
        })
        expect(await readState(container, { what: "cart", id: cart.id })).toEqual({ note: "kept" })
      })
    })
  },
})
