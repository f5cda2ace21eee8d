/**
 * The truth tables of "Configuring how CloudWatch alarms treat missing data" (CloudWatch User Guide,
 * alarms-and-missing-data; awsdocs/amazon-cloudwatch-user-guide doc_source/AlarmThatSendsEmail.md). Datapoints
 * are written oldest first, most recent on the right: 0 not breaching, X breaching, - missing. The evaluation
 * range is 5 and EvaluationPeriods 3. "RETAIN" is the tables' "Retain current state".
 */
import { describe, expect, it } from 'vitest';
import { decide, evaluationRange, type Point } from '../../../../src/sim/services/cloudwatch/evaluate.js';
import type { TreatMissingData } from '../../../../src/sim/services/cloudwatch/state.js';

type Expected = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'RETAIN';

interface Row {
  readonly points: string;
  readonly missing: Expected;
  readonly ignore: Expected;
  readonly breaching: Expected;
  readonly notBreaching: Expected;
}

const MINUTE = 60_000;

function slots(points: string): (Point | undefined)[] {
  return points.split(' ').map((p, i) => (p === '-' ? undefined : { timestamp: i * MINUTE, value: p === 'X' ? 10 : 0 }));
}

function check(rows: readonly Row[], datapointsToAlarm: number): void {
  for (const row of rows) {
    for (const treat of ['missing', 'ignore', 'breaching', 'notBreaching'] as const satisfies readonly TreatMissingData[]) {
      const decision = decide({ slots: slots(row.points), evaluationPeriods: 3, datapointsToAlarm, threshold: 5, comparison: 'GreaterThanThreshold', treatMissingData: treat });
      expect({ row: row.points, treat, state: decision.state }).toEqual({ row: row.points, treat, state: row[treat] });
    }
  }
}

describe('TreatMissingData, as AWS documents it', () => {
  it('uses an evaluation range of 5 for 3 evaluation periods', () => {
    expect(evaluationRange(3)).toBe(5);
  });

  it('reproduces the first table (Datapoints to Alarm = Evaluation Periods = 3)', () => {
    check(
      [
        { points: '0 - X - X', missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
        { points: '0 - - - -', missing: 'OK', ignore: 'OK', breaching: 'OK', notBreaching: 'OK' },
        { points: '- - - - -', missing: 'INSUFFICIENT_DATA', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' },
        { points: '0 X X - X', missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' },
        { points: '- - X - -', missing: 'ALARM', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' },
      ],
      3,
    );
  });

  it('reproduces the second table (2 out of 3)', () => {
    check(
      [
        { points: '0 - X - X', missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' },
        { points: '0 0 X 0 X', missing: 'ALARM', ignore: 'ALARM', breaching: 'ALARM', notBreaching: 'ALARM' },
        { points: '0 - X - -', missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' },
        { points: '- - - - 0', missing: 'OK', ignore: 'OK', breaching: 'ALARM', notBreaching: 'OK' },
        { points: '- - - X -', missing: 'ALARM', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' },
      ],
      2,
    );
  });

  it('does not go to ALARM prematurely on "- - - - X" and "- - - X -" with 3 of 3 (and the older tables: INSUFFICIENT_DATA)', () => {
    check(
      [
        { points: '- - - - X', missing: 'INSUFFICIENT_DATA', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' },
        { points: '- - - X -', missing: 'INSUFFICIENT_DATA', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' },
      ],
      3,
    );
    check([{ points: '- - - - X', missing: 'INSUFFICIENT_DATA', ignore: 'RETAIN', breaching: 'ALARM', notBreaching: 'OK' }], 2);
  });

  it('evaluates the most recent real datapoints and fills as few missing ones as possible', () => {
    const full = decide({ slots: slots('X X 0 - 0'), evaluationPeriods: 3, datapointsToAlarm: 1, threshold: 5, comparison: 'GreaterThanThreshold', treatMissingData: 'breaching' });
    expect(full.used.map((p) => p.age)).toEqual([1, 3, 4]);
    expect(full).toMatchObject({ state: 'ALARM', fills: 0 });
    const partial = decide({ slots: slots('- 0 - - -'), evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 5, comparison: 'GreaterThanThreshold', treatMissingData: 'breaching' });
    expect(partial).toMatchObject({ state: 'OK', fills: 2, fillKind: 'Breaching' });
  });
});
