// Error bodies (spec §2.6). Handlers throw ApiError; the server turns it into a response.
//   400 {"type":"Bad Request","message":"Required parameter missing: invoice"}
//   401 {"type":"Unauthorized","message":...}                      [I] §2.6
//   404 {"type":"Not Found","message":"Couldn't find Product with 'id'=9"}
//   409 {"type":"Conflict","message":"Duplicate Idempotency Key header detected"}  [I] §2.8
//   422 {"errors":{"name":["can't be blank"]}}
//   429 {"type":"Too Many Requests","message":...}                 [I] §2.6
import type { Json } from "../types"

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly headers: Record<string, string> = {}
  ) {
    super(typeof body === "object" && body && "message" in body ? String(body.message) : `HTTP ${status}`)
  }
}

const typed = (status: number, type: string, message: string, headers?: Record<string, string>) =>
  new ApiError(status, { type, message }, headers)

export const badRequest = (message: string) => typed(400, "Bad Request", message)
export const notFound = (message: string) => typed(404, "Not Found", message)
export const recordNotFound = (klass: string, id: string | number) => notFound(`Couldn't find ${klass} with 'id'=${id}`)
export const routeNotFound = (method: string, path: string) => notFound(`No route matches [${method}] "${path}"`)
export const conflict = (message = "Duplicate Idempotency Key header detected") => typed(409, "Conflict", message)
export const unauthorized = (message: string, wwwAuthenticate: string) =>
  typed(401, "Unauthorized", message, { "WWW-Authenticate": wwwAuthenticate })
export const tooManyRequests = (limit: number, windowSeconds: number, reset: number) =>
  typed(
    429,
    "Too Many Requests",
    `Rate limit of ${limit} requests per ${windowSeconds} seconds exceeded, retry after ${reset}`
  )
export const serverError = (status: 500 | 503) =>
  status === 500
    ? typed(500, "Internal Server Error", "We had a problem with our server. Try again later.")
    : typed(503, "Service Unavailable", "The server was unable to finish the request in time.")

/** Collects Rails-style validation messages, thrown as one 422. */
export class Errors {
  private readonly map: Record<string, string[]> = {}

  add(field: string, message: string): this {
    ;(this.map[field] ??= []).push(message)
    return this
  }

  /** Copies another collection's messages, keys prefixed ("order_line_items.variant_id"), minus `skip`ped fields. */
  addAll(other: Errors, prefix?: string, skip: readonly string[] = []): this {
    for (const [field, messages] of Object.entries(other.map)) {
      if (skip.includes(field)) continue
      for (const m of messages) this.add(prefix ? `${prefix}.${field}` : field, m)
    }
    return this
  }

  get any(): boolean {
    return Object.keys(this.map).length > 0
  }

  throwIfAny(): void {
    if (this.any) throw new ApiError(422, { errors: this.map })
  }
}

export const unprocessable = (field: string, message: string) => new ApiError(422, { errors: { [field]: [message] } })
export const baseError = (message: string) => unprocessable("base", message)
