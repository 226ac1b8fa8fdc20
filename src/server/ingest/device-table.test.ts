import { describe, expect, it } from 'vitest';
import { DeviceTable } from './device-table.ts';

describe('DeviceTable.slotOf', () => {
  it('finds every device whatever the order of look-ups, and no device it does not hold', () => {
    const t = new DeviceTable();
    const ids = Array.from({ length: 3000 }, (_, i) => `gw-${i % 7}-dev-${i}`);
    ids.forEach((id, i) => expect(t.add(id, i, 'mqtt')).toBe(i));
    // In order (the guess holds), backwards and shuffled (it does not), with strangers between.
    const orders = [ids, [...ids].reverse(), ids.map((_, i) => ids[(i * 7919) % ids.length]!)];
    for (const order of orders) {
      for (const id of order) {
        expect(t.slotOf(id)).toBe(ids.indexOf(id));
        expect(t.slotOf(`${id}x`)).toBeUndefined();
      }
    }
    // A copy of the id (as JSON.parse makes one) finds the same slot.
    expect(t.slotOf(JSON.parse(JSON.stringify(ids[42])) as string)).toBe(42);
    expect(t.slotOf(JSON.parse(JSON.stringify(ids[43])) as string)).toBe(43);
  });
});
