#!/usr/bin/env node
/**
 * What `npm pack` would publish, checked: the built plugin (run `npm run build` first), the
 * docs the README links to, and nothing of the sources, tests or sandbox state. Every relative
 * link in README.md must point at a file the package ships, so the links work in node_modules
 * and on the package page. Exits 1 naming what is wrong. Run by .ci/run after the build.
 */
const { execFileSync } = require("node:child_process")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..")
const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root }).toString())
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

const readme = fs.readFileSync(path.join(root, "README.md"), "utf8")
for (const [, target] of readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
  if (/^[a-z]+:/i.test(target)) continue // absolute URL
  if (!files.has(path.posix.normalize(target))) problems.push(`README links to ${target}, which the package does not ship`)
}

if (problems.length) {
  console.error(`[package] ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`)
  process.exit(1)
}
console.log(`[package] OK: ${files.size} files, ${(pack.size / 1024).toFixed(0)} kB packed; every README link is shipped`)
