import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123175847 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "tradegecko_sync_run" ("id" text not null, "kind" text check ("kind" in ('catalog', 'stock', 'order_push', 'order_status')) not null, "trigger" text check ("trigger" in ('schedule', 'webhook', 'manual', 'event', 'checkout')) not null, "status" text check ("status" in ('running', 'succeeded', 'failed', 'partial')) not null default 'running', "started_at" timestamptz not null, "finished_at" timestamptz null, "counts" jsonb null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_sync_run_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_sync_run_deleted_at" ON "tradegecko_sync_run" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_sync_run_kind_started_at" ON "tradegecko_sync_run" ("kind", "started_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tradegecko_sync_run" cascade;`)
  }
}
