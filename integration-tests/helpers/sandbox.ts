import { startSandbox, type SandboxHandle, type SandboxOptions } from "../../sandbox"

/** One request in the sandbox's request log. */
export interface RequestLogEntry {
  method: string
  /** Normalised path, e.g. /variants/:id */
  path: string
  url: string
  status: number | null
  idempotencyKey: string | null
}

/** The checkout stock guard's call: GET /variants?ids[]=… (the catalog lists variants without ids). */
export const checkoutCalls = (log: RequestLogEntry[]) =>
  log.filter((e) => e.path === "/variants" && e.url.includes("ids"))

/**
 * Starts the TradeGecko sandbox before the Medusa test app boots (jest runs this
 * top-level beforeAll before the runner's own), and points the plugin at it through
 * TRADEGECKO_BASE_URL, which medusa-config.ts reads.
 */
export function useSandbox(options: SandboxOptions = {}) {
  const ref: { current: SandboxHandle | null } = { current: null }
  beforeAll(async () => {
    ref.current = await startSandbox({ port: 0, ...options })
    process.env.TRADEGECKO_BASE_URL = ref.current.url
  })
  afterAll(async () => {
    await ref.current?.close()
  })

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ref.current!.url}/__sandbox${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`sandbox ${method} ${path} → ${res.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }
  /** Calls the TradeGecko API itself, as the plugin would. */
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ref.current!.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${ref.current!.credentials.privilegedToken}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
  }
  return {
    get sandbox() {
      return ref.current!
    },
    control,
    api,
    /** The requests the sandbox received since the last clear, oldest first. */
    requests: async (): Promise<RequestLogEntry[]> => (await control("GET", "/requests")).entries,
    /** Request counts per "METHOD /path" since the last clear. */
    requestCounts: async (): Promise<Record<string, number>> => (await control("GET", "/requests")).counts,
    clearRequests: () => control("DELETE", "/requests"),
  }
}
