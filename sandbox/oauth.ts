// OAuth 2 (spec §1): authorization-code grant with rotating refresh tokens,
// plus privileged access tokens that never expire.
//
//   GET  /oauth/authorize?response_type=code&client_id=…&redirect_uri=…[&state=…]
//        → HTML page with Approve / Deny buttons (form POST to /oauth/authorize)
//   POST /oauth/authorize → 302 redirect_uri?code=…[&state=…]
//   POST /oauth/token grant_type=authorization_code|refresh_token (JSON or form
//        body; client credentials in the body or HTTP Basic)
//   POST /oauth/revoke token=…
//
// Tokens: access tokens live accessTokenTtlSeconds (7200). A refresh returns a
// new refresh token; the old refresh token and its access token are revoked.
// Token-endpoint errors use Doorkeeper's {"error","error_description"} body with
// HTTP 401 (the status reported for a bad refresh token, SMAUG-ISS #25).
import { randomBytes } from "node:crypto"
import { unauthorized, type ApiError } from "./conventions/errors"
import type { Caller } from "./resources/define"
import type { SandboxCredentials } from "./types"

export const APPLICATION_ID = 1
export const ACCOUNT_ID = 1
export const USER_ID = 1

const CALLER: Caller = { applicationId: APPLICATION_ID, accountId: ACCOUNT_ID, userId: USER_ID }
const REALM = 'Bearer realm="TradeGecko"'
const CODE_TTL_MS = 10 * 60 * 1000

interface AccessToken {
  token: string
  expiresAt: number | null // null = privileged
  revoked: boolean
  refreshToken: string | null
}

interface RefreshToken {
  accessToken: string
  revoked: boolean
}

interface Code {
  redirectUri: string
  expiresAt: number
  used: boolean
}

export interface OAuthResponse {
  status: number
  headers: Record<string, string>
  body: string
}

const OAUTH_ERRORS: Record<string, string> = {
  invalid_request:
    "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
  invalid_client:
    "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  invalid_grant:
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  unsupported_grant_type: "The authorization grant type is not supported by the authorization server.",
  unsupported_response_type: "The authorization server does not support this response type.",
  access_denied: "The resource owner or authorization server denied the request.",
}

const token = () => randomBytes(32).toString("hex")

export type AuthResult = { ok: true; caller: Caller } | { ok: false; error: ApiError }

export class OAuth {
  private codes = new Map<string, Code>()
  private access = new Map<string, AccessToken>()
  private refresh = new Map<string, RefreshToken>()

  /** Issued codes and tokens as plain JSON (state file): a restarted sandbox accepts the same tokens. */
  dump(): { codes: [string, Code][]; access: [string, AccessToken][]; refresh: [string, RefreshToken][] } {
    return { codes: [...this.codes], access: [...this.access], refresh: [...this.refresh] }
  }

  load(state: ReturnType<OAuth["dump"]>): void {
    this.codes = new Map(state.codes)
    this.access = new Map(state.access)
    this.refresh = new Map(state.refresh)
  }

  constructor(
    private readonly credentials: SandboxCredentials,
    private readonly ttlSeconds: number,
    private readonly now: () => number
  ) {}

  // -------------------------------------------------------------------------
  // Bearer authentication for API requests

  authenticate(authorization: string | undefined, queryToken: string | undefined): AuthResult {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")
    const presented = m?.[1] ?? queryToken
    if (!presented) return { ok: false, error: unauthorized("You need to supply an access token", REALM) }
    if (presented === this.credentials.privilegedToken) return { ok: true, caller: CALLER }
    const t = this.access.get(presented)
    const fail = (message: string) =>
      ({
        ok: false,
        error: unauthorized(message, `${REALM}, error="invalid_token", error_description="${message}"`),
      }) as const
    if (!t) return fail("The access token is invalid")
    if (t.revoked) return fail("The access token was revoked")
    if (t.expiresAt !== null && this.now() >= t.expiresAt) return fail("The access token expired")
    return { ok: true, caller: CALLER }
  }

  /** Control API: every OAuth access token expires now (privileged tokens are unaffected). */
  expireAll(): number {
    let n = 0
    for (const t of this.access.values()) {
      if (t.expiresAt !== null && !t.revoked && t.expiresAt > this.now()) {
        t.expiresAt = this.now()
        n++
      }
    }
    return n
  }

  /** Control API: an authorization code without the browser step. */
  issueCode(redirectUri = this.credentials.redirectUri): string {
    const code = token()
    this.codes.set(code, { redirectUri, expiresAt: this.now() + CODE_TTL_MS, used: false })
    return code
  }

  // -------------------------------------------------------------------------
  // /oauth/* endpoints

  handle(
    method: string,
    path: string,
    query: Record<string, unknown>,
    body: Record<string, unknown>,
    basicAuth: string | undefined
  ): OAuthResponse | undefined {
    if (path === "/oauth/authorize" && method === "GET") return this.authorizePage(query)
    if (path === "/oauth/authorize" && method === "POST") return this.authorizeDecision({ ...query, ...body })
    if (path === "/oauth/token" && method === "POST") return this.tokenEndpoint(body, basicAuth)
    if (path === "/oauth/revoke" && method === "POST") return this.revoke(body)
    return undefined
  }

  private checkClient(params: Record<string, unknown>): OAuthResponse | undefined {
    if (params.client_id !== this.credentials.clientId)
      return htmlError(
        401,
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."
      )
    if (params.redirect_uri !== this.credentials.redirectUri)
      return htmlError(400, "The redirect uri included is not valid.")
    return undefined
  }

  private authorizePage(q: Record<string, unknown>): OAuthResponse {
    const bad = this.checkClient(q)
    if (bad) return bad
    const redirectUri = String(q.redirect_uri)
    if (q.response_type !== "code") return redirect(redirectUri, { error: "unsupported_response_type", state: q.state })
    const hidden = ["client_id", "redirect_uri", "response_type", "state"]
      .filter((k) => typeof q[k] === "string")
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(String(q[k]))}">`)
      .join("\n      ")
    const html = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Authorize application · TradeGecko sandbox</title></head>
  <body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto">
    <h1>Authorization required</h1>
    <p>Authorize <strong>Sandbox application</strong> to use your account <strong>Sandbox Trading Co.</strong>?</p>
    <p>This application will be able to: <em>public</em> (read and write your data).</p>
    <form method="post" action="/oauth/authorize">
      ${hidden}
      <button type="submit" name="decision" value="approve" id="approve">Authorize</button>
      <button type="submit" name="decision" value="deny" id="deny">Deny</button>
    </form>
  </body>
</html>
`
    return { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" }, body: html }
  }

  private authorizeDecision(p: Record<string, unknown>): OAuthResponse {
    const bad = this.checkClient(p)
    if (bad) return bad
    const redirectUri = String(p.redirect_uri)
    if (p.response_type !== undefined && p.response_type !== "code")
      return redirect(redirectUri, { error: "unsupported_response_type", state: p.state })
    if (p.decision === "deny") return redirect(redirectUri, { error: "access_denied", state: p.state })
    return redirect(redirectUri, { code: this.issueCode(redirectUri), state: p.state })
  }

  private tokenEndpoint(body: Record<string, unknown>, basicAuth: string | undefined): OAuthResponse {
    let clientId = body.client_id
    let clientSecret = body.client_secret
    const basic = /^Basic\s+(\S+)$/i.exec(basicAuth ?? "")
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":")
      clientId ??= decodeURIComponent(id ?? "")
      clientSecret ??= decodeURIComponent(secret ?? "")
    }
    if (clientId !== this.credentials.clientId || clientSecret !== this.credentials.clientSecret)
      return oauthError("invalid_client")
    switch (body.grant_type) {
      case "authorization_code": {
        if (typeof body.code !== "string" || !body.code) return oauthError("invalid_request")
        const code = this.codes.get(body.code)
        if (!code || code.used || this.now() >= code.expiresAt || body.redirect_uri !== code.redirectUri)
          return oauthError("invalid_grant")
        code.used = true
        return this.issueTokens()
      }
      case "refresh_token": {
        const r = typeof body.refresh_token === "string" ? this.refresh.get(body.refresh_token) : undefined
        if (!r || r.revoked) return oauthError("invalid_request")
        r.revoked = true
        const old = this.access.get(r.accessToken)
        if (old) old.revoked = true
        return this.issueTokens()
      }
      default:
        return oauthError(body.grant_type ? "unsupported_grant_type" : "invalid_request")
    }
  }

  private issueTokens(): OAuthResponse {
    const now = this.now()
    const access = token()
    const refresh = token()
    this.access.set(access, {
      token: access,
      expiresAt: now + this.ttlSeconds * 1000,
      revoked: false,
      refreshToken: refresh,
    })
    this.refresh.set(refresh, { accessToken: access, revoked: false })
    return json(200, {
      access_token: access,
      token_type: "bearer",
      expires_in: this.ttlSeconds,
      refresh_token: refresh,
      scope: "public",
      created_at: Math.floor(now / 1000),
    })
  }

  private revoke(body: Record<string, unknown>): OAuthResponse {
    const t = typeof body.token === "string" ? body.token : ""
    const a = this.access.get(t)
    if (a) {
      a.revoked = true
      const r = a.refreshToken ? this.refresh.get(a.refreshToken) : undefined
      if (r) r.revoked = true
    }
    const r = this.refresh.get(t)
    if (r) {
      r.revoked = true
      const at = this.access.get(r.accessToken)
      if (at) at.revoked = true
    }
    return json(200, {})
  }
}

function json(status: number, body: unknown): OAuthResponse {
  return {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", Pragma: "no-cache" },
    body: JSON.stringify(body),
  }
}

function oauthError(error: keyof typeof OAUTH_ERRORS): OAuthResponse {
  const res = json(401, { error, error_description: OAUTH_ERRORS[error] })
  if (error === "invalid_client") res.headers["WWW-Authenticate"] = `${REALM}, error="invalid_client"`
  return res
}

function redirect(uri: string, params: Record<string, unknown>): OAuthResponse {
  const url = new URL(uri)
  for (const [k, v] of Object.entries(params)) if (typeof v === "string") url.searchParams.set(k, v)
  if (params.error) url.searchParams.set("error_description", OAUTH_ERRORS[String(params.error)] ?? "")
  return { status: 302, headers: { Location: url.toString(), "Content-Type": "text/html; charset=utf-8" }, body: "" }
}

function htmlError(status: number, message: string): OAuthResponse {
  return {
    status,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    body: `<!doctype html><html><body><h1>An error has occurred</h1><p>${escapeHtml(message)}</p></body></html>\n`,
  }
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string
  )
}
