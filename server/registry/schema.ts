// A registry CSV row, checked with the API's rules (contract/schemes.ts), and the code a
// scheme gets from its name.
import { z } from 'zod';
import { schemeFields as fields } from '../../contract/schemes.ts';

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** A registry CSV row, checked with the same rules as the API. */
export const importedSchemeSchema = z.object({
  code: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/, { message: 'code invalide' }),
  type: fields.type,
  name: fields.name,
  bearerType: fields.bearerType,
  bearerName: fields.bearerName,
  themes: fields.themes,
  signatories: fields.signatories,
  remark: fields.remark,
  status: fields.status,
  signatureDate: fields.signatureDate,
  endDate: fields.endDate,
  coordinationFte: fields.coordinationFte,
  generation: fields.generation,
  communes: z.array(z.object({ code: z.string(), share: z.number().gt(0).max(1) })),
});
