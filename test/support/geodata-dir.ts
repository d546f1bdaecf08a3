// Where the tests read the real data: GEODATA_DIR, else the shared folder beside the
// repository. Kept apart from backends.ts so unit tests can read files without a database.
import path from 'node:path';

export const GEODATA_DIR = path.resolve(process.env.GEODATA_DIR ?? '../shared/geodata');
