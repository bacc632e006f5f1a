const { startPostgres } = require("../../scripts/lib/postgres")

const { Client } = require("pg")

/**
 * The Postgres a bench or soak run uses: DB_HOST's server when set, else embedded
 * Postgres. Each measured run gets its own fresh database.
 */
export async function benchPostgres() {
  let pg: any = null
  let db: { host: string; port: string; user: string; password: string }
  if (process.env.DB_HOST) {
    db = {
      host: process.env.DB_HOST === "127.0.0.1" ? "localhost" : process.env.DB_HOST,
      port: process.env.DB_PORT || "5432",
      user: process.env.DB_USERNAME || "postgres",
      password: process.env.DB_PASSWORD || "",
    }
  } else {
    pg = await startPostgres({ quiet: true })
    db = { host: "localhost", port: pg.env.DB_PORT, user: "postgres", password: "postgres" }
  }
  const auth = db.password ? `${db.user}:${encodeURIComponent(db.password)}` : db.user
  const onServer = async (statements: string[]) => {
    const admin = new Client({
      host: db.host,
      port: Number(db.port),
      user: db.user,
      password: db.password,
      database: "postgres",
    })
    await admin.connect()
    try {
      for (const sql of statements) await admin.query(sql)
    } finally {
      await admin.end()
    }
  }
  return {
    /** Creates the database (plus `alter database … set` settings) and returns its URL. */
    async createDatabase(name: string, settings: string[] = []): Promise<string> {
      await onServer([`create database "${name}"`, ...settings.map((s) => `alter database "${name}" set ${s}`)])
      return `postgres://${auth}@${db.host}:${db.port}/${name}`
    },
    /** Embedded: stops the server (its data goes with it); a real server: drops `database`. */
    async release(database?: string) {
      if (pg) await pg.stop()
      else if (database) await onServer([`drop database if exists "${database}" with (force)`]).catch(() => undefined)
    },
  }
}
