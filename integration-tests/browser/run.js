#!/usr/bin/env node
/**
 * Browser suite (`npm run test:browser`): the plugin's admin screens in a real Medusa
 * admin, driven by Playwright (playwright-core) in Debian's Chromium. It boots the demo
 * stack (scripts/lib/stack.js: embedded Postgres, the TradeGecko sandbox with a known
 * seed, medusa develop, a first import) and walks through:
 *   1. product widget: linked, stock; stock changed in the sandbox; Force sync; new stock
 *   2. settings page: connection and account; dry run table; Sync now, progress to 100 %
 *   3. order health: a push failing (sandbox fault), its reason; fix; Retry; pushed
 *   4. OAuth: disconnect, connect through the sandbox's consent screen, connected again
 * Each screen is saved to docs/screenshots/ (copied after Medusa stops: `medusa develop`
 * restarts on file changes outside dot-folders). Every wait is on visible text tied to
 * sandbox or database state; a broken widget, button or page fails the run (exit 1).
 *
 * Env: CHROMIUM (default: `command -v chromium`), BROWSER_TEST_PORT (9100),
 * BROWSER_TEST_SANDBOX_PORT (4110), HEADED=1 to watch.
 */
const { execSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { startStack } = require("../../scripts/lib/stack")

const root = path.resolve(__dirname, "../..")
const workDir = path.join(root, ".demo", "browser-test")
const shotsDir = path.join(workDir, "screenshots")
const docsShots = path.join(root, "docs", "screenshots")
const PORT = Number(process.env.BROWSER_TEST_PORT || 9100)
const SANDBOX_PORT = Number(process.env.BROWSER_TEST_SANDBOX_PORT || 4110)
const EMAIL = "admin@tradegecko.test"
const PASSWORD = "tradegecko-browser"
// The admin compiles with vite on first load: generous waits, never timed assertions.
const LONG = 240_000
const WAIT = 60_000

const say = (...a) => console.log("[browser]", ...a)

function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM
  try {
    return execSync("command -v chromium", { shell: "/bin/bash", encoding: "utf8" }).trim()
  } catch {
    throw new Error("Chromium not found: apt-get install -y chromium (this suite never downloads a browser)")
  }
}

/** Polls a locator's text until `match` accepts it; the error names what was seen last. */
async function waitText(locator, match, what, timeout = WAIT) {
  const deadline = Date.now() + timeout
  let last = null
  while (Date.now() < deadline) {
    last = await locator.first().innerText({ timeout: 2000 }).catch(() => null)
    if (last !== null && (typeof match === "string" ? last.includes(match) : match.test(last))) return last
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${what}: expected ${match}, saw ${JSON.stringify(last)}`)
}

async function main() {
  fs.rmSync(workDir, { recursive: true, force: true })
  fs.mkdirSync(shotsDir, { recursive: true })
  const executablePath = chromiumPath()
  say(`chromium: ${executablePath}`)

  const stack = await startStack({
    dir: workDir,
    persistent: false,
    snapshot: true,
    port: PORT,
    sandboxPort: SANDBOX_PORT,
    sandboxArgs: ["--products", "10", "--variants-per-product", "2", "--seed", "1", "--quiet"],
    adminEmail: EMAIL,
    adminPassword: PASSWORD,
    say,
  })
  const { base, sandboxUrl, admin } = stack
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => stack.stop().then(() => process.exit(1)))
  say(`stack up: ${base}/app, sandbox ${sandboxUrl}, first import ${stack.imported?.status}`)
  const sandbox = async (method, p, body) => {
    const res = await fetch(`${sandboxUrl}/__sandbox${p}`, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined })
    if (!res.ok) throw new Error(`sandbox ${method} ${p} → ${res.status} ${await res.text()}`)
    return res.json().catch(() => null)
  }

  const { chromium } = require("playwright-core")
  const browser = await chromium.launch({ executablePath, headless: !process.env.HEADED, args: ["--no-sandbox"] })
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  const shot = async (name, locator) => {
    const file = path.join(shotsDir, `${name}.png`)
    if (locator) await locator.screenshot({ path: file })
    else await page.screenshot({ path: file, fullPage: true })
    say(`screenshot ${name}.png`)
  }
  /** Medusa's error boundary replaces the page with this text when a screen throws while rendering. */
  const assertNoErrorBoundary = async (what) => {
    const text = await page.locator("body").innerText({ timeout: 5000 }).catch(() => "")
    const m = /An unexpected error occurred[^\n]*(\n[^\n]*){0,3}/.exec(text)
    if (m) throw new Error(`${what}: the page crashed: ${m[0].replace(/\s+/g, " ")}`)
  }
  let failed = null
  try {
    // ---------------------------------------------------------------- login
    say("log in")
    await page.goto(`${base}/app/login`, { timeout: LONG })
    await page.locator('input[name="email"]').waitFor({ timeout: LONG })
    await page.locator('input[name="email"]').fill(EMAIL)
    await page.locator('input[name="password"]').fill(PASSWORD)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL((u) => !u.pathname.includes("/login"), { timeout: LONG })

    // ---------------------------------------------------------------- product widget + Force sync
    const { products } = await admin.call("GET", "/admin/products?limit=100&fields=id,handle,title")
    const product = products.find((p) => p.handle.endsWith("-tg100001"))
    if (!product) throw new Error("the first import did not create TradeGecko product 100001")
    say(`product widget on ${product.title}`)
    await page.goto(`${base}/app/products/${product.id}`, { timeout: LONG })
    const widget = page.getByTestId("tradegecko-product-widget")
    await widget.waitFor({ timeout: LONG })
    await waitText(widget, "Linked", "product widget badge")
    await waitText(page.getByTestId("tradegecko-product-id"), "100001", "TradeGecko product id")
    const stockCell = page.locator('[data-testid="tradegecko-variant-200001"] [data-testid="tradegecko-stock"]')
    await waitText(stockCell, /^45$/, "stock of variant 200001 after the import")
    await widget.scrollIntoViewIfNeeded()
    await shot("product-widget", widget)

    say("stock changed in TradeGecko (sandbox: 39 → 12 at the primary location), then Force sync")
    await sandbox("POST", "/variants/200001/stock", { stock_on_hand: 12 })
    await widget.getByRole("button", { name: "Force sync" }).click()
    await waitText(page.locator("[data-sonner-toast]"), /Force sync: updated[\s\S]*200001: 45 → 18/, "Force sync toast")
    await waitText(stockCell, /^18$/, "stock of variant 200001 after Force sync")
    await shot("product-widget-force-sync")

    // ---------------------------------------------------------------- settings: dry run, Sync now
    say("settings page: connection, dry run, Sync now")
    await sandbox("POST", "/variants/200002/stock", { stock_on_hand: 3 })
    await page.goto(`${base}/app/tradegecko`, { timeout: LONG })
    await waitText(page.getByTestId("tradegecko-connection-status"), "Connected", "connection status", LONG)
    await waitText(page.getByTestId("tradegecko-account-name"), "Sandbox Trading Co.", "account name")
    await page.getByRole("button", { name: "Dry run" }).click()
    const dry = page.getByTestId("tradegecko-dry-run")
    await waitText(dry, /1 to update[\s\S]*Nothing was written/, "dry run summary")
    await waitText(dry, "stock of TradeGecko variant 200002: 40 → 18", "dry run stock change (3 at the primary location + 15 at the second)")
    await shot("settings-dry-run")

    await page.getByRole("button", { name: "Sync now" }).click()
    const progress = page.getByTestId("tradegecko-sync-progress")
    await waitText(progress.getByTestId("progress-text"), "100 %", "sync progress bar", LONG)
    await waitText(page.getByTestId("tradegecko-sync-result"), /^succeeded: .*1 updated/, "sync result")
    if ((await progress.getByRole("progressbar").getAttribute("aria-valuenow")) !== "100") throw new Error("progress bar is not at 100")
    await shot("settings-sync")

    say("the Sync now run's records: opening a run with records must not crash the page")
    await page.getByTestId("tradegecko-sync-runs").locator("tbody tr").first().click()
    const records = page.getByTestId("tradegecko-sync-run-items")
    await records.waitFor({ timeout: WAIT })
    await assertNoErrorBoundary("sync run records")
    await waitText(records, /200002/, "the record of the product whose stock changed")

    // ---------------------------------------------------------------- order health: fail, fix, retry
    say("order push failing: TradeGecko answers 500 to every order create")
    await sandbox("POST", "/faults", { mode: "500", path: "^/orders$", methods: ["POST"] })
    const order = await placeDraftOrder(admin, product)
    await page.goto(`${base}/app/tradegecko/order-health`, { timeout: LONG })
    const row = page.getByTestId(`tradegecko-order-row-${order.id}`)
    await row.waitFor({ timeout: LONG })
    await waitText(row, /failed[\s\S]*TradeGecko/, "failed push with its reason", WAIT)
    await shot("order-health-failed")

    await page.goto(`${base}/app/orders/${order.id}`, { timeout: LONG })
    const orderWidget = page.getByTestId("tradegecko-order-widget")
    await orderWidget.waitFor({ timeout: LONG })
    await waitText(orderWidget.getByTestId("tradegecko-push-status"), "failed", "order widget push state")
    await waitText(orderWidget.getByTestId("tradegecko-push-error"), "TradeGecko", "order widget reason")
    await shot("order-widget-failed", orderWidget)

    say("cause fixed (faults cleared); Retry on the order health page")
    await sandbox("DELETE", "/faults")
    await page.goto(`${base}/app/tradegecko/order-health`, { timeout: LONG })
    await row.waitFor({ timeout: LONG })
    await row.getByRole("button", { name: "Retry" }).click()
    await waitText(page.locator("[data-sonner-toast]"), `Order #${order.display_id} pushed`, "retry toast")
    await page.getByTestId("tradegecko-order-health-empty").waitFor({ timeout: WAIT })
    await page.goto(`${base}/app/orders/${order.id}`, { timeout: LONG })
    await waitText(orderWidget.getByTestId("tradegecko-push-status"), "pushed", "order widget after retry", LONG)
    await waitText(orderWidget.getByTestId("tradegecko-order-number"), /\S/, "TradeGecko order number")
    const tgOrders = await (await fetch(`${sandboxUrl}/orders?reference_number=${encodeURIComponent(`#${order.display_id}`)}`, { headers: { authorization: "Bearer sandbox-privileged-token" } })).json()
    if (tgOrders.orders.length !== 1) throw new Error(`expected one TradeGecko order for #${order.display_id}, found ${tgOrders.orders.length}`)
    await shot("order-widget-pushed", orderWidget)

    // ---------------------------------------------------------------- OAuth connect
    say("OAuth: disconnect, then connect through the sandbox's consent screen")
    await page.goto(`${base}/app/tradegecko`, { timeout: LONG })
    await waitText(page.getByTestId("tradegecko-connection-status"), "Connected", "connection before disconnect", LONG)
    await page.getByRole("button", { name: "Disconnect" }).click()
    await waitText(page.getByTestId("tradegecko-connection-status"), "Not connected", "connection after disconnect")
    await page.getByRole("button", { name: "Connect with TradeGecko" }).click()
    await page.waitForURL((u) => u.pathname === "/oauth/authorize", { timeout: WAIT })
    await waitText(page.locator("body"), "Authorize Sandbox application", "sandbox consent screen")
    await shot("oauth-consent")
    await page.getByRole("button", { name: /authori[sz]e/i }).click()
    await page.waitForURL((u) => u.pathname === "/app/tradegecko", { timeout: WAIT })
    await waitText(page.getByTestId("tradegecko-connection-status"), /^Connected$/, "connection after OAuth", LONG)
    await waitText(page.getByTestId("tradegecko-connection"), /OAuth \(connected here/, "credential kind after OAuth")
    await shot("settings-connected-oauth")
    const { settings } = await admin.call("GET", "/admin/tradegecko/settings")
    if (settings.connection.credential_type !== "oauth") throw new Error(`expected an OAuth connection, got ${JSON.stringify(settings.connection)}`)
  } catch (e) {
    failed = e
    await page.screenshot({ path: path.join(workDir, "failure.png"), fullPage: true }).catch(() => {})
  } finally {
    await browser.close().catch(() => {})
    await stack.stop()
  }

  if (failed) {
    console.error(`[browser] FAILED: ${failed.message}`)
    console.error(`[browser] page at failure: ${path.relative(root, path.join(workDir, "failure.png"))}; logs: ${path.relative(root, workDir)}/medusa.log`)
    process.exit(1)
  }
  fs.mkdirSync(docsShots, { recursive: true })
  for (const f of fs.readdirSync(shotsDir)) fs.copyFileSync(path.join(shotsDir, f), path.join(docsShots, f))
  say(`passed; screenshots in docs/screenshots/`)
  process.exit(0)
}

/** An order placed from the admin (draft order → order, which emits order.placed like a checkout). */
async function placeDraftOrder(admin, product) {
  const { regions } = await admin.call("GET", "/admin/regions?limit=1")
  const region = regions[0] ?? (await admin.call("POST", "/admin/regions", { name: "US", currency_code: "usd", countries: ["us"] })).region
  const { products } = await admin.call("GET", `/admin/products?id=${product.id}&fields=id,variants.id,variants.sku`)
  const variant = products[0].variants.find((v) => v.sku === "SBX-0001-M") ?? products[0].variants[1] ?? products[0].variants[0]
  const address = { first_name: "Sam", last_name: "Shopper", address_1: "1 Main St", city: "Springfield", country_code: "us", postal_code: "94001" }
  const { draft_order } = await admin.call("POST", "/admin/draft-orders", {
    email: "browser@example.com",
    region_id: region.id,
    items: [{ variant_id: variant.id, quantity: 1 }],
    shipping_address: address,
    billing_address: address,
  })
  const { order } = await admin.call("POST", `/admin/draft-orders/${draft_order.id}/convert-to-order`, {})
  return order
}

main().catch((e) => {
  console.error("[browser]", e.stack || e.message)
  process.exit(1)
})
