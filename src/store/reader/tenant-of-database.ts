import { tenantDatabaseName } from '../schema/tenant-database.js';

const PREFIX = 'tracehouse_';
const UNESCAPE: Readonly<Record<string, string>> = {
  _: '_',
  '0': '-',
  '1': '.',
  '2': '!',
  '3': '*',
  '4': "'",
  '5': '(',
  '6': ')',
};

/**
 * The tenant whose database this is: the inverse of `tenantDatabaseName` (schema/tenant-database.ts,
 * which documents the encoding), or undefined for a database it did not name.
 */
export function tenantOfDatabase(database: string): string | undefined {
  if (!database.startsWith(PREFIX) || database.length === PREFIX.length) return undefined;
  let tenant = '';
  for (let i = PREFIX.length; i < database.length; i++) {
    const c = database[i];
    if (c !== '_') {
      tenant += c;
      continue;
    }
    const next = database[++i] ?? '';
    if (next >= 'a' && next <= 'z') tenant += next.toUpperCase();
    else if (next in UNESCAPE) tenant += UNESCAPE[next];
    else return undefined;
  }
  // Only a name the encoding would give back is ours (not, say, a hand-made `tracehouse_X`).
  try {
    return tenantDatabaseName(tenant) === database ? tenant : undefined;
  } catch {
    return undefined;
  }
}
