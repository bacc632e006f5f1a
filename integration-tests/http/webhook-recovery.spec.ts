import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * A store with the catalog schedule off (webhooks and Force sync only): its TradeGecko
 * subscriptions are still made after connecting, and re-made when deleted in TradeGecko,
 * by the webhook check (every 2 s here, every 15 min by default). Jobs wake every second.
 */
const tg = useSandbox({ seed: { products: 2, variantsPerProduct: 1, seed: 1 } })
useAppEnv({
  TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test",
  TRADEGECKO_SYNC_SCHEDULE: "off",
  TRADEGECKO_WEBHOOK_CHECK_SCHEDULE: "*/2 * * * * *",
  TRADEGECKO_JOB_TICK_SECONDS: "1",
})

async function subscriptions() {
  const { body } = await tg.api("GET", "/webhooks")
  return body.webhooks as Array<{ id: number; event: string; address: string }>
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: () => {
    it("with productSyncSchedule off, the periodic check registers every subscription and repairs one deleted in TradeGecko", async () => {
      await waitFor(async () => (await subscriptions()).length === 9, 30_000, "9 TradeGecko subscriptions")
      const hooks = await subscriptions()
      expect(new Set(hooks.map((w) => w.address))).toEqual(new Set(["http://shop.example.test/hooks/tradegecko"]))

      const gone = hooks.filter((w) => w.event === "variant.stock_level_update" || w.event === "fulfillment.fulfilled")
      for (const w of gone) expect((await tg.api("DELETE", `/webhooks/${w.id}`)).status).toBe(204)
      expect(await subscriptions()).toHaveLength(7)

      await waitFor(async () => (await subscriptions()).length === 9, 30_000, "the deleted subscriptions re-created")
      const repaired = await subscriptions()
      expect(repaired.map((w) => w.event).sort()).toEqual(hooks.map((w) => w.event).sort())
      // really new subscriptions, not a replay of the deleted ones
      for (const w of gone) expect(repaired.find((r) => r.event === w.event)!.id).not.toBe(w.id)
    })
  },
})
