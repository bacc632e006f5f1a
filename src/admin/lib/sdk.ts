import Medusa from "@medusajs/js-sdk"

/**
 * The one client the plugin's admin screens use. It calls only the plugin's own
 * /admin/tradegecko/* routes, with the dashboard's session cookie.
 */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: false,
  auth: { type: "session" },
})

/** GET/POST /admin/tradegecko<path>; a failed call rejects with the route's message in words. */
export function tradegecko<T>(
  path: string,
  init: { method?: "GET" | "POST"; body?: unknown; query?: Record<string, unknown> } = {}
): Promise<T> {
  return sdk.client.fetch<T>(`/admin/tradegecko${path}`, {
    method: init.method ?? "GET",
    body: init.body as never,
    query: init.query,
  })
}

/** The message of a failed call, for toasts and inline errors. */
export function errorText(error: unknown): string {
  const e = error as { message?: string } | null
  return e?.message || "Something went wrong"
}
