import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachFormPair, maxPayloadBytes, parseFormFields, readRequest } from '../../../shared/request';
import { functionUrlEvent } from '../../support/function-url';

describe('reading a Function URL event', () => {
  it('lower-cases header names, decodes base64 bodies and keeps the raw query', () => {
    const event = functionUrlEvent({
      method: 'post',
      path: '/x',
      rawQuery: 'a=%20b&a=c',
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8' },
      body: Buffer.from('{"é":1}').toString('base64'),
      isBase64Encoded: true,
    });
    event.headers = { 'Content-Type': 'Application/JSON; charset=utf-8' };
    expect(readRequest(event)).toEqual({
      method: 'POST',
      rawQuery: 'a=%20b&a=c',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: '{"é":1}',
      bodyBytes: 8,
      bodyIsUtf8: true,
      contentType: 'application/json',
      clientIp: '127.0.0.1',
    });
  });
});

describe('reading a Function URL event (bodies)', () => {
  const eventWith = (body: string, isBase64Encoded: boolean) => ({
    ...functionUrlEvent({ method: 'POST', path: '/x', rawQuery: '', headers: {} }),
    body,
    isBase64Encoded,
  });

  it('keeps a text body as it is, counting its UTF-8 bytes', () => {
    expect(readRequest(eventWith('{"é":1}', false))).toMatchObject({ body: '{"é":1}', bodyBytes: 8, bodyIsUtf8: true });
  });

  it('marks a text body holding a lone surrogate as not UTF-8, rather than replace it', () => {
    expect(readRequest(eventWith('a\ud800b', false))).toMatchObject({ bodyIsUtf8: false });
    expect(readRequest(eventWith('a\ud83d\ude00b', false))).toMatchObject({ bodyIsUtf8: true, bodyBytes: 6 });
  });

  it('marks a base64 body that is not UTF-8, keeping its size', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(readRequest(eventWith(bytes.toString('base64'), true))).toMatchObject({
      body: '',
      bodyBytes: 4,
      bodyIsUtf8: false,
    });
  });

  it('reads the size of a body too large to take from its text, and never decodes or scans it', () => {
    const bytes = Buffer.alloc(6 * 1024 * 1024, 0x61);
    expect(readRequest(eventWith(bytes.toString('base64'), true))).toMatchObject({ body: '', bodyBytes: bytes.length });
    expect(readRequest(eventWith(`${'a'.repeat(maxPayloadBytes)}\ud800`, false))).toMatchObject({
      bodyBytes: maxPayloadBytes + 1,
      bodyIsUtf8: true,
    });
    expect(readRequest(eventWith(bytes.subarray(0, maxPayloadBytes).toString('base64'), true)).body).toHaveLength(
      maxPayloadBytes,
    );
  });
});

describe('parsing query strings and form bodies', () => {
  const formText = fc
    .array(
      fc.constantFrom(
        'a',
        'b',
        'token',
        '=',
        '&',
        '+',
        '%',
        '%2',
        '%20',
        '%3D',
        '%26',
        '%e9',
        '%C3%A9',
        '%ff',
        'é',
        '?',
      ),
      {
        maxLength: 24,
      },
    )
    .map((parts) => parts.join(''));

  it('decodes as URLSearchParams does, the first of a repeated name winning', () => {
    fc.assert(
      fc.property(formText, (text) => {
        const expected: Record<string, string> = {};
        for (const [name, value] of new URLSearchParams(text)) if (!(name in expected)) expected[name] = value;
        expect({ ...parseFormFields(text) }).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps names like __proto__, constructor and toString as fields, never as the prototype', () => {
    const fields = parseFormFields('__proto__=x&constructor=y&toString=t&hasOwnProperty=z&a=1&a=2&__proto__=w');
    expect(Object.entries(fields)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['toString', 't'],
      ['hasOwnProperty', 'z'],
      ['a', '1'],
    ]);
    expect(fields).toEqual(
      JSON.parse('{"__proto__":"x","constructor":"y","toString":"t","hasOwnProperty":"z","a":"1"}'),
    );
  });

  it('reads a name that was not sent as missing, even one every object has', () => {
    const fields = parseFormFields('a=1');
    for (const name of ['constructor', 'toString', '__proto__']) expect(fields[name]).toBeUndefined();
  });

  it('hands each pair over as it was written, so that one can be left out', () => {
    const pairs: string[] = [];
    forEachFormPair('a=1&token=x%20y&&b', (name, value, pair) => pairs.push(`${name}|${value}|${pair}`));
    expect(pairs).toEqual(['a|1|a=1', 'token|x y|token=x%20y', 'b||b']);
  });
});
