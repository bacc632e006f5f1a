import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// How a merchant's app registers the plugin: by package name, under `plugins`.
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "host-app-jwt-secret",
      cookieSecret: process.env.COOKIE_SECRET || "host-app-cookie-secret",
    },
  },
  admin: { disable: true },
  plugins: [
    {
      resolve: "medusa-plugin-tradegecko",
      options: {
        baseUrl: process.env.TRADEGECKO_BASE_URL || "http://127.0.0.1:4010",
        privilegedToken: process.env.TRADEGECKO_PRIVILEGED_TOKEN,
        checkoutFreshnessSeconds: process.env.TRADEGECKO_CHECKOUT_FRESHNESS
          ? Number(process.env.TRADEGECKO_CHECKOUT_FRESHNESS)
          : undefined,
      },
    },
  ],
})
