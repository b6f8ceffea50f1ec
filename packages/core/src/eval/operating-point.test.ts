import { describe, expect, it } from 'vitest';
import { operatingPointTable, referralSummary } from './operating-point.js';
import { wilsonInterval } from './wilson.js';

// 10 cases, classes [normal, abnormal]: 4 abnormal (3 found), 6 normal (1 false alarm).
const labels = Int32Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
const predictions = Int32Array.from([1, 1, 1, 0, 1, 0, 0, 0, 0, 0]);

describe('operating-point table', () => {
  it('counts each class against the rest and gives every proportion its Wilson interval', () => {
    const table = operatingPointTable(labels, predictions, ['normal', 'abnormal']);
    const abnormal = table.perClass[1]!;
    expect(abnormal.counts).toEqual({ tp: 3, fp: 1, tn: 5, fn: 1 });
    expect(abnormal.support).toBe(4);
    expect(abnormal.sensitivity).toEqual(wilsonInterval(3, 4));
    expect(abnormal.specificity).toEqual(wilsonInterval(5, 6));
    expect(abnormal.ppv).toEqual(wilsonInterval(3, 4));
    expect(abnormal.npv).toEqual(wilsonInterval(5, 6));
    expect(abnormal.accuracy.estimate).toBe(0.8);
    // The other class mirrors it: its sensitivity is abnormal's specificity.
    expect(table.perClass[0]!.sensitivity.estimate).toBe(abnormal.specificity.estimate);
    expect(table.accuracy).toEqual(wilsonInterval(8, 10));
  });

  it('leaves a proportion without cases undefined (NaN) instead of 0', () => {
    const table = operatingPointTable(Int32Array.from([0, 0]), Int32Array.from([0, 0]), ['normal', 'abnormal']);
    expect(Number.isNaN(table.perClass[1]!.sensitivity.estimate)).toBe(true);
    expect(Number.isNaN(table.perClass[1]!.ppv.estimate)).toBe(true);
    expect(table.perClass[1]!.specificity.estimate).toBe(1);
  });

  it('names a prediction outside the classes', () => {
    expect(() => operatingPointTable(labels, Int32Array.from([2, 0, 0, 0, 0, 0, 0, 0, 0, 0]), ['normal', 'abnormal'])).toThrow(/predictions\[0\] is 2/);
  });
});

describe('referral summary', () => {
  it('gives the referral rate and the accuracy of the decided and the referred cases', () => {
    // The model's two errors (cases 3 and 4) are referred, with one correct case.
    const referred = Uint8Array.from([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    const summary = referralSummary(labels, predictions, referred, 2);
    expect(summary.rate).toEqual(wilsonInterval(3, 10));
    expect(summary.accuracyNotReferred).toEqual(wilsonInterval(7, 7));
    expect(summary.accuracyReferred).toEqual(wilsonInterval(1, 3));
  });

  it('refuses flags other than 0 and 1', () => {
    expect(() => referralSummary(labels, predictions, new Uint8Array(10).fill(2), 2)).toThrow(/referred\[0\] is 2/);
  });
});
