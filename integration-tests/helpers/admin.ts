import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules, generateJwtToken } from "@medusajs/framework/utils"

/**
 * Creates an admin user with an emailpass identity and returns request headers
 * carrying a JWT signed with the app's secret, as the admin dashboard would send.
 */
export async function createAdminHeaders(container: MedusaContainer) {
  const userModule = container.resolve(Modules.USER)
  const authModule = container.resolve(Modules.AUTH)
  const config = container.resolve("configModule")

  const user = await userModule.createUsers({ email: `admin-${Date.now()}@example.com` })
  const authIdentity = await authModule.createAuthIdentities({
    provider_identities: [{ provider: "emailpass", entity_id: user.email }],
    app_metadata: { user_id: user.id },
  })
  const token = generateJwtToken(
    {
      actor_id: user.id,
      actor_type: "user",
      auth_identity_id: authIdentity.id,
      app_metadata: { user_id: user.id },
    },
    { secret: config.projectConfig.http.jwtSecret!, expiresIn: "1d" }
  )
  return { headers: { authorization: `Bearer ${token}` }, user }
}
