import { execFile, spawn, type ChildProcess } from "node:child_process"
import { promisify } from "node:util"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

const { Client } = require("pg")
type Client = {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>
  connect(): Promise<void>
  end(): Promise<void>
}

/**
 * A production-shaped deployment for tests: separate `medusa start` processes (server,
 * workers) of this repository's app on one Postgres database and one Redis, with the
 * Redis event bus, workflow engine and locking (medusa-config.ts, TRADEGECKO_REDIS_INFRA).
 */
const root = path.resolve(__dirname, "../..")
const medusaBin = path.join(root, "node_modules/.bin/medusa")
const run = promisify(execFile)

function pgConfig() {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

export async function withDatabase<T>(fn: (db: Client) => Promise<T>, database: string): Promise<T> {
  const db = new Client({ ...pgConfig(), database })
  await db.connect()
  try {
    return await fn(db)
  } finally {
    await db.end()
  }
}

export interface Cluster {
  env: NodeJS.ProcessEnv
  database: string
  logDir: string
  /** Runs a `medusa exec` script of this repo (seeding); resolves its last JSON stdout line. */
  exec(script: string, extraEnv?: NodeJS.ProcessEnv): Promise<any>
  start(
    name: string,
    mode: "server" | "worker" | "shared",
    port: number,
    extraEnv?: NodeJS.ProcessEnv
  ): Promise<Instance>
  query<R = any>(sql: string, params?: unknown[]): Promise<R[]>
  /** Stops every instance (the database stays queryable). */
  stopInstances(): Promise<void>
  stop(): Promise<void>
}

export interface Instance {
  name: string
  child: ChildProcess
  port: number
  /** SIGKILL the whole process group: no shutdown hooks, like a crashed container. */
  crash(): Promise<void>
  stop(): Promise<void>
}

export async function startCluster(opts: { redisUrl: string; env: NodeJS.ProcessEnv }): Promise<Cluster> {
  const database = `tg_cluster_${Date.now()}_${process.pid}`
  await withDatabase((db) => db.query(`create database "${database}"`), "postgres")
  const { host, port, user, password } = pgConfig()
  const auth = password ? `${user}:${encodeURIComponent(password)}` : user
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "tg-cluster-"))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    DATABASE_URL: `postgres://${auth}@${host}:${port}/${database}`,
    REDIS_URL: opts.redisUrl,
    TRADEGECKO_REDIS_INFRA: "true",
    // the CLI registers ts-node for medusa-config.ts and src/: skip type checking at boot
    TS_NODE_TRANSPILE_ONLY: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: process.env.CLUSTER_LOG_LEVEL || "info",
    NODE_OPTIONS: "",
  }
  for (const k of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "JEST_WORKER_ID"]) delete env[k]
  const instances: Instance[] = []
  const db = new Client({ ...pgConfig(), database })

  await run(medusaBin, ["db:migrate"], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 }).catch(
    (e: { message: string; stderr?: string }) => {
      throw new Error(`medusa db:migrate failed: ${e.message}\n${(e.stderr ?? "").slice(-4000)}`)
    }
  )
  await db.connect()

  return {
    env,
    database,
    logDir,
    async exec(script, extraEnv = {}) {
      // async: the sandbox serving this script may live in the test's own process
      const out = await run(medusaBin, ["exec", script], {
        cwd: root,
        env: { ...env, TRADEGECKO_REDIS_INFRA: "false", ...extraEnv },
        maxBuffer: 64 * 1024 * 1024,
      }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`medusa exec ${script} failed: ${e.message}\n${(e.stderr ?? "").slice(-4000)}`)
      })
      const line = out.stdout
        .split("\n")
        .reverse()
        .find((l) => l.startsWith('{"regionId') || l.startsWith('{"result'))
      return line ? JSON.parse(line) : null
    },
    async start(name, mode, port, extraEnv = {}) {
      const log = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: "a" })
      const child = spawn(medusaBin, ["start", "-p", String(port)], {
        cwd: root,
        env: { ...env, ...extraEnv, MEDUSA_WORKER_MODE: mode, PORT: String(port) },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      })
      child.stdout!.pipe(log)
      child.stderr!.pipe(log)
      const exited = new Promise<void>((r) => child.on("exit", () => r()))
      const signal = async (sig: NodeJS.Signals) => {
        if (child.exitCode !== null || child.signalCode !== null) return
        try {
          process.kill(-child.pid!, sig)
        } catch {}
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      }
      const instance: Instance = {
        name,
        child,
        port,
        crash: () => signal("SIGKILL"),
        stop: async () => {
          await signal("SIGTERM")
          await signal("SIGKILL")
        },
      }
      instances.push(instance)
      // a worker serves no routes but still answers /health once its loaders are done
      const deadline = Date.now() + 180_000
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${logDir}/${name}.log`)
        try {
          if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return instance
        } catch {}
        await new Promise((r) => setTimeout(r, 500))
      }
      throw new Error(`${name} did not answer /health within 180 s; see ${logDir}/${name}.log`)
    },
    async query(sql, params = []) {
      return (await db.query(sql, params as any[])).rows
    },
    async stopInstances() {
      await Promise.all(instances.map((i) => i.stop()))
    },
    async stop() {
      await Promise.all(instances.map((i) => i.stop()))
      await db.end().catch(() => undefined)
    },
  }
}
