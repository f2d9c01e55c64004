import type { Status } from '../model/span.js';
import { StatusCode } from '../model/span.js';
import { TAG_ERROR, TAG_STATUS_CODE, TAG_STATUS_DESCRIPTION } from './zipkin-tag-keys.js';

/**
 * Span status ⇄ Zipkin tags. Zipkin marks failed spans with an `error` tag (any value; often the
 * message); OpenTelemetry exporters add `otel.status_code` and a description.
 */

const STATUS_CODES: ReadonlyMap<string, StatusCode> = new Map([
  // What the Collector's translator writes and reads.
  ['STATUS_CODE_UNSET', StatusCode.UNSET],
  ['STATUS_CODE_OK', StatusCode.OK],
  ['STATUS_CODE_ERROR', StatusCode.ERROR],
  // Read by the Collector too: older Collector exporters wrote these (contrib issue #14965).
  ['Unset', StatusCode.UNSET],
  ['Ok', StatusCode.OK],
  ['Error', StatusCode.ERROR],
  // The values the OpenTelemetry spec's Zipkin mapping prescribes, sent by the JS, Java, Python
  // and .NET SDK exporters. The Collector does not know them and reads them as UNSET.
  ['UNSET', StatusCode.UNSET],
  ['OK', StatusCode.OK],
  ['ERROR', StatusCode.ERROR],
]);

/**
 * Reads the status from `tags`, removing the tags it consumed, as the Collector does:
 * `otel.status_code` sets the code (unknown values: UNSET) and, only with it,
 * `otel.status_description` sets the message; then any `error` tag makes the code ERROR, and is
 * removed only when its value is `"true"` (otherwise it stays as a span attribute).
 *
 * Beyond the Collector, an `error` value other than `"true"`/`"false"` becomes the message when
 * there is no description: the OpenTelemetry spec puts the status description there, and Zipkin
 * instrumentation (Brave) puts the error message there.
 */
export function takeStatusTags(tags: Map<string, string>): Status {
  const status: Status = { code: StatusCode.UNSET, message: '' };
  const code = tags.get(TAG_STATUS_CODE);
  if (code !== undefined) {
    status.code = STATUS_CODES.get(code) ?? StatusCode.UNSET;
    tags.delete(TAG_STATUS_CODE);
    const description = tags.get(TAG_STATUS_DESCRIPTION);
    if (description !== undefined) {
      status.message = description;
      tags.delete(TAG_STATUS_DESCRIPTION);
    }
  }
  const error = tags.get(TAG_ERROR);
  if (error !== undefined) {
    status.code = StatusCode.ERROR;
    if (error === 'true') tags.delete(TAG_ERROR);
    else if (status.message === '' && error !== 'false') status.message = error;
  }
  return status;
}

/**
 * Writes the status into `tags` (which hold the span's attributes) as the Collector's exporter
 * does: ERROR sets `error`, other codes remove an `error` attribute so Zipkin does not count the
 * span as failed, and a set code adds `otel.status_code` and any message `otel.status_description`.
 * An `error` attribute that already holds text is kept rather than overwritten with `"true"`, so
 * that a decoded Zipkin error message survives a round trip.
 */
export function putStatusTags(status: Status, tags: Map<string, string>): void {
  if (status.code === StatusCode.ERROR) {
    if (!tags.get(TAG_ERROR)) tags.set(TAG_ERROR, 'true');
  } else {
    tags.delete(TAG_ERROR);
  }
  if (status.code === StatusCode.UNSET) return;
  tags.set(TAG_STATUS_CODE, status.code === StatusCode.ERROR ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK');
  if (status.message !== '') tags.set(TAG_STATUS_DESCRIPTION, status.message);
}
