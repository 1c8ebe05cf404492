import { describe, expect, it } from '@jest/globals';
import { checkArgTypes, checkRange } from '../../../agents/nn/args.js';

const defaults = { rate: 0.1, flag: true, name: 'wasm', sizes: [64], kl: null };

describe('checkArgTypes', () => {
  it('accepts the defaults\' keys with values of their types (null-defaults take a number too)', () => {
    expect(() => checkArgTypes('X', defaults, { rate: 3, flag: false, name: 'cpu', sizes: [], kl: 0.02 })).not.toThrow();
    expect(() => checkArgTypes('X', defaults, { kl: null, rate: undefined })).not.toThrow();
  });

  it('refuses an unknown key, listing the args, and a value of another type', () => {
    expect(() => checkArgTypes('X', defaults, { rte: 1 })).toThrow('X: no arg "rte" (its args: rate, flag, name, sizes, kl)');
    expect(() => checkArgTypes('X', defaults, { rate: '1' })).toThrow('X: rate must be a finite number, got "1"');
    expect(() => checkArgTypes('X', defaults, { rate: NaN })).toThrow('X: rate must be a finite number, got null');
    expect(() => checkArgTypes('X', defaults, { flag: 1 })).toThrow('X: flag must be a boolean, got 1');
    expect(() => checkArgTypes('X', defaults, { sizes: 64 })).toThrow('X: sizes must be an array, got 64');
    expect(() => checkArgTypes('X', defaults, { kl: 'no' })).toThrow('X: kl must be null or a finite number, got "no"');
  });
});

describe('checkRange', () => {
  it('includes closed ends and excludes open ones', () => {
    expect(() => checkRange('X', 'g', 0, 0, 1)).not.toThrow();
    expect(() => checkRange('X', 'g', 1, 0, 1)).not.toThrow();
    expect(() => checkRange('X', 'g', 1.01, 0, 1)).toThrow('X: g must be in [0, 1], got 1.01');
    expect(() => checkRange('X', 'lr', 0, 0, Infinity, 'lo')).toThrow('X: lr must be in (0, ∞), got 0');
    expect(() => checkRange('X', 'lr', 1e-9, 0, Infinity, 'lo')).not.toThrow();
    expect(() => checkRange('X', 'f', 1, 0, 1, 'hi')).toThrow('X: f must be in [0, 1), got 1');
  });
});
