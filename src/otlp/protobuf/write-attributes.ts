import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { SourcedKeyValue } from './model-records.js';
import { WireType } from './proto-reader.js';
import type { ProtoWriter } from './proto-writer.js';
import type { SourceRun } from './source-run.js';

/** Writes attributes as field `field`; with a run, copying those unchanged from its source (flushed after). */
export function writeAttributes(
  w: ProtoWriter,
  field: number,
  attributes: readonly KeyValue[],
  run: SourceRun | undefined,
): void {
  if (run !== undefined) {
    writeAttributesFromSource(run, field, attributes);
    run.flush();
    return;
  }
  for (const kv of attributes) writeAttribute(w, field, kv);
}

/**
 * Writes the attributes that still hold what they were decoded with as copies of their bytes in
 * the run's source, and others as writeAttribute does. Attributes that lay one after the other in
 * the source under the same field (the tag byte before each is this field's) are copied as one
 * run, tags included: a processor usually changes a few attributes of a span and leaves runs of
 * the others, and one copy of a run costs about what one copy of an attribute does. The last
 * copy is left pending in `run`, to be joined by what follows it in the source.
 */
export function writeAttributesFromSource(
  run: SourceRun,
  field: number,
  attributes: readonly KeyValue[],
): void {
  const source = run.source;
  // Attribute fields are 1 to 9: one-byte tags.
  const tag = (field << 3) | WireType.LEN;
  for (const kv of attributes) {
    // Records without a source (made by a processor, or by a decode without sources) read undefined.
    const sourced = kv as Partial<SourcedKeyValue>;
    const start = sourced.sourceStart;
    if (start !== undefined && kv.key === sourced.sourceKey && kv.value === sourced.sourceValue) {
      // A KeyValue's tag is the byte before its length when written as this field, canonically.
      if (source[start - 1] === tag) run.add(start - 1, sourced.sourceEnd!);
      else {
        run.flush();
        run.writer.lengthDelimitedCopy(field, source, start, sourced.sourceEnd!);
      }
      continue;
    }
    run.flush();
    writeAttribute(run.writer, field, kv);
  }
}

/**
 * Whether `attributes` are exactly the ones decoded from `source[start, end)` (a run of attribute
 * fields; -1, -1: there were none), in their order and unchanged, so the run may be copied whole.
 */
export function attributesUnchangedAt(attributes: readonly KeyValue[], start: number, end: number): boolean {
  if (start < 0) return attributes.length === 0;
  // Where the next attribute's tag should be.
  let at = start;
  for (const kv of attributes) {
    const sourced = kv as Partial<SourcedKeyValue>;
    if (sourced.sourceStart !== at + 1 || kv.key !== sourced.sourceKey || kv.value !== sourced.sourceValue)
      return false;
    at = sourced.sourceEnd!;
  }
  return at === end;
}

/** One attribute, the common shapes (ASCII key, ASCII string or int value) without a nested message. */
function writeAttribute(w: ProtoWriter, field: number, kv: KeyValue): void {
  const value = kv.value;
  if (
    typeof value === 'string'
      ? w.asciiStringKeyValue(field, kv.key, value)
      : typeof value === 'bigint' && w.asciiIntKeyValue(field, kv.key, value)
  )
    return;
  writeKeyValueMessage(w, field, kv);
}

/** The general form of an attribute: a KeyValue message, its value an AnyValue message. */
function writeKeyValueMessage(w: ProtoWriter, field: number, kv: KeyValue): void {
  w.beginMessage(field);
  w.stringField(1, kv.key);
  writeAnyValue(w, 2, kv.value);
  w.endMessage();
}

function writeAnyValue(w: ProtoWriter, field: number, value: AnyValue): void {
  w.beginMessage(field);
  switch (typeof value) {
    case 'string':
      // A oneof member is written even when it holds the default value, so the type survives.
      w.stringField(1, value, true);
      break;
    case 'boolean':
      w.boolField(2, value);
      break;
    case 'bigint':
      w.int64Field(3, value);
      break;
    case 'number':
      w.doubleField(4, value);
      break;
    default:
      if (value === null) break;
      if (value instanceof Uint8Array) w.bytesField(7, value, true);
      else if (Array.isArray(value)) {
        w.beginMessage(5);
        for (const item of value) writeAnyValue(w, 1, item);
        w.endMessage();
      } else {
        w.beginMessage(6);
        writeAttributes(w, 1, value.kvlistValue, undefined);
        w.endMessage();
      }
  }
  w.endMessage();
}
