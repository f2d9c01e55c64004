/** Users who come back again and again: they run into their limit (name length) quickly. */
const REGULARS = ['al', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'oscar'];
/** Malformed names: the user-service refuses them, so the answer is "limit not found". */
const MALFORMED = ['user42', 'bob!', 'r2d2', 'anna-lena'];
/** Names the user-service's default `UNKNOWN_USERS` lacks. */
const UNKNOWN = ['ghost', 'nobody'];

export interface PlannedRequest {
  username: string;
  /** A string most of the time, a number sometimes: the service takes both. */
  itemId: string | number;
}

/**
 * One reservation request, drawn so that the stream mixes all three answers: mostly regulars
 * (success, then "limit exceeded"), some first-time users with fresh names (success), some
 * malformed or unknown names ("limit not found").
 */
export function pickRequest(random: () => number = Math.random): PlannedRequest {
  const roll = random();
  let username: string;
  if (roll < 0.6) username = pick(REGULARS, random);
  else if (roll < 0.85) username = freshName(random);
  else if (roll < 0.95) username = pick(MALFORMED, random);
  else username = pick(UNKNOWN, random);
  const item = 1 + Math.floor(random() * 500);
  return { username, itemId: random() < 0.2 ? item : `item-${item}` };
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length) % values.length];
}

function freshName(random: () => number): string {
  const length = 3 + Math.floor(random() * 6);
  let name = '';
  for (let i = 0; i < length; i++) name += String.fromCharCode(97 + Math.floor(random() * 26));
  return name;
}
