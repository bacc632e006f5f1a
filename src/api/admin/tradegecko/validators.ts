import { z } from "@medusajs/framework/zod"

export const PostCatalogSyncBody = z
  .object({
    /** Plan only: return the creates, updates, hides and stock changes without writing. */
    dry_run: z.boolean().default(false),
    /** Re-import everything instead of what changed since the last good run. */
    full: z.boolean().default(false),
  })
  .strict()
export type PostCatalogSyncBodyType = z.infer<typeof PostCatalogSyncBody>

export const PostRetryOrdersBody = z
  .object({
    /** Also push orders still waiting for their first (or next automatic) attempt. */
    include_pending: z.boolean().default(false),
    /** At most this many orders in one request. */
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()
export type PostRetryOrdersBodyType = z.infer<typeof PostRetryOrdersBody>

export const PostConnectBody = z.discriminatedUnion("type", [
  z.object({ type: z.literal("oauth") }).strict(),
  z.object({ type: z.literal("privileged_token"), token: z.string().trim().min(1) }).strict(),
])
export type PostConnectBodyType = z.infer<typeof PostConnectBody>
