#!/usr/bin/env node
/**
 * `npm run demo`: one command, no database server needed.
 *  - embedded Postgres with its data under .demo/ (git-ignored, so a second run is fast)
 *  - the TradeGecko sandbox with a seeded catalog
 *  - `medusa db:migrate`, an admin user, then `medusa develop` with the admin at /app
 *  - the store connected to the sandbox from the admin, and a first full import
 *  - what a shopper needs (scripts/lib/shop.js: region in the account's currency, shipping
 *    option, publishable key on the channel, stock location linked to it) and one sample
 *    order placed through the store API, so the order widget and order health have data
 *  - "Ready" only once the admin answers (its page and its first script load)
 * Ctrl-C stops everything. Logs: .demo/medusa.log and .demo/sandbox.log.
 * Both sides keep their state between runs: Postgres in .demo/pg, the sandbox in
 * .demo/tradegecko-sandbox.json (--state-file). `npm run demo -- --reset` deletes both first.
 * The browser suite (integration-tests/browser) boots the same stack (scripts/lib/stack.js).
 */
const fs = require("node:fs")
const path = require("node:path")
const { startStack, SANDBOX_TOKEN } = require("./lib/stack")
const { setupShop, placeStoreOrder } = require("./lib/shop")

const root = path.resolve(__dirname, "..")
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL || "admin@tradegecko.demo"
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || "tradegecko-demo"
const PORT = Number(process.env.PORT || 9000)
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 4010)
const SANDBOX_PRODUCTS = Number(process.env.SANDBOX_PRODUCTS || 50)
const SANDBOX_STATE = path.join(root, ".demo", "tradegecko-sandbox.json")
const RESET = process.argv.slice(2).includes("--reset")
const started = Date.now()
const say = (...a) => console.log("[demo]", ...a)

let stack = null
async function stopAll(code = 0) {
  say("stopping...")
  if (stack) await stack.stop()
  say("stopped")
  process.exit(code)
}
process.on("SIGINT", () => stopAll(0))
process.on("SIGTERM", () => stopAll(0))

async function main() {
  if (RESET) {
    // Medusa's data and TradeGecko's go together: never one without the other
    say("--reset: deleting .demo/pg and the sandbox state file")
    fs.rmSync(path.join(root, ".demo", "pg"), { recursive: true, force: true })
    fs.rmSync(SANDBOX_STATE, { force: true })
  }
  stack = await startStack({
    dir: path.join(root, ".demo"),
    persistent: true,
    port: PORT,
    sandboxPort: SANDBOX_PORT,
    sandboxArgs: ["--products", String(SANDBOX_PRODUCTS), "--state-file", SANDBOX_STATE],
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    say,
  })
  say("setting up what a shopper needs (region, shipping, publishable key)...")
  const shop = await setupShop(stack.admin, { sandboxUrl: stack.sandboxUrl, token: SANDBOX_TOKEN, say })
  let sample = null
  const { count: orders } = await stack.admin.call("GET", "/admin/orders?limit=1&fields=id")
  if (!orders) {
    say("placing a sample order through the store API...")
    const { variants } = await stack.admin.call(
      "GET",
      "/admin/product-variants?limit=50&fields=id,sku,inventory_quantity,manage_inventory,product.status"
    )
    const variant = variants.find(
      (v) => v.sku && v.product?.status === "published" && (!v.manage_inventory || v.inventory_quantity > 0)
    )
    if (variant)
      sample = {
        ...(await placeStoreOrder(stack.base, shop, { variantId: variant.id, email: "first.shopper@example.com" }))
          .order,
        sku: variant.sku,
      }
  }
  say("waiting for the admin to answer...")
  await waitForAdmin(stack.base)

  const run = stack.imported
  const imported = run
    ? `  First import      ${run.status}: ${run.counts?.created || 0} created, ${run.counts?.updated || 0} updated, ${run.counts?.skipped || 0} skipped, ${run.counts?.failed || 0} failed (run ${run.id})`
    : "  Catalog           imported on an earlier run (Admin → TradeGecko → Sync now for more)"
  const secs = ((Date.now() - started) / 1000).toFixed(0)
  console.log(`
  ✔ Ready in ${secs}s

  Medusa admin      ${stack.base}/app
    e-mail          ${ADMIN_EMAIL}
    password        ${ADMIN_PASSWORD}
  TradeGecko page   ${stack.base}/app/tradegecko (connection, Sync now, dry run, runs, webhooks)
  Plugin status     ${stack.base}/admin/tradegecko/status (after login)
  TradeGecko sandbox ${stack.sandboxUrl}  (${SANDBOX_PRODUCTS} products)
    privileged token ${SANDBOX_TOKEN} (the store is connected with it; Disconnect, then
                     "Connect with TradeGecko" shows the sandbox's OAuth consent screen)
    OAuth app        sandbox-client-id / sandbox-client-secret
    try              curl -i -H "Authorization: Bearer ${SANDBOX_TOKEN}" "${stack.sandboxUrl}/products?limit=5"
    move stock       curl -X POST -H "Authorization: Bearer ${SANDBOX_TOKEN}" -H "Content-Type: application/json" ${stack.sandboxUrl}/stock_adjustments \\
                       -d '{"stock_adjustment":{"reason":"stocktake","stock_adjustment_line_items":[{"variant_id":200002,"quantity":5,"price":"4.0"}]}}'
                     (TradeGecko's way: variant.stock_level_update reaches the store's webhook; see sandbox/README.md "Stock")
${imported}
  Shop              region ${shop.currencyCode.toUpperCase()}, shipping "Standard", publishable key ${shop.publishableKey}
${sample ? `  Sample order      #${sample.display_id} (1 × ${sample.sku}) ${stack.base}/app/orders/${sample.id}\n` : ""}  Another order     npm run demo:order [SKU] [quantity]   (store API: cart, address, shipping, payment, complete)
    or with curl    the store API calls, one by one: docs/admin.md ("Placing an order in the demo"),
                    with x-publishable-api-key: ${shop.publishableKey} and region_id ${shop.regionId}
  Order health      ${stack.base}/app/tradegecko/order-health
  Postgres          ${stack.pg.url}/${stack.dbName} (data in .demo/pg)
  Logs              .demo/medusa.log, .demo/sandbox.log
  State             kept in .demo/ (Postgres + .demo/tradegecko-sandbox.json); npm run demo -- --reset starts both fresh

  Press Ctrl-C to stop everything.
`)
  // A crashed child stops the demo.
  setInterval(() => {
    if (stack.exited.length) {
      console.error("[demo]", stack.exited.join("; "))
      stopAll(1)
    }
  }, 1000)
}

/** The admin answers: its page, then the first script it loads (vite compiles it on demand). */
async function waitForAdmin(base, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs
  let last = "no answer"
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/app`)
      const html = await res.text()
      const src =
        /<script[^>]+type="module"[^>]+src="([^"]+)"/.exec(html)?.[1] ?? /<script[^>]+src="([^"]+)"/.exec(html)?.[1]
      if (res.ok && src) {
        const script = await fetch(new URL(src, `${base}/app/`))
        if (script.ok) return
        last = `script ${src} answered ${script.status}`
      } else last = `/app answered ${res.status}${src ? "" : " without a script"}`
    } catch (e) {
      last = e.message
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(`the admin did not answer at ${base}/app within ${timeoutMs / 1000}s (${last})`)
}

main().catch(async (err) => {
  console.error("[demo]", err.message)
  await stopAll(1)
})
