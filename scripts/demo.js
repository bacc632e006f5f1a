#!/usr/bin/env node
/**
 * `npm run demo`: one command, no database server needed.
 *  - embedded Postgres with its data under .demo/ (git-ignored, so a second run is fast)
 *  - the TradeGecko sandbox with a seeded catalog
 *  - `medusa db:migrate`, an admin user, then `medusa develop` with the admin at /app
 * Ctrl-C stops everything. Logs: .demo/medusa.log and .demo/sandbox.log.
 */
const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { startPostgres } = require("./lib/postgres")

const root = path.resolve(__dirname, "..")
const demoDir = path.join(root, ".demo")
const medusaBin = path.join(root, "node_modules/.bin/medusa")
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL || "admin@tradegecko.demo"
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || "tradegecko-demo"
const PORT = Number(process.env.PORT || 9000)
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 4010)
const SANDBOX_PRODUCTS = Number(process.env.SANDBOX_PRODUCTS || 50)
const DB_NAME = "medusa_tradegecko_demo"

const children = []
let pg = null
let stopping = false
const started = Date.now()
const say = (...a) => console.log("[demo]", ...a)

async function stopAll(code = 0) {
  if (stopping) return
  stopping = true
  say("stopping...")
  // Each child leads its own process group: `medusa develop` forks the real server.
  const signalGroup = (c, sig) => {
    try {
      process.kill(-c.pid, sig)
    } catch {}
  }
  for (const c of children) signalGroup(c, "SIGTERM")
  await Promise.all(
    children.map(
      (c) =>
        c.exitCode !== null ||
        Promise.race([new Promise((r) => c.on("exit", r)), new Promise((r) => setTimeout(r, 5000))])
    )
  )
  for (const c of children) signalGroup(c, "SIGKILL")
  if (pg) await pg.stop().catch(() => {})
  say("stopped")
  process.exit(code)
}
process.on("SIGINT", () => stopAll(0))
process.on("SIGTERM", () => stopAll(0))

function spawnLogged(name, cmd, args, env) {
  const logFile = fs.createWriteStream(path.join(demoDir, `${name}.log`), { flags: "a" })
  const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
  child.stdout.pipe(logFile)
  child.stderr.pipe(logFile)
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`[demo] ${name} exited with ${code}; see .demo/${name}.log`)
      stopAll(1)
    }
  })
  children.push(child)
  return child
}

async function waitFor(url, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url)
      if (res.status < 500) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`)
}

async function main() {
  fs.mkdirSync(demoDir, { recursive: true })
  say("starting embedded Postgres (data in .demo/pg)...")
  pg = await startPostgres({ dataDir: path.join(demoDir, "pg", "data"), persistent: true })
  await pg.createDatabase(DB_NAME)

  const env = {
    ...process.env,
    MEDUSA_DISABLE_TELEMETRY: "true",
    DATABASE_URL: `${pg.url}/${DB_NAME}`,
    MEDUSA_ADMIN_DISABLE: "false",
    TRADEGECKO_BASE_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
    TRADEGECKO_WEBHOOK_BASE_URL: `http://localhost:${PORT}`,
  }
  delete env.NODE_OPTIONS

  const sandboxCli = path.join(root, "sandbox/cli.ts")
  if (fs.existsSync(sandboxCli)) {
    say(`starting the TradeGecko sandbox on port ${SANDBOX_PORT} with ${SANDBOX_PRODUCTS} products...`)
    spawnLogged("sandbox", path.join(root, "node_modules/.bin/ts-node"), [
      "--transpile-only", sandboxCli, "--port", String(SANDBOX_PORT), "--products", String(SANDBOX_PRODUCTS),
    ], env)
    await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/__sandbox/state`, "sandbox", 60_000)
  }

  say("migrating the database...")
  const migrate = spawnSync(medusaBin, ["db:migrate"], { cwd: root, env, encoding: "utf8" })
  fs.appendFileSync(path.join(demoDir, "medusa.log"), migrate.stdout + migrate.stderr)
  if (migrate.status !== 0) {
    console.error(migrate.stdout.slice(-3000), migrate.stderr.slice(-3000))
    throw new Error("medusa db:migrate failed (see .demo/medusa.log)")
  }

  const user = spawnSync(medusaBin, ["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], { cwd: root, env, encoding: "utf8" })
  fs.appendFileSync(path.join(demoDir, "medusa.log"), user.stdout + user.stderr)
  const existed = user.status !== 0 && /already exists|duplicate/i.test(user.stdout + user.stderr)
  if (user.status !== 0 && !existed) {
    console.error(user.stdout.slice(-2000), user.stderr.slice(-2000))
    throw new Error("creating the admin user failed (see .demo/medusa.log)")
  }

  say("starting Medusa (medusa develop; first admin build takes a minute)...")
  spawnLogged("medusa", medusaBin, ["develop", "-p", String(PORT)], env)
  await waitFor(`http://localhost:${PORT}/health`, "Medusa", 240_000)
  await waitFor(`http://localhost:${PORT}/app`, "Medusa admin", 120_000)

  let imported = ""
  if (fs.existsSync(sandboxCli)) imported = await importCatalog()

  const secs = ((Date.now() - started) / 1000).toFixed(0)
  console.log(`
  ✔ Ready in ${secs}s

  Medusa admin      http://localhost:${PORT}/app
    e-mail          ${ADMIN_EMAIL}
    password        ${ADMIN_PASSWORD}
  Plugin status     http://localhost:${PORT}/admin/tradegecko/status (after login)${
    fs.existsSync(sandboxCli)
      ? `
  TradeGecko sandbox http://127.0.0.1:${SANDBOX_PORT}  (${SANDBOX_PRODUCTS} products)
    privileged token sandbox-privileged-token
    OAuth app        sandbox-client-id / sandbox-client-secret
    try              curl -i -H "Authorization: Bearer sandbox-privileged-token" "http://127.0.0.1:${SANDBOX_PORT}/products?limit=5"`
      : ""
  }
${imported}
  Postgres          ${pg.url}/${DB_NAME} (data in .demo/pg)
  Logs              .demo/medusa.log, .demo/sandbox.log

  Press Ctrl-C to stop everything.
`)
}

/** Store in USD (the sandbox account's currency), then a first full import from the sandbox. */
async function importCatalog() {
  const base = `http://localhost:${PORT}`
  const login = await fetch(`${base}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  const { token } = await login.json()
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const json = await res.json().catch(() => ({}))
    if (!res.ok && res.status !== 409) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  const { stores } = await call("GET", "/admin/stores")
  await call("POST", `/admin/stores/${stores[0].id}`, {
    supported_currencies: [{ currency_code: "usd", is_default: true }, { currency_code: "eur" }],
  })
  say("importing the sandbox catalog (Admin → TradeGecko → Sync runs shows it too)...")
  const { run_id } = await call("POST", "/admin/tradegecko/sync", {})
  for (let i = 0; i < 600; i++) {
    const { sync_run } = await call("GET", `/admin/tradegecko/sync-runs/${run_id}`)
    if (sync_run && sync_run.status !== "running") {
      const c = sync_run.counts || {}
      return `  First import      ${sync_run.status}: ${c.created || 0} created, ${c.updated || 0} updated, ${c.skipped || 0} skipped, ${c.failed || 0} failed (run ${run_id})`
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  return `  First import      still running (run ${run_id})`
}

main().catch(async (err) => {
  console.error("[demo]", err.message)
  await stopAll(1)
})
