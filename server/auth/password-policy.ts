// What a password must be, wherever one is set (the accounts API and
// `npm run user:create`): at least 12 characters once surrounding spaces are removed,
// not the account's e-mail or its local part, not one of the passwords every guesser
// tries first. One French sentence per refusal.
export const MIN_PASSWORD_LENGTH = 12;

// Stems the first guesses are built on ("azerty", "motdepasse2024!"…): a password made
// of one of them followed by digits or punctuation is refused. Lower case.
const COMMON_STEMS = [
  'password',
  'passw0rd',
  'motdepasse',
  'mot de passe',
  'azerty',
  'azertyuiop',
  'qwerty',
  'qwertyuiop',
  'azertyazerty',
  'bonjour',
  'soleil',
  'doudou',
  'chouchou',
  'loulou',
  'marseille',
  'france',
  'millefeuille',
  'administrateur',
  'administrator',
  'admin',
  'welcome',
  'bienvenue',
  'letmein',
  'iloveyou',
  'jetaime',
  'sante',
  'santé',
  'changeme',
  'secret',
];

// Whole passwords seen at the top of every leaked list that pass the length rule.
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '1234567891011',
  '111111111111',
  '000000000000',
  'aaaaaaaaaaaa',
  'abcdefghijkl',
  'abc123456789',
  'qwertyuiop123',
  'azertyuiop123',
  '1q2w3e4r5t6y',
  'a1b2c3d4e5f6',
  'correcthorsebatterystaple',
]);

/** The reason this password is refused, in French, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  const trimmed = password.trim();
  if (!trimmed) return 'le mot de passe ne peut pas être fait que d’espaces';
  if ([...trimmed].length < MIN_PASSWORD_LENGTH)
    return `le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères (hors espaces au début et à la fin)`;
  const lower = trimmed.toLowerCase();
  const mail = email.trim().toLowerCase();
  const local = mail.split('@')[0] ?? '';
  const bare = lower.replace(/[\d\W_]+$/u, '');
  if (lower.includes(mail) || (local.length > 0 && (bare === local || lower === local)))
    return 'le mot de passe ne doit pas reprendre l’adresse électronique du compte';
  if (
    /^(.)\1*$/u.test(lower) ||
    COMMON_PASSWORDS.has(lower) ||
    COMMON_PASSWORDS.has(lower.replace(/\s+/g, '')) ||
    COMMON_STEMS.includes(bare)
  )
    return 'ce mot de passe figure parmi les plus courants : choisissez-en un autre (une phrase de plusieurs mots, par exemple)';
  return null;
}
