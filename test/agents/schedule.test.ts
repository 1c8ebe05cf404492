/**
 * The schedule agent: its spec text read and written (expected values worked out by hand), the counts
 * it plays, its refusal to run past its end, and the spec parser's checks against an env.
 */
import { describe, expect, it } from '@jest/globals';
import { Box, Discrete } from '../../env/core/spaces/index.js';
import { ScheduleAgent, formatSchedule, parseSchedule } from '../../agents/schedule.js';
import { AgentSpecError, parseAgentSpec } from '../../agents/spec.js';

describe('schedule text', () => {
  it('reads <count>x<epochs> runs', () => {
    expect(parseSchedule('2x3, 0x1,4x2')).toEqual([{ count: 2, epochs: 3 }, { count: 0, epochs: 1 }, { count: 4, epochs: 2 }]);
  });

  it('merges equal consecutive actions when writing', () => {
    expect(formatSchedule([2, 2, 2, 0, 4, 4])).toBe('2x3,0x1,4x2');
    expect(formatSchedule([1])).toBe('1x1');
    expect(formatSchedule([3, 1, 3])).toBe('3x1,1x1,3x1');
  });

  it('round-trips an action log', () => {
    const actions = [0, 0, 1, 1, 1, 3, 2, 2];
    const agent = new ScheduleAgent(parseSchedule(formatSchedule(actions)), 'schedule');
    expect(actions.map(() => agent.act())).toEqual(actions);
  });

  it.each([
    ['', /empty/],
    ['2x', /expected <count>x<epochs>, got "2x"/],
    ['2x0', /at least 1 epoch/],
    ['-1x3', /expected <count>x<epochs>/],
    ['2x3,,1x1', /expected <count>x<epochs>, got ""/],
  ])('refuses %j', (text, re) => {
    expect(() => parseSchedule(text)).toThrow(re);
  });

  it('refuses to write a negative or fractional action', () => {
    expect(() => formatSchedule([1, -1])).toThrow(/action 1 is -1/);
    expect(() => formatSchedule([1.5])).toThrow(/action 0 is 1.5/);
  });
});

describe('ScheduleAgent', () => {
  it('plays each count for its epochs, then refuses to go on; reset starts over', () => {
    const a = new ScheduleAgent(parseSchedule('3x2,1x1'), 'schedule:3x2,1x1');
    expect(a.actionMode).toBe('absolute');
    expect(a.length).toBe(3);
    expect([a.act(), a.act(), a.act()]).toEqual([3, 3, 1]);
    expect(() => a.act()).toThrow(/covers 3 epochs/);
    a.reset();
    expect(a.act()).toBe(3);
    expect(a.describe()).toEqual({ agent: 'schedule', epochs: 3, changes: 1, actionMode: 'absolute' });
  });
});

describe('parseAgentSpec schedule:', () => {
  const env = { observationSpace: new Box(0, 1, [2]), actionSpace: new Discrete(5) };

  it('builds the agent and checks its counts against the action space', async () => {
    const a = await parseAgentSpec('schedule:4x2,0x1', { env });
    expect(a).toBeInstanceOf(ScheduleAgent);
    expect(a.spec).toBe('schedule:4x2,0x1');
    await expect(parseAgentSpec('schedule:5x2', { env })).rejects.toThrow(/5 I\/O cores is outside the env's action space/);
  });

  it('a bad schedule is a one-line AgentSpecError naming the spec', async () => {
    await expect(parseAgentSpec('schedule:')).rejects.toBeInstanceOf(AgentSpecError);
    await expect(parseAgentSpec('schedule:')).rejects.toThrow(/schedule needs <count>x<epochs>/);
    await expect(parseAgentSpec('schedule:2y3')).rejects.toThrow(/^agent spec "schedule:2y3": expected <count>x<epochs>/);
  });
});
