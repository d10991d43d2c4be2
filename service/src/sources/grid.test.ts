import { SourceError } from './errors';
import { alignDown, alignUp, gridRange, gridTimestamps, placeRows } from './grid';

const t = (hm: string) => Date.parse(`2024-01-01T${hm}:00Z`);

describe('grid', () => {
  it('aligns to epoch multiples of the interval', () => {
    expect(alignDown(t('10:07'), 600)).toBe(t('10:00'));
    expect(alignUp(t('10:07'), 600)).toBe(t('10:10'));
    expect(alignDown(t('10:10'), 600)).toBe(t('10:10'));
    expect(alignUp(t('10:10'), 600)).toBe(t('10:10'));
    // Epoch alignment, not day alignment: 7-minute points fall wherever 7-minute multiples of 1970 fall.
    expect(alignDown(t('00:00'), 420) % 420000).toBe(0);
    expect(alignDown(-1, 60)).toBe(-60000);
  });

  it('rejects a non-positive or fractional interval', () => {
    expect(() => alignDown(0, 0)).toThrow(SourceError);
    expect(() => gridRange(0, 1, 1.5)).toThrow('positive whole number');
  });

  it('covers the complete intervals of [from, to)', () => {
    // A.6: now 04:55:12 → the 04:50 interval is incomplete and not part of the grid.
    const g = gridRange(Date.UTC(2026, 10, 21, 18, 50), Date.UTC(2026, 10, 22, 4, 55, 12), 600);
    expect(g.length).toBe(60);
    expect(g.end).toBe(Date.UTC(2026, 10, 22, 4, 50));
    const ts = gridTimestamps(g);
    expect(ts[0]).toBe(Date.UTC(2026, 10, 21, 18, 50));
    expect(ts[59]).toBe(Date.UTC(2026, 10, 22, 4, 40));
  });

  it('rounds an unaligned start up (detectkit anchored the grid there and lost every point)', () => {
    const g = gridRange(t('00:03'), t('00:40'), 600);
    expect([...gridTimestamps(g)]).toEqual([t('00:10'), t('00:20'), t('00:30')]);
  });

  it('is empty when no complete interval fits', () => {
    expect(gridRange(t('00:03'), t('00:09'), 600).length).toBe(0);
    expect(gridRange(t('00:10'), t('00:00'), 600)).toMatchObject({ length: 0, start: t('00:10'), end: t('00:10') });
  });

  it('places rows by exact timestamp, last duplicate wins, and counts what it drops', () => {
    const g = gridRange(t('00:00'), t('00:40'), 600);
    const rows = [t('00:00'), t('00:10'), t('00:10'), t('00:15'), t('23:00'), t('00:40'), t('00:30')];
    const p = placeRows(
      g,
      rows.map((x) => x - (x === t('23:00') ? 86400000 : 0))
    );
    expect([...p.rowAt]).toEqual([0, 2, -1, 6]);
    expect(p).toMatchObject({ duplicates: 1, offGrid: 1, outOfRange: 2 });
  });
});
