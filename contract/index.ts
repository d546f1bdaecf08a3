// Every HTTP route of the service, in the order of the reference page: the OpenAPI
// document, its test (every mounted route is here) and the client read this list.
import type { Endpoint } from './endpoint.ts';
import { endpoints as accounts } from './accounts.ts';
import { endpoints as analysis } from './analysis.ts';
import { endpoints as auth } from './auth.ts';
import { endpoints as contributions } from './contributions.ts';
import { endpoints as inventory } from './inventory.ts';
import { endpoints as jobs } from './jobs.ts';
import { endpoints as ogc } from './ogc.ts';
import { endpoints as openData } from './open-data.ts';
import { endpoints as panorama } from './panorama.ts';
import { endpoints as perimeterImport } from './perimeter-import.ts';
import { endpoints as perimeterVersions } from './perimeter-versions.ts';
import { endpoints as schemeImport } from './scheme-import.ts';
import { endpoints as schemes } from './schemes.ts';
import { endpoints as search } from './search.ts';
import { endpoints as system } from './system.ts';
import { endpoints as territories } from './territories.ts';

export const ENDPOINTS: readonly Endpoint[] = [
  ...Object.values(territories),
  ...Object.values(search),
  ...Object.values(analysis),
  ...Object.values(panorama),
  ...Object.values(schemes),
  ...Object.values(inventory),
  ...Object.values(schemeImport),
  ...Object.values(contributions),
  ...Object.values(jobs),
  ...Object.values(perimeterImport),
  ...Object.values(perimeterVersions),
  ...Object.values(openData),
  ...Object.values(auth),
  ...Object.values(accounts),
  ...Object.values(system),
  ...Object.values(ogc),
];
