/**
 * The whole demo stack, used by `npm run demo` and by the browser suite so both boot the
 * same way: embedded Postgres, the TradeGecko sandbox, `medusa db:migrate`, an admin user,
 * `medusa develop` (admin at /app), the store in USD, the store connected to TradeGecko
 * from the admin (POST /admin/tradegecko/connect), and a first full catalog import.
 */
const { spawn, spawnSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")
const { startPostgres } = require("./postgres")

const root = path.resolve(__dirname, "../..")
const medusaBin = path.join(root, "node_modules/.bin/medusa")
const SANDBOX_TOKEN = "sandbox-privileged-token"

async function waitFor(url, what, timeoutMs, isUp = (res) => res.status < 500) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if (isUp(await fetch(url))) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`)
}

/**
 * @param {object} o
 * @param {string} o.dir            logs (and, when persistent, Postgres data) go here; keep it a dot-folder,
 *                                  since `medusa develop` restarts on any other file change in the repo
 * @param {boolean} [o.persistent]  keep the Postgres data in <dir>/pg between runs (demo); else a fresh temp cluster
 * @param {number} o.port           Medusa port
 * @param {number} o.sandboxPort
 * @param {boolean} [o.snapshot]  run Medusa from a copy of src/ and the config in <dir>/app (immune to edits meanwhile)
 * @param {string[]} [o.sandboxArgs] extra sandbox CLI flags (e.g. --products 10 --seed 1)
 * @param {string} o.adminEmail
 * @param {string} o.adminPassword
 * @param {(msg: string) => void} [o.say]
 */
async function startStack(o) {
  const say = o.say || (() => {})
  const children = []
  let pg = null
  let stopping = false
  const exited = []

  async function stop() {
    if (stopping) return
    stopping = true
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
  }

  function spawnLogged(name, cmd, args, env, cwd = root) {
    const logFile = fs.createWriteStream(path.join(o.dir, `${name}.log`), { flags: "a" })
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
    child.stdout.pipe(logFile)
    child.stderr.pipe(logFile)
    child.on("exit", (code) => {
      if (!stopping)
        exited.push(`${name} exited with ${code}; see ${path.relative(root, path.join(o.dir, `${name}.log`))}`)
    })
    children.push(child)
    return child
  }

  try {
    fs.mkdirSync(o.dir, { recursive: true })
    say(
      o.persistent
        ? `starting embedded Postgres (data in ${path.relative(root, o.dir)}/pg)...`
        : "starting embedded Postgres (fresh cluster)..."
    )
    pg = await startPostgres(
      o.persistent ? { dataDir: path.join(o.dir, "pg", "data"), persistent: true } : { quiet: true }
    )
    const dbName = "medusa_tradegecko_demo"
    await pg.createDatabase(dbName)

    // The app runs from a copy when asked: `medusa develop` restarts on every change in its
    // folder, and a browser run must not be restarted by someone editing the working tree.
    const appDir = o.snapshot ? snapshotApp(path.join(o.dir, "app")) : root
    const base = `http://localhost:${o.port}`
    const sandboxUrl = `http://127.0.0.1:${o.sandboxPort}`
    const env = {
      ...process.env,
      MEDUSA_DISABLE_TELEMETRY: "true",
      DATABASE_URL: `${pg.url}/${dbName}`,
      MEDUSA_ADMIN_DISABLE: "false",
      TRADEGECKO_BASE_URL: sandboxUrl,
      TRADEGECKO_WEBHOOK_BASE_URL: base,
      ADMIN_CORS: `${base},http://localhost:5173`,
      AUTH_CORS: `${base},http://localhost:5173`,
      // No token in the options: the store is connected from the admin, which can then
      // disconnect and connect again with OAuth (the sandbox's consent screen).
      TRADEGECKO_PRIVILEGED_TOKEN: "none",
    }
    delete env.NODE_OPTIONS

    say(`starting the TradeGecko sandbox on port ${o.sandboxPort}...`)
    spawnLogged(
      "sandbox",
      path.join(root, "node_modules/.bin/ts-node"),
      [
        "--transpile-only",
        path.join(root, "sandbox/cli.ts"),
        "--port",
        String(o.sandboxPort),
        "--redirect-uri",
        `${base}/tradegecko/oauth/callback`,
        ...(o.sandboxArgs || []),
      ],
      env
    )
    await waitFor(`${sandboxUrl}/__sandbox/state`, "sandbox", 60_000)

    say("migrating the database...")
    const migrate = spawnSync(medusaBin, ["db:migrate"], { cwd: appDir, env, encoding: "utf8" })
    fs.appendFileSync(path.join(o.dir, "medusa.log"), migrate.stdout + migrate.stderr)
    if (migrate.status !== 0) throw new Error(`medusa db:migrate failed (see ${o.dir}/medusa.log)`)

    const user = spawnSync(medusaBin, ["user", "-e", o.adminEmail, "-p", o.adminPassword], {
      cwd: appDir,
      env,
      encoding: "utf8",
    })
    fs.appendFileSync(path.join(o.dir, "medusa.log"), user.stdout + user.stderr)
    const existed = user.status !== 0 && /already exists|duplicate/i.test(user.stdout + user.stderr)
    if (user.status !== 0 && !existed) throw new Error(`creating the admin user failed (see ${o.dir}/medusa.log)`)

    say("starting Medusa (medusa develop; the first admin build takes a minute)...")
    spawnLogged("medusa", medusaBin, ["develop", "-p", String(o.port)], env, appDir)
    await waitFor(`${base}/health`, "Medusa", 240_000, (res) => res.ok)
    await waitFor(`${base}/app`, "Medusa admin", 120_000)

    const admin = await adminClient(base, o.adminEmail, o.adminPassword)
    const { stores } = await admin.call("GET", "/admin/stores")
    await admin.call("POST", `/admin/stores/${stores[0].id}`, {
      supported_currencies: [{ currency_code: "usd", is_default: true }, { currency_code: "eur" }],
    })
    const status = await admin.call("GET", "/admin/tradegecko/status")
    if (!(await admin.call("GET", "/admin/tradegecko/settings")).settings.connection.connected) {
      say("connecting the store to TradeGecko (privileged token, from the admin API)...")
      await admin.call("POST", "/admin/tradegecko/connect", { type: "privileged_token", token: SANDBOX_TOKEN })
    }
    let imported = null
    if (!status.latest_sync_run) {
      say("importing the sandbox catalog...")
      imported = await importCatalog(admin)
    }
    return { base, sandboxUrl, pg, dbName, admin, imported, stop, exited }
  } catch (e) {
    await stop()
    throw e
  }
}

/** Copies what `medusa develop` loads (src, config) to `dir`, sharing node_modules. */
function snapshotApp(dir) {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  for (const entry of ["src", "medusa-config.ts", "package.json", "tsconfig.json"]) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true })
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir")
  return dir
}

/**
 * fetch, retried while the server does not accept connections: `medusa develop` restarts
 * (a few seconds without a listener) whenever a watched file in the repository changes.
 */
async function fetchRetrying(url, init, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await fetch(url, init)
    } catch (e) {
      if (Date.now() > deadline) throw e
      await new Promise((r) => setTimeout(r, 1000))
    }
  }
}

/** Admin API calls with a JWT from the e-mail/password login. */
async function adminClient(base, email, password) {
  const login = await fetchRetrying(`${base}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  })
  const { token } = await login.json()
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }
  const call = async (method, p, body) => {
    const res = await fetchRetrying(`${base}${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const json = await res.json().catch(() => ({}))
    if (!res.ok && res.status !== 409) throw new Error(`${method} ${p} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }
  return { token, call }
}

/** A full import, waited for. */
async function importCatalog(admin) {
  const { run_id } = await admin.call("POST", "/admin/tradegecko/sync", {})
  for (let i = 0; i < 600; i++) {
    const { sync_run } = await admin.call("GET", `/admin/tradegecko/sync-runs/${run_id}`)
    if (sync_run && sync_run.status !== "running") return sync_run
    await new Promise((r) => setTimeout(r, 500))
  }
  return { id: run_id, status: "running" }
}

module.exports = { startStack, adminClient, importCatalog, waitFor, SANDBOX_TOKEN }
