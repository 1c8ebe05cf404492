import { describe, it, expect } from '@jest/globals';
import { canonicalJson } from '../../experiments/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives equal strings for objects written in different key orders, and leaves undefined members out', () => {
    expect(canonicalJson({ seed: 1, agent: 'iocm', extra: undefined })).toBe(canonicalJson({ agent: 'iocm', seed: 1 }));
    expect(canonicalJson({ seed: 1 })).not.toBe(canonicalJson({ seed: 2 }));
  });

  it('writes scalars and null as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson(0.5)).toBe('0.5');
    expect(canonicalJson([true, null])).toBe('[true,null]');
  });
});
