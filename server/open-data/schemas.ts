// The Table Schemas of the published CSV files (schemas/*.json, the format of the French
// public schema catalogue), read once: their field order is the files' column order.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TableSchemaField {
  name: string;
  title: string;
  description: string;
  type: string;
  example: string;
  constraints?: { required?: boolean; unique?: boolean; pattern?: string; enum?: string[]; minimum?: number; maximum?: number };
}

export interface TableSchema {
  name: string;
  title: string;
  description: string;
  lastModified: string;
  fields: TableSchemaField[];
}

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas');

function load(file: string): { schema: TableSchema; bytes: Buffer } {
  const bytes = fs.readFileSync(path.join(DIR, file));
  return { schema: JSON.parse(bytes.toString('utf8')) as TableSchema, bytes };
}

export const SCHEMES_SCHEMA = load('demarches.json');
export const MEMBERS_SCHEMA = load('demarches-communes.json');

export const columnsOf = (schema: TableSchema): string[] => schema.fields.map((f) => f.name);
