/**
 * Id prefixes of the rows the catalog import writes in bulk, shared by their models and
 * by the import, which gives the ids itself (src/lib/entity-ids.ts: Medusa's own
 * generator profiled at a quarter of an import's CPU).
 */
export const PRODUCT_LINK_ID_PREFIX = "tgpl"
export const VARIANT_LINK_ID_PREFIX = "tgvl"
export const SYNC_RUN_ITEM_ID_PREFIX = "tgri"
