// Names of the régions by INSEE code (COG 2025), so that an account's région reads
// "Auvergne-Rhône-Alpes" rather than "région 84" without asking the server.
const REGION_NAMES: Record<string, string> = {
  '01': 'Guadeloupe',
  '02': 'Martinique',
  '03': 'Guyane',
  '04': 'La Réunion',
  '06': 'Mayotte',
  '11': 'Île-de-France',
  '24': 'Centre-Val de Loire',
  '27': 'Bourgogne-Franche-Comté',
  '28': 'Normandie',
  '32': 'Hauts-de-France',
  '44': 'Grand Est',
  '52': 'Pays de la Loire',
  '53': 'Bretagne',
  '75': 'Nouvelle-Aquitaine',
  '76': 'Occitanie',
  '84': 'Auvergne-Rhône-Alpes',
  '93': 'Provence-Alpes-Côte d’Azur',
  '94': 'Corse',
};

/** The région's name; "région NN" for a code not in the list. */
export function regionName(code: string): string {
  return REGION_NAMES[code] ?? `région ${code}`;
}
