import { CommonEvents, composeMessage, ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { LinkDefinition, MedusaContainer } from "@medusajs/framework/types"
import { newEntityId } from "./entity-ids"

/** Rows inserted per link table, to delete them again (the compensation). */
export type InsertedLinkRows = Record<string, { ids: string[]; entity: string; source: string }>

const ROWS_PER_STATEMENT = 1000

/**
 * Links records that were created in the same step (so no link to them can exist yet)
 * by inserting rows into Medusa's link tables, one statement per table and 1,000 rows.
 * The table, its id prefix, its columns and its event names are read from the link's
 * own module. `link.create` ends in the same rows, but first looks every new row up in
 * the table (one `… where variant_id = $1 or price_set_id = $2 or …` per link table) and
 * builds an ORM entity per row: 9.3 s of a 2,000 × 5 catalog import, against under one
 * second here. The link module's `<link>.attached` event is emitted as `link.create`
 * emits it (Medusa's Index module keeps its copy of links by it). Only for new records:
 * an existing record's links go through `link.create`.
 */
export async function insertNewLinks(container: MedusaContainer, links: LinkDefinition[]): Promise<InsertedLinkRows> {
  const link = container.resolve(ContainerRegistrationKeys.LINK) as any
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  // Medusa's type for a pg table row is too narrow for knex's generic insert
  const into = (table: string) => pg(table) as any
  type TableRows = { prefix: string; entity: string; source: string; rows: Record<string, unknown>[] }
  const tables = new Map<string, TableRows>()
  for (const definition of links) {
    const [moduleA, moduleB] = Object.keys(definition).filter((k) => k !== "data")
    const keysA = definition[moduleA] as Record<string, string>
    const keysB = definition[moduleB] as Record<string, string>
    const service = link.getLinkModule(moduleA, Object.keys(keysA).join(","), moduleB, Object.keys(keysB).join(","))
    const config = service?.__joinerConfig
    const table: string | undefined = config?.databaseConfig?.tableName
    const columns = new Set<string>((config?.relationships ?? []).map((r: any) => r.foreignKey))
    const given = [...Object.keys(keysA), ...Object.keys(keysB)]
    if (!table || given.some((c) => !columns.has(c)))
      throw new Error(`No link table between ${moduleA} (${Object.keys(keysA)}) and ${moduleB} (${Object.keys(keysB)})`)
    const entry: TableRows = tables.get(table) ?? {
      prefix: config.databaseConfig.idPrefix ?? "link",
      entity: service.entityName_,
      source: service.serviceName_,
      rows: [],
    }
    tables.set(table, entry)
    entry.rows.push({ ...keysA, ...keysB, ...((definition.data as object) ?? {}) })
  }

  const inserted: InsertedLinkRows = {}
  try {
    for (const [table, { prefix, entity, source, rows }] of tables) {
      inserted[table] = { ids: [], entity, source }
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT).map((row) => ({ id: newEntityId(prefix), ...row }))
        await into(table).insert(chunk)
        inserted[table].ids.push(...chunk.map((r) => r.id as string))
      }
    }
  } catch (e) {
    await deleteRows(container, inserted).catch(() => undefined)
    throw e
  }
  await emitLinkEvents(container, inserted, CommonEvents.ATTACHED)
  return inserted
}

/** Deletes rows insertNewLinks inserted (the links of records being deleted again), with `<link>.detached`. */
export async function deleteLinkRows(container: MedusaContainer, inserted: InsertedLinkRows) {
  await deleteRows(container, inserted)
  await emitLinkEvents(container, inserted, CommonEvents.DETACHED)
}

async function deleteRows(container: MedusaContainer, inserted: InsertedLinkRows) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  for (const [table, { ids }] of Object.entries(inserted))
    for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT)
      await pg(table)
        .whereIn("id", ids.slice(i, i + ROWS_PER_STATEMENT))
        .delete()
}

async function emitLinkEvents(container: MedusaContainer, inserted: InsertedLinkRows, action: CommonEvents) {
  const messages = Object.values(inserted)
    .filter(({ ids, entity }) => ids.length && entity)
    .map(({ ids, entity, source }) =>
      composeMessage(`${entity}.${action}`, {
        data: { id: ids.length === 1 ? ids[0] : ids },
        source,
        object: entity,
        action,
      })
    )
  if (messages.length) await container.resolve(Modules.EVENT_BUS).emit(messages)
}
