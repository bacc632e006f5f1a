import type { MedusaContainer } from "@medusajs/framework/types"

/** Polls until `check` is true (background work: subscribers, webhooks), or fails. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000, what = "condition") {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`)
}

/** The Medusa variant the catalog sync made of a TradeGecko variant. */
export async function medusaVariantId(container: MedusaContainer, tgVariantId: number): Promise<string> {
  const [link] = await (container.resolve("tradegecko") as any).listTradegeckoVariantLinks({
    tradegecko_variant_id: tgVariantId,
  })
  return link.variant_id
}
