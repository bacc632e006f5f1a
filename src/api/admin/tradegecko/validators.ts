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
