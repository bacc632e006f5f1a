import { defineConfig, loadEnv } from "@medusajs/framework/utils"
import fs from "node:fs"
import path from "node:path"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The dev/test app of this repository. It loads the plugin's own `src/` (the
 * test runner adds `<root>/src` as the project's code), and registers the
 * module from source. Do not list this plugin under `plugins` here: it would
 * be loaded twice. Host apps use `plugins: [{ resolve: "medusa-plugin-tradegecko", options }]`.
 */
// Production infrastructure (README "Production: server + workers on Redis"; used by the Redis
// suite, integration-tests/redis): Redis event bus (BullMQ), Redis workflow engine (scheduled
// jobs and long workflows shared by all instances) and Redis locking, instead of the
// in-process defaults. MEDUSA_WORKER_MODE=server|worker|shared picks the instance's role.
const redisInfra =
  process.env.TRADEGECKO_REDIS_INFRA === "true" && process.env.REDIS_URL
    ? [
        { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl: process.env.REDIS_URL } },
        { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl: process.env.REDIS_URL } } },
        {
          resolve: "@medusajs/medusa/locking",
          options: {
            providers: [
              {
                resolve: "@medusajs/medusa/locking-redis",
                id: "locking-redis",
                is_default: true,
                options: { redisUrl: process.env.REDIS_URL },
              },
            ],
          },
        },
      ]
    : []

function realNodeModules(): string {
  const dir = path.join(process.cwd(), "node_modules")
  try {
    return fs.realpathSync(dir)
  } catch {
    return dir
  }
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server" | undefined) || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173",
      jwtSecret: process.env.JWT_SECRET || "tradegecko-dev-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "tradegecko-dev-cookie-secret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_ADMIN_DISABLE !== "false",
    // The browser suite runs the app from a copy (.demo/browser-test/app) whose node_modules
    // links to the repository's: vite must be allowed to serve the dashboard's files (its
    // fonts) from there, or they fail with 403.
    vite: () => ({ server: { fs: { allow: [realNodeModules()] } } }),
  },
  modules: [
    ...redisInfra,
    {
      resolve: "./src/modules/tradegecko",
      options: {
        baseUrl: process.env.TRADEGECKO_BASE_URL || "http://127.0.0.1:4010",
        clientId: process.env.TRADEGECKO_CLIENT_ID || "sandbox-client-id",
        clientSecret: process.env.TRADEGECKO_CLIENT_SECRET || "sandbox-client-secret",
        // "none": no token option, so the store connects from the admin settings page (demo, browser suite)
        privilegedToken:
          process.env.TRADEGECKO_PRIVILEGED_TOKEN === "none"
            ? undefined
            : process.env.TRADEGECKO_PRIVILEGED_TOKEN || "sandbox-privileged-token",
        webhookBaseUrl: process.env.TRADEGECKO_WEBHOOK_BASE_URL || undefined,
        requestTimeoutSeconds: process.env.TRADEGECKO_REQUEST_TIMEOUT_SECONDS
          ? Number(process.env.TRADEGECKO_REQUEST_TIMEOUT_SECONDS)
          : undefined,
        importHeapHeadroomMb: process.env.TRADEGECKO_IMPORT_HEAP_HEADROOM_MB
          ? Number(process.env.TRADEGECKO_IMPORT_HEAP_HEADROOM_MB)
          : undefined,
        autoFinalizeOrders: process.env.TRADEGECKO_AUTO_FINALIZE_ORDERS === "true" || undefined,
        cancelPaidOrdersOnVoid: process.env.TRADEGECKO_CANCEL_PAID_ORDERS_ON_VOID === "true" || undefined,
        productSyncSchedule: process.env.TRADEGECKO_SYNC_SCHEDULE || undefined,
        webhookCheckSchedule: process.env.TRADEGECKO_WEBHOOK_CHECK_SCHEDULE || undefined,
        // With the Redis infrastructure, the rate-limit budget lives in Redis too.
        redisUrl:
          process.env.TRADEGECKO_REDIS_INFRA === "true" && process.env.REDIS_URL ? process.env.REDIS_URL : undefined,
        orderReconcileSchedule:
          process.env.TRADEGECKO_ORDER_RECONCILE_SCHEDULE || process.env.TRADEGECKO_SYNC_SCHEDULE || undefined,
      },
    },
  ],
})
