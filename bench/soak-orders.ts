/**
 * Runs inside a booted Medusa app (`medusa exec ./bench/soak-orders.ts`), started by
 * bench/soak.ts, which owns the database and the TradeGecko sandbox and checks the result.
 *
 * Real Medusa orders: every order is a storefront checkout made of Medusa's own cart
 * workflows (createCart → addShippingMethod → payment collection + session →
 * completeCartWorkflow). completeCartWorkflow emits Medusa's `order.placed`; `medusa
 * exec` loads the project's subscribers on the in-process event bus, so the plugin's
 * own subscriber (src/subscribers/order-placed.ts) pushes each order — nothing
 * here calls the push directly. The plugin's retry job (src/jobs/order-push-retry-schedule.ts,
 * its default export) is woken by this script, since `medusa exec` runs no scheduler; the
 * parent sets TRADEGECKO_JOB_TICK_SECONDS=1, so each wake-up claims its own tick.
 *
 * Phases:
 *  1. faults: SOAK_ORDERS orders while SOAK_FAULT_RATE of all TradeGecko calls fail
 *     (500, 503, 429, a hang past the client timeout with nothing written, an answer after
 *     the client timeout with the order written); the retry job ticks every
 *     SOAK_TICK_SECONDS with the plugin's backoff honoured.
 *  2. outage: TradeGecko down (connections reset) while SOAK_DOWN_ORDERS more orders are
 *     placed, for SOAK_DOWN_SECONDS or as long as placing them takes, whichever is longer;
 *     meanwhile the merchant captures the payment of SOAK_DOWN_CAPTURES orders pushed in
 *     phase 1 and cancels SOAK_DOWN_CANCELS others, through Medusa's own workflows
 *     (capturePaymentWorkflow, cancelOrderWorkflow), whose events the plugin's subscribers
 *     turn into TradeGecko "pay" / "void" — recorded, failed while TradeGecko is down.
 *  3. recovery: TradeGecko up (faults still on); the retry job drains, with every failed
 *     link and status change made due first (what the order health page's "Retry all"
 *     does), until every order is pushed and every pay/void sent. Drain time = from "up"
 *     to the last of them.
 * Prints one line `SOAK_RESULT <json>`; the parent verifies against the sandbox itself.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  cancelOrderWorkflow,
  capturePaymentWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { seedStore } from "../integration-tests/helpers/store"
import { seedCheckout } from "../integration-tests/helpers/checkout"
import { startCatalogSync } from "../src/lib/start-catalog-sync"
import retryTradegeckoOrderPushes from "../src/jobs/order-push-retry-schedule"

const num = (name: string, dflt: number) =>
  process.env[name] === undefined || process.env[name] === "" ? dflt : Number(process.env[name])
const ORDERS = num("SOAK_ORDERS", 1000)
const FAULT_RATE = num("SOAK_FAULT_RATE", 0.2)
const DOWN_SECONDS = num("SOAK_DOWN_SECONDS", 30)
const DOWN_ORDERS = num("SOAK_DOWN_ORDERS", Math.max(10, Math.round(ORDERS / 10)))
const CONCURRENCY = num("SOAK_CONCURRENCY", 8)
const TICK_SECONDS = num("SOAK_TICK_SECONDS", 5)
const DRAIN_TIMEOUT_SECONDS = num("SOAK_DRAIN_TIMEOUT_SECONDS", 600)
const CUSTOMERS = num("SOAK_CUSTOMERS", 200)
const HANG_MS = num("SOAK_HANG_MS", 5000)
const LATE_MS = num("SOAK_LATE_MS", 3000)
const DOWN_CAPTURES = num("SOAK_DOWN_CAPTURES", Math.max(4, Math.round(ORDERS / 20)))
const DOWN_CANCELS = num("SOAK_DOWN_CANCELS", Math.max(4, Math.round(ORDERS / 20)))

const sandboxUrl = () => process.env.TRADEGECKO_BASE_URL!
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const say = (msg: string) => process.stderr.write(`[soak] ${msg}\n`)

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandboxUrl()}/__sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`sandbox control ${method} ${path} → ${res.status} ${await res.text()}`)
  return res.json() as Promise<any>
}

/**
 * FAULT_RATE of every TradeGecko API call (any method, any path) fails, split evenly into
 * 500 / 503 / 429 / "past the timeout". The sandbox applies the first matching rule, so
 * each rule's rate is its share of what the rules before it let through. Seeded: the same
 * request sequence gets the same faults.
 */
function faultRules(rate: number) {
  const shares: Array<[Record<string, unknown>, number]> = [
    [{ mode: "500" }, rate / 4],
    [{ mode: "503" }, rate / 4],
    [{ mode: "429" }, rate / 4],
    // hang past the client timeout: no answer, nothing written
    [{ mode: "hang", hangMs: HANG_MS }, rate / 8],
    // answer after the client timeout: the request IS processed (the order written), the answer is lost
    [{ mode: "delay", delayMs: LATE_MS }, rate / 8],
  ]
  let left = 1
  return shares.map(([rule, share], i) => {
    const r = left > 0 ? Math.min(1, share / left) : 0
    left -= share
    return { ...rule, rate: r, seed: 1000 + i }
  })
}

async function pool<T>(items: T[], size: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        await fn(items[i], i)
      }
    })
  )
}

export default async function soak({ container }: ExecArgs) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const tradegecko: any = container.resolve("tradegecko")

  // ---- the store: USD, a stock location, a region with tax, shipping, system payments
  const store = await seedStore(container)
  const { region } = await seedCheckout(container, store)
  const { data: shippingOptions } = await query.graph({ entity: "shipping_option", fields: ["id"] })
  const shippingOptionId = (shippingOptions[0] as any).id as string

  // ---- the catalog comes from TradeGecko (plugin full sync, no faults yet), with ample stock
  const variants: any[] = []
  for (let page = 1; ; page++) {
    const res = await fetch(`${sandboxUrl()}/variants?limit=250&page=${page}`, {
      headers: { authorization: `Bearer ${process.env.TRADEGECKO_PRIVILEGED_TOKEN || "sandbox-privileged-token"}` },
    })
    const body = (await res.json()) as any
    variants.push(...body.variants)
    if (body.variants.length < 250) break
  }
  for (const v of variants)
    await control("POST", `/variants/${v.id}/stock`, { stock_on_hand: 1_000_000, location_id: 1 })
  const sync = await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
  const links: any[] = await tradegecko.listTradegeckoVariantLinks({}, { take: 10_000 })
  const { data: sellable } = await query.graph({
    entity: "product_variant",
    fields: ["id", "product.status"],
    filters: { id: links.map((l) => l.variant_id) },
  } as never)
  const published = (sellable as any[]).filter((v) => v.product?.status === "published")
  const variantIds = published.map((v) => v.id as string)
  if (!variantIds.length) throw new Error(`catalog sync gave no sellable variant (${JSON.stringify(sync.counts)})`)
  // Medusa reserves stock at every completion; keep the shelves full for 1,000+ orders
  // (the sync writes TradeGecko's available stock, which the pushed orders commit).
  const { data: withItems } = await query.graph({
    entity: "product_variant",
    fields: ["id", "inventory_items.inventory_item_id"],
    filters: { id: variantIds },
  } as never)
  const itemIds = (withItems as any[]).flatMap((v) => (v.inventory_items ?? []).map((i: any) => i.inventory_item_id))
  const inventory: any = container.resolve(Modules.INVENTORY)
  const levels: any[] = await inventory.listInventoryLevels({ inventory_item_id: itemIds }, { take: 10_000 })
  await inventory.updateInventoryLevels(
    levels.map((l) => ({
      id: l.id,
      inventory_item_id: l.inventory_item_id,
      location_id: l.location_id,
      stocked_quantity: 1_000_000,
    }))
  )
  // The checkout guard answers from the synced stock (no TradeGecko call at checkout), so
  // every TradeGecko call in the soak belongs to an order push.
  await tradegecko.saveSettings({ checkoutFreshnessSeconds: 86_400 })
  say(
    `store ready: ${variantIds.length} sellable variants from the TradeGecko catalog, ${levels.length} stock levels filled`
  )

  // ---- a shopper's checkout through Medusa's own cart workflows
  let checkoutRetries = 0
  const placed: string[] = []
  const stepMs: Record<string, number> = {}
  const timed = async <T>(step: string, fn: () => Promise<T>) => {
    const t = Date.now()
    try {
      return await fn()
    } finally {
      stepMs[step] = (stepMs[step] ?? 0) + Date.now() - t
    }
  }
  async function checkout(i: number) {
    const email = `soak-shopper-${i % CUSTOMERS}@soak.test`
    const { result: cart } = await timed("createCart", () =>
      createCartWorkflow(container).run({
        input: {
          region_id: region.id,
          sales_channel_id: store.salesChannelId,
          email,
          items: [
            { variant_id: variantIds[i % variantIds.length], quantity: 1 + (i % 3) },
            ...(i % 4 === 0 ? [{ variant_id: variantIds[(i * 7 + 3) % variantIds.length], quantity: 1 }] : []),
          ],
          shipping_address: {
            first_name: "Soak",
            last_name: `Shopper ${i % CUSTOMERS}`,
            address_1: "1 Main St",
            city: "Springfield",
            country_code: "us",
            postal_code: "94001",
          },
        } as never,
      })
    )
    await timed("addShippingMethod", () =>
      addShippingMethodToCartWorkflow(container).run({
        input: { cart_id: cart.id, options: [{ id: shippingOptionId }] },
      })
    )
    await timed("paymentCollection", () =>
      createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cart.id } })
    )
    const {
      data: [withPc],
    } = await query.graph({ entity: "cart", fields: ["payment_collection.id"], filters: { id: cart.id } })
    await timed("paymentSession", () =>
      createPaymentSessionsWorkflow(container).run({
        input: { payment_collection_id: (withPc as any).payment_collection.id, provider_id: "pp_system_default" },
      })
    )
    // completion is idempotent per cart: a retried completion returns the same order
    for (let attempt = 1; ; attempt++) {
      try {
        const { result } = await timed("completeCart", () =>
          completeCartWorkflow(container).run({ input: { id: cart.id } })
        )
        placed.push(result.id)
        return
      } catch (e) {
        if (attempt >= 3) throw e
        checkoutRetries++
        await sleep(200 * attempt)
      }
    }
  }

  const linkCounts = async () => {
    const all: any[] = await tradegecko.listTradegeckoOrderLinks({}, { take: 100_000, select: ["id", "status"] })
    const by: Record<string, number> = {}
    for (const l of all) by[l.status] = (by[l.status] ?? 0) + 1
    return { total: all.length, by }
  }
  /** Medusa → TradeGecko status changes (pay/void) by state. */
  const changeCounts = async () => {
    const all: any[] = await tradegecko.listTradegeckoOrderStatusChanges(
      { direction: "to_tradegecko" },
      { take: 100_000, select: ["id", "status"] }
    )
    const by: Record<string, number> = {}
    for (const c of all) by[c.status] = (by[c.status] ?? 0) + 1
    return { total: all.length, by }
  }
  /** Every order.placed subscriber has finished: one link per order, none pending/pushing. */
  async function waitForSubscribers(what: string) {
    const deadline = Date.now() + 300_000
    for (;;) {
      const c = await linkCounts()
      if (c.total >= placed.length && !c.by.pending && !c.by.pushing) return c
      if (Date.now() > deadline)
        throw new Error(`${what}: subscribers did not settle: ${JSON.stringify(c)} for ${placed.length} orders`)
      await sleep(250)
    }
  }

  // ---- the retry job on a compressed schedule (real: every minute), backoff honoured
  let ticking = true
  let ticks = 0
  const ticker = (async () => {
    while (ticking) {
      await sleep(TICK_SECONDS * 1000)
      if (!ticking) break
      await retryTradegeckoOrderPushes(container)
      ticks++
    }
  })()

  // ---- phase 1: faults
  // Time is compressed: TradeGecko's window is 300 calls per 300 s; here 300 per 1 s, so an
  // injected 429 (whose X-Rate-Limit-Reset is the end of the window) holds the client's
  // pacer for at most a second instead of up to five minutes.
  await control("POST", "/rate-limit", { limit: 300, windowSeconds: 1 })
  await control("DELETE", "/faults")
  for (const rule of faultRules(FAULT_RATE)) await control("POST", "/faults", rule)
  await control("DELETE", "/requests")
  const statsBefore = tradegecko.getClient().stats()
  const t1 = Date.now()
  let lastReport = Date.now()
  await pool(
    Array.from({ length: ORDERS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      await checkout(i)
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now()
        say(`phase 1: ${placed.length}/${ORDERS} placed, links ${JSON.stringify((await linkCounts()).by)}`)
      }
    }
  )
  const placeMs = Date.now() - t1
  const phase1 = await waitForSubscribers("phase 1")
  const phase1Ms = Date.now() - t1
  say(
    `phase 1 done: ${ORDERS} placed in ${(placeMs / 1000).toFixed(1)} s, subscribers settled at ${(phase1Ms / 1000).toFixed(1)} s: ${JSON.stringify(phase1.by)}`
  )

  // ---- phase 2: TradeGecko down, orders keep coming, the merchant captures and cancels
  await control("POST", "/down", { mode: "reset" })
  const t2 = Date.now()
  const downPlaced0 = placed.length
  const gap = (DOWN_SECONDS * 1000 * 0.8) / Math.max(1, DOWN_ORDERS)
  // orders of phase 1 (all pushed or failed by now), every third captured, the next one canceled
  const captured: string[] = []
  const canceled: string[] = []
  const merchantWork: Array<() => Promise<void>> = []
  for (let i = 0; i < placed.length && captured.length + canceled.length < DOWN_CAPTURES + DOWN_CANCELS; i += 3) {
    const orderId = placed[i]
    if (captured.length < DOWN_CAPTURES && !canceled.includes(orderId)) {
      captured.push(orderId)
      merchantWork.push(async () => {
        const {
          data: [o],
        } = await query.graph({
          entity: "order",
          fields: ["payment_collections.payments.id"],
          filters: { id: orderId },
        })
        await capturePaymentWorkflow(container).run({
          input: { payment_id: (o as any).payment_collections[0].payments[0].id },
        })
      })
    } else if (canceled.length < DOWN_CANCELS && placed[i + 1]) {
      const cancelId = placed[i + 1]
      canceled.push(cancelId)
      merchantWork.push(async () => {
        await cancelOrderWorkflow(container).run({ input: { order_id: cancelId } })
      })
    }
  }
  const merchant = pool(merchantWork, 2, async (work) => {
    await work()
    await sleep((DOWN_SECONDS * 1000 * 0.5) / Math.max(1, merchantWork.length))
  })
  await pool(
    Array.from({ length: DOWN_ORDERS }, (_, i) => ORDERS + i),
    Math.min(CONCURRENCY, 4),
    async (i) => {
      await checkout(i)
      await sleep(gap * Math.min(CONCURRENCY, 4))
    }
  )
  await merchant
  const rest = DOWN_SECONDS * 1000 - (Date.now() - t2)
  if (rest > 0) await sleep(rest)
  const phase2 = await linkCounts()
  const phase2Changes = await changeCounts()
  const downMs = Date.now() - t2
  say(
    `phase 2: down ${(downMs / 1000).toFixed(1)} s, ${placed.length - downPlaced0} orders placed meanwhile: ${JSON.stringify(phase2.by)}`
  )

  // ---- phase 3: TradeGecko back (faults still on): drain
  await control("POST", "/up")
  const t3 = Date.now()
  ticking = false
  await ticker
  await waitForSubscribers("phase 2")
  say(`phase 3: subscribers settled ${((Date.now() - t3) / 1000).toFixed(1)} s after up`)
  let drainTicks = 0
  let drained = false
  for (;;) {
    const c = await linkCounts()
    const sc = await changeCounts()
    if (
      c.total === placed.length &&
      c.by.pushed === placed.length &&
      sc.total === captured.length + canceled.length &&
      (sc.by.sent ?? 0) === sc.total
    ) {
      drained = true
      break
    }
    if (Date.now() - t3 > DRAIN_TIMEOUT_SECONDS * 1000) break
    // "Retry all": failed pushes and status changes are due now instead of after their backoff
    const failed: any[] = await tradegecko.listTradegeckoOrderLinks(
      { status: "failed" },
      { take: 100_000, select: ["id"] }
    )
    if (failed.length)
      await tradegecko.updateTradegeckoOrderLinks(failed.map((l) => ({ id: l.id, next_attempt_at: new Date() })))
    const failedChanges: any[] = await tradegecko.listTradegeckoOrderStatusChanges(
      { status: "failed" },
      { take: 100_000, select: ["id"] }
    )
    if (failedChanges.length)
      await tradegecko.updateTradegeckoOrderStatusChanges(
        failedChanges.map((x) => ({ id: x.id, next_attempt_at: new Date() }))
      )
    await retryTradegeckoOrderPushes(container)
    drainTicks++
    // the job claims one tick per TRADEGECKO_JOB_TICK_SECONDS (1 s here) across instances
    await sleep(800)
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now()
      const open: any[] = await tradegecko.listTradegeckoOrderLinks(
        { status: ["failed", "pending", "pushing"] },
        { take: 3 }
      )
      const due: any[] = await tradegecko.listTradegeckoOrderLinks(
        { status: "failed", next_attempt_at: { $lte: new Date() } } as never,
        { take: 50 }
      )
      say(
        `phase 3: ${((Date.now() - t3) / 1000).toFixed(1)} s after up: ${JSON.stringify(c.by)} changes ${JSON.stringify(sc.by)} due ${due.length} ${open.map((l) => `${l.reference} ${l.status} ×${l.attempts}: ${l.last_error ?? ""}`).join(" | ")}`
      )
    }
    await sleep(200)
  }
  const drainMs = Date.now() - t3
  const final = await linkCounts()
  const finalChanges = await changeCounts()
  say(
    `phase 3: ${drained ? "drained" : "NOT drained"} in ${(drainMs / 1000).toFixed(1)} s (${drainTicks} job runs): ${JSON.stringify(final.by)}`
  )

  const faults = (await control("GET", "/faults")).faults
  await control("DELETE", "/faults")
  const stats = tradegecko.getClient().stats()
  const delta = Object.fromEntries(Object.keys(stats).map((k) => [k, stats[k] - (statsBefore[k] ?? 0)]))
  const allLinks: any[] = await tradegecko.listTradegeckoOrderLinks({}, { take: 100_000 })
  const attempts = allLinks.map((l) => l.attempts as number)

  const result = {
    orders: ORDERS,
    downOrders: placed.length - downPlaced0,
    placed: placed.length,
    placedOrderIds: placed,
    checkoutRetries,
    faultRate: FAULT_RATE,
    hangMs: HANG_MS,
    lateMs: LATE_MS,
    downSeconds: DOWN_SECONDS,
    downMs,
    tickSeconds: TICK_SECONDS,
    concurrency: CONCURRENCY,
    placeMs,
    phase1Ms,
    phase1: phase1.by,
    phase2: phase2.by,
    phase2Changes: phase2Changes.by,
    capturedOrderIds: captured,
    canceledOrderIds: canceled,
    statusChanges: finalChanges.by,
    drained,
    drainMs,
    drainTicks,
    ticks,
    links: final.by,
    linkTotal: final.total,
    attempts: {
      max: Math.max(...attempts),
      total: attempts.reduce((a, b) => a + b, 0),
      moreThanOne: attempts.filter((a) => a > 1).length,
    },
    client: delta,
    checkoutStepMs: stepMs,
    faultRules: faults,
    sync: sync.counts,
  }
  console.log(`SOAK_RESULT ${JSON.stringify(result)}`)
  // a push still in flight must not be cut off by process.exit in `medusa exec`
  await sleep(100)
}
