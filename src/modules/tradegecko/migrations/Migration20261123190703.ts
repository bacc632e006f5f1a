import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123190703 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" add column if not exists "checkout_when_unreachable" text null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_settings" drop column if exists "checkout_when_unreachable";`)
  }
}
