#!/usr/bin/env node
/**
 * What `npm pack` would publish, checked: the built plugin (run `npm run build` first), the
 * docs the README links to, and nothing of the sources, tests or sandbox state. Every relative
 * link in README.md must point at a file the package ships, so the links work in node_modules
 * and on the package page. package.json names where the project lives (repository, homepage,
 * bugs). Then the sandbox's own package (sandbox/package.json): packed, installed into an
 * empty folder, its `tradegecko-sandbox` bin started, asked for products, stopped.
 * Exits 1 naming what is wrong. Run by .ci/run after the build.
 */
const { execFileSync, spawn } = require("node:child_process")
const fs = require("node:fs")
const os = require("node:os")
const path = require("node:path")

const root = path.resolve(__dirname, "..")
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"))
const [pack] = JSON.parse(
  execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root }).toString()
)
const files = new Set(pack.files.map((f) => f.path))
const problems = []

for (const needed of [
  "package.json",
  "README.md",
  "CHANGELOG.md",
  ".medusa/server/src/modules/tradegecko/index.js",
  ".medusa/server/src/workflows/index.js",
  ".medusa/server/src/admin/index.mjs",
]) {
  if (!files.has(needed)) problems.push(`the package lacks ${needed}`)
}
for (const f of files) {
  if (f === "sandbox/README.md") continue // the sandbox's documentation, linked from the README
  if (/^(src|integration-tests|bench|sandbox|scripts)\//.test(f) || f.includes(".demo/") || f.endsWith(".tgz")) {
    problems.push(`the package must not ship ${f}`)
  }
}

const httpsUrl = (v) => typeof v === "string" && /^(git\+)?https:\/\/\S+$/.test(v)
if (!httpsUrl(manifest.repository?.url)) problems.push("package.json lacks repository.url")
if (!httpsUrl(manifest.homepage)) problems.push("package.json lacks homepage")
if (!httpsUrl(manifest.bugs?.url)) problems.push("package.json lacks bugs.url")

const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
  if (/^[a-z]+:/i.test(target)) continue // absolute URL
  if (!files.has(path.posix.normalize(target)))
    problems.push(`README links to ${target}, which the package does not ship`)
}

if (problems.length) {
  console.error(`[package] ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`)
  process.exit(1)
}
console.log(
  `[package] OK: ${files.size} files, ${(pack.size / 1024).toFixed(0)} kB packed; every README link is shipped`
)

/** The sandbox as others get it: `npm pack` in sandbox/, installed alone, run by its bin. */
async function checkSandboxPackage() {
  const sandboxDir = path.join(root, "sandbox")
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tg-sandbox-pkg-"))
  let child = null
  try {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", tmp], {
        cwd: sandboxDir,
        stdio: ["ignore", "pipe", "inherit"],
      }).toString()
    )
    const shipped = packed.files.map((f) => f.path)
    const wrong = shipped.filter(
      (f) => !(f === "package.json" || f === "README.md" || /^dist\/.*\.(js|d\.ts)$/.test(f))
    )
    if (wrong.length) throw new Error(`the sandbox package must ship only dist/ and README.md, not ${wrong.join(", ")}`)
    if (!shipped.includes("dist/cli.js")) throw new Error("the sandbox package lacks dist/cli.js")
    if (fs.existsSync(path.join(sandboxDir, "dist"))) throw new Error("sandbox/dist was left behind after packing")

    const app = path.join(tmp, "app")
    fs.mkdirSync(app)
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "sandbox-user", private: true }))
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", path.join(tmp, packed.filename)], {
      cwd: app,
      stdio: "inherit",
    })
    child = spawn(
      path.join(app, "node_modules/.bin/tradegecko-sandbox"),
      ["--port", "0", "--products", "3", "--quiet"],
      {
        cwd: app,
        stdio: ["ignore", "pipe", "pipe"],
      }
    )
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tradegecko-sandbox printed no URL in 30 s:\n${output}`)), 30_000)
      child.on("exit", (code) => reject(new Error(`tradegecko-sandbox exited with ${code}:\n${output}`)))
      child.stdout.on("data", () => {
        const m = /listening on (http:\/\/\S+)/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(m[1])
        }
      })
    })
    const token = /Privileged token\s+(\S+)/.exec(output)?.[1]
    const res = await fetch(`${url}/products?limit=10`, { headers: { authorization: `Bearer ${token}` } })
    const body = await res.json()
    if (res.status !== 200 || !Array.isArray(body.products) || body.products.length !== 3) {
      throw new Error(`GET ${url}/products answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
    }
    const anon = await fetch(`${url}/products`)
    if (anon.status !== 401) throw new Error(`GET /products without a token answered ${anon.status}, not 401`)
    const exited = new Promise((resolve) => child.on("exit", resolve))
    child.kill("SIGTERM")
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10_000))])
    if (code !== 0) throw new Error(`tradegecko-sandbox did not stop cleanly on SIGTERM (${code})`)
    child = null
    console.log(
      `[package] OK: sandbox package ${packed.filename} (${shipped.length} files) installs alone; its bin served 3 products at ${url} and stopped on SIGTERM`
    )
  } finally {
    if (child) child.kill("SIGKILL")
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

checkSandboxPackage().catch((err) => {
  console.error(`[package] sandbox package: ${err.message}`)
  process.exit(1)
})
