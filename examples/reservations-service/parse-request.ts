import { randomSleep } from '../shared/random-sleep.js';
import { traced } from '../tracing/traced.js';

export interface ReservationRequest {
  username: string;
  itemId: string;
}

/** The body was not `{"username": string, "item_id": string | number}`. */
export class BadRequestError extends Error {}

/** The `parse_request` step: validates the JSON body at the edge, names the bad field. */
export function parseRequestStep(maxSleepMs: number): (body: unknown) => Promise<ReservationRequest> {
  return traced('parse_request', async (body: unknown): Promise<ReservationRequest> => {
    await randomSleep(maxSleepMs);
    if (typeof body !== 'object' || body === null) throw new BadRequestError('expected a JSON object');
    const { username, item_id: itemId } = body as Record<string, unknown>;
    if (typeof username !== 'string' || username === '')
      throw new BadRequestError('"username" must be a non-empty string');
    if (typeof itemId !== 'string' && typeof itemId !== 'number')
      throw new BadRequestError('"item_id" must be a string or a number');
    return { username, itemId: String(itemId) };
  });
}
