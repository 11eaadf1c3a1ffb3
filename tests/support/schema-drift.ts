import { readFile } from "node:fs/promises";
import path from "node:path";
import internals from "@prisma/internals";
import pg from "pg";

// Compares prisma/schema.prisma (its DMMF, read offline) with a live catalog:
// every model's table, every scalar field's column, type family, nullability,
// and unique constraints. Nobody here can run `prisma migrate diff`.

type TColumn = { table_name: string; column_name: string; udt_name: string; is_nullable: "YES" | "NO" };

const TYPE_FAMILIES: Record<string, string[]> = {
  BigInt: ["int8"],
  Int: ["int4", "int2"],
  String: ["text", "varchar", "citext", "uuid", "bpchar"],
  Boolean: ["bool"],
  DateTime: ["timestamptz", "timestamp", "date"],
  Json: ["jsonb", "json"],
  Float: ["float8", "float4"],
  Decimal: ["numeric"],
  Bytes: ["bytea"],
};

export async function findSchemaDrift(connectionString: string, schemaFile = path.join(process.cwd(), "prisma", "schema.prisma")): Promise<string[]> {
  const dmmf = await internals.getDMMF({ datamodel: await readFile(schemaFile, "utf8") });
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = (
      await client.query<TColumn>(
        // Views (member_access_paths…) are SQL's own; only tables map to models.
        `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
         WHERE c.table_schema = 'public'`,
      )
    ).rows;
    const uniques = (
      await client.query<{ table_name: string; columns: string[] }>(`
        SELECT t.relname AS table_name, array_agg(a.attname::text ORDER BY k.ordinality) AS columns
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE i.indisunique AND NOT i.indisprimary
        GROUP BY i.indexrelid, t.relname`)
    ).rows;
    const columnsByTable = new Map<string, Map<string, TColumn>>();
    for (const column of columns) {
      const table = columnsByTable.get(column.table_name) ?? new Map<string, TColumn>();
      table.set(column.column_name, column);
      columnsByTable.set(column.table_name, table);
    }
    const uniqueSets = new Set(uniques.map((unique) => `${unique.table_name}(${[...unique.columns].sort().join(",")})`));

    const problems: string[] = [];
    const modelTables = new Set<string>();
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      modelTables.add(table);
      const tableColumns = columnsByTable.get(table);
      if (!tableColumns) {
        problems.push(`table ${table} (model ${model.name}) is missing`);
        continue;
      }
      const columnName = new Map<string, string>();
      const scalarColumns = new Set<string>();
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        const name = field.dbName ?? field.name;
        columnName.set(field.name, name);
        scalarColumns.add(name);
        const column = tableColumns.get(name);
        if (!column) {
          problems.push(`column ${table}.${name} (${model.name}.${field.name}) is missing`);
          continue;
        }
        // Postgres names an array type after its element with a leading underscore.
        const family = field.kind === "enum" ? null : TYPE_FAMILIES[field.type]?.map((udt) => (field.isList ? `_${udt}` : udt));
        if (family && !family.includes(column.udt_name)) problems.push(`column ${table}.${name} is ${column.udt_name}, the schema says ${field.type}`);
        const nullable = column.is_nullable === "YES";
        if (nullable === field.isRequired) problems.push(`column ${table}.${name} is ${nullable ? "nullable" : "NOT NULL"}, the schema says ${field.isRequired ? "required" : "optional"}`);
        if (field.isUnique && !uniqueSets.has(`${table}(${name})`)) problems.push(`column ${table}.${name} has no unique constraint, the schema says @unique`);
      }
      for (const name of tableColumns.keys()) {
        if (!scalarColumns.has(name)) problems.push(`column ${table}.${name} exists in the database but not in the schema`);
      }
      for (const fields of model.uniqueFields) {
        const key = `${table}(${fields.map((field) => columnName.get(field) ?? field).sort().join(",")})`;
        if (!uniqueSets.has(key)) problems.push(`unique constraint ${key} (@@unique on ${model.name}) is missing`);
      }
    }
    for (const table of columnsByTable.keys()) {
      if (table !== "_prisma_migrations" && !modelTables.has(table)) problems.push(`table ${table} exists in the database but not in the schema`);
    }
    return problems;
  } finally {
    await client.end();
  }
}
