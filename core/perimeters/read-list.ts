// Reads a CSV list of (perimeter code, perimeter name, commune code) rows: ';' or ',',
// UTF-8 with or without byte-order mark, or Latin-1. Files that are not text (an Excel
// workbook, UTF-16) are refused with a message saying how to save them.
import { CsvError, parseCsv, type CsvTable } from '../csv/read.ts';
import { PerimeterImportError } from './errors.ts';
import { codeFromName, detectListColumns, normalisePerimeterCode } from './fields.ts';
import type { Ignored, ListInput, ListRow } from './types.ts';

export interface ListReadOptions {
  codeField?: string | undefined;
  nameField?: string | undefined;
  communeField?: string | undefined;
  /** Whether a value is a commune code (current or former), to find an unnamed commune column. */
  isCommuneCode?: ((value: string) => boolean) | undefined;
}

function checkText(bytes: Uint8Array) {
  if (bytes.length === 0) throw new PerimeterImportError('Le fichier est vide.');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new PerimeterImportError(
      'Ce fichier est une archive ZIP ou un classeur Excel (.xlsx, .ods), pas un CSV : enregistrez la feuille au format CSV (séparateur ; ou ,).',
    );
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const head = bytes.subarray(0, 4096);
  const nul = head.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
  if (utf16 || nul > 0) {
    throw new PerimeterImportError(
      `Encodage non pris en charge${utf16 ? ' (UTF-16)' : ' (caractères nuls : fichier binaire ou UTF-16)'} : ` +
        'enregistrez le fichier en « CSV UTF-8 » ou en Latin-1.',
    );
  }
}

/** The CSV table of a list, checked (text, syntax, limits, header, rows) before anything else is loaded. */
export function readListTable(bytes: Uint8Array): CsvTable {
  checkText(bytes);
  let table: CsvTable;
  try {
    table = parseCsv(bytes);
  } catch (err) {
    if (err instanceof CsvError) throw new PerimeterImportError(`CSV illisible : ${err.message}.`);
    throw err;
  }
  // control characters are exactly what this check looks for
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/.test(table.header.join(''))) {
    throw new PerimeterImportError("Encodage non reconnu : l'en-tête contient des caractères de contrôle (fichier binaire ?).");
  }
  if (table.header.length < 2) {
    throw new PerimeterImportError(
      `En-tête inattendu (« ${table.header.join('').slice(0, 200)} ») : il faut au moins deux colonnes séparées par ; ou , (code ou nom du périmètre, code commune).`,
    );
  }
  if (table.rows.length === 0) throw new PerimeterImportError('Le fichier ne contient aucune ligne de données (seulement un en-tête).');
  return table;
}

export function readList(bytes: Uint8Array, options: ListReadOptions = {}): ListInput {
  return listFromTable(readListTable(bytes), options);
}

/** The (perimeter, commune) rows of a checked table. */
export function listFromTable(table: CsvTable, options: ListReadOptions = {}): ListInput {
  const columns = detectListColumns(
    table.header,
    table.rows.slice(0, 200),
    {
      code: options.codeField,
      name: options.nameField,
      commune: options.communeField,
    },
    options.isCommuneCode,
  );
  const warnings: string[] = [];
  if (
    /Ã[©¨ª´®¯§‰]/.test(
      table.rows
        .slice(0, 200)
        .map((r) => Object.values(r).join(' '))
        .join(' '),
    )
  ) {
    warnings.push('Caractères suspects (« Ã© ») : le fichier a peut-être été converti deux fois en UTF-8.');
  }

  const ignored: Ignored[] = [];
  const rows: ListRow[] = [];
  let recoded = 0;
  table.rows.forEach((r, i) => {
    const line = table.lines[i] ?? i + 2;
    const rawCode = columns.code ? (r[columns.code] ?? '') : '';
    const name = columns.name ? (r[columns.name] ?? '') : '';
    const commune = r[columns.commune] ?? '';
    if (!rawCode && !name && !commune) return ignored.push({ line, reason: 'ligne vide' });
    if (!commune) return ignored.push({ line, reason: 'code commune vide' });
    const code = rawCode ? normalisePerimeterCode(rawCode) : codeFromName(name);
    if (!code) return ignored.push({ line, reason: 'ni code ni nom de périmètre' });
    if (rawCode && code !== rawCode) recoded++;
    rows.push({ line, code, name: name || code, commune });
  });
  if (recoded) warnings.push(`${recoded} codes de périmètre réécrits (lettres, chiffres, « . », « _ », « - » seulement).`);
  if (!columns.code) warnings.push(`Pas de colonne de code : codes formés à partir des noms (colonne « ${columns.name} »).`);
  return {
    format: 'csv',
    rows,
    rowsRead: table.rows.length,
    ignored,
    columns,
    encoding: table.encoding,
    separator: table.separator,
    warnings,
  };
}
