import { describe, expect, it } from 'vitest';
import { resolveStartConfig } from './start-options.js';

describe('service graph options of tracehouse start', () => {
  it("defaults to the pairing's own defaults, reads flags and variables, 0 turns it off", () => {
    expect(resolveStartConfig({}, {}).serviceGraph).toEqual({ waitMs: 10_000, maxItems: 200_000 });
    expect(
      resolveStartConfig({ serviceGraphWait: '2s' }, { TRACEHOUSE_SERVICE_GRAPH_MAX_ITEMS: '5000' })
        .serviceGraph,
    ).toEqual({ waitMs: 2000, maxItems: 5000 });
    expect(resolveStartConfig({ serviceGraphWait: '0' }, {}).serviceGraph).toEqual({ enabled: false });
  });

  it('names the flag of a bad value', () => {
    expect(() => resolveStartConfig({ serviceGraphWait: 'soon' }, {})).toThrow(
      /--service-graph-wait: "soon"/,
    );
    expect(() => resolveStartConfig({ serviceGraphMaxItems: '1.5' }, {})).toThrow(
      '--service-graph-max-items: "1.5" is not a whole number of at least 2',
    );
  });
});
