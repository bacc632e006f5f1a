#!/usr/bin/env node
/**
 * Host-app proof: "installs from npm into a Medusa app of each version the peer range claims".
 *
 * HOST_APP_MEDUSA_VERSION picks the Medusa version of the separate app (default: the one pinned in
 * this folder's package.json, the highest claimed); `.ci/run` runs it for the lowest and the highest.
 * HOST_APP_TARBALL reuses an already packed plugin instead of building and packing again.
 *
 *  1. builds and packs the plugin (`npm run build && npm pack`),
 *  2. copies this folder's minimal app to a temp dir outside the repo (so nothing
 *     resolves from the plugin's own node_modules) and `npm install`s the tarball,
 *  3. `medusa db:migrate` against a fresh database (DB_HOST's server, else embedded Postgres),
 *     then checks the module's table exists,
 *  4. `medusa start` with a bad option must exit non-zero naming the option,
 *  5. `medusa start` with good options: the status route is 401 without auth, and
 *     200 with an admin login, never echoing the token.
 *
 * Exits non-zero on any failure. Run with `npm run test:host-app`.
 */
const { execFileSync, spawn } = require("node:child_process")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")
const { startPostgres, freePort } = require("../../scripts/lib/postgres")

const root = path.resolve(__dirname, "../..")
const MEDUSA_PACKAGES = ["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"]
const template = JSON.parse(fs.readFileSync(path.join(__dirname, "package.json"), "utf8"))
const medusaVersion = process.env.HOST_APP_MEDUSA_VERSION || template.dependencies["@medusajs/framework"]
const TOKEN = "host-app-secret-privileged-token"
const log = (...a) => console.log(`[host-app ${medusaVersion}]`, ...a)

function run(cmd, args, opts = {}) {
  log("$", cmd, args.join(" "))
  execFileSync(cmd, args, { stdio: "inherit", ...opts })
}

function assert(cond, message) {
  if (!cond) throw new Error(`host-app proof failed: ${message}`)
}

async function waitForHealth(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`medusa start exited early with ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms`)
}

function startMedusa(appDir, env, port) {
  const child = spawn(path.join(appDir, "node_modules/.bin/medusa"), ["start", "-p", String(port)], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group, so every process it forks can be stopped
  })
  let output = ""
  child.stdout.on("data", (d) => (output += d))
  child.stderr.on("data", (d) => (output += d))
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, exited, output: () => output }
}

/**
 * The built admin extensions: both module formats exist and hold the two widgets (with
 * their zones) and the two pages (with their paths and sidebar labels).
 */
function assertAdminBundle(dir) {
  for (const f of ["index.mjs", "index.js"]) {
    const file = path.join(dir, f)
    assert(fs.existsSync(file), `admin bundle ${file} missing`)
    const code = fs.readFileSync(file, "utf8")
    for (const needle of [
      "product.details.after",
      "order.details.side.after", // widget zones
      '"/tradegecko"',
      '"/tradegecko/order-health"', // page paths
      "TradeGecko",
      "Order health",
      "Force sync",
      "Retry all",
      "Sync now",
      "Dry run",
      "Connect with TradeGecko",
      "/admin/tradegecko",
    ]) {
      assert(code.includes(needle), `admin bundle ${f} lacks ${needle}`)
    }
  }
  log("OK: admin bundle has the product/order widgets and the TradeGecko + order health pages")
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tg-host-app-"))
  const appDir = path.join(tmp, "app")
  let pg = null
  let server = null
  let bad = null
  try {
    // 1. build + pack (or the tarball given)
    let tarball
    if (process.env.HOST_APP_TARBALL) {
      tarball = path.resolve(process.env.HOST_APP_TARBALL)
    } else {
      run("npm", ["run", "build"], { cwd: root })
      const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: root })
        .toString()
        .trim()
        .split("\n")
        .pop()
      tarball = path.join(tmp, packed)
    }
    assert(fs.existsSync(tarball), `npm pack did not produce ${tarball}`)
    const listing = execFileSync("tar", ["-tzf", tarball]).toString()
    assert(listing.includes("package/.medusa/server/src/modules/tradegecko/index.js"), "tarball lacks the module")
    assert(!listing.includes("package/src/"), "tarball must ship only .medusa/server")
    assertAdminBundle(path.join(root, ".medusa/server/src/admin"))

    // 2. separate app
    fs.mkdirSync(path.join(appDir, ".plugin"), { recursive: true })
    for (const f of ["medusa-config.ts", "tsconfig.json"]) {
      fs.copyFileSync(path.join(__dirname, f), path.join(appDir, f))
    }
    const appPackage = structuredClone(template)
    for (const name of MEDUSA_PACKAGES) appPackage.dependencies[name] = medusaVersion
    fs.writeFileSync(path.join(appDir, "package.json"), JSON.stringify(appPackage, null, 2) + "\n")
    fs.copyFileSync(tarball, path.join(appDir, ".plugin/medusa-plugin-tradegecko.tgz"))
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: appDir })
    assert(
      fs.existsSync(
        path.join(appDir, "node_modules/medusa-plugin-tradegecko/.medusa/server/src/modules/tradegecko/index.js")
      ),
      "plugin not installed into the app"
    )
    for (const name of MEDUSA_PACKAGES) {
      const installed = JSON.parse(
        fs.readFileSync(path.join(appDir, "node_modules", name, "package.json"), "utf8")
      ).version
      assert(installed === medusaVersion, `the app has ${name}@${installed}, not ${medusaVersion}`)
    }
    // (The plugin's peer ranges accept this Medusa: npm refuses the install with ERESOLVE otherwise.)
    // One zod: the plugin's TradeGecko client and Medusa's framework (@medusajs/framework/zod) share it.
    const zodCopies = execFileSync("find", ["./node_modules", "-path", "*/node_modules/zod/package.json"], {
      cwd: appDir,
    })
      .toString()
      .trim()
      .split("\n")
      .filter(Boolean)
    assert(
      zodCopies.length === 1,
      `expected one copy of zod in the app, found ${zodCopies.length}: ${zodCopies.join(", ")}`
    )
    log(`OK: Medusa ${medusaVersion} app with the plugin installed; one zod (${zodCopies[0]})`)
    // What the app's admin build imports (package.json exports["./admin"]).
    assertAdminBundle(path.join(appDir, "node_modules/medusa-plugin-tradegecko/.medusa/server/src/admin"))
    for (const dep of ["@tanstack/react-query", "react-router-dom", "@medusajs/js-sdk", "@medusajs/ui"]) {
      assert(
        fs.existsSync(path.join(appDir, "node_modules", dep, "package.json")),
        `the admin bundle imports ${dep}, which the app cannot resolve`
      )
    }

    // 3. database + migrate
    let dbEnv
    if (process.env.DB_HOST) {
      dbEnv = {
        DB_HOST: process.env.DB_HOST === "127.0.0.1" ? "localhost" : process.env.DB_HOST,
        DB_PORT: process.env.DB_PORT || "5432",
        DB_USERNAME: process.env.DB_USERNAME || "postgres",
        DB_PASSWORD: process.env.DB_PASSWORD || "",
      }
    } else {
      pg = await startPostgres({ quiet: true })
      dbEnv = pg.env
    }
    const { Client } = require("pg")
    const admin = new Client({
      host: dbEnv.DB_HOST,
      port: Number(dbEnv.DB_PORT),
      user: dbEnv.DB_USERNAME,
      password: dbEnv.DB_PASSWORD,
      database: "postgres",
    })
    await admin.connect()
    const dbName = `tg_host_app_${medusaVersion.replace(/\W/g, "_")}_${process.pid}_${Date.now()}`
    await admin.query(`create database "${dbName}"`)
    await admin.end()
    const auth = dbEnv.DB_PASSWORD ? `${dbEnv.DB_USERNAME}:${encodeURIComponent(dbEnv.DB_PASSWORD)}` : dbEnv.DB_USERNAME
    const databaseUrl = `postgres://${auth}@${dbEnv.DB_HOST}:${dbEnv.DB_PORT}/${dbName}`
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MEDUSA_DISABLE_TELEMETRY: "true",
      TRADEGECKO_PRIVILEGED_TOKEN: TOKEN,
      TRADEGECKO_BASE_URL: "http://127.0.0.1:4010",
      NODE_OPTIONS: "",
    }
    for (const k of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_NAME", "TEST_TYPE"]) delete env[k]
    run(path.join(appDir, "node_modules/.bin/medusa"), ["db:migrate"], { cwd: appDir, env })

    const db = new Client({ connectionString: databaseUrl })
    await db.connect()
    const { rows } = await db.query("select to_regclass('public.tradegecko_sync_run') as t")
    await db.end()
    assert(rows[0].t === "tradegecko_sync_run", "table tradegecko_sync_run missing after db:migrate")
    log("OK: db:migrate created tradegecko_sync_run")

    // 4. bad option fails boot, naming the option
    bad = startMedusa(appDir, { ...env, TRADEGECKO_CHECKOUT_FRESHNESS: "-5" }, await freePort())
    const badCode = await Promise.race([bad.exited, new Promise((r) => setTimeout(() => r("timeout"), 90_000))])
    if (badCode === "timeout") bad.child.kill("SIGKILL")
    assert(badCode !== 0 && badCode !== "timeout", `boot with a bad option should fail, got ${badCode}`)
    assert(
      bad.output().includes("checkoutFreshnessSeconds: must be 0 or more seconds"),
      `boot error must name the option; output was:\n${bad.output().slice(-2000)}`
    )
    log("OK: bad option stops boot:", /invalid plugin options: [^\n]*/.exec(bad.output())[0])

    // 5. good boot, status route
    run(path.join(appDir, "node_modules/.bin/medusa"), ["user", "-e", "admin@host.test", "-p", "supersecret"], {
      cwd: appDir,
      env,
    })
    const port = await freePort()
    const url = `http://localhost:${port}`
    server = startMedusa(appDir, env, port)
    await waitForHealth(url, server.child)
    const anon = await fetch(`${url}/admin/tradegecko/status`)
    assert(anon.status === 401, `unauthenticated status route should be 401, got ${anon.status}`)

    const login = await fetch(`${url}/auth/user/emailpass`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@host.test", password: "supersecret" }),
    })
    assert(login.ok, `admin login failed: ${login.status}`)
    const { token } = await login.json()
    const statusRes = await fetch(`${url}/admin/tradegecko/status`, { headers: { authorization: `Bearer ${token}` } })
    const text = await statusRes.text()
    assert(statusRes.status === 200, `status route should be 200, got ${statusRes.status}: ${text}`)
    const status = JSON.parse(text)
    assert(status.configured === true && status.credential_type === "privileged_token", `unexpected status ${text}`)
    assert(status.base_url === "http://127.0.0.1:4010", `unexpected base_url ${status.base_url}`)
    assert(!text.includes(TOKEN), "status route leaked the token")
    log("OK: status route:", text)
    log("host-app proof passed")
  } catch (err) {
    if (server) console.error("[host-app] server output:\n" + server.output().slice(-4000))
    throw err
  } finally {
    for (const proc of [server, bad]) {
      if (!proc) continue
      const group = (sig) => {
        try {
          process.kill(-proc.child.pid, sig)
        } catch {}
      }
      group("SIGTERM")
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, 5000))])
      group("SIGKILL")
    }
    if (pg) await pg.stop()
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err && err.stack ? err.stack : err)
    process.exit(1)
  }
)
