// Small HTTP helpers: Rack-style query/form parsing (a[b]=1, a[]=1), body reading.
import type { IncomingMessage } from "node:http"
import { badRequest } from "./conventions/errors"
import type { Json, JsonObject } from "./types"

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue }
export type Query = Record<string, QueryValue | undefined>

/** Parses "a=1&b[]=2&c[d]=3&e[][f]=4" the way Rack does (arrays and nested hashes). */
export function parseParams(raw: string): Record<string, QueryValue> {
  const root: Record<string, QueryValue> = {}
  for (const part of raw.split("&")) {
    if (!part) continue
    const eq = part.indexOf("=")
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "))
      } catch {
        return s
      }
    }
    const key = decode(eq < 0 ? part : part.slice(0, eq))
    const value = eq < 0 ? "" : decode(part.slice(eq + 1))
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key)
    if (!m) {
      root[key] = value
      continue
    }
    const path = [m[1], ...[...m[2].matchAll(/\[([^\]]*)\]/g)].map((x) => x[1])]
    assignPath(root, path, value)
  }
  return root
}

function assignPath(container: Record<string, QueryValue> | QueryValue[], path: string[], value: string): void {
  const [head, ...rest] = path
  const isArrayKey = head === ""
  if (Array.isArray(container)) {
    if (!rest.length) {
      container.push(value)
      return
    }
    // "e[][f]=4": start a new hash unless the last one lacks this key
    let last = container[container.length - 1] as Record<string, QueryValue> | undefined
    const nextKey = rest[0]
    if (!last || typeof last !== "object" || Array.isArray(last) || (rest.length === 1 && nextKey in last)) {
      last = {}
      container.push(last)
    }
    assignPath(last, rest, value)
    return
  }
  if (isArrayKey) return
  if (!rest.length) {
    container[head] = value
    return
  }
  const wantsArray = rest[0] === ""
  let child = container[head]
  if (wantsArray ? !Array.isArray(child) : !child || typeof child !== "object" || Array.isArray(child)) {
    child = wantsArray ? [] : {}
    container[head] = child
  }
  assignPath(child as Record<string, QueryValue> | QueryValue[], rest, value)
}

export function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (c: Buffer) => {
      size += c.length
      if (size > limitBytes) {
        reject(badRequest("Request body too large"))
        req.destroy()
      } else chunks.push(c)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/** JSON or form-encoded body → object. Throws 400 on malformed JSON. */
export function parseBody(raw: string, contentType: string | undefined): JsonObject {
  if (!raw.trim()) return {}
  const type = (contentType ?? "").toLowerCase()
  if (type.includes("application/x-www-form-urlencoded")) return parseParams(raw) as unknown as JsonObject
  let parsed: Json
  try {
    parsed = JSON.parse(raw) as Json
  } catch (e) {
    // curl -d without a content type, or other clients that skip the header
    if (!type.includes("json") && /^[^{[]/.test(raw.trim())) return parseParams(raw) as unknown as JsonObject
    throw badRequest(`There was a problem in the JSON you submitted: ${(e as Error).message}`)
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw badRequest("Request body must be a JSON object")
  return parsed
}
