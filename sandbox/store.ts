// In-memory state: one table per resource, per-table id sequences, a clock,
// and the buffer of webhook events raised while handling a request.
//
// Rows hold raw values (numbers for money/quantities, epoch ms for timestamps);
// resource serializers turn them into TradeGecko's JSON shapes. Any code that
// changes a row must call store.touch(row) (bumps updated_at) or
// store.markWritten(row): that invalidates cached indexes and tells settle()
// (domain/settle.ts) which orders and variants to re-derive.

export type RowId = number | string
export interface Row {
  id: RowId
  created_at: number
  updated_at: number

  [field: string]: any
}

export interface SandboxEvent {
  event: string
  /** URL segment of the resource, e.g. "fulfillments". */
  resource: string
  objectId: RowId
  at: number
}

export class Clock {
  offsetMs = 0
  constructor(private readonly base: () => number) {}
  now(): number {
    return this.base() + this.offsetMs
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000
  }
}

export class Store {
  readonly events: SandboxEvent[] = []
  private tables = new Map<string, Map<string, Row>>()
  private sequences = new Map<string, number>()
  /** where() indexes per table and field; dropped when that table's rows change. */
  private indexes = new Map<string, Map<string, Map<unknown, Row[]>>>()
  /** Table of every row (rows themselves stay plain data). */
  private readonly tableOf = new WeakMap<Row, string>()
  /** Rows written since the last takeWrites(), per table (deleted rows included). */
  private writes = new Map<string, Map<string, Row>>()
  /** Called after any change (the state file uses it to schedule a save). */
  onChange: () => void = () => {}

  constructor(
    readonly clock: Clock,
    private readonly idBases: Record<string, number> = {}
  ) {}

  now(): number {
    return this.clock.now()
  }

  reset(): void {
    this.tables.clear()
    this.indexes.clear()
    this.sequences.clear()
    this.events.length = 0
    this.writes.clear()
    this.onChange()
  }

  /** Every table and id sequence as plain JSON (for the state file). */
  dump(): { tables: Record<string, Row[]>; sequences: Record<string, number> } {
    const tables: Record<string, Row[]> = {}
    for (const [name, t] of this.tables) tables[name] = [...t.values()]
    return { tables, sequences: Object.fromEntries(this.sequences) }
  }

  /** Replaces the contents with a dump(); no events, no writes to settle. */
  load(state: { tables: Record<string, Row[]>; sequences: Record<string, number> }): void {
    this.reset()
    for (const [name, rows] of Object.entries(state.tables)) for (const row of rows) this.insert(name, row)
    for (const [name, n] of Object.entries(state.sequences)) this.sequences.set(name, n)
    this.writes.clear()
    this.events.length = 0
  }

  private table(name: string): Map<string, Row> {
    let t = this.tables.get(name)
    if (!t) this.tables.set(name, (t = new Map()))
    return t
  }

  all(name: string): Row[] {
    return [...this.table(name).values()]
  }

  count(name: string): number {
    return this.table(name).size
  }

  tableNames(): string[] {
    return [...this.tables.keys()]
  }

  get(name: string, id: unknown): Row | undefined {
    return id === null || id === undefined ? undefined : this.table(name).get(String(id))
  }

  nextId(name: string): number {
    const next = (this.sequences.get(name) ?? (this.idBases[name] ?? 1) - 1) + 1
    this.sequences.set(name, next)
    return next
  }

  /** Inserts a row; id/created_at/updated_at are filled in unless given (the seed gives them). */
  insert(name: string, fields: Record<string, unknown>): Row {
    const now = this.now()
    const row = { ...fields } as Row
    row.id ??= this.nextId(name)
    if (typeof row.id === "number" && row.id > (this.sequences.get(name) ?? 0)) this.sequences.set(name, row.id)
    row.created_at ??= now
    row.updated_at ??= row.created_at
    this.table(name).set(String(row.id), row)
    this.tableOf.set(row, name)
    for (const [field, index] of this.indexes.get(name) ?? []) addToIndex(index, row, field)
    this.markWritten(row, false)
    return row
  }

  delete(name: string, id: RowId): void {
    const row = this.table(name).get(String(id))
    if (row) this.markWritten(row)
    this.table(name).delete(String(id))
    this.indexes.delete(name)
    this.onChange()
  }

  /** A row changed: bump updated_at and remember the write. */
  touch(row: Row): void {
    row.updated_at = Math.max(this.now(), row.updated_at)
    this.markWritten(row)
  }

  /** A row changed without a visible updated_at change (derived data such as stock). */
  markWritten(row: Row, fieldsChanged = true): void {
    const table = this.tableOf.get(row)
    if (table) {
      if (fieldsChanged) this.indexes.delete(table)
      let set = this.writes.get(table)
      if (!set) this.writes.set(table, (set = new Map()))
      set.set(String(row.id), row)
    }
    this.onChange()
  }

  /** Rows written since the previous call, per table; clears the record. */
  takeWrites(): Map<string, Map<string, Row>> {
    const out = this.writes
    this.writes = new Map()
    return out
  }

  /** Rows of `name` whose `field` equals `value` (indexed; the index is rebuilt after that table changes). */
  where(name: string, field: string, value: unknown): Row[] {
    let byField = this.indexes.get(name)
    if (!byField) this.indexes.set(name, (byField = new Map()))
    let index = byField.get(field)
    if (!index) {
      index = new Map()
      for (const row of this.table(name).values()) addToIndex(index, row, field)
      byField.set(field, index)
    }
    return index.get(value) ?? []
  }

  emit(event: string, resource: string, objectId: RowId): void {
    this.events.push({ event, resource, objectId, at: this.now() })
  }

  drainEvents(): SandboxEvent[] {
    return this.events.splice(0, this.events.length)
  }
}

function addToIndex(index: Map<unknown, Row[]>, row: Row, field: string): void {
  const k = row[field] === undefined ? null : row[field]
  const list = index.get(k)
  if (list) list.push(row)
  else index.set(k, [row])
}
