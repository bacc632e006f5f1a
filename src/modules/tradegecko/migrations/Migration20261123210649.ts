import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123210649 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_job_tick" drop constraint if exists "tradegecko_job_tick_job_tick_at_unique";`
    )
    this.addSql(
      `create table if not exists "tradegecko_job_tick" ("id" text not null, "job" text not null, "tick_at" timestamptz not null, "claimed_by" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_job_tick_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_job_tick_deleted_at" ON "tradegecko_job_tick" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_job_tick_job_tick_at_unique" ON "tradegecko_job_tick" ("job", "tick_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tradegecko_job_tick" cascade;`)
  }
}
