/** Agent lists on the command line keep each spec's parameters together. */
import { describe, expect, it } from '@jest/globals';
import { splitAgentSpecs } from '../../experiments/envs.js';

describe('splitAgentSpecs', () => {
  it('joins <param>=<value> items to the spec before them', () => {
    expect(splitAgentSpecs('iocm:minIoCores=1,maxIoCores=3,static:2')).toEqual(['iocm:minIoCores=1,maxIoCores=3', 'static:2']);
    expect(splitAgentSpecs(['iocm,random:seed=4', 'baseline'])).toEqual(['iocm', 'random:seed=4', 'baseline']);
    // a parameter with no spec before it stays an item of its own (and is refused as an unknown spec)
    expect(splitAgentSpecs('maxIoCores=1,iocm')).toEqual(['maxIoCores=1', 'iocm']);
    expect(splitAgentSpecs('iocm,maxIoCores=1')).toEqual(['iocm', 'maxIoCores=1']);
  });
});
