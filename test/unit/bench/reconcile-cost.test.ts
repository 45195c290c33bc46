/**
 * The reconciliation cost bench's own parts (bench/reconcile-cost.ts): the stat page it
 * serves is one nginx-rtmp's list reads push for push, and its section of BENCHMARKS.md
 * replaces only itself.
 */
import { describe, expect, it } from 'vitest';
import { statXml, withReconcileCostSection } from '../../../bench/reconcile-cost';
import { livePushesOfStat } from '../../../shared/reconcile/sources/nginx-rtmp';

describe('the reconcile cost bench', () => {
  it("serves a stat page nginx-rtmp's list reads as every push it lists", () => {
    const nowMs = Date.parse('2026-12-06T10:00:00Z');
    const pushes = Array.from({ length: 3 }, (_, i) => ({
      app: i === 2 ? 'game' : 'live',
      stream: `cam-${i}`,
      clientId: String(7 + i),
      sinceMs: nowMs - 1_000 * (i + 1),
    }));
    expect(livePushesOfStat(statXml(pushes, nowMs), 'live.example.com', nowMs)).toEqual(
      pushes.map((push) => ({
        domain: 'live.example.com',
        app: push.app,
        stream: push.stream,
        pairingKey: push.clientId,
        startedAtMs: push.sinceMs,
      })),
    );
    expect(livePushesOfStat(statXml([], nowMs), 'live.example.com', nowMs)).toEqual([]);
  });

  it('replaces its own section of BENCHMARKS.md, or adds it at the end', () => {
    const section = (text: string) =>
      `<!-- reconcile-cost: written by bench/reconcile-cost.ts -->\n${text}\n<!-- reconcile-cost end -->`;
    const before = `# Benchmarks\n\n${section('old')}\n\n<!-- capacity: written by bench/capacity.ts -->\nkept\n`;
    expect(withReconcileCostSection(before, section('new'))).toBe(
      `# Benchmarks\n\n${section('new')}\n\n<!-- capacity: written by bench/capacity.ts -->\nkept\n`,
    );
    expect(withReconcileCostSection('# Benchmarks\n', section('new'))).toBe(`# Benchmarks\n\n${section('new')}\n`);
  });
});
