import { join } from 'node:path';
import { CHECKPOINT_FILE, readCheckpoint } from './checkpoint.js';
import { HEADER_BYTES } from './record-framing.js';
import { scanSegment } from './segment-scanner.js';
import { parseSegmentName, Segment, segmentName } from './segment-file.js';
import type { WalFileSystem } from './wal-file-system.js';
import type { WalDamage, WalPosition } from './wal-types.js';

export interface RecoveredLog {
  readonly segments: Segment[];
  readonly flushed: WalPosition;
  readonly damage: WalDamage[];
  /** Whether the checkpoint was read: without it, `flushed` is 0 whatever was flushed. */
  readonly checkpointFound: boolean;
}

type MutableDamage = { -readonly [K in keyof WalDamage]: WalDamage[K] };

/**
 * Brings a log folder to a consistent state after whatever stopped the last process: reads the
 * checkpoint, finishes an interrupted reclaim, validates every remaining record, cuts a torn tail
 * off the last segment, and reports what was damaged. Every segment is read once here; that is
 * also what replay reads next, so the page cache makes the second pass cheap.
 */
export async function recoverLog(fs: WalFileSystem, dir: string): Promise<RecoveredLog> {
  await fs.mkdir(dir);
  const damage: MutableDamage[] = [];
  const checkpoint = await readCheckpoint(fs, dir);
  let flushed = 0;
  if (checkpoint.kind === 'found') flushed = checkpoint.flushed;
  if (checkpoint.kind === 'damaged') {
    // Replaying from the oldest segment re-sends flushed records: the log says so (flushedUnknown),
    // and the store replays them by comparison, each stored once (StoreExporter.start).
    damage.push({ segment: CHECKPOINT_FILE, offset: 0, length: checkpoint.length, reason: 'bad-checkpoint' });
  }

  const bases = (await fs.readdir(dir))
    .map(parseSegmentName)
    .filter((base): base is number => base !== undefined)
    .sort((a, b) => a - b);
  const kept: number[] = [];
  for (let i = 0; i < bases.length; i++) {
    // A segment followed by one starting at or before the checkpoint holds only flushed records:
    // the previous process stored the checkpoint but crashed before deleting it.
    if (i + 1 < bases.length && bases[i + 1] <= flushed) await fs.unlink(join(dir, segmentName(bases[i])));
    else kept.push(bases[i]);
  }

  const segments: Segment[] = [];
  let tailDamage: MutableDamage | undefined;
  for (let i = 0; i < kept.length; i++) {
    const segment = new Segment(dir, kept[i]);
    const previous = segments.at(-1);
    if (previous && previous.end < segment.base) {
      // Sequences between two segments are gone: blame the previous segment's damaged tail if
      // it has one, else a whole missing stretch.
      const lost = { from: previous.end, to: segment.base };
      if (tailDamage) tailDamage.lost = lost;
      else damage.push({ segment: segment.name, offset: 0, length: 0, reason: 'missing-records', lost });
      previous.markLostUpTo(segment.base, previous.size);
    }
    tailDamage = await scanIntoSegment(fs, segment, i === kept.length - 1, previous?.end ?? 0, damage);
    segments.push(segment);
  }
  return { segments, flushed, damage, checkpointFound: checkpoint.kind === 'found' };
}

/**
 * Validates one segment and fills its offset index. Returns the damage at its very end, if any,
 * whose lost positions only the next segment's base can tell.
 */
async function scanIntoSegment(
  fs: WalFileSystem,
  segment: Segment,
  isLast: boolean,
  previousEnd: WalPosition,
  damage: MutableDamage[],
): Promise<MutableDamage | undefined> {
  const file = await fs.openFile(segment.path, isLast ? 'write' : 'read');
  try {
    const size = await file.size();
    // Positions the previous segment already covers are not this segment's (overlap never
    // happens in a log we wrote; if it does, the later copies are skipped as out of sequence).
    segment.markLostUpTo(previousEnd, 0);
    let pending: MutableDamage | undefined;
    let validEnd = 0;
    for await (const event of scanSegment(file, 0, size)) {
      if (event.kind === 'damage') {
        if (isLast && event.atEnd) {
          damage.push({
            segment: segment.name,
            offset: event.offset,
            length: size - event.offset,
            reason: 'torn-tail',
          });
        } else {
          pending = {
            segment: segment.name,
            offset: event.offset,
            length: event.length,
            reason: event.reason,
          };
          damage.push(pending);
        }
        continue;
      }
      const frame = HEADER_BYTES + event.payload.length;
      if (event.sequence < segment.end) {
        damage.push({
          segment: segment.name,
          offset: event.offset,
          length: frame,
          reason: 'out-of-sequence',
        });
        continue;
      }
      if (event.sequence > segment.end) {
        const lost = { from: segment.end, to: event.sequence };
        if (pending) pending.lost = lost;
        else
          damage.push({
            segment: segment.name,
            offset: event.offset,
            length: 0,
            reason: 'missing-records',
            lost,
          });
        segment.markLostUpTo(event.sequence, event.offset);
      }
      pending = undefined;
      segment.offsets.push(event.offset);
      validEnd = event.offset + frame;
    }
    if (isLast && validEnd < size) {
      // The torn tail holds only bytes of a write whose fsync never returned, so no append was
      // acknowledged for them; cutting them lets the next append start on a clean frame.
      await file.truncate(validEnd);
      await file.datasync();
    }
    segment.size = isLast ? validEnd : size;
    return pending;
  } finally {
    await file.close();
  }
}
