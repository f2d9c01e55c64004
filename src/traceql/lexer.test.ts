import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.js';
import { ParseError } from './parse-error.js';
import type { Token } from './token.js';

/** The tokens without positions and raw text, `end` dropped, in a compact form for assertions. */
function lex(text: string): unknown[] {
  return tokenize(text).map((token) => shape(token));
}

function shape(token: Token): unknown {
  switch (token.kind) {
    case 'end':
      return 'end';
    case 'punct':
      return token.value;
    case 'word':
      return { word: token.value };
    case 'attribute':
      return { scope: token.scope, parent: token.parent, name: token.name };
    case 'intrinsic':
      return { intrinsic: token.value };
    case 'string':
      return { string: token.value };
    case 'int':
      return { int: token.value };
    case 'float':
      return { float: token.value };
    case 'duration':
      return { nanos: token.nanos, text: token.text };
  }
}

function lexError(text: string): string {
  try {
    tokenize(text);
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to lex`);
}

const attribute = (scope: string, name: string, parent = false) => ({ scope, parent, name });

describe('tokenize: attribute paths', () => {
  it.each([
    ['.foo', attribute('none', 'foo')],
    ['span.http.status_code', attribute('span', 'http.status_code')],
    ['resource.service.name', attribute('resource', 'service.name')],
    ['event.exception.type', attribute('event', 'exception.type')],
    ['link.foo', attribute('link', 'foo')],
    ['instrumentation.foo', attribute('instrumentation', 'foo')],
    ['parent.foo', attribute('none', 'foo', true)],
    ['parent.span.foo', attribute('span', 'foo', true)],
    ['parent.resource.foo', attribute('resource', 'foo', true)],
    ['parent.event.foo', attribute('none', 'event.foo', true)],
    ['span.resource.foo', attribute('span', 'resource.foo')],
    ['span.count', attribute('span', 'count')],
    ['span.foo-bar+baz', attribute('span', 'foo-bar+baz')],
    ['span.5xx', attribute('span', '5xx')],
    ['span."http.route"', attribute('span', 'http.route')],
    ['."foo bar"', attribute('none', 'foo bar')],
    ['.foo."bar".baz', attribute('none', 'foo.bar.baz')],
    ['."a\\"b\\\\c"', attribute('none', 'a"b\\c')],
    ['."a\\nb"', attribute('none', 'a\nb')],
    ['."raw\nnewline"', attribute('none', 'raw\nnewline')],
    ['span."名前"', attribute('span', '名前')],
    ['span.名前', attribute('span', '名前')],
    ['.""', attribute('none', '')],
    ['."name"', attribute('none', 'name')],
  ])('%s', (text, expected) => {
    expect(lex(text)).toEqual([expected, 'end']);
  });

  it('ends a name at whitespace and at { } ( ) = ~ ! < > & | ^ ,', () => {
    for (const ender of [' ', '\t', '\n', '{', '}', '(', ')', '=', '~', '!', '<', '>', '&&', '|', '^', ',']) {
      expect(lex(`.foo${ender}`)[0]).toEqual(attribute('none', 'foo'));
    }
  });

  it('reads an unquoted unscoped intrinsic name as the intrinsic, as Tempo does', () => {
    expect(lex('.name .duration .span:id')).toEqual([
      { intrinsic: 'name' },
      { intrinsic: 'duration' },
      { intrinsic: 'span:id' },
      'end',
    ]);
  });

  it('refuses a scope without a name', () => {
    expect(lexError('{ span. }')).toBe("expected an attribute name after 'span.' at 1:3");
    expect(lexError('. foo')).toBe("expected an attribute name after '.' at 1:1");
    expect(lexError('parent.span.')).toBe("expected an attribute name after 'parent.span.' at 1:1");
    expect(lexError('span."open')).toBe('unterminated attribute name starting at 1:6');
  });
});

describe('tokenize: intrinsics', () => {
  it.each([
    ['span:id', 'span:id'],
    ['trace:id', 'trace:id'],
    ['span:parentID', 'span:parentID'],
    ['event:name', 'event:name'],
    ['event:timeSinceStart', 'event:timeSinceStart'],
    ['link:traceID', 'link:traceID'],
    ['link:spanID', 'link:spanID'],
    ['instrumentation:name', 'instrumentation:name'],
    ['instrumentation:version', 'instrumentation:version'],
    ['span:name', 'name'],
    ['span:status', 'status'],
    ['span:statusMessage', 'statusMessage'],
    ['span:kind', 'kind'],
    ['span:duration', 'duration'],
    ['span:childCount', 'childCount'],
    ['trace:rootName', 'rootName'],
    ['trace:rootService', 'rootServiceName'],
    ['trace:duration', 'traceDuration'],
  ])('%s is %s', (text, intrinsic) => {
    expect(lex(text)).toEqual([{ intrinsic }, 'end']);
  });

  it('leaves bare words to the parser', () => {
    expect(lex('name status count nil true foo')).toEqual([
      { word: 'name' },
      { word: 'status' },
      { word: 'count' },
      { word: 'nil' },
      { word: 'true' },
      { word: 'foo' },
      'end',
    ]);
  });

  it('names an unknown scoped intrinsic', () => {
    expect(lexError('{ span:foo }')).toBe("unknown intrinsic 'span:foo' at 1:3");
    expect(lexError('{ trace:rootServiceName }')).toBe("unknown intrinsic 'trace:rootServiceName' at 1:3");
    expect(lexError('{ span: }')).toBe("expected an intrinsic name after 'span:' at 1:3");
  });
});

describe('tokenize: strings', () => {
  it.each([
    ['"plain"', 'plain'],
    ['""', ''],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"\\n\\t\\r"', '\n\t\r'],
    ['"\\a\\b\\f\\v"', '\x07\b\f\v'],
    ['"\\u00e9\\u65e5"', 'é日'],
    ['"\\U0001F600"', '😀'],
    ['"é😀日本語"', 'é😀日本語'],
    ['"\')) OR 1=1 --"', "')) OR 1=1 --"],
    ['`raw \\d+ "quoted" \\n`', 'raw \\d+ "quoted" \\n'],
    ['`two\nlines`', 'two\nlines'],
  ])('%s', (text, value) => {
    expect(lex(text)).toEqual([{ string: value }, 'end']);
  });

  it('refuses broken strings, at the string or the escape', () => {
    expect(lexError('{ .a = "abc }')).toBe('unterminated string starting at 1:8');
    expect(lexError('{ .a = `abc }')).toBe('unterminated string starting at 1:8');
    expect(lexError('{ .a = "a\nb" }')).toBe('newline in string starting at 1:8');
    expect(lexError('{ .a = "bad \\q" }')).toBe("invalid escape '\\q' at 1:13");
    expect(lexError('{ .a = "\\x41" }')).toBe("invalid escape '\\x' at 1:9");
    expect(lexError('{ .a = "\\u12" }')).toBe("invalid unicode escape '\\u12' at 1:9");
    expect(lexError('{ .a = "\\ud800" }')).toBe("invalid unicode escape '\\ud800' at 1:9");
    expect(lexError('{ .a = "\\U00110000" }')).toBe("invalid unicode escape '\\U00110000' at 1:9");
    expect(lexError('"ends with \\')).toBe('unterminated escape at 1:12');
  });
});

describe('tokenize: numbers and durations', () => {
  it.each([
    ['0', { int: 0n }],
    ['007', { int: 7n }],
    ['9223372036854775807', { int: 9223372036854775807n }],
    ['1.5', { float: 1.5 }],
    ['.5', { float: 0.5 }],
    ['1.5e3', { float: 1500 }],
    ['2E-3', { float: 0.002 }],
    ['1e+2', { float: 100 }],
  ])('%s', (text, value) => {
    expect(lex(text)).toEqual([value, 'end']);
  });

  it.each([
    ['1ns', 1n],
    ['1us', 1_000n],
    ['1µs', 1_000n],
    ['1μs', 1_000n],
    ['300ms', 300_000_000n],
    ['1s', 1_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['.5s', 500_000_000n],
    ['2m', 120_000_000_000n],
    ['1h', 3_600_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1h15m30.918273645s', 4_530_918_273_645n],
    ['1.0000000009s', 1_000_000_000n],
    ['1d', 86_400_000_000_000n],
    ['1w', 604_800_000_000_000n],
    ['1y', 31_536_000_000_000_000n],
  ])('%s is %s ns exactly', (text, nanos) => {
    expect(lex(text)).toEqual([{ nanos, text }, 'end']);
  });

  it('refuses numbers it cannot represent exactly, and unknown units', () => {
    expect(lexError('{ .a = 9223372036854775808 }')).toBe(
      "integer '9223372036854775808' is out of range at 1:8",
    );
    expect(lexError('{ .a = 1e999 }')).toBe("number '1e999' is out of range at 1:8");
    expect(lexError('{ .a = 1x }')).toBe("invalid number or duration '1x' at 1:8");
    expect(lexError('{ .a = 0x1F }')).toBe("invalid number or duration '0x1F' at 1:8");
    expect(lexError('{ .a = 1e3s }')).toBe("invalid number or duration '1e3s' at 1:8");
    expect(lexError('{ .a = 300000000h }')).toBe("duration '300000000h' is out of range at 1:8");
    expect(lexError(`{ .a = ${'9'.repeat(100_000)} }`)).toBe(
      "integer '999999999999999999999999…' is out of range at 1:8",
    );
  });

  it('keeps a number and a following attribute apart', () => {
    expect(lex('1.foo')).toEqual([{ int: 1n }, attribute('none', 'foo'), 'end']);
  });
});

describe('tokenize: operators', () => {
  it('takes the longest operator', () => {
    expect(
      lex('!>> !<< &>> &<< != =~ !~ >= <= && || >> << !> !< &> &< &~ = > < ! + - * / % ^ ~ | ( ) { } ,'),
    ).toEqual([
      ...'!>> !<< &>> &<< != =~ !~ >= <= && || >> << !> !< &> &< &~ = > < ! + - * / % ^ ~ | ( ) { } ,'.split(
        ' ',
      ),
      'end',
    ]);
  });

  it('splits what is not one operator', () => {
    expect(lex('== >!< !>=')).toEqual(['=', '=', '>', '!<', '!>', '=', 'end']);
  });

  it('refuses characters that start nothing', () => {
    expect(lexError('{ .a = 1 } & { }')).toBe("unexpected character '&' at 1:12");
    expect(lexError('[ true ]')).toBe("unexpected character '[' at 1:1");
    expect(lexError('{ \u0000 }')).toBe("unexpected character '\\u0000' at 1:3");
    expect(lexError('{ \u00a0 }')).toBe("unexpected character '\u00a0' at 1:3");
  });
});

describe('tokenize: positions', () => {
  it('gives 1-based line and column and the 0-based offset of each token', () => {
    const tokens = tokenize('{ .a = 1\n  && name = "x" }');
    expect(tokens.map((token) => [token.text, token.position])).toEqual([
      ['{', { line: 1, column: 1, offset: 0 }],
      ['.a', { line: 1, column: 3, offset: 2 }],
      ['=', { line: 1, column: 6, offset: 5 }],
      ['1', { line: 1, column: 8, offset: 7 }],
      ['&&', { line: 2, column: 3, offset: 11 }],
      ['name', { line: 2, column: 6, offset: 14 }],
      ['=', { line: 2, column: 11, offset: 19 }],
      ['"x"', { line: 2, column: 13, offset: 21 }],
      ['}', { line: 2, column: 17, offset: 25 }],
      ['', { line: 2, column: 18, offset: 26 }],
    ]);
  });

  it('counts columns in UTF-16 code units, as editors (Monaco) do', () => {
    const tokens = tokenize('{ .a = "😀" && .b }');
    expect(tokens[5].position).toEqual({ line: 1, column: 16, offset: 15 });
  });

  it('places an error inside a later line', () => {
    expect(lexError('{\n  .a = 1 &&\n  .b = "open\n}')).toBe('newline in string starting at 3:8');
  });

  it('lexes 100 kB in linear time', () => {
    const text = `{ ${'.a = 1 && '.repeat(10_000)}.a = 1 }`;
    // CPU time, which a busy neighbour on a shared machine cannot inflate.
    const start = process.cpuUsage();
    expect(tokenize(text)).toHaveLength(40_006);
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});
