import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toJson, writeJsonAtomic } from '../../experiments/io.js';
import { tempDir } from '../temp-dirs.js';

describe('toJson', () => {
  it('writes NaN and ±Infinity as null, with or without typed arrays in the value', () => {
    expect(toJson({ a: [1, NaN, Infinity, -Infinity], b: { c: NaN } })).toBe('{"a":[1,null,null,null],"b":{"c":null}}');
    expect(toJson({ a: [NaN], t: new Float64Array([0.5, NaN]) })).toBe('{"a":[null],"t":[0.5,null]}');
  });

  it('writes typed arrays, however deep, as arrays', () => {
    expect(toJson([{ x: { y: new Int8Array([1, -1]) } }, new Uint8Array([2])])).toBe('[{"x":{"y":[1,-1]}},[2]]');
  });

  it('indents as JSON.stringify does', () => {
    expect(toJson({ a: [1] }, 1)).toBe(JSON.stringify({ a: [1] }, null, 1));
  });
});

describe('writeJsonAtomic', () => {
  it('writes the JSON and a newline, and leaves no temporary file, with or without fsync', () => {
    const dir = tempDir('io-');
    writeJsonAtomic(join(dir, 'a.json'), { v: NaN });
    writeJsonAtomic(join(dir, 'sub', 'b.json'), { v: new Float32Array([1]) }, 0, { fsync: false });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{"v":null}\n');
    expect(readFileSync(join(dir, 'sub', 'b.json'), 'utf8')).toBe('{"v":[1]}\n');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['b.json']);
  });
});
