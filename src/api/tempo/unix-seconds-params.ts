import type { TimeRange } from '../../query/span-query.js';
import { BadSearchParameter } from './search-errors.js';

/**
 * The last Unix second (2262-04-11) whose every nanosecond fits the signed 64-bit nanosecond count
 * spans are stored in: a range ending then reads up to its last nanosecond.
 */
export const MAX_UNIX_SECONDS = 9_223_372_035;

/** Without start/end Tempo answers from recent data; the last hour is our equivalent. */
const DEFAULT_LOOKBACK_SECONDS = 3600;

/**
 * A `start`/`end` in Unix seconds as Tempo reads them (`strconv.ParseInt(s, 10, 64)`): decimal
 * digits only — no space, sign, hex or exponent — up to {@link MAX_UNIX_SECONDS}. '' is absent, as
 * Tempo's `extractQueryParam` reads it.
 */
export function unixSecondsParam(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new BadSearchParameter(`invalid ${name}: "${text}" is not Unix seconds`);
  // Compared as digits, so a numeral longer than a double holds exactly is refused, not rounded.
  const digits = text.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_UNIX_SECONDS).length || Number(digits) > MAX_UNIX_SECONDS)
    throw new BadSearchParameter(
      `invalid ${name}: ${text} is out of range (Unix seconds up to ${MAX_UNIX_SECONDS}, in 2262)`,
    );
  return Number(digits);
}

/**
 * `start`/`end` (Unix seconds, both inclusive) as the search, tag and native routes read them:
 * `end` defaults to now, `start` to an hour before `end` — but not before 1970, so a client that
 * sent only an early `end` is not told its `start` is negative.
 */
export function unixSecondsRange(
  start: string | undefined,
  end: string | undefined,
  nowMs = Date.now(),
): TimeRange {
  const e = unixSecondsParam(end, 'end') ?? Math.ceil(nowMs / 1000);
  const s = unixSecondsParam(start, 'start') ?? Math.max(0, e - DEFAULT_LOOKBACK_SECONDS);
  if (e < s) throw new BadSearchParameter('invalid start: must be before end');
  return { start: s, end: e };
}
