#!/usr/bin/env node
/**
 * Browser suite (`npm run test:browser`): every screen of the plugin a store owner can open,
 * in a real Medusa admin, driven by Playwright (playwright-core) in Debian's Chromium. It boots
 * the demo stack (scripts/lib/stack.js: embedded Postgres, the TradeGecko sandbox with a known
 * seed, medusa develop, a first import) and walks through:
 *   1. product widget in each state: linked + Force sync (title, price and stock changed in
 *      TradeGecko; the toast says what changed), not linked, Force sync failing, archived
 *   2. settings page: connection, options in words, the settings form (a bad value refused
 *      naming the field, a good one saved, "Use the option"), dry run, Sync now, Full sync
 *   3. every sync-run detail: catalog, dry run, one product, order status; records filtered
 *   4. order health and the order widget: a push failing, its reason, Retry, pushed; the
 *      widget of an order placed while order sync is off; a storefront checkout (store API,
 *      scripts/lib/shop.js as the demo uses it) while TradeGecko is down, and its stock run
 *   5. webhooks: registered again from the page; OAuth: disconnect, consent screen, connected
 * Every page and widget is checked for Medusa's error boundary ("An unexpected error
 * occurred"), console errors and failed admin requests; only the failures a step provokes on
 * purpose are allowed, by pattern. Each screen is saved to docs/screenshots/ (copied after
 * Medusa stops: `medusa develop` restarts on file changes outside dot-folders). Every wait is
 * on visible text tied to sandbox or database state; anything broken fails the run (exit 1).
 *
 * The suite decides when TradeGecko's changes reach Medusa: the scheduled catalog pull is off
 * (its first tick would run a catalog sync and register webhooks in the middle of the walk),
 * and any webhook subscription is removed first (the page registers them in step 5); either
 * would apply a TradeGecko change before the dry run or Force sync could show it. The order
 * status check runs every minute, so an order-status run exists to open.
 *
 * Env: CHROMIUM (default: `command -v chromium`), BROWSER_TEST_PORT (9100),
 * BROWSER_TEST_SANDBOX_PORT (4110), HEADED=1 to watch.
 */
const { execSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { startStack, SANDBOX_TOKEN } = require("../../scripts/lib/stack")
const { setupShop, placeStoreOrder } = require("../../scripts/lib/shop")

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
    last = await locator
      .first()
      .innerText({ timeout: 2000 })
      .catch(() => null)
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
  // No scheduled catalog pull in the middle of the walk; an order-status run every minute.
  process.env.TRADEGECKO_SYNC_SCHEDULE = "off"
  // No webhook check either: it would register the subscriptions at its first wake-up, and a stock
  // webhook would then apply the sandbox change before the page's dry run and Sync now show it.
  process.env.TRADEGECKO_WEBHOOK_CHECK_SCHEDULE = "off"
  process.env.TRADEGECKO_ORDER_RECONCILE_SCHEDULE = "* * * * *"
  process.env.TRADEGECKO_JOB_TICK_SECONDS = "15"

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
    const res = await fetch(`${sandboxUrl}/__sandbox${p}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`sandbox ${method} ${p} → ${res.status} ${await res.text()}`)
    return res.json().catch(() => null)
  }
  const tradegeckoApi = async (method, p) => {
    const res = await fetch(`${sandboxUrl}${p}`, { method, headers: { authorization: `Bearer ${SANDBOX_TOKEN}` } })
    if (!res.ok) throw new Error(`TradeGecko ${method} ${p} → ${res.status}`)
    return res.status === 204 ? null : res.json().catch(() => null)
  }

  const { chromium } = require("playwright-core")
  const browser = await chromium.launch({ executablePath, headless: !process.env.HEADED, args: ["--no-sandbox"] })
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  // Every toast's text, kept after it fades (a toast shows for a few seconds; a busy page may
  // outlast that between two polls).
  await page.addInitScript(() => {
    window.__toasts = []
    new MutationObserver(() => {
      for (const t of document.querySelectorAll("[data-sonner-toast]")) {
        const text = t.innerText
        if (text && !window.__toasts.includes(text)) window.__toasts.push(text)
      }
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
  /** Waits for a toast (shown now or since the page loaded) whose text matches. */
  const waitToast = async (match, what, timeout = WAIT) => {
    const deadline = Date.now() + timeout
    let seen = []
    while (Date.now() < deadline) {
      seen = await page.evaluate(() => window.__toasts).catch(() => seen)
      if (seen.some((t) => (typeof match === "string" ? t.includes(match) : match.test(t)))) return
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`${what}: expected a toast ${match}, saw ${JSON.stringify(seen)}`)
  }
  const shot = async (name, locator) => {
    const file = path.join(shotsDir, `${name}.png`)
    if (locator) await locator.screenshot({ path: file })
    else await page.screenshot({ path: file, fullPage: true })
    say(`screenshot ${name}.png`)
  }

  // ---------------------------------------------------------------- what counts as broken
  // Console errors, uncaught page errors, admin requests answered >= 400 or failing, and the
  // error boundary. A step that provokes a failure allows exactly it, by pattern.
  const problems = []
  const dashboardWarnings = new Set()
  let allowed = []
  const isAllowed = (text) => allowed.some((re) => re.test(text))
  page.on("console", (m) => {
    const where = m.location()?.url
    const text = `${m.text()}${where ? ` (${where})` : ""}`
    if (m.type() !== "error" || isAllowed(text)) return
    // The sandbox's own consent page (its favicon answers 401) is not the store's admin.
    if (where && where.startsWith(sandboxUrl)) return
    // React's development warnings raised inside Medusa's own dashboard components (their
    // component stack has none of the plugin's files, served from src/admin/) are Medusa's:
    // listed at the end, not failures. The plugin's own warnings fail the run.
    if (/^Warning: /.test(m.text()) && !/\/src\/admin\//.test(m.text())) {
      dashboardWarnings.add(m.text().split("\n")[0])
      return
    }
    problems.push(`console error: ${text}`)
  })
  page.on("pageerror", (e) => problems.push(`uncaught error in the page: ${e.message}`))
  page.on("response", (r) => {
    const u = new URL(r.url())
    const line = `${r.request().method()} ${u.pathname} → ${r.status()}`
    if (u.pathname.startsWith("/admin/") && r.status() >= 400 && !isAllowed(line))
      problems.push(`admin request failed: ${line}`)
  })
  page.on("requestfailed", (r) => {
    const u = new URL(r.url())
    const reason = r.failure()?.errorText ?? "failed"
    // a navigation cancels the previous page's requests (ERR_ABORTED): not a failure
    if (u.pathname.startsWith("/admin/") && !/ERR_ABORTED/.test(reason))
      problems.push(`admin request failed: ${r.method()} ${u.pathname} (${reason})`)
  })
  /** Fails on Medusa's error boundary or anything recorded since the last check. */
  const check = async (what) => {
    const text = await page
      .locator("body")
      .innerText({ timeout: 5000 })
      .catch(() => "")
    const m = /An unexpected error occurred[^\n]*(\n[^\n]*){0,6}/.exec(text)
    if (m) throw new Error(`${what}: the page crashed: ${m[0].replace(/\s+/g, " ")}`)
    if (problems.length) throw new Error(`${what}: ${problems.join("; ")}`)
  }
  /** Runs `fn` allowing the failures it provokes on purpose (request line or console text patterns). */
  const allowing = async (patterns, fn) => {
    allowed = patterns
    try {
      await fn()
    } finally {
      allowed = []
    }
  }
  const visit = async (p, what) => {
    await page.goto(`${base}/app${p}`, { timeout: LONG })
    await check(what)
  }
  const dismissToasts = async () => {
    await page.keyboard.press("Escape").catch(() => {})
    await page.waitForTimeout(300)
  }

  let failed = null
  try {
    // The suite decides when TradeGecko's changes arrive (see the header).
    const { webhooks } = await tradegeckoApi("GET", "/webhooks?limit=250")
    for (const w of webhooks) await tradegeckoApi("DELETE", `/webhooks/${w.id}`)
    say(`removed ${webhooks.length} webhook subscriptions in the sandbox`)

    // ---------------------------------------------------------------- login
    say("log in")
    await allowing([/\/admin\/users\/me → 401/, /status of 401/], async () => {
      await page.goto(`${base}/app/login`, { timeout: LONG })
      await page.locator('input[name="email"]').waitFor({ timeout: LONG })
      await page.locator('input[name="email"]').fill(EMAIL)
      await page.locator('input[name="password"]').fill(PASSWORD)
      await page.locator('button[type="submit"]').click()
      await page.waitForURL((u) => !u.pathname.includes("/login"), { timeout: LONG })
    })
    problems.length = 0 // what the login page asked before the session existed

    // ---------------------------------------------------------------- product widget: linked + Force sync
    const { products } = await admin.call("GET", "/admin/products?limit=100&fields=id,handle,title")
    const productOf = (tgId) => {
      const p = products.find((x) => x.handle.endsWith(`-tg${tgId}`))
      if (!p) throw new Error(`the first import did not create TradeGecko product ${tgId}`)
      return p
    }
    const product = productOf(100001)
    say(`product widget on ${product.title}`)
    await visit(`/products/${product.id}`, "product page")
    const widget = page.getByTestId("tradegecko-product-widget")
    await widget.waitFor({ timeout: LONG })
    await waitText(widget, "Linked", "product widget badge")
    await waitText(page.getByTestId("tradegecko-product-id"), "100001", "TradeGecko product id")
    const stockCell = page.locator('[data-testid="tradegecko-variant-200001"] [data-testid="tradegecko-stock"]')
    await waitText(stockCell, /^45$/, "stock of variant 200001 after the import")
    await widget.scrollIntoViewIfNeeded()
    await check("product widget (linked)")
    await shot("product-widget", widget)

    say("title, price and stock changed in TradeGecko, then Force sync: the toast says what changed")
    await sandbox("POST", "/products/100001", { name: `${product.title} (new season)` })
    await sandbox("POST", "/variants/200002", { retail_price: "55.0" })
    await sandbox("POST", "/variants/200001/stock", { stock_on_hand: 12 })
    await widget.getByRole("button", { name: "Force sync" }).click()
    await waitToast(/Force sync: title, (SKU [^,]+, )?price M [\d.]+ → 55, stock S 45 → 18/, "Force sync toast")
    await waitText(stockCell, /^18$/, "stock of variant 200001 after Force sync")
    await check("Force sync")
    await shot("product-widget-force-sync")
    await dismissToasts()

    // ---------------------------------------------------------------- product widget: not linked
    say("product widget of a product made in Medusa (not linked)")
    const { product: own } = await admin.call("POST", "/admin/products", {
      title: "Gift wrapping",
      status: "published",
      options: [{ title: "Style", values: ["Classic"] }],
      variants: [
        {
          title: "Classic",
          options: { Style: "Classic" },
          prices: [{ amount: 4, currency_code: "usd" }],
          manage_inventory: false,
        },
      ],
    })
    await visit(`/products/${own.id}`, "product page (not linked)")
    await widget.waitFor({ timeout: LONG })
    await waitText(widget, /Not linked[\s\S]*did not come from TradeGecko/, "widget of a product not from TradeGecko")
    await check("product widget (not linked)")
    await shot("product-widget-unlinked", widget)

    // ---------------------------------------------------------------- product widget: Force sync failing
    const failing = productOf(100002)
    say("Force sync while TradeGecko answers 500 to product reads")
    await visit(`/products/${failing.id}`, "product page (failing)")
    await widget.waitFor({ timeout: LONG })
    await waitText(widget, "Linked", "widget before the failing Force sync")
    await sandbox("POST", "/faults", { mode: "500", path: "^/(products|variants)", methods: ["GET"] })
    await allowing([/\/admin\/tradegecko\/products\/[^/]+\/sync → 5\d\d/, /status of 5\d\d/], async () => {
      await widget.getByRole("button", { name: "Force sync" }).click()
      await waitText(
        page.getByTestId("tradegecko-force-sync-error"),
        /Force sync failed: \S/,
        "Force sync error in the widget",
        120_000
      )
      await check("product widget (Force sync failed)")
    })
    await sandbox("DELETE", "/faults")
    await widget.scrollIntoViewIfNeeded()
    await shot("product-widget-failed", widget)
    await dismissToasts()

    // ---------------------------------------------------------------- product widget: archived
    const archived = productOf(100003)
    say("product archived in TradeGecko, then Force sync")
    await sandbox("POST", "/products/100003/archive")
    await visit(`/products/${archived.id}`, "product page (archived)")
    await widget.waitFor({ timeout: LONG })
    await waitText(widget, "Linked", "widget before the archive reaches Medusa")
    await widget.getByRole("button", { name: "Force sync" }).click()
    await waitText(widget, "Archived in TradeGecko", "archived badge", WAIT)
    await check("product widget (archived)")
    await widget.scrollIntoViewIfNeeded()
    await shot("product-widget-archived", widget)
    await dismissToasts()

    // ---------------------------------------------------------------- settings page: connection, options, form
    say("settings page: connection, options in words, settings form")
    await visit("/tradegecko", "settings page")
    await waitText(page.getByTestId("tradegecko-connection-status"), "Connected", "connection status", LONG)
    await waitText(page.getByTestId("tradegecko-account-name"), "Sandbox Trading Co.", "account name")
    await waitText(
      page.getByTestId("tradegecko-option-orderReconcileSchedule"),
      /Order status check schedule[\s\S]*every minute/,
      "a cron schedule explained"
    )
    await waitText(
      page.getByTestId("tradegecko-option-syncFromTag"),
      /Only products tagged[\s\S]*every product[\s\S]*Not set/,
      "an unset option with what it means"
    )
    const form = page.getByTestId("tradegecko-settings-form")
    const freshness = page.getByTestId("tradegecko-setting-checkoutFreshnessSeconds")
    await waitText(freshness, /Stock freshness at checkout[\s\S]*Default/, "freshness field from the default")
    await check("settings page")

    say("a bad value is refused naming the field, nothing saved")
    await freshness.getByRole("textbox").fill("-5")
    await allowing([/POST \/admin\/tradegecko\/settings → 400/, /status of 400/], async () => {
      await form.getByRole("button", { name: "Save settings" }).click()
      await waitText(
        page.getByTestId("tradegecko-settings-error"),
        /checkoutFreshnessSeconds/,
        "the settings error names the field"
      )
      await check("settings form (bad value)")
    })
    await shot("settings-form-error", form)
    const afterBad = (await admin.call("GET", "/admin/tradegecko/settings")).settings
    if (afterBad.options.checkoutFreshnessSeconds !== 300)
      throw new Error(`a refused value was saved: ${afterBad.options.checkoutFreshnessSeconds}`)
    await form.getByRole("button", { name: "Cancel" }).click()
    await dismissToasts()

    say("a good value saved, then back to the option")
    await freshness.getByRole("textbox").fill("60")
    await form.getByRole("button", { name: "Save settings" }).click()
    await waitToast(
      /Settings saved[\s\S]*Stock freshness at checkout 300 seconds → 60 seconds/,
      "saved toast says what changed"
    )
    await waitText(freshness, /Overridden here[\s\S]*plugin option: 300 seconds/, "override shown with the option")
    if ((await admin.call("GET", "/admin/tradegecko/settings")).settings.options.checkoutFreshnessSeconds !== 60)
      throw new Error("freshness override not saved")
    await check("settings form (saved)")
    await shot("settings-form", form)
    await dismissToasts()
    await freshness.getByRole("button", { name: "Use the option" }).click()
    await waitText(freshness, /Default/, "back to the default")
    if ((await admin.call("GET", "/admin/tradegecko/settings")).settings.options.checkoutFreshnessSeconds !== 300)
      throw new Error("Use the option did not clear the override")
    await dismissToasts()

    // ---------------------------------------------------------------- dry run, Sync now, Full sync
    say("dry run, Sync now, Full sync")
    await sandbox("POST", "/variants/200002/stock", { stock_on_hand: 3 })
    await page.getByRole("button", { name: "Dry run" }).click()
    const dry = page.getByTestId("tradegecko-dry-run")
    await waitText(dry, /1 to update[\s\S]*Nothing was written/, "dry run summary")
    await waitText(
      dry,
      "stock of TradeGecko variant 200002: 40 → 18",
      "dry run stock change (3 at the primary location + 15 at the second)"
    )
    await check("dry run")
    await shot("settings-dry-run")

    await page.getByRole("button", { name: "Sync now" }).click()
    const progress = page.getByTestId("tradegecko-sync-progress")
    await waitText(progress.getByTestId("progress-text"), "100 %", "sync progress bar", LONG)
    await waitText(
      page.getByTestId("tradegecko-sync-result"),
      /^succeeded: .*1 updated.*1 stock change\b/,
      "sync result in words"
    )
    if ((await progress.getByRole("progressbar").getAttribute("aria-valuenow")) !== "100")
      throw new Error("progress bar is not at 100")
    await check("Sync now")
    await shot("settings-sync")

    // ---------------------------------------------------------------- sync run details
    say("the Sync now run's records: what changed, stock from → to, filterable")
    const runs = page.getByTestId("tradegecko-sync-runs")
    const records = page.getByTestId("tradegecko-sync-run-items")
    await runs.locator("tbody tr").first().click()
    await records.waitFor({ timeout: WAIT })
    await check("catalog run records")
    await waitText(
      records.getByTestId("tradegecko-record-100001"),
      /updated[\s\S]*SBX-0001-M at [^:]+: 40 → 18/,
      "stock from → to of the record, by SKU and location"
    )
    await records.getByRole("button", { name: "updated", exact: true }).click()
    await waitText(
      records.locator("tbody"),
      /^(?![\s\S]*unchanged)[\s\S]*100001/,
      "outcome filter shows the updated record only"
    )
    await check("catalog run records (filtered)")
    await records.scrollIntoViewIfNeeded()
    await shot("sync-run-catalog", runs)

    say("Full sync from the page")
    await page.getByRole("button", { name: "Full sync" }).click()
    await waitText(page.getByTestId("tradegecko-sync-progress"), /Full sync .*succeeded/, "full sync finished", LONG)
    await waitText(page.getByTestId("tradegecko-sync-result"), /^succeeded: .*unchanged/, "full sync result")
    await check("Full sync")

    const kinds = page.getByTestId("tradegecko-run-kinds")
    const openRun = async (kindButton, rowText, what) => {
      await kinds.getByRole("button", { name: kindButton }).click()
      const row = runs.locator("tbody tr").filter({ hasText: rowText }).first()
      await row.waitFor({ timeout: WAIT })
      await row.click()
      await records.waitFor({ timeout: WAIT })
      await check(what)
    }
    say("the dry run's records")
    await openRun(/^Catalog \(\d+\)$/, "(dry run)", "dry run records")
    await waitText(page.getByTestId("tradegecko-sync-run-summary"), /dry run: nothing was written/, "dry run summary")
    await waitText(
      records.getByTestId("tradegecko-record-100001"),
      /SBX-0001-M at [^:]+: 40 → 18/,
      "the dry run's planned stock change"
    )
    await shot("sync-run-dry-run", runs)

    say("a one-product run's records (the archived product)")
    await openRun(/^One product \(\d+\)$/, "from the admin", "product run records")
    await waitText(records, /(skipped|updated|unchanged)/, "the record of a product run")
    await shot("sync-run-product", runs)

    // ---------------------------------------------------------------- order health, order widget
    say("order push failing: TradeGecko answers 500 to every order create")
    await sandbox("POST", "/faults", { mode: "500", path: "^/orders$", methods: ["POST"] })
    const order = await placeDraftOrder(admin, product)
    await visit("/tradegecko/order-health", "order health page")
    const row = page.getByTestId(`tradegecko-order-row-${order.id}`)
    await row.waitFor({ timeout: LONG })
    await waitText(row, /failed[\s\S]*TradeGecko/, "failed push with its reason", WAIT)
    await check("order health (failed push)")
    await shot("order-health-failed")

    await visit(`/orders/${order.id}`, "order page")
    const orderWidget = page.getByTestId("tradegecko-order-widget")
    await orderWidget.waitFor({ timeout: LONG })
    await waitText(orderWidget.getByTestId("tradegecko-push-status"), "failed", "order widget push state")
    await waitText(orderWidget.getByTestId("tradegecko-push-error"), "TradeGecko", "order widget reason")
    await check("order widget (failed)")
    await shot("order-widget-failed", orderWidget)

    say("cause fixed (faults cleared); Retry on the order health page")
    await sandbox("DELETE", "/faults")
    await visit("/tradegecko/order-health", "order health page")
    await row.waitFor({ timeout: LONG })
    await row.getByRole("button", { name: "Retry" }).click()
    await waitToast(`Order #${order.display_id} pushed`, "retry toast")
    await page.getByTestId("tradegecko-order-health-empty").waitFor({ timeout: WAIT })
    await check("order health (after retry)")
    await visit(`/orders/${order.id}`, "order page (pushed)")
    await waitText(orderWidget.getByTestId("tradegecko-push-status"), "pushed", "order widget after retry", LONG)
    await waitText(orderWidget.getByTestId("tradegecko-order-number"), /\S/, "TradeGecko order number")
    const tgOrders = await tradegeckoApi(
      "GET",
      `/orders?reference_number=${encodeURIComponent(`#${order.display_id}`)}`
    )
    if (tgOrders.orders.length !== 1)
      throw new Error(`expected one TradeGecko order for #${order.display_id}, found ${tgOrders.orders.length}`)
    await check("order widget (pushed)")
    await shot("order-widget-pushed", orderWidget)

    say("order sync off in the settings form: an order placed then is not pushed")
    await visit("/tradegecko", "settings page")
    const level = page.getByTestId("tradegecko-setting-orderSyncLevel")
    await level.locator("select").selectOption("off")
    await form.getByRole("button", { name: "Save settings" }).click()
    await waitToast(/Settings saved[\s\S]*Order sync .* → Off: orders are not pushed/, "order sync off saved")
    await dismissToasts()
    const offOrder = await placeDraftOrder(admin, product)
    await visit(`/orders/${offOrder.id}`, "order page (order sync off)")
    await orderWidget.waitFor({ timeout: LONG })
    await waitText(orderWidget, "Order sync is off: orders are not pushed.", "widget of an order not pushed")
    await check("order widget (not pushed)")
    await shot("order-widget-unlinked", orderWidget)
    await visit("/tradegecko", "settings page")
    await level.getByRole("button", { name: "Use the option" }).click()
    await waitText(level, /Default/, "order sync back to the option")
    await dismissToasts()

    // ---------------------------------------------------------------- a storefront checkout while TradeGecko is down
    say(
      "a shopper checks out through the store API while TradeGecko is down: allowed on the last known stock, recorded as a stock run"
    )
    const shop = await setupShop(admin, { sandboxUrl, token: SANDBOX_TOKEN, say })
    await admin.call("POST", "/admin/tradegecko/settings", { checkoutFreshnessSeconds: 0 }) // every checkout asks TradeGecko
    const {
      products: [withVariants],
    } = await admin.call("GET", `/admin/products?id=${product.id}&fields=id,variants.id,variants.sku`)
    const shopperVariant = withVariants.variants.find((v) => v.sku === "SBX-0001-M") ?? withVariants.variants[0]
    await sandbox("POST", "/down", { mode: "503" })
    let shopped
    try {
      shopped = await placeStoreOrder(base, shop, { variantId: shopperVariant.id, email: "down@example.com" })
    } finally {
      await sandbox("POST", "/up")
      await admin.call("POST", "/admin/tradegecko/settings", { checkoutFreshnessSeconds: null })
    }
    say(`order #${shopped.order.display_id} placed on the last known stock`)
    await visit("/tradegecko", "settings page")
    await openRun(/^Stock at checkout \(\d+\)$/, "checkout", "stock run detail")
    await waitText(
      page.getByTestId("tradegecko-sync-run-error"),
      `TradeGecko unreachable at checkout; cart ${shopped.cartId} completed on last known stock`,
      "stock run reason"
    )
    await shot("sync-run-stock", runs)

    // ---------------------------------------------------------------- order-status run, webhooks
    say("an order-status run (the check runs every minute) and its detail")
    const deadline = Date.now() + 180_000
    while (!(await kinds.getByRole("button", { name: /^Order status \(\d+\)$/ }).count())) {
      if (Date.now() > deadline) throw new Error("no order-status run within 3 minutes")
      await page.waitForTimeout(5000)
      await visit("/tradegecko", "settings page (waiting for an order-status run)")
      await kinds.waitFor({ timeout: LONG })
    }
    await openRun(/^Order status \(\d+\)$/, "Order status", "order-status run detail")
    await waitText(
      page.getByTestId("tradegecko-sync-run-summary"),
      /Order status, scheduled, (succeeded|partial)[\s\S]*(orders? read|nothing to do)/,
      "order-status run summary"
    )
    await shot("sync-run-order-status", runs)

    say("webhooks: missing (removed at the start), registered again from the page")
    const hooks = page.getByTestId("tradegecko-webhooks")
    await hooks.scrollIntoViewIfNeeded()
    await waitText(hooks.locator("tbody"), "missing", "webhooks missing")
    await hooks.getByRole("button", { name: "Register missing" }).click()
    await waitToast("Webhook subscriptions checked", "webhooks toast")
    await waitText(hooks.locator("tbody"), /^(?![\s\S]*missing)[\s\S]*registered/, "every webhook registered")
    await check("webhooks")
    await shot("settings-webhooks", hooks)
    await dismissToasts()

    // ---------------------------------------------------------------- OAuth connect
    say("OAuth: disconnect, then connect through the sandbox's consent screen")
    await visit("/tradegecko", "settings page")
    await waitText(page.getByTestId("tradegecko-connection-status"), "Connected", "connection before disconnect", LONG)
    await page.getByRole("button", { name: "Disconnect" }).click()
    await waitText(page.getByTestId("tradegecko-connection-status"), "Not connected", "connection after disconnect")
    await check("disconnected")
    await page.getByRole("button", { name: "Connect with TradeGecko" }).click()
    await page.waitForURL((u) => u.pathname === "/oauth/authorize", { timeout: WAIT })
    await waitText(page.locator("body"), "Authorize Sandbox application", "sandbox consent screen")
    await shot("oauth-consent")
    await page.getByRole("button", { name: /authori[sz]e/i }).click()
    await page.waitForURL((u) => u.pathname === "/app/tradegecko", { timeout: WAIT })
    await waitText(page.getByTestId("tradegecko-connection-status"), /^Connected$/, "connection after OAuth", LONG)
    await waitText(page.getByTestId("tradegecko-connection"), /OAuth \(connected here/, "credential kind after OAuth")
    await check("connected with OAuth")
    await shot("settings-connected-oauth")
    const { settings } = await admin.call("GET", "/admin/tradegecko/settings")
    if (settings.connection.credential_type !== "oauth")
      throw new Error(`expected an OAuth connection, got ${JSON.stringify(settings.connection)}`)
  } catch (e) {
    failed = e
    await page.screenshot({ path: path.join(workDir, "failure.png"), fullPage: true }).catch(() => {})
  } finally {
    await browser.close().catch(() => {})
    await stack.stop()
  }

  for (const w of dashboardWarnings) say(`(Medusa dashboard's own React warning, not a failure: ${w})`)
  if (failed) {
    console.error(`[browser] FAILED: ${failed.message}`)
    console.error(
      `[browser] page at failure: ${path.relative(root, path.join(workDir, "failure.png"))}; logs: ${path.relative(root, workDir)}/medusa.log`
    )
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
  const region =
    regions[0] ??
    (await admin.call("POST", "/admin/regions", { name: "US", currency_code: "usd", countries: ["us"] })).region
  const { products } = await admin.call("GET", `/admin/products?id=${product.id}&fields=id,variants.id,variants.sku`)
  const variant =
    products[0].variants.find((v) => v.sku === "SBX-0001-M") ?? products[0].variants[1] ?? products[0].variants[0]
  const address = {
    first_name: "Sam",
    last_name: "Shopper",
    address_1: "1 Main St",
    city: "Springfield",
    country_code: "us",
    postal_code: "94001",
  }
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
