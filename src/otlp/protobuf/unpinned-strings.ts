/**
 * Strings meant to be kept long, as strings of their own. The decoder cuts strings of 13 or more
 * characters out of a 32 KiB text of its request (see ProtoReader.stringAt), so one such string
 * kept keeps that whole text alive; a component that remembers strings for seconds (the service
 * graph pairer, 200,000 spans) would keep most of every request it saw. Values are interned, so
 * a name repeated by every span is copied once.
 */
export class UnpinnedStrings {
  private readonly strings = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {}

  get(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    // Past the bound, start over rather than track use: a new set of names is the rare case.
    if (this.strings.size >= this.maxEntries) this.strings.clear();
    const own = unpinned(value);
    this.strings.set(own, own);
    return own;
  }
}

/** V8 only cuts strings of 13 characters or more out of others (SlicedString::kMinLength). */
const SLICED_MIN_LENGTH = 13;

/**
 * A copy of `value` that refers to no other string: slicing a concatenation flattens it into a new
 * flat string first, so the result refers to that, not to the text `value` was cut from.
 */
function unpinned(value: string): string {
  return value.length < SLICED_MIN_LENGTH ? value : (' ' + value).slice(1);
}
